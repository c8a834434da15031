"""The page every document shares: heading, parties, a table of lines, totals, page numbers.

Text is written with an embedded Unicode TrueType font (DejaVu Sans, shipped in `fonts/`), so it
stays text in the PDF: a reader can search and copy it, and tests read it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from tierline.documents.formatting import Formatter, text
from tierline.documents.seller import Seller
from tierline.domain.account import Account
from tierline.domain.lines import Line

FONT = "DejaVuSans"
FONTS_DIR = Path(__file__).parent / "fonts"
_REGULAR = FONTS_DIR / "DejaVuSans.ttf"
_BOLD = FONTS_DIR / "DejaVuSans-Bold.ttf"

_GREY = (105, 105, 105)
_BLACK = (0, 0, 0)
_HEADINGS_FILL = (236, 239, 243)
_MARGIN = 15.0
_WIDTH = 180.0  # A4 width less the margins
_COLUMNS = (58.0, 46.0, 12.0, 32.0, 32.0)  # description, period, quantity, unit, amount


@dataclass(frozen=True)
class Total:
    label: str
    value: str
    strong: bool = False


class _Pdf(FPDF):
    def __init__(self, page_label: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._page_label = page_label

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(*_GREY)
        self.cell(0, 6, self._page_label.format(page=self.page_no(), pages="{nb}"), align="C")


class Page:
    """One document being written, top to bottom."""

    def __init__(
        self, fmt: Formatter, *, title: str, number: str, issued_at: datetime, seller: Seller
    ) -> None:
        self.fmt = fmt
        self.labels = fmt.labels
        pdf = _Pdf(self.labels.page)
        pdf.add_font(FONT, "", _REGULAR)
        pdf.add_font(FONT, "B", _BOLD)
        pdf.set_creation_date(issued_at)  # the same document renders to the same bytes
        pdf.set_title(text(f"{title} {number}"))
        pdf.set_author(text(seller.name))
        pdf.set_creator("Tierline")
        pdf.set_lang(fmt.language)
        pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
        pdf.set_auto_page_break(True, margin=20)
        pdf.add_page()
        self.pdf = pdf

    # -- blocks -------------------------------------------------------------------------------

    def heading(
        self, title: str, facts: Sequence[tuple[str, str]], seller: Seller, account: Account
    ) -> None:
        """Title and facts on the left, the seller on the right, then the buyer."""
        pdf = self.pdf
        top = pdf.get_y()
        self._font(22, bold=True)
        pdf.cell(100, 11, text(title), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for label, value in facts:
            self._font(9, grey=True)
            pdf.cell(44, 5.5, text(label))
            self._font(9)
            pdf.multi_cell(58, 5.5, text(value), align="L", new_x="LMARGIN", new_y="NEXT")
        left_end = pdf.get_y()

        seller_lines = [*seller.address, seller.email or ""]
        if seller.tax_id:
            seller_lines.append(f"{self.labels.tax_id}: {seller.tax_id}")
        right_end = self._party(_MARGIN + 105, top, self.labels.seller, seller.name, seller_lines)

        buyer_lines = [account.billing_email or "", f"{self.labels.account}: {account.id}"]
        end = self._party(_MARGIN, max(left_end, right_end) + 6, self.labels.buyer, account.name,
                          buyer_lines)  # fmt: skip
        pdf.set_xy(_MARGIN, end + 6)

    def section(self, title: str) -> None:
        self.pdf.ln(3)
        self._font(11, bold=True)
        self.pdf.cell(_WIDTH, 7, text(title), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def lines(self, lines: Sequence[Line], *, negate: bool = False) -> None:
        """The lines table; `negate` prints credits (stored negative) as positive amounts."""
        labels, fmt = self.labels, self.fmt
        self._font(9)
        with self.pdf.table(
            col_widths=_COLUMNS,
            width=_WIDTH,
            text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
            v_align="TOP",
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=_HEADINGS_FILL),
            line_height=4.6,
            padding=(1.6, 1.5),
        ) as table:
            header = table.row()
            for name in (
                labels.description,
                labels.period,
                labels.quantity,
                labels.unit_amount,
                labels.amount,
            ):
                header.cell(text(name))
            for line in lines:
                row = table.row()
                row.cell(text(f"{line.description}\n{labels.kind(line.kind)}"))
                row.cell(fmt.period(line.period) if line.period else "")
                row.cell("" if line.quantity is None else str(line.quantity))
                unit = line.unit_amount
                row.cell("" if unit is None else fmt.money(-unit if negate else unit))
                row.cell(fmt.money(-line.amount if negate else line.amount))
        self.pdf.ln(2)

    def totals(self, rows: Sequence[Total]) -> None:
        """Label and amount pairs, right-aligned under the lines."""
        pdf = self.pdf
        x = _MARGIN + _WIDTH - 100
        if pdf.get_y() + 7 * len(rows) > pdf.page_break_trigger:
            pdf.add_page()  # the totals stay together
        for row in rows:
            if row.strong:
                pdf.set_draw_color(*_BLACK)
                pdf.line(x + 30, pdf.get_y() + 0.5, _MARGIN + _WIDTH, pdf.get_y() + 0.5)
                pdf.ln(1)
            self._font(10 if row.strong else 9, bold=row.strong)
            pdf.set_x(x)
            pdf.cell(64, 6, text(row.label), align="R")
            pdf.cell(36, 6, text(row.value), align="R", new_x="LMARGIN", new_y="NEXT")

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    # -- helpers ------------------------------------------------------------------------------

    def _party(self, x: float, y: float, heading: str, name: str, rest: Sequence[str]) -> float:
        """A seller or buyer block at (x, y); returns where it ends."""
        pdf = self.pdf
        width = 75.0
        pdf.set_xy(x, y)
        self._font(8, bold=True, grey=True)
        pdf.cell(width, 5, text(heading), new_x="LEFT", new_y="NEXT")
        self._font(10, bold=True)
        pdf.multi_cell(width, 5.5, text(name), align="L", new_x="LEFT", new_y="NEXT")
        self._font(9)
        for value in rest:
            if value:
                pdf.multi_cell(width, 5, text(value), align="L", new_x="LEFT", new_y="NEXT")
        return pdf.get_y()

    def _font(self, size: float, *, bold: bool = False, grey: bool = False) -> None:
        self.pdf.set_font(FONT, "B" if bold else "", size)
        self.pdf.set_text_color(*(_GREY if grey else _BLACK))

"""The page every document shares: heading, parties, a table of lines, totals, page numbers.

Text is written with an embedded Unicode TrueType font (DejaVu Sans, shipped in `fonts/`), so it
stays text in the PDF: a reader can search and copy it, and tests read it back.

Parsing the fonts is most of the work of a small document, so a process parses each face once
(`_face`) and every document takes a copy of it (`_add_face`), with a font program of its own
that fpdf2 may cut down to the glyphs that document uses.
"""

from __future__ import annotations

import copy
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fontTools import subset, ttLib
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from tierline.documents.formatting import Formatter, text
from tierline.documents.seller import Seller
from tierline.domain.account import Account
from tierline.domain.lines import Line
from tierline.domain.parties import Party
from tierline.domain.tax import TaxLine

FONT = "DejaVuSans"
FONTS_DIR = Path(__file__).parent / "fonts"
_REGULAR = FONTS_DIR / "DejaVuSans.ttf"
_BOLD = FONTS_DIR / "DejaVuSans-Bold.ttf"

# The characters of nearly every document (the Latin scripts, Vietnamese included, punctuation,
# currency signs, the minus sign): a document that uses only these embeds its font from a program
# cut down to them once, which is quicker to cut down again; any other goes to the whole font.
_USUAL = ((0x20, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF),
          (0x2100, 0x215F), (0x2212, 0x2212), (0xFFFD, 0xFFFD))  # fmt: skip

# Tables fpdf2 leaves out of an embedded font anyway (and `kern`, which fontTools' subsetter drops
# when GPOS is there): taken out once, so that no document reads them again.
_UNEMBEDDED = ("FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC",
               "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR")  # fmt: skip

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


@dataclass(frozen=True)
class _Face:
    """A font parsed once: fpdf2's metrics and character map, and two font programs to embed:
    the whole font, and the same cut down to the usual characters (`usual_glyphs`)."""

    parsed: TTFFont
    whole: bytes
    usual: bytes
    usual_glyphs: frozenset[str]

    def program(self, glyphs: Sequence[str] | None = None) -> ttLib.TTFont:
        """A font program of its own for a document (fpdf2 cuts it down in place when it writes
        the PDF): the cut-down one when it has all of `glyphs`, else the whole font."""
        usual = glyphs is not None and self.usual_glyphs.issuperset(glyphs)
        data = self.usual if usual else self.whole
        return ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)


def _saved(font: ttLib.TTFont) -> bytes:
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@functools.cache
def _face(path: Path, style: str) -> _Face:
    loader = FPDF()
    loader.add_font(FONT, style, path)
    parsed = loader.fonts[f"{FONT.lower()}{style}"]
    assert isinstance(parsed, TTFFont)
    font = ttLib.TTFont(path, recalcTimestamp=False)
    if "GPOS" in font and "kern" in font:
        del font["kern"]
    for tag in _UNEMBEDDED:
        if tag in font:
            del font[tag]
    whole = _saved(font)
    cmap = parsed.cmap
    usual = {cmap[c] for low, high in _USUAL for c in range(low, high + 1) if c in cmap}
    options = subset.Options(
        glyph_names=True, notdef_outline=True, recommended_glyphs=True, name_IDs=["*"],
        name_languages=["*"], name_legacy=True, drop_tables=[], legacy_kern=True,
        layout_features=["*"], prune_unicode_ranges=False, prune_codepage_ranges=False,
    )  # fmt: skip
    cutter = subset.Subsetter(options)
    cutter.populate(glyphs=sorted(usual))
    cutter.subset(font)
    return _Face(parsed, whole, _saved(font), frozenset(font.getGlyphOrder()))


def _add_face(pdf: FPDF, path: Path, style: str) -> None:
    """`pdf.add_font(FONT, style, path)`, from the face parsed once. The metrics are shared
    (they are only read); the glyphs used and the font program are the document's own."""
    face = _face(path, style)
    font = copy.copy(face.parsed)
    font.i = len(pdf.fonts) + 1
    font.ttfont = face.program()
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    pdf.fonts[font.fontkey] = font


def _cut_down_programs(pdf: FPDF) -> None:
    """Before writing: the cut-down program for each font that has every glyph used in it."""
    for path, style in ((_REGULAR, ""), (_BOLD, "B")):
        font = pdf.fonts.get(f"{FONT.lower()}{style}")
        if isinstance(font, TTFFont):
            font.ttfont = _face(path, style).program(font.subset.get_all_glyph_names())


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
        _add_face(pdf, _REGULAR, "")
        _add_face(pdf, _BOLD, "B")
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
        self,
        title: str,
        facts: Sequence[tuple[str, str]],
        seller: Seller,
        account: Account,
        buyer: Party | None = None,
    ) -> None:
        """Title and facts on the left, the seller on the right, then the buyer: as the document
        names it (`buyer`, fixed when it was issued), else as the account is now."""
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
            seller_lines.append(self.labels.pair(self.labels.tax_id, seller.tax_id))
        right_end = self._party(_MARGIN + 105, top, self.labels.seller, seller.name, seller_lines)

        party = buyer or Party.of_account(account)
        place = " ".join(part for part in (party.region, party.country) if part)
        buyer_lines = [*party.address, place]
        if party.tax_id:
            buyer_lines.append(self.labels.pair(self.labels.tax_id, party.tax_id))
        buyer_lines += [
            account.billing_email or "",
            self.labels.pair(self.labels.account, account.id),
        ]
        end = self._party(_MARGIN, max(left_end, right_end) + 6, self.labels.buyer, party.name,
                          buyer_lines)  # fmt: skip
        pdf.set_xy(_MARGIN, end + 6)

    def section(self, title: str) -> None:
        self.pdf.ln(3)
        self._font(11, bold=True)
        self.pdf.cell(_WIDTH, 7, text(title), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def lines(
        self, lines: Sequence[Line], *, negate: bool = False, subscription: str | None = None
    ) -> None:
        """The lines table; `negate` prints credits (stored negative) as positive amounts;
        `subscription`, when given, is named under each line (an account with several)."""
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
                described = f"{fmt.describe(line)}\n{labels.kind(line.kind)}"
                if subscription is not None:
                    named = labels.labelled.format(label=labels.subscription, value=subscription)
                    described += f"\n{named}"
                row.cell(text(described))
                row.cell(fmt.period(line.period) if line.period else "")
                row.cell("" if line.quantity is None else fmt.number(line.quantity))
                unit = line.unit_amount
                row.cell("" if unit is None else fmt.money(-unit if negate else unit))
                row.cell(fmt.money(-line.amount if negate else line.amount))
        self.pdf.ln(2)

    def taxes(self, taxes: Sequence[TaxLine]) -> None:
        """The tax once per rate and category, then what the document must say (reverse
        charge, outside the scope of VAT)."""
        if not taxes:
            return
        labels, fmt = self.labels, self.fmt
        self._font(9)
        with self.pdf.table(
            col_widths=(70.0, 30.0, 40.0, 40.0),
            width=_WIDTH,
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(emphasis="BOLD", fill_color=_HEADINGS_FILL),
            line_height=4.6,
            padding=(1.6, 1.5),
        ) as table:
            header = table.row()
            for name in (labels.tax, labels.tax_rate, labels.taxable, labels.amount):
                header.cell(text(name))
            for line in taxes:
                row = table.row()
                row.cell(text(labels.category(line.category)))
                row.cell(text(f"{fmt.number_text(line.rate)} %"))
                row.cell(fmt.money(line.taxable))
                row.cell(fmt.money(line.amount))
        self.pdf.ln(1)
        mentions = dict.fromkeys(m for m in (labels.mention(t.category) for t in taxes) if m)
        for mention in mentions:
            self._font(9, bold=True)
            self.pdf.multi_cell(_WIDTH, 5, text(mention), align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def note(self, words: str) -> None:
        """A sentence the document must say, across the page (a top-up's receipt: no tax)."""
        self._font(9)
        self.pdf.multi_cell(_WIDTH, 5, text(words), align="L", new_x="LMARGIN", new_y="NEXT")
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
        _cut_down_programs(self.pdf)
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

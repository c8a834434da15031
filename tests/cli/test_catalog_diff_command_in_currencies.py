"""`tierline catalog diff` on a catalog sold in EUR and GBP: each currency's prices are compared,
so a price changed in GBP alone is listed, in GBP.

`examples/currencies/catalog.yaml` sells Standard at 8.00 EUR / 7.00 GBP a seat a month (a year
is 12 months at 20 % off: 76.80 EUR / 67.20 GBP); the new file raises the GBP price to 7.50
(72.00 a year) and leaves the euro one as it was.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tierline.cli import app
from tierline.store.migrate import migrate
from tierline.store.uow import create_engine

runner = CliRunner()
CATALOG = Path(__file__).resolve().parents[2] / "examples" / "currencies" / "catalog.yaml"


def test_a_price_changed_in_one_currency_is_listed_in_it_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tierline.db'}"
    engine = create_engine(url)
    migrate(engine)  # no catalog installed: no subscriptions to count
    engine.dispose()
    text = CATALOG.read_text(encoding="utf-8")
    raised = text.replace('{EUR: "8.00", GBP: "7.00"}', '{EUR: "8.00", GBP: "7.50"}')
    assert raised != text
    new = tmp_path / "new.yaml"
    new.write_text(raised, encoding="utf-8")

    result = runner.invoke(
        app, ["catalog", "diff", str(CATALOG), str(new)], env={"TIERLINE_DATABASE_URL": url}
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Prices:",
        "  up      Standard (month): 7.00 → 7.50 GBP per seat",
        "  up      Standard (year): 67.20 → 72.00 GBP per seat",
        "Editions added: none",
        "Editions removed: none",
        "Live subscriptions: 0 would pay more, 0 less, 0 the same, 0 could not renew their plan",
    ]

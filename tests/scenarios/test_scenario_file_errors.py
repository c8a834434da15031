"""A scenario file written wrong is refused with where it is wrong, never with a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tierline.simulate import ScenarioFailed, run

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOG = str(EXAMPLES / "hap" / "catalog.yaml")
START = "2026-03-01T00:00:00Z"
CARD = {"id": "visa", "card": "4242424242424242"}


def scenario(**given: Any) -> dict[str, Any]:
    return {"catalog": CATALOG, "start": START, "accounts": [{"id": "acme"}], **given}


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (scenario(steps="subscribe"), "steps: a list expected, got str"),
        (scenario(steps=["subscribe"]), "steps[0]: a mapping expected, got str"),
        (scenario(steps=[{"subscribe": ["acme"]}]),
         "steps[0].subscribe: a mapping expected, got list"),
        (scenario(steps=[{"subscribe": {"cycle": "month"}}]),
         "steps[0].subscribe.account: required"),
        (scenario(steps=[{"preview": {"account": "acme", "change": True}}]),
         "steps[0].preview.change: a mapping expected, got bool"),
        (scenario(accounts=True), "accounts: a list expected, got bool"),
        (scenario(accounts=[1.5]), "accounts[0]: a mapping expected, got float"),
        (scenario(accounts=[{"name": "Acme"}]), "accounts[0].id: required"),
        (scenario(accounts=[{"id": "acme", "payment_methods": ["visa"]}]),
         "accounts[0].payment_methods[0]: a mapping expected, got str"),
        (scenario(accounts=[{"id": "acme", "payment_methods": [{"id": "visa"}]}]),
         "accounts[0].payment_methods[0].card: required"),
        (scenario(start="9999-12-31T00:00:00Z"), "start: a year from 1970 to 2999"),
    ],
)  # fmt: skip
def test_a_scenario_of_the_wrong_shape_is_refused_where_it_is_wrong(
    data: dict[str, Any], said: str
) -> None:
    with pytest.raises(ScenarioFailed) as refused:
        run(data)
    assert str(refused.value) == said


def test_a_quantity_that_is_no_whole_number_is_refused_as_the_step_would_be() -> None:
    data = scenario(
        accounts=[{"id": "acme", "payment_methods": [CARD]}],
        steps=[{"subscribe": {"account": "acme", "edition": "standard", "cycle": "month",
                              "quantity": "ten"}, "expect_error": "invalid_request"}],
    )  # fmt: skip
    [rejected] = run(data)["rejected"]
    assert (rejected["code"], rejected["message"]) == (
        "invalid_request", "quantity must be a whole number, got 'ten'."
    )  # fmt: skip

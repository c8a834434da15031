"""`make bench` goes round the billing runs of a store several times, each number of workers in
turn, and gives the medians: a ratio is the median of the ratios of the rounds, each taken
between two runs that met the same spell of the machine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import benchmarks.__main__ as bench
from benchmarks.billing_run import Result


def _lines(capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    out = capsys.readouterr().out.splitlines()
    return dict(line.split(": ", 1) for line in out)


def _runs(monkeypatch: pytest.MonkeyPatch, results: list[Result]) -> list[tuple[int, int]]:
    asked: list[tuple[int, int]] = []
    queue = iter(results)

    def measure(store: str, count: int, workers: int, workdir: Path, **_: Any) -> Result:
        asked.append((count, workers))
        return next(queue)

    monkeypatch.setattr(bench, "measure", measure)
    return asked


def _one(rate: float, floor_seconds: float, cpu: float = 200.0) -> Result:
    return Result(rate, 100.0, {"claim": rate}, 1_400, floor_seconds, worker_cpu_us=cpu)


def test_rounds_alternate_one_and_two_workers_and_ratios_are_medians_of_each_rounds_ratio(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A slow spell in round 2 slows both of its runs: the ratios of the rounds hold still.
    asked = _runs(
        monkeypatch,
        [
            _one(3_000, 0.01), Result(4_500, 90.0),
            _one(1_500, 0.02), Result(2_100, 120.0),
            _one(2_800, 0.01), Result(4_480, 80.0),
        ],
    )  # fmt: skip

    bench._billing_runs("postgresql", 100, [1, 2], 3, Path("."))

    lines = _lines(capsys)
    assert asked == [(100, 1), (100, 2)] * 3
    assert lines["billing-run postgresql workers=2 round=2 speed-up"] == "1.40 ×"
    assert lines["billing-run postgresql workers=1"] == "2800 renewals/s (median of 3)"
    assert lines["billing-run postgresql workers=2"] == "4480 renewals/s (median of 3)"
    assert lines["billing-run postgresql workers=2 speed-up"] == "1.50 ×"  # of 1.50, 1.40, 1.60
    # The shares of the rounds, 30, 30 and 28 %, not the median rate over the median floor (28 %).
    assert lines["billing-run postgresql workers=1 share-of-floor"] == "30.0 %"
    assert lines["copy-floor postgresql as renewals"] == "10000 renewals/s"
    assert lines["billing-run postgresql workers=1 phase=claim"] == "2800.00 s"  # the median run's
    assert lines["billing-run postgresql workers=2 memory"] == "120 MiB"  # the highest peak


@pytest.mark.parametrize("store", ["postgresql", "sqlite"])
def test_one_round_prints_each_figure_once_without_a_round(
    store: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _runs(monkeypatch, [_one(3_000, 0.01), Result(4_200, 90.0)])

    bench._billing_runs(store, 100, [1, 2], 1, Path("."))

    out = capsys.readouterr().out
    assert "round=" not in out
    assert out.count(f"billing-run {store} workers=1: ") == 1
    assert out.count("speed-up") == 1
    assert f"billing-run {store} workers=2 speed-up: 1.40 ×" in out
    assert f"copy-floor {store} as renewals: 10000 renewals/s" in out
    assert f"billing-run {store} workers=1 share-of-floor: 30.0 %" in out

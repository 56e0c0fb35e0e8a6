"""Inline values and claims use only what a probe measured, printed within bounds."""

from __future__ import annotations

import dataclasses
import time

import pytest

from probepress.claims.callout import MAX_PRECISION, MAX_WIDTH, inline_value_html
from probepress.claims.evaluate import ClaimFence, evaluate_claim
from probepress.claims.grammar import parse_check
from probepress.errors import FenceError
from probepress.measure.results import LookupProblem, ResultSet
from probepress.probes.base import ProbeResult

ACCEL = "ball-drop/reference : gravity.acceleration_px_s2"


def _claim(check: str) -> ClaimFence:
    return ClaimFence("A statement.", parse_check(check), 3)


def test_inline_value_prints_a_measured_number(ball_results):
    html = inline_value_html(f"{ACCEL} | .0f", ball_results)
    shown = int(html.rsplit(">", 2)[-2].split("<")[0])
    assert abs(shown - 1200) <= 36


@pytest.mark.parametrize(
    ("spec", "fragment"),
    [
        ("100000000", f"width 100000000 in '100000000' is more than {MAX_WIDTH}"),
        ("999999999999", "width 999999999999"),
        ("9" * 5000, "is more than 40"),
        (">41.2f", "width 41"),
        (".999f", f"precision 999 in '.999f' is more than {MAX_PRECISION}"),
        ("١٢.2f", "is not a number format such as .2f"),
        ("s", "is not a number format"),
        ("{}", "is not a number format"),
    ],
)
def test_impossible_formats_are_a_clear_problem_and_quick(ball_results, spec, fragment):
    start = time.perf_counter()
    with pytest.raises(LookupProblem, match="inline value") as caught:
        inline_value_html(f"{ACCEL} | {spec}", ball_results)
    assert fragment in str(caught.value)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("spec", [f"{MAX_WIDTH}.{MAX_PRECISION}f", "+,.1f", "08.3e", "x^12.1f"])
def test_formats_within_the_bounds_print(ball_results, spec):
    assert 'class="pp-value"' in inline_value_html(f"{ACCEL} | {spec}", ball_results)


def test_a_failed_probe_never_supports_a_claim_or_prints_a_value(ball_results):
    # The room has a symmetric picture but no water: the reflection probe fails.
    outcome = ball_results.outcome("ball-drop/reference", "reflection")
    assert not outcome and outcome.error.startswith("no reflection found")
    with pytest.raises(FenceError, match="no reflection found") as caught:
        evaluate_claim(_claim("ball-drop/reference : reflection.axis_y == 101.5 ± 1"), ball_results)
    assert caught.value.line == 3
    with pytest.raises(LookupProblem, match="no reflection found"):
        inline_value_html("ball-drop/reference : reflection.axis_y | .1f", ball_results)


def _with_result(results: ResultSet, result: ProbeResult) -> ResultSet:
    report = results.reports["ball-drop/reference"]
    report = dataclasses.replace(report, results={**report.results, "gravity": result})
    return dataclasses.replace(results, reports={**results.reports, "ball-drop/reference": report})


def test_a_metric_marked_unmeasured_fails_claims_and_values_with_its_reason(ball_results):
    measured = ball_results.result("ball-drop/reference", "gravity")
    marked = dataclasses.replace(measured, unmeasured={"fit_rms_px": "the ball left the frame"})
    results = _with_result(ball_results, marked)
    check = "ball-drop/reference : gravity.fit_rms_px < 1000"
    with pytest.raises(FenceError, match="was not measured: the ball left the frame"):
        evaluate_claim(_claim(check), results)
    with pytest.raises(FenceError, match="the ball left the frame"):
        evaluate_claim(_claim("not " + check.replace("<", ">")), results)
    with pytest.raises(LookupProblem, match="the ball left the frame"):
        inline_value_html("ball-drop/reference : gravity.fit_rms_px | .1f", results)
    # The other metrics of the same result still count.
    assert evaluate_claim(_claim(f"{ACCEL} > 1000"), results).holds


def test_a_nan_metric_counts_as_unmeasured(ball_results):
    measured = ball_results.result("ball-drop/reference", "gravity")
    nan = dataclasses.replace(measured, metrics={**measured.metrics, "fit_rms_px": float("nan")})
    results = _with_result(ball_results, nan)
    with pytest.raises(LookupProblem, match="could not measure fit_rms_px"):
        inline_value_html("ball-drop/reference : gravity.fit_rms_px | .1f", results)


def test_unmeasured_reasons_survive_the_cache_round_trip():
    result = ProbeResult("p", "1", {"a": 1.0, "b": float("nan")}, unmeasured={"a": "why"})
    again = ProbeResult.from_dict(result.to_dict())
    assert again.unmeasured_reason("a") == "why"
    assert again.unmeasured_reason("b") == "p could not measure b (no finite value)"

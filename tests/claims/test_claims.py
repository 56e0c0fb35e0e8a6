"""The claim language parses what authors write, evaluates exactly, and rejects the rest."""

from __future__ import annotations

import pytest

from probepress.claims.grammar import ClaimSyntaxError, ClaimValueError, Ref, parse_check

VALUES = {
    "lake/a:reflection.symmetry": 0.93,
    "lake/a:reflection.lag_frames": 0.0,
    "lake/b:reflection.symmetry": 0.61,
    "lake/b:reflection.lag_frames": 3.0,
    "sky/ref:rotation.angular_velocity_deg_s": 6.1,
    "sky/ref:rotation.rigidity_residual_px": float("nan"),
}


def lookup(ref: Ref) -> float:
    return VALUES[str(ref)]


def holds(text: str, **kwargs) -> bool:
    return parse_check(text, **kwargs).evaluate(lookup).holds


def test_leading_clip_applies_to_every_reference():
    check = parse_check("lake/a : reflection.symmetry >= 0.85 and reflection.lag_frames <= 1")
    assert check.refs == (
        Ref("lake/a", "reflection", "symmetry"),
        Ref("lake/a", "reflection", "lag_frames"),
    )
    assert check.evaluate(lookup).holds


def test_a_failing_part_fails_the_and():
    assert not holds("lake/b : reflection.symmetry >= 0.85 and reflection.lag_frames <= 1")


def test_or_and_not():
    assert holds("lake/b : reflection.symmetry > 0.9 or reflection.lag_frames == 3")
    assert holds("not lake/b:reflection.symmetry > 0.9")
    assert not holds("not (lake/a:reflection.symmetry > 0.9)")


def test_clips_can_be_compared_with_each_other():
    assert holds("lake/a:reflection.symmetry > lake/b:reflection.symmetry + 0.2")


def test_arithmetic_and_abs():
    assert holds("abs(sky/ref:rotation.angular_velocity_deg_s - 6) < 0.2")
    assert holds("sky/ref:rotation.angular_velocity_deg_s * 2 / 4 > 3 - 0.1")
    assert holds("-lake/b:reflection.lag_frames == -3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sky/ref:rotation.angular_velocity_deg_s == 6 ± 0.2", True),
        ("sky/ref:rotation.angular_velocity_deg_s == 6 ± 0.05", False),
        ("sky/ref:rotation.angular_velocity_deg_s == 6 +- 2%", True),
        ("sky/ref:rotation.angular_velocity_deg_s == 6 ± 1%", False),
        ("sky/ref:rotation.angular_velocity_deg_s != 6 ± 1%", True),
        ("sky/ref:rotation.angular_velocity_deg_s < 6 ± 0.2", True),
    ],
)
def test_tolerances(text, expected):
    assert holds(text) is expected


def test_default_clip_comes_from_the_caller():
    assert holds("reflection.symmetry > 0.9", default_clip="lake/a")


@pytest.mark.parametrize(
    "text",
    [
        "sky/ref:rotation.rigidity_residual_px < 1",
        "sky/ref:rotation.rigidity_residual_px >= 1",
        # Were an undefined comparison merely False, `not` would make it hold.
        "not sky/ref:rotation.rigidity_residual_px < 1",
    ],
)
def test_undefined_measurement_is_an_error_never_a_verdict(text):
    with pytest.raises(ClaimValueError, match="not a finite number"):
        holds(text)


def test_evaluation_reports_values_and_comparisons():
    result = parse_check("lake/b : reflection.symmetry >= 0.85 and reflection.lag_frames <= 1")
    evaluation = result.evaluate(lookup)
    assert evaluation.values[Ref("lake/b", "reflection", "symmetry")] == 0.61
    first, second = evaluation.comparisons
    assert (first.text, first.left, first.op, first.right, first.holds) == (
        "reflection.symmetry >= 0.85",
        0.61,
        ">=",
        0.85,
        False,
    )
    assert second.holds is False


def test_a_check_across_clips_names_the_clip_in_every_comparison():
    check = "lake/b:reflection.symmetry < 0.9 * lake/a:reflection.symmetry and abs(reflection.lag_frames) <= 1"
    texts = [c.text for c in parse_check(check).evaluate(lookup).comparisons]
    assert texts == [
        "lake/b:reflection.symmetry < 0.9 * lake/a:reflection.symmetry",
        "abs(lake/b:reflection.lag_frames) <= 1",
    ]


def test_division_by_zero_is_an_error_not_a_crash():
    with pytest.raises(ClaimValueError, match="left side is not a finite number"):
        holds("lake/a:reflection.symmetry / lake/a:reflection.lag_frames > 1")


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("", 1, "expected a check"),
        ("reflection.symmetry >=", 23, "expected a number"),
        ("reflection.symmetry >= 0.8 andd x.y < 1", 28, "expected 'and', 'or'"),
        ("reflection >= 0.8", 1, "probe.metric"),
        ("reflection.symmetry", 20, "expected a comparison"),
        ("reflection.symmetry >= 0.8 ; drop", 28, "unexpected character ';'"),
        ("__import__('os') > 1", 12, "unexpected character"),
        ("abs(reflection.symmetry > 1", 25, "expected ')'"),
        ("reflection.symmetry == 1 ± x.y", 28, "expected a number after ±"),
    ],
)
def test_syntax_errors_give_the_column(text, column, fragment):
    with pytest.raises(ClaimSyntaxError) as caught:
        parse_check(text)
    assert caught.value.column == column
    assert fragment in caught.value.message


def test_numbers_in_scientific_notation():
    assert holds("lake/a:reflection.symmetry < 1e3 and lake/a:reflection.symmetry > 5e-1")

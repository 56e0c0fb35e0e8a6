"""The claim language rejects hostile or mistaken input with a ClaimSyntaxError, never a crash."""

from __future__ import annotations

import pytest

from probepress.claims.grammar import (
    MAX_CHECK_LENGTH,
    MAX_NESTING,
    ClaimSyntaxError,
    Ref,
    parse_check,
)


def _error(text: str) -> ClaimSyntaxError:
    with pytest.raises(ClaimSyntaxError) as caught:
        parse_check(text)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000 + "a.b > 1" + ")" * 10_000,
        "not " * 5_000 + "a.b > 1",
        "-" * 5_000 + "1 > a.b",
        " + ".join(["1"] * 400) + " > a.b",
    ],
)
def test_huge_or_deep_checks_are_syntax_errors_not_recursion_errors(text):
    assert "split it" in _error(text).message


def test_nesting_is_bounded_below_the_length_limit():
    text = "(" * (MAX_NESTING + 1) + "a.b > 1" + ")" * (MAX_NESTING + 1)
    assert len(text) < MAX_CHECK_LENGTH
    assert f"nests deeper than {MAX_NESTING}" in _error(text).message


def test_nesting_up_to_the_limit_parses():
    text = "(" * MAX_NESTING + "x:a.b > 1" + ")" * MAX_NESTING
    assert parse_check(text).evaluate(lambda ref: 2.0).holds


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x:reflection.axis_y == 1200 ± 1e999", 31),
        ("x:reflection.axis_y == 1e999", 24),
        ("x:reflection.axis_y < 1e400 ± 1", 23),
    ],
)
def test_numbers_that_are_not_finite_are_rejected(text, column):
    error = _error(text)
    assert "not a finite number" in error.message
    assert error.column == column


@pytest.mark.parametrize("word", ["nan", "inf", "NaN", "Infinity"])
def test_nan_and_inf_are_not_numbers(word):
    assert "probe.metric" in _error(f"x:reflection.axis_y < {word}").message


def test_clip_names_starting_with_digits_and_holding_dashes_are_clips():
    check = parse_check("2024-runs/model-a : flicker.flicker_index < 1")
    assert check.refs == (Ref("2024-runs/model-a", "flicker", "flicker_index"),)
    check = parse_check("x:a.b < 2024-runs/model-b:a.b - 1")
    assert check.refs == (Ref("x", "a", "b"), Ref("2024-runs/model-b", "a", "b"))
    assert check.evaluate(lambda ref: {"x": 1.0}.get(ref.clip, 5.0)).holds


def test_single_quoted_clip_names_say_how_to_write_them():
    message = _error("'2024-runs/model-a' : flicker.flicker_index < 1").message
    assert "bare (2024-runs/model-a : ...) or in double quotes" in message


def test_clip_names_with_spaces_are_double_quoted():
    check = parse_check('"soft glow/take 1" : flicker.flicker_index < 1 and "a b":x.y > 0')
    assert check.refs == (
        Ref("soft glow/take 1", "flicker", "flicker_index"),
        Ref("a b", "x", "y"),
    )


@pytest.mark.parametrize("digits", ["١٢", "１２", "۱"])
def test_only_ascii_digits_are_numbers(digits):
    error = _error(f"x:a.b < {digits}")
    assert "ASCII digits 0-9" in error.message
    assert error.column == 9

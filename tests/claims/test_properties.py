"""Property tests: any text given to the claim language or an inline value gives a result
or the documented error, never another exception (RecursionError, ValueError, MemoryError).
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probepress.claims.callout import inline_value_html
from probepress.claims.grammar import ClaimSyntaxError, ClaimValueError, parse_check
from probepress.measure.results import LookupProblem

# Pieces of the language, so that many examples get deep into the parser, mixed with
# arbitrary characters (other scripts' digits included) and hostile repetitions.
PIECES = st.sampled_from(
    [
        "a.b", "x:", "2024-runs/model-a", " : ", "reflection.symmetry", "(", ")", "abs(",
        "not ", " and ", " or ", "<", "<=", "==", "!=", ">", "±", "+-", "%", "+", "-", "*",
        "/", "0", "1.5", "1e999", ".5e-3", "١٢", "nan", "'", " ", ":", "((((((((((",
    ]
)  # fmt: skip
CHECKS = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join),
    st.tuples(PIECES, st.integers(0, 3000)).map(lambda pair: pair[0] * pair[1]),
)
VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6).map(float)
)
FAST = settings(max_examples=200, deadline=None)


@FAST
@given(CHECKS, VALUES)
def test_any_check_parses_and_evaluates_or_says_why(text, value):
    try:
        check = parse_check(text, default_clip="lake/a")
    except ClaimSyntaxError as error:
        assert error.message and error.column >= 1
        return
    try:
        evaluation = check.evaluate(lambda ref: value)
    except ClaimValueError as error:
        assert "not a finite number" in str(error)
        return
    assert isinstance(evaluation.holds, bool)
    # Whatever held, it held on finite numbers only.
    assert all(math.isfinite(c.left) and math.isfinite(c.right) for c in evaluation.comparisons)


SPECS = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A.?[<>=^]?[-+ ]?z?#?0?[0-9]{0,14}[,_]?(\.[0-9]{0,14})?[eEfFgGn%s]?\Z"),
)
REFS = st.one_of(
    st.just("ball-drop/reference : gravity.acceleration_px_s2"),
    st.just("ball-drop/reference : reflection.axis_y"),
    st.text(max_size=40),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REFS, SPECS)
def test_any_inline_value_renders_or_says_why(ball_results, ref, spec):
    text = f"{ref} | {spec}"
    try:
        html = inline_value_html(text, ball_results)
    except LookupProblem as problem:
        assert str(problem)
        return
    assert html.startswith('<span class="pp-value"') and len(html) < 2000

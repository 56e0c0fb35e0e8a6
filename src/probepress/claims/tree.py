"""The claim language's syntax tree and its evaluation over measured values.

Every comparison and every value looked up is recorded, so a claim's callout and its
failure message show the numbers. A comparison whose side is not a finite number is a
:class:`ClaimValueError`: never a silent ``False``, which ``not`` would turn into a pass.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from probepress.measure.ref import Ref

__all__ = [
    "Binary",
    "Bool",
    "ClaimValueError",
    "Compare",
    "Comparison",
    "Evaluation",
    "Lookup",
    "Metric",
    "Num",
    "Unary",
    "evaluate",
]


class ClaimValueError(ValueError):
    """A check whose comparison has a side that is not a finite number."""


Lookup = Callable[[Ref], float]


@dataclass(frozen=True)
class Comparison:
    """One evaluated comparison, for reporting ``expected`` against ``measured``."""

    text: str
    left: float
    op: str
    right: float
    tolerance: float | None
    holds: bool


@dataclass
class Evaluation:
    """The outcome of a check: whether it holds, and every value it looked at."""

    holds: bool
    values: dict[Ref, float] = field(default_factory=dict)
    comparisons: list[Comparison] = field(default_factory=list)


@dataclass(frozen=True)
class Num:
    """A number written in the check."""

    value: float


@dataclass(frozen=True)
class Metric:
    """A measured value, looked up by its reference."""

    ref: Ref


@dataclass(frozen=True)
class Unary:
    """``-x`` or ``abs(x)``."""

    op: str
    operand: object


@dataclass(frozen=True)
class Binary:
    """``a + b``, ``a - b``, ``a * b`` or ``a / b``."""

    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Compare:
    """A comparison, with its optional tolerance and its text as reported."""

    op: str
    left: object
    right: object
    tolerance: float | None
    relative: bool
    text: str
    # The text with every reference naming its clip, shown when a check spans clips.
    qualified: str


@dataclass(frozen=True)
class Bool:
    """``and``, ``or`` or ``not`` over comparisons."""

    op: str  # "and" | "or" | "not"
    operands: tuple


_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def evaluate(node: object, lookup: Lookup, out: Evaluation) -> float | bool:
    """The value of a syntax-tree node; values and comparisons are recorded in ``out``."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Metric):
        value = float(lookup(node.ref))
        out.values[node.ref] = value
        return value
    if isinstance(node, Unary):
        value = evaluate(node.operand, lookup, out)
        return abs(value) if node.op == "abs" else -value
    if isinstance(node, Binary):
        left, right = evaluate(node.left, lookup, out), evaluate(node.right, lookup, out)
        if node.op == "/" and right == 0:
            return math.nan
        return _ARITH[node.op](left, right)
    if isinstance(node, Compare):
        return _compare(node, lookup, out)
    if isinstance(node, Bool):
        # Evaluate every operand (no short-circuit) so the report shows every value.
        results = [bool(evaluate(operand, lookup, out)) for operand in node.operands]
        if node.op == "not":
            return not results[0]
        return all(results) if node.op == "and" else any(results)
    raise TypeError(f"unknown node {node!r}")


def _compare(node: Compare, lookup: Lookup, out: Evaluation) -> bool:
    left = float(evaluate(node.left, lookup, out))
    right = float(evaluate(node.right, lookup, out))
    tolerance = None
    if node.tolerance is not None:
        tolerance = abs(right) * node.tolerance / 100 if node.relative else node.tolerance
    for part, value in (("left side", left), ("right side", right), ("tolerance", tolerance)):
        if value is not None and not math.isfinite(value):
            # An undefined value never supports a claim, not even under ``not``.
            raise ClaimValueError(
                f"`{node.text}`: its {part} is not a finite number ({value}), "
                "e.g. a division by zero or an overflow"
            )
    if tolerance is not None and node.op in ("==", "!="):
        within = abs(left - right) <= tolerance
        holds = within if node.op == "==" else not within
    elif tolerance is not None:
        # ``a < b ± t`` allows a margin of t in the claim's favour.
        shifted = right + tolerance if node.op in ("<", "<=") else right - tolerance
        holds = _COMPARE[node.op](left, shifted)
    else:
        holds = _COMPARE[node.op](left, right)
    out.comparisons.append(Comparison(node.text, left, node.op, right, tolerance, holds))
    return holds

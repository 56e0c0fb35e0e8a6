"""Evaluate a claim against the results: whether it holds, on which numbers, measured where.

A claim that fails is reported by the caller, so ``mkdocs build --strict`` stops.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from probepress.claims.grammar import Check, ClaimValueError, Comparison
from probepress.errors import FenceError
from probepress.measure.ref import Ref
from probepress.measure.results import LookupProblem, ResultSet

__all__ = ["ClaimFence", "ClaimOutcome", "evaluate_claim", "number_text"]


@dataclass(frozen=True)
class ClaimFence:
    """A sentence and the check that must hold for it to be printed as true."""

    statement: str
    check: Check
    check_line: int  # body line of ``check:``


@dataclass
class ClaimOutcome:
    """A claim after evaluation, as the page and the claims ledger show it."""

    statement: str
    check: str
    holds: bool
    comparisons: list[Comparison]
    values: dict[Ref, float]
    provenance: list[dict] = field(default_factory=list)
    page: str = ""
    line: int = 0
    # A draft's claims are checked like any other but never published.
    draft: bool = False

    @property
    def where(self) -> str:
        """``page:line``, labelled when the page is a draft."""
        return f"{self.page}:{self.line}" + (" (draft)" if self.draft else "")

    def summary(self) -> str:
        """``expected … measured …`` for each failing comparison, for the warning."""
        failing = [c for c in self.comparisons if not c.holds] or self.comparisons
        return "; ".join(
            f"{c.text}: expected {c.op} {number_text(c.right)}"
            + (f" ± {number_text(c.tolerance)}" if c.tolerance is not None else "")
            + f", measured {number_text(c.left)}"
            for c in failing
        )

    def to_dict(self) -> dict:
        """The claims ledger's record of this claim."""
        return {
            "page": self.page,
            "line": self.line,
            "statement": self.statement,
            "check": self.check,
            "holds": self.holds,
            "values": {str(ref): _json_number(v) for ref, v in self.values.items()},
            "provenance": self.provenance,
        }


def evaluate_claim(fence: ClaimFence, results: ResultSet) -> ClaimOutcome:
    """Evaluate a claim.

    Raises
    ------
    FenceError
        For an unknown clip, probe or metric, a metric the probe could not measure (with
        its reason), or a comparison of an undefined value: none of them supports a claim.
    """
    try:
        evaluation = fence.check.evaluate(results.measured)
    except (LookupProblem, ClaimValueError) as problem:
        raise FenceError(f"claim check: {problem}", fence.check_line) from None
    provenance = []
    # An aggregate stands for several clips: each is named with its hash.
    behind = ((c, r.probe) for r in evaluation.values for c in results.selection(r.clip).clips)
    for clip_id, probe in dict.fromkeys(behind):
        result = results.result(clip_id, probe)
        provenance.append(
            {
                "clip": clip_id,
                "sha256": results.info(clip_id).sha256,
                "probe": probe,
                "version": result.version,
            }
        )
    return ClaimOutcome(
        statement=fence.statement,
        check=fence.check.text,
        holds=evaluation.holds,
        comparisons=evaluation.comparisons,
        values=evaluation.values,
        provenance=provenance,
    )


def number_text(value: float | None) -> str:
    """A measured or expected number as a claim shows it (4 significant digits)."""
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.4g}"


def _json_number(value: float) -> float | None:
    return value if math.isfinite(value) else None

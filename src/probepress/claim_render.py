"""Evaluate claims and inline values against the results, and render them.

A claim renders as a callout that says whether it holds, shows each comparison with
the measured and expected numbers, and names the probe versions and clip hashes the
numbers came from. A claim that fails is reported by the caller as a warning, so
``mkdocs build --strict`` stops.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape

from .claims import Comparison, Ref
from .fence_options import FenceError
from .fence_parse import ClaimFence
from .results import LookupProblem, ResultSet

__all__ = ["ClaimOutcome", "claim_html", "evaluate_claim", "inline_value_html"]

_INLINE = re.compile(
    r"^(?:(?P<clip>[\w./-]+)\s*:\s*)?(?P<probe>\w+)\.(?P<metric>\w+)\s*(?:\|\s*(?P<spec>[^|]*))?$"
)


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

    def summary(self) -> str:
        """``expected … measured …`` for each failing comparison, for the warning."""
        failing = [c for c in self.comparisons if not c.holds] or self.comparisons
        return "; ".join(
            f"{c.text}: expected {c.op} {_number(c.right)}"
            + (f" ± {_number(c.tolerance)}" if c.tolerance is not None else "")
            + f", measured {_number(c.left)}"
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
    """Evaluate a claim; an unknown clip, probe or metric is a :class:`FenceError`."""
    try:
        evaluation = fence.check.evaluate(results.value)
    except LookupProblem as problem:
        raise FenceError(f"claim check: {problem}", fence.check_line) from None
    provenance = []
    for clip_id, probe in dict.fromkeys((r.clip, r.probe) for r in evaluation.values):
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


def claim_html(outcome: ClaimOutcome) -> str:
    """The callout for a claim."""
    state = "holds" if outcome.holds else "fails"
    rows = "".join(
        "<tr>"
        f"<td><code>{escape(c.text)}</code></td>"
        f"<td>{_number(c.left)}</td>"
        f"<td>{escape(c.op)} {_number(c.right)}"
        + (f" ± {_number(c.tolerance)}" if c.tolerance is not None else "")
        + "</td>"
        f"<td>{'✓' if c.holds else '✗'}</td>"
        "</tr>"
        for c in outcome.comparisons
    )
    sources = " · ".join(
        f"{escape(p['clip'])} ({escape(p['probe'])} v{escape(p['version'])}, "
        f"clip {p['sha256'][:10]})"
        for p in outcome.provenance
    )
    # The claims page links each claim here by its line.
    anchor = f' id="claim-{outcome.line}"' if outcome.line else ""
    return (
        f'<div class="admonition pp-claim pp-claim--{state}"{anchor}>'
        f'<p class="admonition-title">{"Holds" if outcome.holds else "Fails"}</p>'
        f"<p>{escape(outcome.statement)}</p>"
        f'<p class="pp-claim__check">Check: <code>{escape(outcome.check)}</code></p>'
        '<table class="pp-claim__values"><thead><tr><th>check</th><th>measured</th>'
        f"<th>expected</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="pp-claim__provenance">Measured on {sources}</p>'
        "</div>"
    )


def inline_value_html(text: str, results: ResultSet) -> str:
    """Render ``clip : probe.metric | format`` as a span with its provenance on hover.

    Raises
    ------
    LookupProblem
        For a malformed reference, an unknown clip/probe/metric or a bad format.
    """
    match = _INLINE.match(text.strip())
    if match is None:
        raise LookupProblem(f"inline value {{{{ {text} }}}} is not `clip : probe.metric | format`")
    if not match.group("clip"):
        raise LookupProblem(f"inline value {{{{ {text} }}}} names no clip; write `clip : {text}`")
    ref = Ref(match.group("clip").removesuffix(".mp4"), match.group("probe"), match.group("metric"))
    value = results.value(ref)
    spec = (match.group("spec") or "").strip()
    try:
        shown = format(value, spec) if math.isfinite(value) else "n/a"
        if shown.startswith("-") and not any(ch in "123456789" for ch in shown):
            shown = shown[1:]  # -0.0002 printed as "-0.00" reads as a negative zero
    except ValueError:
        raise LookupProblem(
            f"inline value {{{{ {text} }}}}: {spec!r} is not a number format such as .2f"
        ) from None
    result = results.result(ref.clip, ref.probe)
    short_hash = results.info(ref.clip).short_hash
    hover = f"{ref} = {value!r} · {ref.probe} v{result.version} · clip {short_hash}"
    return f'<span class="pp-value" title="{escape(hover)}">{escape(shown)}</span>'


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.4g}"


def _json_number(value: float) -> float | None:
    return value if math.isfinite(value) else None

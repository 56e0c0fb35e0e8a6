"""Claims and inline values as HTML: the callout with its numbers and their provenance.

A claim renders as a callout that says whether it holds, shows each comparison with
the measured and expected numbers, and names the probe versions and clip hashes the
numbers came from.
"""

from __future__ import annotations

import re
from html import escape

from probepress.claims.evaluate import ClaimOutcome, number_text
from probepress.measure.ref import Ref
from probepress.measure.results import LookupProblem, ResultSet
from probepress.measure.selector import SELECTOR_PATTERN

__all__ = ["MAX_PRECISION", "MAX_WIDTH", "claim_html", "inline_value_html"]

_INLINE = re.compile(
    rf"^(?:(?P<clip>{SELECTOR_PATTERN})\s*:\s*)?"
    r"(?P<probe>\w+)\.(?P<metric>\w+)\s*(?:\|\s*(?P<spec>[^|]*))?$"
)
# Python's float format spec, ASCII digits only: [[fill]align][sign][z][#][0][width]
# [grouping][.precision][type]. Width and precision are bounded: a width of 10**8
# took minutes and wrote a 100 MB page; 10**12 ran out of memory.
_FORMAT_SPEC = re.compile(
    r"^(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>[0-9]*)[,_]?(?:\.(?P<precision>[0-9]+))?[eEfFgGn%]?$"
)
MAX_WIDTH = 40
MAX_PRECISION = 20


def claim_html(outcome: ClaimOutcome) -> str:
    """The callout for a claim."""
    state = "holds" if outcome.holds else "fails"
    rows = "".join(
        # The check names its row: a screen reader announces it with each number.
        '<tr><th scope="row">'
        f"<code>{escape(c.text)}</code></th>"
        f"<td>{number_text(c.left)}</td>"
        f"<td>{escape(c.op)} {number_text(c.right)}"
        + (f" ± {number_text(c.tolerance)}" if c.tolerance is not None else "")
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
        '<table class="pp-claim__values"><thead><tr><th scope="col">check</th>'
        '<th scope="col">measured</th><th scope="col">expected</th>'
        f'<th scope="col">holds</th></tr></thead><tbody>{rows}</tbody></table>'
        f'<p class="pp-claim__provenance">Measured on {sources}</p>'
        "</div>"
    )


def inline_value_html(text: str, results: ResultSet) -> str:
    """Render ``clip : probe.metric | format`` as a span with its provenance on hover.

    Raises
    ------
    LookupProblem
        For a malformed reference, an unknown clip/probe/metric, a metric the probe
        could not measure (with its reason) or a bad format.
    """
    match = _INLINE.match(text.strip())
    if match is None:
        raise LookupProblem(f"inline value {{{{ {text} }}}} is not `clip : probe.metric | format`")
    if not match.group("clip"):
        raise LookupProblem(f"inline value {{{{ {text} }}}} names no clip; write `clip : {text}`")
    clip = match.group("clip").strip('"').removesuffix(".mp4")  # quoted when it has spaces
    ref = Ref(clip, match.group("probe"), match.group("metric"))
    spec = (match.group("spec") or "").strip()
    _check_format(text, spec)
    value = results.measured(ref)
    try:
        shown = format(value, spec)
    except ValueError:
        raise LookupProblem(
            f"inline value {{{{ {text} }}}}: {spec!r} is not a number format such as .2f"
        ) from None
    if shown.startswith("-") and not any(ch in "123456789" for ch in shown):
        shown = shown[1:]  # -0.0002 printed as "-0.00" reads as a negative zero
    clips = results.selection(ref.clip).clips
    version = results.result(clips[0], ref.probe).version
    hashes = ", ".join(results.info(clip).short_hash for clip in clips)
    over = f" · over {len(clips)} clips" if len(clips) > 1 else ""
    hover = f"{ref} = {value!r}{over} · {ref.probe} v{version} · clip {hashes}"
    return f'<span class="pp-value" title="{escape(hover)}">{escape(shown)}</span>'


def _check_format(text: str, spec: str) -> None:
    """Reject a format that is not a number format, or too wide or too precise to print."""
    match = _FORMAT_SPEC.match(spec)
    if match is None:
        raise LookupProblem(
            f"inline value {{{{ {text} }}}}: {spec!r} is not a number format such as .2f"
        )
    width, precision = match.group("width"), match.group("precision")
    # Compare lengths first: int() refuses strings of more than 4300 digits.
    if width and (len(width) > 3 or int(width) > MAX_WIDTH):
        raise LookupProblem(
            f"inline value {{{{ {text} }}}}: width {width} in {spec!r} is more than "
            f"{MAX_WIDTH}; a number in a sentence needs no padding"
        )
    if precision and (len(precision) > 3 or int(precision) > MAX_PRECISION):
        raise LookupProblem(
            f"inline value {{{{ {text} }}}}: precision {precision} in {spec!r} is more than "
            f"{MAX_PRECISION} digits; use .2f, .3g and the like"
        )

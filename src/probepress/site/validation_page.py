"""The Validation page: each probe's truth against what it measured on the validation corpus.

Made at every build from the corpus's clips, their truth and ``corpus.yml`` (see
:mod:`probepress.measure.validation_corpus`), with the probes run through the build's
cached runner. Per probe: the correct clip and its wrong twins in one player, a table
of every check (truth, measured, tolerance, verdict; each row has an anchor the probe's
method page links to) and a chart of measured against truth. The claim at the top
covers every row expected to hold; known failures are shown with their reason.

The page is Markdown with raw HTML blocks. Everything from the corpus (clip names,
reasons, truth) is escaped with :func:`markdown_text`, and the raw HTML's braces are
entities, so nothing in it can start an inline value, an attribute list or a tag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from probepress.authoring.escaping import markdown_text
from probepress.authoring.html import PageRender
from probepress.authoring.parse import ClipFence, CompareFence
from probepress.measure.results import LookupProblem
from probepress.measure.validation_checks import SECTIONS, Row
from probepress.measure.validation_corpus import TOLERANCES, Corpus
from probepress.site.validation_charts import charts

__all__ = [
    "SECTION_SCENES",
    "SECTION_TITLES",
    "case_label",
    "page_markdown",
    "players",
]

SECTION_TITLES = {
    "rotation": "Rotation",
    "reflection": "Reflection",
    "shadow": "Shadow",
    "gravity": "Gravity",
    "camera": "Camera",
    "negative": "Negative controls: nothing to measure",
}
#: The scene each section's player shows (the probe's overlay drawn where it has one).
SECTION_SCENES = {
    "rotation": "star-field",
    "reflection": "water-reflection",
    "shadow": "sun-shadows",
    "gravity": "ball-drop",
    "camera": "pan",
    "negative": "real",
}
_OVERLAYS = {"rotation", "reflection", "shadow", "gravity"}
_STATUS = {
    "holds": "✓ holds",
    "fails": "✗ fails",
    "known failure": "known failure",
    "fixed": "✓ holds, listed as known failure",
}
# Most panes in one player: the correct clip and its wrong twins.
_MAX_PANES = 4


def players(corpus: Corpus) -> dict[str, ClipFence | CompareFence]:
    """Each section's player: the scene's first correct clip and its wrong twins."""
    out: dict[str, ClipFence | CompareFence] = {}
    for section, scene in SECTION_SCENES.items():
        clips = corpus.clips_of(scene)
        twins = [c for c in clips if not c.correct]
        correct = [c for c in clips if c.correct]
        # The correct clip seen as its twins are (same camera), when there is one.
        camera = twins[0].truth.get("camera") if twins else None
        correct.sort(key=lambda c: c.truth.get("camera") != camera)
        shown = correct[:1] + twins
        shown = shown[:_MAX_PANES]
        if len(shown) == 1:
            out[section] = ClipFence(shown[0].id, f"{shown[0].id} (truth in the table below)")
        elif shown:
            # Each pane's badge says correct or which twin; the label names the clip.
            items = tuple((c.id.partition("/")[2], c.id) for c in shown)
            overlay = section if section in _OVERLAYS else None
            title = f"{SECTION_TITLES[section]}: correct clip against its wrong twins"
            if section == "negative":
                title = "Real camera footage: the physics probes must refuse"
            out[section] = CompareFence(title, items, None, overlay)
    return out


def page_markdown(corpus: Corpus, rows: Sequence[Row], render: PageRender, shown_spec: str) -> str:
    """The page's Markdown.

    Parameters
    ----------
    corpus : Corpus
        The corpus (tolerances, clips).
    rows : sequence of Row
        Every check, from :func:`~probepress.measure.validation_checks.corpus_rows`.
    render : PageRender
        Renders players with this page's media URLs.
    shown_spec : str
        ``corpus.yml`` as the site's author knows the path.
    """
    expected = [r for r in rows if r.known is None]
    holding = sum(r.holds for r in expected)
    known = [r for r in rows if r.known is not None]
    parts = [
        "# Validation",
        "",
        "Every probe is checked here against a corpus of clips it was not tuned on: scenes "
        "rendered by a path tracer (Blender Cycles) whose truth comes from the scene's "
        "geometry and the camera's projection, wrong twins of them, and real camera footage "
        "where the physics is absent. The probes measured these clips when this site was "
        "built, as they measure every clip of the site, so a probe change that loses "
        "accuracy shows here and fails the build.",
        "",
        _raw(_claim(holding, len(expected), len(known), rows)),
        "",
        _tolerances(corpus, shown_spec),
    ]
    clips_by_section = players(corpus)
    for section in SECTIONS:
        of_section = [r for r in rows if r.section == section]
        if of_section:
            parts.append(_section(section, of_section, clips_by_section.get(section), render))
    return "\n".join(parts)


def _claim(holding: int, expected: int, known: int, rows: Sequence[Row]) -> str:
    holds = holding == expected and not any(r.status == "fixed" for r in rows)
    state = "holds" if holds else "fails"
    failing = [r for r in rows if r.status in ("fails", "fixed")]
    listed = "".join(
        f'<li><a href="#{r.anchor}">{markdown_text(r.check)} on '
        f"{markdown_text(r.case)}</a>: {markdown_text(_why(r))}</li>"
        for r in failing
    )
    return (
        f'<div class="admonition pp-claim pp-claim--{state} pp-validation__claim">'
        f'<p class="admonition-title">{"Holds" if holds else "Fails"}</p>'
        "<p>Every row of the validation corpus that is expected to hold is within its "
        f"tolerance: <strong>{holding} of {expected} hold</strong>. {known} known "
        "failure(s) are shown with their reason and left out of the count.</p>"
        + (f"<ul>{listed}</ul>" if listed else "")
        + "</div>"
    )


def _why(row: Row) -> str:
    if row.status == "fixed":
        return "holds, yet is listed as a known failure; remove it from corpus.yml"
    return f"measured {row.measured}, truth {row.truth}, tolerance {row.tolerance}"


def _tolerances(corpus: Corpus, shown_spec: str) -> str:
    lines = [
        "## Tolerances",
        "",
        f"From <code>{markdown_text(shown_spec)}</code>, which the validation tests read too. "
        "A correct clip must also score better than its wrong twin on the probe's headline "
        "metric, and every probe must refuse, with a reason, real footage that lacks its "
        "phenomenon; the rotation probe must also refuse every rendered scene that moves "
        "without turning.",
        "",
        "| tolerance | value |",
        "|---|---|",
    ]
    for name, unit in TOLERANCES.items():
        value = corpus.tolerances[name]
        shown = (
            f"{value:.0%} ({markdown_text(unit)})" if "fraction" in unit else f"{value:g} {unit}"
        )
        lines.append(f"| `{name}` | {shown} |")
    return "\n".join([*lines, ""])


def _section(
    section: str, rows: Sequence[Row], player: ClipFence | CompareFence | None, render: PageRender
) -> str:
    title = SECTION_TITLES[section]
    expected = [r for r in rows if r.known is None]
    holding = sum(r.holds for r in expected)
    known = len(rows) - len(expected)
    method = "" if section == "negative" else f" Method: [{section}](../probes/{section}.md)."
    out = [
        f"## {title} {{#{section}}}",
        "",
        f"{holding} of {len(expected)} rows hold"
        + (f"; {known} known failure(s)" if known else "")
        + f".{method}",
        "",
    ]
    if player is not None:
        out += [_raw(_player(player, render)), ""]
    out += [_raw(_table(rows)), ""]
    for chart in charts(rows, render.figure_html):
        out += [_raw(chart), ""]
    return "\n".join(out)


def _player(player: ClipFence | CompareFence, render: PageRender) -> str:
    try:
        if isinstance(player, ClipFence):
            return render.clip(player)
        return render.compare(player)
    except LookupProblem as problem:
        # A clip the probes could not read has no web copy; its rows say why.
        return f'<p class="pp-validation__noplayer">No player: {markdown_text(str(problem))}</p>'


def _table(rows: Sequence[Row]) -> str:
    body = []
    for row in rows:
        state = (
            "known"
            if row.known is not None and not row.holds
            else "holds"
            if row.holds
            else "fails"
        )
        tolerance = (
            f"<br><small>tolerance {markdown_text(row.tolerance)}</small>" if row.tolerance else ""
        )
        reason = (
            f'<br><small class="pp-validation__reason">Known failure: '
            f"{markdown_text(row.known.reason)}</small>"
            if row.known is not None
            else ""
        )
        body.append(
            f'<tr id="{row.anchor}" class="pp-validation--{state}">'
            f"<td>{markdown_text(_STATUS[row.status])}</td>"
            f'<td><code title="{markdown_text(row.case)}">{markdown_text(case_label(row.case))}'
            f"</code><br><small>{markdown_text(row.quantity)}</small></td>"
            # A row without a tolerance compares with a twin or expects a refusal.
            f"<td>{'truth' if row.tolerance else 'expected'} {markdown_text(row.truth)}"
            f"<br>measured {markdown_text(row.measured)}"
            f"{tolerance}{reason}</td></tr>"
        )
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        '<table class="pp-validation"><thead><tr><th>verdict</th><th>clip</th>'
        "<th>truth and measured</th></tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div></div>"
    )


def case_label(case: str) -> str:
    """``center-ccw-1`` for ``star-field/center-ccw-1.mp4``; each clip of a pair likewise."""
    return re.sub(r"[^/|]+/", "", case).replace(".mp4", "").replace("|", " | ")


def _raw(html: str) -> str:
    """A raw HTML block whose braces cannot start Markdown syntax or an inline value."""
    return html.replace("{", "&#123;").replace("}", "&#125;")

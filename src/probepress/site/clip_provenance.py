"""Where the clips of a generated page came from: the synthetic banner and the clip table.

Both read only the manifest's per-clip facts (``synthetic``, ``source``, ``license``),
so a site whose clips are all real model output shows no stand-in warning, and a
mixed site names exactly the clips that are synthetic. Every manifest string is
escaped for the Markdown or HTML it lands in; sources and licenses link only when they
are http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Sequence

from probepress.authoring.escaping import link_html, markdown_text
from probepress.measure.manifest import ClipEntry

__all__ = ["provenance_table", "synthetic_banner"]


def synthetic_banner(clips: Sequence[ClipEntry]) -> str:
    """A warning naming the synthetic clips among ``clips``; ``""`` when there are none.

    Parameters
    ----------
    clips : sequence of ClipEntry
        The clips the page shows.

    Returns
    -------
    str
        Markdown (an admonition), or the empty string.
    """
    synthetic = [clip for clip in clips if clip.synthetic]
    if not synthetic:
        return ""
    scenes_of: dict[str, list[str]] = {}
    for clip in synthetic:
        scenes_of.setdefault(clip.model, []).append(clip.scene)
    lines = []
    for model, scenes in scenes_of.items():
        total = sum(clip.model == model for clip in clips)
        if len(scenes) < total:
            where = ", ".join(markdown_text(s) for s in scenes)
        else:
            where = "its clip" if total == 1 else f"all {total} of its clips"
        lines.append(f"    - **{markdown_text(model)}**: {where}")
    count = (
        f"{len(synthetic)} of the {len(clips)} clips"
        if len(synthetic) < len(clips)
        else (f"All {len(clips)} clips")
    )
    return "\n".join(
        [
            '!!! warning "Synthetic stand-ins"',
            f"    {count} on this page are marked `synthetic` in the manifest: scenes",
            "    rendered with known physics, not output of the model they are listed under.",
            "    Their scores show how the probes rank the violations built into them, not",
            "    how any real model performs.",
            "",
            *lines,
            "",
        ]
    )


def provenance_table(clips: Sequence[ClipEntry]) -> str:
    """An HTML table of each clip's model, version, source, license and synthetic flag."""
    rows = []
    for clip in clips:
        rows.append(
            f"<tr><td>{markdown_text(clip.model)}</td><td>{markdown_text(clip.model_version)}</td>"
            f"<td>{link_html(clip.source)}</td><td>{link_html(clip.license)}</td>"
            f"<td>{'synthetic' if clip.synthetic else 'model output'}</td></tr>"
        )
    # A raw HTML block: Markdown leaves its (already escaped) text alone.
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">\n'
        '<table class="pp-clip-provenance"><thead><tr><th>Model</th><th>Version</th>'
        "<th>Source</th><th>License</th><th>Clip</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n</div></div>\n"
    )

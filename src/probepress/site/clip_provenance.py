"""Where the clips of a generated page came from: the synthetic banner and the clip table.

Both read only the manifest's facts (per clip ``synthetic``, ``source``, ``license``;
per scene the input image its clips were made from), so a site whose clips are all
real model output shows no stand-in warning, and a mixed site names exactly the clips
that are synthetic. Every manifest string is
escaped for the Markdown or HTML it lands in; sources and licenses link only when they
are http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from probepress.authoring.escaping import link_html, markdown_text
from probepress.measure.manifest import ClipEntry, SceneEntry

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


def provenance_table(
    clips: Sequence[ClipEntry], scenes: Mapping[str, SceneEntry] | None = None
) -> str:
    """An HTML table of each clip's model, version, source, license and synthetic flag.

    With ``scenes``, clips made from an input image (image-to-video) also name it, and
    whether a text prompt came with it, in an "Input" column (shown only when a clip
    has one).
    """
    inputs = {clip.id: _input_text(scenes.get(clip.scene)) for clip in clips} if scenes else {}
    with_input = any(inputs.values())
    rows = []
    for clip in clips:
        cell = f"<td>{inputs[clip.id]}</td>" if with_input else ""
        rows.append(
            f"<tr><td>{markdown_text(clip.model)}</td><td>{markdown_text(clip.model_version)}</td>"
            f"{cell}<td>{link_html(clip.source)}</td><td>{link_html(clip.license)}</td>"
            f"<td>{'synthetic' if clip.synthetic else 'model output'}</td></tr>"
        )
    input_head = "<th>Input</th>" if with_input else ""
    # A raw HTML block: Markdown leaves its (already escaped) text alone.
    return (
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">\n'
        '<table class="pp-clip-provenance"><thead><tr><th>Model</th><th>Version</th>'
        f"{input_head}<th>Source</th><th>License</th><th>Clip</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table>\n</div></div>\n"
    )


def _input_text(scene: SceneEntry | None) -> str:
    """The input a clip was made from, as escaped HTML (``""`` for a text-only scene)."""
    if scene is None or scene.input_image is None:
        return ""
    image = f"image <code>{markdown_text(scene.input_image.file)}</code>"
    return f"{image} + prompt" if scene.prompt else image

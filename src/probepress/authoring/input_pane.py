"""The input image of an image-to-video scene, shown beside the clips made from it.

A comparison whose clips all come from one scene with an input image opens with it as
a still pane labelled "Input" (not a video: the player's clock never sees it); the
leaderboard shows it in the scene's section. Title, prompt and file name come from the
manifest and are escaped for the attribute or text they land in.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from probepress.measure.manifest import Manifest, SceneEntry

__all__ = ["input_figure", "shared_input_scene"]


def shared_input_scene(manifest: Manifest, clip_ids: Iterable[str]) -> SceneEntry | None:
    """The scene every one of ``clip_ids`` belongs to, if it has an input image."""
    scenes = {manifest.clips[clip_id].scene for clip_id in clip_ids}
    if len(scenes) != 1:
        return None
    scene = manifest.scenes.get(scenes.pop())
    return scene if scene is not None and scene.input_image is not None else None


def input_figure(scene: SceneEntry, url: str) -> str:
    """A ``<figure class="pp-input">`` showing ``scene``'s input image from ``url``.

    Parameters
    ----------
    scene : SceneEntry
        A scene with an input image.
    url : str
        The image's URL as seen from the page.
    """
    image = scene.input_image
    assert image is not None, "only scenes with an input image have an input pane"
    alt = f"Input image of the scene “{scene.title}”"
    if scene.prompt:
        alt += f", given with the prompt: {scene.prompt}"
    hover = f"{image.file} · {image.width}×{image.height} px"
    if scene.prompt:
        hover += f" · prompt: {scene.prompt}"
    kind = "image + prompt" if scene.prompt else "image"
    return (
        f'<figure class="pp-input" data-pp-input="{escape(scene.name)}">'
        f'<div class="pp-still"><img src="{escape(url)}" alt="{escape(alt)}" '
        f'width="{image.width}" height="{image.height}" loading="lazy" decoding="async"></div>'
        f'<figcaption>Input <span class="pp-provenance" title="{escape(hover)}">'
        f"{kind}</span></figcaption></figure>"
    )

"""The synthetic banner and the clip provenance table, from the manifest's per-clip facts."""

from __future__ import annotations

from pathlib import Path

from probepress.measure.manifest import ClipEntry, SceneEntry
from probepress.measure.scene_input import InputImage
from probepress.site.clip_provenance import provenance_table, synthetic_banner


def _clip(scene: str, model: str, *, synthetic: bool, **facts: str) -> ClipEntry:
    file = f"{scene}/{model.lower().replace(' ', '-')}.mp4"
    return ClipEntry(
        id=file[:-4], file=file, path=Path(file), scene=scene, model=model,
        synthetic=synthetic, **facts,
    )  # fmt: skip


def test_no_banner_when_every_clip_is_real_model_output():
    clips = [_clip("lake", "Reference", synthetic=False), _clip("lake", "Veo", synthetic=False)]
    assert synthetic_banner(clips) == ""


def test_banner_names_the_synthetic_clips_and_only_them():
    clips = [
        _clip("lake", "Reference", synthetic=True),
        _clip("ball", "Reference", synthetic=False),
        _clip("lake", "Model A", synthetic=True),
        _clip("lake", "Veo", synthetic=False),
    ]
    banner = synthetic_banner(clips)
    assert banner.startswith('!!! warning "Synthetic stand-ins"')
    assert "2 of the 4 clips" in banner
    assert "- **Reference**: lake\n" in banner
    assert "- **Model A**: its clip\n" in banner
    assert "Veo" not in banner


def test_table_links_http_sources_and_shows_the_rest_as_text():
    clips = [
        _clip(
            "lake", "Veo", synthetic=False, source="https://example.org/card", license="CC-BY-4.0"
        ),
        _clip("lake", "<b>X</b>", synthetic=True, source="made by hand", license="CC0-1.0"),
    ]
    table = provenance_table(clips)
    assert table.count("<a ") == 1
    assert 'rel="nofollow noopener noreferrer"' in table
    assert "<b>" not in table and "&#60;b&#62;X&#60;&#47;b&#62;" in table
    assert "<td>synthetic</td>" in table and "<td>model output</td>" in table


def _scene(name: str, image: str | None, prompt: str = "") -> SceneEntry:
    found = InputImage(image, Path(image), 64, 36, line=3) if image else None
    return SceneEntry(name=name, title=name, probes=(), prompt=prompt, input_image=found)


def test_table_names_the_input_image_each_clip_was_made_from():
    clips = [_clip("lake", "Veo", synthetic=False), _clip("ball", "Veo", synthetic=False)]
    scenes = {
        "lake": _scene("lake", "lake/<in>.png", prompt="A lake."),
        "ball": _scene("ball", None),
    }
    table = provenance_table(clips, scenes)
    assert "<th>Input</th>" in table
    assert "<td>image <code>lake&#47;&#60;in&#62;&#46;png</code> + prompt</td>" in table
    assert "<td></td>" in table  # a text-to-video scene's clip: no input image
    assert "<in>" not in table


def test_no_input_column_when_no_clip_has_an_input_image():
    clips = [_clip("ball", "Veo", synthetic=False)]
    table = provenance_table(clips, {"ball": _scene("ball", None, prompt="A ball.")})
    assert "Input" not in table

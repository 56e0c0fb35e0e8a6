"""Specification of probepress.synth: registry, determinism, encoding and manifest."""

from __future__ import annotations

import itertools
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from probepress import synth
from probepress.synth import GROUND_TRUTH_METRICS, SCENES
from probepress.synth.encode import write_mp4

SCENE_NAMES = ["train-lake", "star-trails", "sun-shadows", "ball-drop", "creature"]


def first_frames(scene: str, variant: str, n: int, seed: int = 0) -> np.ndarray:
    """The first ``n`` frames of a clip, without rendering the rest."""
    render = SCENES[scene].variants[variant].render
    return np.stack(list(itertools.islice(render(seed), n)))


def test_registry_has_the_five_scenes_each_with_one_reference():
    assert list(SCENES) == SCENE_NAMES
    for scene in SCENES.values():
        assert "reference" in scene.variants
        assert [v.violation is None for v in scene.variants.values()].count(True) == 1
        # Model A's second version adds three takes to ball-drop (see synth.MODEL_VERSIONS).
        takes = sum(v.version is not None for v in scene.variants.values())
        assert 3 <= len(scene.variants) - takes <= 4
        for variant in scene.variants.values():
            assert set(variant.ground_truth) <= GROUND_TRUTH_METRICS


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_frames_are_rgb_uint8_640x360_for_the_whole_clip(name):
    scene = SCENES[name]
    frames = synth.render_frames(name, "reference")
    assert scene.n_frames == scene.fps * scene.seconds == 144
    assert frames.shape == (144, 360, 640, 3)
    assert frames.dtype == np.uint8


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_same_seed_renders_identical_frames(name):
    assert np.array_equal(first_frames(name, "model-a", 8), first_frames(name, "model-a", 8))


@pytest.mark.parametrize("name", SCENE_NAMES)
def test_other_seed_renders_different_frames(name):
    assert not np.array_equal(
        first_frames(name, "model-a", 4, seed=0), first_frames(name, "model-a", 4, seed=1)
    )


def test_variants_of_one_seed_share_the_backdrop():
    # Violations change the physics, not the world: frame 0 of the ball scene is shared.
    ref = first_frames("ball-drop", "reference", 1)
    floaty = first_frames("ball-drop", "model-a", 1)
    assert np.array_equal(ref, floaty)


def test_unknown_scene_or_variant_is_a_clear_error():
    with pytest.raises(ValueError, match="valid scenes: train-lake"):
        synth.render_frames("volcano", "reference")
    with pytest.raises(ValueError, match="valid variants: reference, model-a"):
        synth.render_frames("ball-drop", "model-z")
    with pytest.raises(ValueError, match="unknown scene"):
        synth.generate(Path("/nonexistent"), scenes=["volcano"])


def read_video(path: Path) -> tuple[int, int, int, float]:
    capture = cv2.VideoCapture(str(path))
    assert capture.isOpened(), path
    count = 0
    while capture.read()[0]:
        count += 1
    size = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
    fps = capture.get(cv2.CAP_PROP_FPS)
    capture.release()
    return count, *size, fps


@pytest.mark.slow
def test_generate_writes_readable_clips_and_skips_existing(tmp_path):
    messages: list[str] = []
    written = synth.generate(tmp_path, scenes=["ball-drop"], progress=messages.append)
    variants = ("reference", "model-a", "model-a-v2", "model-a-v2-2", "model-a-v2-3")
    clips = [tmp_path / "ball-drop" / f"{v}.mp4" for v in (*variants, "model-b", "model-c")]
    # The scene's input image (image-to-video) comes first, then the clips.
    expected = [tmp_path / "ball-drop" / "input.png", *clips]
    assert written == expected
    assert messages == [f"ball-drop/{p.name}" for p in expected]
    assert sorted(p.name for p in (tmp_path / "ball-drop").iterdir()) == sorted(
        [synth.RENDERED_BY, *(p.name for p in expected)]
    )  # no temporary file left behind, and what rendered them
    for path in clips:
        count, width, height, fps = read_video(path)
        assert (count, width, height) == (144, 640, 360)
        assert fps == pytest.approx(24.0)

    mtimes = [p.stat().st_mtime_ns for p in expected]
    assert synth.generate(tmp_path, scenes=["ball-drop"]) == []
    assert [p.stat().st_mtime_ns for p in expected] == mtimes
    assert synth.generate(tmp_path, scenes=["ball-drop"], force=True) == expected


def test_clips_of_another_renderer_are_rendered_again(tmp_path):
    # A checkout that rendered the demo before a scene changed must not keep its clips
    # (skipped as existing, they would fail the claims written for the new ones).
    clip = tmp_path / "creature" / "model-c.mp4"
    synth.generate(tmp_path, scenes=["creature"])
    stamp = tmp_path / "creature" / synth.RENDERED_BY
    assert synth.generate(tmp_path, scenes=["creature"]) == []
    stamp.write_text("probepress-synth 0 seed 0 code older\n", encoding="utf-8")
    assert clip in synth.generate(tmp_path, scenes=["creature"])
    stamp.unlink()  # rendered before stamps existed
    assert clip in synth.generate(tmp_path, scenes=["creature"])
    assert stamp.read_text(encoding="utf-8") == synth.renderer_fingerprint(0)
    assert synth.generate(tmp_path, scenes=["creature"]) == []


def test_the_input_image_is_the_reference_s_first_frame(tmp_path):
    from PIL import Image

    path = synth.write_input_image(tmp_path / "input.png", "star-trails")
    first = first_frames("star-trails", "reference", 1)[0]
    assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), first)
    assert [p.name for p in tmp_path.iterdir()] == ["input.png"]  # nothing partial left


def test_recoloured_model_keeps_the_reference_brightness():
    # creature Model C starts off the input's colours, not off its brightness: the
    # luma-only probes must see its stutter and nothing else.
    reference = first_frames("creature", "reference", 1)[0]
    recoloured = first_frames("creature", "model-c", 1)[0]
    luma = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(float) for f in (reference, recoloured)]
    assert np.abs(luma[0] - luma[1]).mean() < 1.5
    assert np.abs(reference.astype(float) - recoloured.astype(float)).mean() > 20


def test_write_mp4_round_trips_frames(tmp_path):
    frames = first_frames("ball-drop", "reference", 12)
    path = tmp_path / "clip.mp4"
    write_mp4(path, iter(frames), fps=24)
    capture = cv2.VideoCapture(str(path))
    decoded = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        decoded.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    assert len(decoded) == 12
    error = np.abs(np.stack(decoded).astype(float) - frames).mean()
    assert error < 2.0  # crf 18: close to the source
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]


def test_write_mp4_rejects_odd_sizes_and_bad_frames(tmp_path):
    with pytest.raises(ValueError, match="must be even"):
        write_mp4(tmp_path / "odd.mp4", [np.zeros((9, 16, 3), np.uint8)], fps=24)
    with pytest.raises(ValueError, match="no frames"):
        write_mp4(tmp_path / "empty.mp4", [], fps=24)
    with pytest.raises(ValueError, match="RGB uint8"):
        write_mp4(tmp_path / "float.mp4", [np.zeros((8, 16, 3), np.float32)], fps=24)
    assert list(tmp_path.iterdir()) == []


def test_write_mp4_leaves_nothing_when_interrupted(tmp_path):
    def frames():
        yield np.zeros((16, 16, 3), np.uint8)
        raise RuntimeError("renderer crashed")

    (tmp_path / "clip.mp4").write_bytes(b"old")
    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_mp4(tmp_path / "clip.mp4", frames(), fps=24)
    # The old file is untouched and no temporary file remains.
    assert [p.name for p in tmp_path.iterdir()] == ["clip.mp4"]
    assert (tmp_path / "clip.mp4").read_bytes() == b"old"


def test_manifest_covers_every_scene_and_variant_with_relative_paths():
    manifest = synth.manifest_entries(seed=3)
    assert list(manifest["scenes"]) == SCENE_NAMES
    files = [clip["file"] for clip in manifest["clips"]]
    assert files == [
        f"{name}/{variant}.mp4" for name in SCENE_NAMES for variant in SCENES[name].variants
    ]
    for clip in manifest["clips"]:
        assert not Path(clip["file"]).is_absolute() and ".." not in clip["file"]
        assert clip["synthetic"] is True and clip["license"] == "CC0-1.0"
        assert clip["source"] == "probepress synth --seed 3"
        assert (clip["violation"] is None) == (clip["model"] == "Reference")
        assert all(isinstance(v, float) for v in clip["ground_truth"].values())
    for name, entry in manifest["scenes"].items():
        references = [
            c for c in manifest["clips"] if c["scene"] == name and c["model"] == "Reference"
        ]
        assert len(references) == 1
        assert entry["reference"] == references[0]["file"] == f"{name}/reference.mp4"
        assert entry["prompt"].endswith(".") and entry["probes"]
    assert yaml.safe_load(yaml.safe_dump(manifest)) == manifest


def test_manifest_states_the_documented_ground_truth():
    # By file: a model may have several clips in a scene (Model A's versions and takes).
    truth = {c["file"]: c["ground_truth"] for c in synth.manifest_entries()["clips"]}
    assert truth["star-trails/reference.mp4"] == {
        "rotation.angular_velocity_deg_s": 6.0,
        "rotation.center_x": 400.0,
        "rotation.center_y": 70.0,
    }
    assert truth["train-lake/model-a.mp4"]["reflection.lag_frames"] == 3.0
    assert truth["train-lake/model-c.mp4"]["reflection.velocity_ratio"] == 0.5
    assert truth["sun-shadows/model-b.mp4"] == {"shadow.sweep_rate_deg_s": 0.0}
    assert truth["ball-drop/model-a.mp4"] == {"gravity.acceleration_px_s2": 400.0}
    assert truth["ball-drop/model-b.mp4"] == {}
    assert truth["creature/reference.mp4"] == {}
    assert truth["ball-drop/model-a-v2-3.mp4"] == {"gravity.acceleration_px_s2": 1164.0}

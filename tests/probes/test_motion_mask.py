"""motion_mask probe: Physics-IQ mask agreement between clips with known motion."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from _gravity_fixtures import constant, linear, render_ball

from probepress.probes import ProbeFailure, ProbeResult
from probepress.probes.motion_mask import PROBE, motion_masks
from probepress.synth import render_frames
from probepress.synth.encode import write_mp4
from probepress.video.decode import Clip, clip_from_array, open_clip

IOUS = ("spatial_iou", "spatiotemporal_iou", "weighted_spatial_iou", "volume_iou")
SECONDS = 5.0


def crossing(band: float, *, fps: float = 24.0, scale: float = 1.0) -> np.ndarray:
    """A ball crossing the frame at height ``band`` (fraction) for 5 s, 640x360 * scale."""
    width, height = int(640 * scale), int(360 * scale)
    return render_ball(
        linear(40 * scale, 110 * scale),
        constant(band * height),
        n_frames=int(SECONDS * fps),
        fps=fps,
        width=width,
        height=height,
        radius=14 * scale,
    )


def blinking_square(x0: int, n_frames: int = 48) -> np.ndarray:
    """A 100x100 square flashing between two grays every frame on a flat 320x180 field."""
    frames = np.full((n_frames, 180, 320, 3), 100, np.uint8)
    frames[0::2, 40:140, x0 : x0 + 100] = 50
    frames[1::2, 40:140, x0 : x0 + 100] = 200
    return frames


@pytest.fixture(scope="module")
def clip_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Clip]:
    """``clip_of(name, codec, fps, scale)``: a test or synth clip, raw or H.264, cached."""
    cache: dict[tuple, Clip] = {}
    folder = tmp_path_factory.mktemp("motion-mask")

    def get(name: str, codec: str = "raw", fps: float = 24.0, scale: float = 1.0) -> Clip:
        key = (name, codec, fps, scale)
        if key not in cache:
            if name.startswith("ball-drop/"):
                frames = render_frames("ball-drop", name.split("/")[1])
            else:
                frames = crossing({"top": 0.25, "bottom": 0.75}[name], fps=fps, scale=scale)
            if codec == "raw":
                cache[key] = clip_from_array(frames, fps=fps, name=name)
            else:
                path = folder / f"{name.replace('/', '-')}-{fps:g}-{scale:g}.mp4"
                write_mp4(path, frames, fps=fps, crf=23)
                cache[key] = open_clip(path)
        return cache[key]

    return get


def compare(clip: Clip, reference: Clip) -> dict[str, float]:
    result = PROBE.run(clip, reference=reference)
    assert isinstance(result, ProbeResult), result
    return dict(result.metrics)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_clip_against_itself_scores_perfect_agreement(clip_of, codec: str) -> None:
    clip = clip_of("top", codec)
    metrics = compare(clip, clip)
    assert all(metrics[name] == 1.0 for name in IOUS)
    assert metrics["mse"] == 0.0


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_motion_elsewhere_scores_near_zero(clip_of, codec: str) -> None:
    metrics = compare(clip_of("top", codec), clip_of("bottom", codec))
    assert all(metrics[name] < 0.05 for name in IOUS), metrics


def test_partial_overlap_matches_hand_computed_iou() -> None:
    # Two 100x100 flashing squares offset by 50 px: they share 50x100 px of a
    # 150x100 px union, IoU 1/3. The blur lets the masks spill <= 2 px past the
    # edges, which moves the ratio by < 0.02.
    n_frames = 48
    clip = clip_from_array(blinking_square(60, n_frames), fps=24.0)
    reference = clip_from_array(blinking_square(110, n_frames), fps=24.0)
    metrics = compare(clip, reference)
    assert metrics["spatial_iou"] == pytest.approx(1 / 3, abs=0.02)
    assert metrics["weighted_spatial_iou"] == pytest.approx(1 / 3, abs=0.02)
    assert metrics["volume_iou"] == pytest.approx(1 / 3, abs=0.02)
    # Frame 0 has no mask in either clip (IoU 1), every later frame 1/3.
    expected = (1.0 + (n_frames - 1) / 3) / n_frames
    assert metrics["spatiotemporal_iou"] == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_same_motion_at_other_size_and_fps_agrees(clip_of, codec: str) -> None:
    big = clip_of("top", codec, 24.0, 1.0)  # 640x360 @ 24 fps
    small = clip_of("top", codec, 30.0, 0.5)  # 320x180 @ 30 fps
    metrics = compare(big, small)
    assert metrics["spatial_iou"] > 0.85
    assert metrics["spatiotemporal_iou"] > 0.85
    assert metrics["weighted_spatial_iou"] > 0.75
    assert metrics["mse"] < 1e-3


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_other_motion_at_other_size_and_fps_disagrees(clip_of, codec: str) -> None:
    metrics = compare(clip_of("top", codec, 24.0, 1.0), clip_of("bottom", codec, 30.0, 0.5))
    assert all(metrics[name] < 0.05 for name in IOUS), metrics


def test_static_clips_agree_that_nothing_moves() -> None:
    still = clip_from_array(np.repeat(crossing(0.5)[:1], 30, axis=0), fps=24.0)
    metrics = compare(still, still)
    assert all(metrics[name] == 1.0 for name in IOUS)


def test_static_clip_against_moving_reference_scores_zero(clip_of) -> None:
    still = clip_from_array(np.repeat(crossing(0.25)[:1], 120, axis=0), fps=24.0)
    metrics = compare(still, clip_of("top"))
    assert metrics["spatial_iou"] == 0.0
    assert metrics["volume_iou"] == 0.0


def test_only_the_first_five_seconds_count() -> None:
    # Both clips still for 5 s; afterwards only one of them moves.
    frames = crossing(0.5)
    still_then_moving = np.concatenate([np.repeat(frames[:1], 120, axis=0), frames[:48]])
    always_still = np.repeat(frames[:1], 168, axis=0)
    metrics = compare(
        clip_from_array(still_then_moving, fps=24.0), clip_from_array(always_still, fps=24.0)
    )
    assert all(metrics[name] == 1.0 for name in IOUS)


def test_frame_iou_series_follows_the_clip_frames(clip_of) -> None:
    clip = clip_of("top", "raw", 30.0, 0.5)
    result = PROBE.run(clip, reference=clip_of("top"))
    series = result.series["frame_iou"]
    assert len(series) == len(clip.rgb)
    assert series[0] == 1.0  # no history yet in either clip: both masks empty


def test_first_mask_is_empty_and_motion_is_found() -> None:
    masks = motion_masks(clip_from_array(crossing(0.5)[:24], fps=24.0).gray)
    assert not masks[0].any()
    assert masks[1:].any(axis=(1, 2)).all()


def test_missing_reference_fails_with_reason(clip_of) -> None:
    result = PROBE.run(clip_of("top"))
    assert isinstance(result, ProbeFailure)
    assert "reference" in result.reason


def test_single_frame_clip_fails_with_reason(clip_of) -> None:
    one = clip_from_array(crossing(0.5)[:1], fps=24.0)
    result = PROBE.run(one, reference=clip_of("top"))
    assert isinstance(result, ProbeFailure)
    assert "at least 2" in result.reason


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_ball_drop_constant_speed_fall_agrees_less_than_reference(clip_of, codec: str) -> None:
    reference = clip_of("ball-drop/reference", codec)
    itself = compare(reference, reference)
    linear_fall = compare(clip_of("ball-drop/model-c", codec), reference)
    assert linear_fall["spatiotemporal_iou"] < itself["spatiotemporal_iou"] - 0.2
    assert linear_fall["volume_iou"] < itself["volume_iou"] - 0.2

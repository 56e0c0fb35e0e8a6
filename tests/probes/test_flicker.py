"""flicker probe: steady, flickering and drifting light, raw and after H.264 (CRF 23)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from _gravity_fixtures import FPS, constant, linear, render_ball

from probepress.probes import ProbeFailure, ProbeResult
from probepress.probes.flicker import PROBE, running_median
from probepress.synth import render_frames
from probepress.synth.encode import write_mp4
from probepress.video.decode import Clip, clip_from_array, open_clip

N_FRAMES = 96
GAIN_STD = 0.03
# Per-frame gains of the flickering clip, standardised so their spread is exactly 3 %.
_Z = np.random.default_rng(7).standard_normal(N_FRAMES)
GAINS = 1.0 + GAIN_STD * (_Z - _Z.mean()) / _Z.std()
_T = np.arange(N_FRAMES) / FPS
# name: per-frame brightness gain applied to the same scene (a ball crossing a wall).
GAIN_CURVES = {
    "clean": np.ones(N_FRAMES),
    "flicker": GAINS,
    "drift": 1.0 + 0.3 * _T / _T[-1],  # exposure ramps up 30 % over the clip
    "step": np.where(_T < 2.0, 1.0, 1.3),  # a light switched on at 2 s
    "slow-wave": 1.0 + 0.15 * np.sin(2 * np.pi * _T / 4.0),  # 4 s period
}


@pytest.fixture(scope="module")
def scene() -> np.ndarray:
    """A ball crossing a textured wall, 320x180, float32 frames to apply gains to."""
    frames = render_ball(
        linear(30, 60), constant(90), n_frames=N_FRAMES, width=320, height=180, radius=8
    )
    return frames.astype(np.float32)


@pytest.fixture(scope="module")
def clip_of(tmp_path_factory: pytest.TempPathFactory, scene) -> Callable[[str, str], Clip]:
    """``clip_of(name, codec)``: the scene under a gain curve, raw or H.264, cached."""
    cache: dict[tuple[str, str], Clip] = {}
    folder = tmp_path_factory.mktemp("flicker")

    def get(name: str, codec: str) -> Clip:
        if (name, codec) not in cache:
            if name.startswith("creature/"):
                frames = render_frames("creature", name.split("/")[1])
            else:
                gains = GAIN_CURVES[name][:, None, None, None].astype(np.float32)
                frames = np.clip(np.rint(scene * gains), 0, 255).astype(np.uint8)
            if codec == "raw":
                cache[name, codec] = clip_from_array(frames, fps=FPS, name=name)
            else:
                path = folder / f"{name.replace('/', '-')}.mp4"
                write_mp4(path, frames, fps=FPS, crf=23)
                cache[name, codec] = open_clip(path)
        return cache[name, codec]

    return get


def measure(clip: Clip) -> dict[str, float]:
    result = PROBE.run(clip)
    assert isinstance(result, ProbeResult), result
    return dict(result.metrics)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_clean_clip_has_near_zero_flicker(clip_of, codec: str) -> None:
    assert measure(clip_of("clean", codec))["flicker_index"] < 0.002


@pytest.mark.parametrize(("codec", "tolerance"), [("raw", 0.05), ("h264", 0.15)])
def test_random_gain_flicker_measures_its_standard_deviation(
    clip_of, codec: str, tolerance: float
) -> None:
    # Raw: the running median removes ~2 % of white-noise variance and 8-bit rounding
    # adds a little. H.264 at CRF 23 itself removes 5-12 % of a small global gain
    # jitter (part of each predicted block's DC change is quantised away).
    measured = measure(clip_of("flicker", codec))["flicker_index"]
    assert measured == pytest.approx(GAIN_STD, rel=tolerance)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_flicker_scores_ten_times_the_clean_clip(clip_of, codec: str) -> None:
    clean = measure(clip_of("clean", codec))
    flicker = measure(clip_of("flicker", codec))
    assert flicker["flicker_index"] > 10 * clean["flicker_index"]
    assert flicker["temporal_flickering"] < clean["temporal_flickering"]


@pytest.mark.parametrize("codec", ["raw", "h264"])
@pytest.mark.parametrize("name", ["drift", "step", "slow-wave"])
def test_slow_brightness_changes_are_not_flicker(clip_of, name: str, codec: str) -> None:
    assert measure(clip_of(name, codec))["flicker_index"] < 0.002


def test_temporal_flickering_is_vbench_normalised_frame_difference() -> None:
    # Frames alternate between two flat grays 10 levels apart: mean |diff| = 10.
    frames = np.full((12, 36, 64, 3), 100, np.uint8)
    frames[1::2] = 110
    metrics = measure(clip_from_array(frames, fps=FPS))
    assert metrics["temporal_flickering"] == pytest.approx((255 - 10) / 255, abs=1e-9)


def test_static_clip_is_perfectly_steady() -> None:
    frames = np.repeat(render_ball(constant(300), constant(200), n_frames=1), 20, axis=0)
    metrics = measure(clip_from_array(frames, fps=FPS))
    assert metrics == {"flicker_index": 0.0, "temporal_flickering": 1.0}


def test_motion_lowers_temporal_flickering_but_not_flicker_index(clip_of) -> None:
    moving = measure(clip_of("clean", "raw"))
    still = np.repeat(render_ball(constant(300), constant(200), n_frames=1), 20, axis=0)
    static = measure(clip_from_array(still, fps=FPS))
    assert moving["temporal_flickering"] < static["temporal_flickering"]
    assert moving["flicker_index"] < 0.002


def test_series_cover_every_frame(clip_of) -> None:
    clip = clip_of("flicker", "raw")
    result = PROBE.run(clip)
    assert {len(s) for s in result.series.values()} == {len(clip.rgb)}
    assert result.series["frame_difference"][0] is None
    assert result.overlay == {"static": [], "frames": []}


def test_black_clip_fails_with_reason() -> None:
    result = PROBE.run(clip_from_array(np.zeros((20, 36, 64, 3), np.uint8), fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert "black" in result.reason


def test_two_frame_clip_fails_with_reason() -> None:
    result = PROBE.run(clip_from_array(np.full((2, 36, 64, 3), 90, np.uint8), fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert "at least 3" in result.reason


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_creature_reference_is_steadier_than_flickering_model_b(clip_of, codec: str) -> None:
    reference = measure(clip_of("creature/reference", codec))
    flicker = measure(clip_of("creature/model-b", codec))
    assert flicker["flicker_index"] > 10 * reference["flicker_index"]
    assert flicker["temporal_flickering"] < reference["temporal_flickering"]


@pytest.mark.parametrize("length", [3, 6, 17, 600])
@pytest.mark.parametrize("window", [5, 15, 31])
def test_running_median_is_scipys_median_filter_with_nearest_edges(length, window):
    # The trend was scipy.ndimage.median_filter(mode="nearest"); numpy now computes it
    # (scipy's import cost more than the probe), and must give the same numbers.
    from scipy.ndimage import median_filter

    values = np.random.default_rng(length * window).normal(100, 10, length)
    expected = median_filter(values, size=window, mode="nearest")
    assert np.array_equal(running_median(values, window), expected)

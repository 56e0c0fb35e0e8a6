"""The motion probe: smooth versus jittery trajectories, static clips, VBench dynamic degree."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _rotation_fixtures import HEIGHT, WIDTH, as_clip, moving_patch, panning_texture, synth_frames

from probepress.probes.base import ProbeResult
from probepress.probes.motion import PROBE
from probepress.synth import SCENES
from probepress.video.decode import clip_from_array

FPS = 24.0
KINDS = ("raw", "h264")
# VBench's threshold for a 640x360 clip at >= 8 fps: 6 * 360 / 256 px per sampled pair.
VBENCH_THRESHOLD_PX = 6.0 * HEIGHT / 256.0
PAIR_S = round(FPS / 8) / FPS  # time between VBench's sampled frames


@pytest.fixture(scope="module")
def patch(tmp_path_factory):
    """The gliding patch, smooth or with 1-3 px jitter, measured once per kind."""
    cache: dict[tuple[str, str], ProbeResult] = {}

    def get(path: str, kind: str) -> ProbeResult:
        if (path, kind) not in cache:
            jitter = (1.0, 3.0) if path == "jitter" else (0.0, 0.0)
            amplitude = (0.0, 0.0) if path == "static" else (150.0, 70.0)
            frames = moving_patch(fps=FPS, jitter_px=jitter, amplitude=amplitude)
            clip = as_clip(frames, FPS, kind, tmp_path_factory.mktemp(f"{path}-{kind}"))
            cache[path, kind] = PROBE.run(clip)
        return cache[path, kind]

    return get


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    """Synth scene variants, measured once per kind."""
    cache: dict[tuple[str, str, str], ProbeResult] = {}

    def get(scene: str, variant: str, kind: str = "raw") -> ProbeResult:
        if (scene, variant, kind) not in cache:
            folder = tmp_path_factory.mktemp(f"{scene}-{variant}-{kind}")
            clip = as_clip(synth_frames(scene, variant), SCENES[scene].fps, kind, folder)
            cache[scene, variant, kind] = PROBE.run(clip)
        return cache[scene, variant, kind]

    return get


@pytest.mark.parametrize("kind", KINDS)
def test_smooth_motion_has_higher_ldlj_than_jittered(patch, kind):
    smooth, jittered = patch("smooth", kind), patch("jitter", kind)
    assert smooth and jittered
    assert smooth.metrics["ldlj"] > jittered.metrics["ldlj"] + 2.0


@pytest.mark.parametrize("kind", KINDS)
def test_smooth_motion_has_lower_high_freq_ratio_than_jittered(patch, kind):
    smooth = patch("smooth", kind).metrics["high_freq_ratio"]
    jittered = patch("jitter", kind).metrics["high_freq_ratio"]
    assert smooth < 0.01
    assert jittered > 5 * max(smooth, 0.005)


@pytest.mark.parametrize("kind", KINDS)
def test_static_clip_measures_zero_motion(patch, kind):
    result = patch("static", kind)
    assert result, result.reason
    assert result.metrics["dynamic_degree"] == 0.0
    assert result.metrics["mean_speed_px_s"] == 0.0
    assert result.metrics["moving_tracks"] == 0.0
    # Documented convention: nothing moves, nothing to rate.
    assert result.metrics["ldlj"] == 0.0
    assert result.metrics["high_freq_ratio"] == 0.0


def test_blank_clip_fails_with_a_reason():
    result = PROBE.run(clip_from_array(np.full((24, HEIGHT, WIDTH, 3), 90, np.uint8), fps=FPS))
    assert not result
    assert result.reason == "no features to track (the clip is blank or has no texture)"


@pytest.mark.parametrize("kind", KINDS)
def test_mean_speed_matches_a_known_pan(tmp_path, kind):
    speed = 90.0  # px/s, original frame
    result = PROBE.run(as_clip(panning_texture(speed, fps=FPS), FPS, kind, tmp_path))
    assert result.metrics["mean_speed_px_s"] == pytest.approx(speed, rel=0.05)


@pytest.mark.parametrize(("factor", "expected"), [(0.5, 0.0), (2.0, 1.0)])
def test_dynamic_degree_follows_the_vbench_threshold(factor, expected):
    # A pan moving `factor` times VBench's threshold between sampled frames.
    speed = factor * VBENCH_THRESHOLD_PX / PAIR_S
    result = PROBE.run(clip_from_array(panning_texture(speed, fps=FPS), fps=FPS))
    assert result.metrics["dynamic_degree"] == expected


def test_flow_series_reports_the_pan_displacement_in_original_pixels():
    speed = 2.0 * VBENCH_THRESHOLD_PX / PAIR_S
    result = PROBE.run(clip_from_array(panning_texture(speed, fps=FPS), fps=FPS))
    values = [v for v in result.series["flow_magnitude_px"] if v is not None]
    assert len(values) >= 10
    assert np.median(values) == pytest.approx(speed * PAIR_S, rel=0.1)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variant", ["model-a", "model-c"])  # jitter, stutter
def test_creature_reference_is_smoother_than_jitter_and_stutter(synth, variant, kind):
    reference = synth("creature", "reference", kind).metrics
    metrics = synth("creature", variant, kind).metrics
    assert reference["ldlj"] > metrics["ldlj"] + 1.0
    assert reference["high_freq_ratio"] < 0.5 * metrics["high_freq_ratio"]


def test_star_trails_reference_is_smoother_than_jittery_rotation(synth):
    reference = synth("star-trails", "reference").metrics
    jittery = synth("star-trails", "model-a").metrics
    assert reference["ldlj"] > jittery["ldlj"] + 1.0
    assert reference["high_freq_ratio"] < 0.5 * jittery["high_freq_ratio"]


def test_creature_reference_moves(synth):
    metrics = synth("creature", "reference").metrics
    assert metrics["dynamic_degree"] > 0.25  # VBench would call it dynamic
    assert metrics["moving_tracks"] >= 10


def test_metrics_are_finite_floats_and_series_span_every_frame(patch):
    result = patch("smooth", "raw")
    assert set(result.metrics) == set(PROBE.metric_names)
    assert all(isinstance(v, float) and math.isfinite(v) for v in result.metrics.values())
    for series in result.series.values():
        assert len(series) == int(FPS * 4)


def test_overlay_is_a_dozen_tails_per_frame_at_most(patch):
    frames = patch("smooth", "raw").overlay["frames"]
    assert len(frames) == int(FPS * 4)
    assert max(len(shapes) for shapes in frames) <= 12
    assert sum(len(shapes) for shapes in frames) > 0
    assert all(s["kind"] == "polyline" for shapes in frames for s in shapes)


def test_motion_too_short_to_rate_fails_with_a_reason():
    result = PROBE.run(clip_from_array(moving_patch(fps=FPS, seconds=0.75), fps=FPS))
    assert not result
    assert result.reason.startswith("moving features are never tracked for the 1.25 s")

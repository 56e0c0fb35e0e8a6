"""Tests of the reflection probe: a rendered lake with known physics, and the synth scene."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _reflection_fixtures import FPS, render_lake

from probepress.probes import reflection
from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.synth import SCENES, render_frames
from probepress.synth.encode import write_mp4
from probepress.video.decode import clip_from_array, open_clip

PROBE = reflection.PROBE
AXIS = 200  # the rendered water line (row boundary, pixel-edge convention)
GAIN = 0.65
FRAMES = 60

VARIANTS = {
    "true": {},
    "lag3": {"lag": 3},
    "offset8": {"offset": 8},
    "half_speed": {"speed_ratio": 0.5},
    "reversed": {"speed_ratio": -1.0},
}


@pytest.fixture(scope="module")
def lake_frames() -> dict[str, np.ndarray]:
    return {name: render_lake(FRAMES, axis=AXIS, gain=GAIN, **kw) for name, kw in VARIANTS.items()}


@pytest.fixture(scope="module")
def raw(lake_frames) -> dict[str, ProbeResult]:
    return {name: _run(clip_from_array(f, fps=FPS, name=name)) for name, f in lake_frames.items()}


@pytest.fixture(scope="module")
def h264(lake_frames, tmp_path_factory) -> dict[str, ProbeResult]:
    folder = tmp_path_factory.mktemp("lake")
    results = {}
    for name in ("true", "lag3"):
        path = folder / f"{name}.mp4"
        write_mp4(path, lake_frames[name], fps=FPS, crf=23)
        results[name] = _run(open_clip(path))
    return results


def _run(clip) -> ProbeResult:
    result = PROBE.run(clip)
    assert result, getattr(result, "reason", "")
    return result


# -- a rendered lake with known physics ------------------------------------------------


@pytest.mark.parametrize("variant", ["true", "lag3", "half_speed"])
def test_axis_is_found_within_3_px_raw(raw, variant):
    assert abs(raw[variant].metrics["axis_y"] - AXIS) <= 3.0


@pytest.mark.parametrize("variant", ["true", "lag3"])
def test_axis_is_found_within_3_px_after_h264(h264, variant):
    assert abs(h264[variant].metrics["axis_y"] - AXIS) <= 3.0


def test_true_reflection_is_symmetric_raw(raw):
    assert raw["true"].metrics["symmetry"] >= 0.9


def test_true_reflection_is_symmetric_after_h264(h264):
    assert h264["true"].metrics["symmetry"] >= 0.9


@pytest.mark.parametrize("variant", ["lag3", "offset8", "half_speed", "reversed"])
def test_broken_reflection_scores_clearly_lower_symmetry(raw, variant):
    assert raw[variant].metrics["symmetry"] <= raw["true"].metrics["symmetry"] - 0.3


def test_lagging_reflection_scores_lower_symmetry_after_h264(h264):
    assert h264["lag3"].metrics["symmetry"] <= h264["true"].metrics["symmetry"] - 0.3


@pytest.mark.parametrize(("variant", "lag"), [("true", 0), ("lag3", 3), ("offset8", 0)])
def test_lag_is_recovered_in_frames_raw(raw, variant, lag):
    assert raw[variant].metrics["lag_frames"] == lag


@pytest.mark.parametrize(("variant", "lag"), [("true", 0), ("lag3", 3)])
def test_lag_is_recovered_in_frames_after_h264(h264, variant, lag):
    assert h264[variant].metrics["lag_frames"] == lag


def test_gain_matches_the_rendered_attenuation(raw, h264):
    assert raw["true"].metrics["gain"] == pytest.approx(GAIN, rel=0.1)
    assert h264["true"].metrics["gain"] == pytest.approx(GAIN, rel=0.1)


def test_velocity_ratio_is_one_for_a_true_reflection(raw, h264):
    assert raw["true"].metrics["velocity_ratio"] == pytest.approx(1.0, abs=0.05)
    assert h264["true"].metrics["velocity_ratio"] == pytest.approx(1.0, abs=0.05)


def test_velocity_ratio_is_a_half_for_a_half_speed_reflection(raw):
    assert raw["half_speed"].metrics["velocity_ratio"] == pytest.approx(0.5, abs=0.05)


def test_velocity_ratio_is_negative_for_a_reflection_moving_the_other_way(raw):
    assert raw["reversed"].metrics["velocity_ratio"] == pytest.approx(-1.0, abs=0.05)


def test_lag_does_not_change_the_velocity_ratio(raw):
    assert raw["lag3"].metrics["velocity_ratio"] == pytest.approx(1.0, abs=0.05)


def test_every_metric_is_a_finite_float(raw):
    metrics = raw["true"].metrics
    assert set(metrics) == set(PROBE.metric_names)
    assert all(isinstance(v, float) and math.isfinite(v) for v in metrics.values())


def test_series_have_one_value_per_frame(raw):
    for values in raw["true"].series.values():
        assert len(values) == FRAMES


def test_overlay_draws_the_axis_across_the_original_frame(raw):
    overlay = raw["true"].overlay
    (line,) = overlay["static"]
    x0, y0, x1, y1 = line["xy"]
    assert (x0, x1) == (0.0, 640.0)
    assert y0 == y1 == pytest.approx(AXIS - 0.5, abs=3.0)  # pixel-centre coordinates
    assert len(overlay["frames"]) == FRAMES


def test_overlay_boxes_frames_where_symmetry_breaks(raw):
    boxed = sum(1 for shapes in raw["lag3"].overlay["frames"] if shapes)
    assert boxed >= FRAMES // 2
    assert not any(raw["true"].overlay["frames"])


# -- failures ---------------------------------------------------------------------------


def test_clip_without_reflection_fails_with_the_best_ncc():
    failure = PROBE.run(clip_from_array(render_lake(12, reflect=False), fps=FPS))
    assert isinstance(failure, ProbeFailure)
    assert failure.reason.startswith("no mirror axis found: best NCC")


def test_blank_clip_fails_with_a_reason():
    failure = PROBE.run(clip_from_array(np.full((12, 90, 160, 3), 128, np.uint8), fps=FPS))
    assert isinstance(failure, ProbeFailure)
    assert "no mirror axis found" in failure.reason


def test_static_reflection_fails_because_nothing_moves():
    failure = PROBE.run(clip_from_array(render_lake(12, moving=False), fps=FPS))
    assert isinstance(failure, ProbeFailure)
    assert "nothing moves near the mirror axis" in failure.reason


def test_symmetric_room_without_water_fails_with_no_reflection_found():
    # The synth ball-drop room: a framed picture mirrors about a line, but the falling
    # ball has no reflection; the probe must not print an axis and a symmetry of ~0.
    scene = SCENES["ball-drop"]
    clip = clip_from_array(render_frames("ball-drop", "reference"), fps=scene.fps)
    failure = PROBE.run(clip)
    assert isinstance(failure, ProbeFailure)
    assert failure.reason.startswith("no reflection found: symmetry 0.")
    assert "below 0.2" in failure.reason


def test_too_short_clip_fails():
    failure = PROBE.run(clip_from_array(render_lake(3), fps=FPS))
    assert isinstance(failure, ProbeFailure)
    assert "at least 4 frames" in failure.reason


# -- the synth train-lake scene ------------------------------------------------------------


@pytest.fixture(scope="module")
def synth_frames() -> dict[str, np.ndarray]:
    return {v: render_frames("train-lake", v) for v in SCENES["train-lake"].variants}


@pytest.fixture(scope="module")
def synth(synth_frames) -> dict[str, ProbeResult]:
    fps = SCENES["train-lake"].fps
    return {v: _run(clip_from_array(f, fps=fps, name=v)) for v, f in synth_frames.items()}


@pytest.fixture(scope="module")
def synth_h264(synth_frames, tmp_path_factory) -> dict[str, ProbeResult]:
    folder = tmp_path_factory.mktemp("train-lake")
    results = {}
    for variant in ("reference", "model-a"):
        path = folder / f"{variant}.mp4"
        write_mp4(path, synth_frames[variant], fps=SCENES["train-lake"].fps, crf=23)
        results[variant] = _run(open_clip(path))
    return results


@pytest.mark.parametrize("variant", ["reference", "model-a", "model-b", "model-c"])
def test_synth_ground_truth_is_recovered(synth, variant):
    truth = SCENES["train-lake"].variants[variant].ground_truth
    metrics = synth[variant].metrics
    assert abs(metrics["axis_y"] - truth["reflection.axis_y"]) <= 3.0
    assert metrics["gain"] == pytest.approx(truth["reflection.gain"], rel=0.1)
    assert metrics["velocity_ratio"] == pytest.approx(truth["reflection.velocity_ratio"], abs=0.05)
    if "reflection.lag_frames" in truth:
        assert metrics["lag_frames"] == truth["reflection.lag_frames"]


def test_synth_reference_reflection_is_symmetric(synth, synth_h264):
    assert synth["reference"].metrics["symmetry"] >= 0.9
    assert synth_h264["reference"].metrics["symmetry"] >= 0.9


def test_synth_lagging_reflection_scores_lower_symmetry(synth, synth_h264):
    for results in (synth, synth_h264):
        assert (
            results["model-a"].metrics["symmetry"] <= results["reference"].metrics["symmetry"] - 0.2
        )
        assert results["model-a"].metrics["lag_frames"] == 3


def test_synth_displaced_reflection_moves_the_axis_off_the_water_line(synth):
    # Model B's whole reflection is shifted 8 px down: a perfect mirror about y = 204,
    # so symmetry cannot see it; the axis, 4 px below the shore, does.
    reference, displaced = synth["reference"].metrics, synth["model-b"].metrics
    assert abs(displaced["axis_y"] - AXIS) - abs(reference["axis_y"] - AXIS) >= 3.0


def test_synth_half_speed_reflection_scores_lower_velocity_ratio_and_symmetry(synth):
    reference, slow = synth["reference"].metrics, synth["model-c"].metrics
    assert abs(slow["velocity_ratio"] - 1) >= abs(reference["velocity_ratio"] - 1) + 0.4
    assert slow["symmetry"] <= reference["symmetry"] - 0.2

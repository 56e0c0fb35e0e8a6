"""The rotation probe against star fields with a known angular velocity and pole."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
from _rotation_fixtures import (
    HEIGHT,
    WIDTH,
    as_clip,
    moving_patch,
    panning_texture,
    sliding_turn,
    star_field,
    synth_frames,
)

from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.probes.rotation import PROBE, theil_sen_slope
from probepress.probes.tracks import clip_tracks
from probepress.synth import SCENES
from probepress.video.decode import clip_from_array

FPS = 24.0
DIAGONAL = math.hypot(WIDTH, HEIGHT)
# (angular velocity deg/s, pole px): both senses, pole inside the frame.
CASES = {"ccw": (8.0, (400.0, 150.0)), "cw": (-15.0, (250.0, 200.0))}
KINDS = ("raw", "h264")


@cache
def frames_of(case: str) -> np.ndarray:
    """The star field of a case, rendered once per test session."""
    omega, pole = CASES[case]
    return star_field(omega, pole, fps=FPS)


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """Measure each star-field case once per kind (raw / H.264 CRF 23)."""
    results: dict[tuple[str, str], ProbeResult] = {}

    def get(case: str, kind: str) -> ProbeResult:
        if (case, kind) not in results:
            folder = tmp_path_factory.mktemp(f"{case}-{kind}")
            results[case, kind] = PROBE.run(as_clip(frames_of(case), FPS, kind, folder))
        return results[case, kind]

    return get


@pytest.fixture(scope="module")
def star_trails(tmp_path_factory):
    """The synth star-trails variants, measured once (raw, and the reference also as H.264)."""
    results: dict[tuple[str, str], ProbeResult] = {}

    def get(variant: str, kind: str = "raw") -> ProbeResult:
        if (variant, kind) not in results:
            frames = synth_frames("star-trails", variant)
            folder = tmp_path_factory.mktemp(f"star-trails-{variant}-{kind}")
            results[variant, kind] = PROBE.run(
                as_clip(frames, SCENES["star-trails"].fps, kind, folder)
            )
        return results[variant, kind]

    return get


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES)
def test_angular_velocity_within_3_percent(measured, case, kind):
    omega, _ = CASES[case]
    result = measured(case, kind)
    assert result, result.reason
    assert result.metrics["angular_velocity_deg_s"] == pytest.approx(omega, rel=0.03)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES)
def test_pole_within_2_percent_of_diagonal(measured, case, kind):
    _, (cx, cy) = CASES[case]
    metrics = measured(case, kind).metrics
    error = math.hypot(metrics["center_x"] - cx, metrics["center_y"] - cy)
    assert error <= 0.02 * DIAGONAL


@pytest.mark.parametrize("case", CASES)
def test_rigid_rotation_has_small_residual_and_cv(measured, case):
    metrics = measured(case, "h264").metrics
    assert metrics["rigidity_residual_px"] < 0.6
    assert metrics["angular_velocity_cv"] < 0.03
    assert metrics["pole_drift_px_s"] < 1.5


def test_static_horizon_features_are_tracked_but_do_not_pull_the_estimate():
    omega, _ = CASES["ccw"]
    clip = clip_from_array(frames_of("ccw"), fps=FPS)
    tracks = clip_tracks(clip)
    # Tracks that start in the skyline band (bottom 70 px of 360) and never move.
    xy = tracks.to_dense()
    band = xy[:, :, 1] > (HEIGHT - 70) * clip.scale
    first = xy[np.arange(len(xy)), np.argmax(~np.isnan(xy[..., 0]), axis=1)]
    still = np.nanmax(np.linalg.norm(xy - first[:, None], axis=2), axis=1) < 0.5
    assert np.sum(np.any(band, axis=1) & still) >= 10
    result = PROBE.run(clip)
    assert result.metrics["angular_velocity_deg_s"] == pytest.approx(omega, rel=0.03)


def test_jittery_rotation_has_much_higher_cv(measured):
    omega, pole = CASES["ccw"]
    steady = measured("ccw", "raw")
    jittery = PROBE.run(clip_from_array(star_field(omega, pole, fps=FPS, jitter_deg=0.4), fps=FPS))
    assert jittery.metrics["angular_velocity_cv"] > 5 * steady.metrics["angular_velocity_cv"]


@pytest.mark.parametrize("kind", KINDS)
def test_star_trails_reference_matches_ground_truth(star_trails, kind):
    truth = SCENES["star-trails"].variants["reference"].ground_truth
    metrics = star_trails("reference", kind).metrics
    omega = truth["rotation.angular_velocity_deg_s"]
    assert metrics["angular_velocity_deg_s"] == pytest.approx(omega, rel=0.03)
    error = math.hypot(
        metrics["center_x"] - truth["rotation.center_x"],
        metrics["center_y"] - truth["rotation.center_y"],
    )
    assert error <= 0.02 * DIAGONAL


def test_star_trails_jitter_variant_has_higher_cv(star_trails):
    reference = star_trails("reference").metrics["angular_velocity_cv"]
    assert star_trails("model-a").metrics["angular_velocity_cv"] > 5 * reference


def test_star_trails_nonrigid_variant_has_higher_rigidity_residual(star_trails):
    reference = star_trails("reference").metrics["rigidity_residual_px"]
    assert star_trails("model-b").metrics["rigidity_residual_px"] > 2 * reference


def test_star_trails_drifting_pole_variant_has_higher_pole_drift(star_trails):
    reference = star_trails("reference").metrics["pole_drift_px_s"]
    drifting = star_trails("model-c").metrics["pole_drift_px_s"]
    # The pole moves 40 px in 6 s: 6.7 px/s.
    assert drifting > 5 * reference
    assert drifting == pytest.approx(40.0 / 6.0, rel=0.2)


def test_static_clip_fails_with_a_reason():
    result = PROBE.run(clip_from_array(moving_patch(amplitude=(0.0, 0.0), seconds=2.0), fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert result.reason == "no rotating features found (0 tracks moved)"


def test_blank_clip_fails_with_a_reason():
    result = PROBE.run(clip_from_array(np.full((24, HEIGHT, WIDTH, 3), 90, np.uint8), fps=FPS))
    assert not result
    assert "no features to track" in result.reason


def test_pan_is_not_reported_as_a_rotation():
    result = PROBE.run(clip_from_array(panning_texture(60.0), fps=FPS))
    assert not result
    assert "do not turn about a fixed point" in result.reason


def test_a_turn_whose_centre_travels_across_the_frame_is_refused():
    # 80 px/s for 4 s: the centre crosses half the frame's width (a rolling wheel).
    result = PROBE.run(clip_from_array(sliding_turn(10.0, 80.0), fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert result.reason.startswith("no fixed pole: the turn's centre travels")


def test_a_turn_whose_centre_drifts_slowly_is_still_measured():
    # 20 px/s: the pole wanders, as model C's does, and the turn is still measured.
    result = PROBE.run(clip_from_array(sliding_turn(10.0, 20.0), fps=FPS))
    assert isinstance(result, ProbeResult), result.reason
    assert result.metrics["angular_velocity_deg_s"] == pytest.approx(10.0, rel=0.03)


def test_metrics_are_finite_floats_and_series_span_every_frame(measured):
    result = measured("ccw", "raw")
    assert set(result.metrics) == set(PROBE.metric_names)
    assert all(isinstance(v, float) and math.isfinite(v) for v in result.metrics.values())
    frames = int(FPS * 4)
    for series in result.series.values():
        assert len(series) == frames
        assert sum(v is not None for v in series) >= 20


def test_overlay_is_the_pole_and_a_few_arcs_per_frame(measured):
    result = measured("ccw", "raw")
    (pole,) = result.overlay["static"]
    assert pole["kind"] == "circle"
    assert pole["xy"] == [
        round(result.metrics["center_x"], 1),
        round(result.metrics["center_y"], 1),
    ]
    frames = result.overlay["frames"]
    assert len(frames) == int(FPS * 4)
    assert max(len(shapes) for shapes in frames) <= 8
    assert sum(len(shapes) for shapes in frames) > 0.8 * 8 * len(frames)
    for shapes in frames:
        for shape in shapes:
            assert shape["kind"] == "polyline"
            xy = np.array(shape["xy"])
            assert np.all((xy >= -1) & (xy <= [WIDTH, HEIGHT]))


@pytest.mark.parametrize("count", [2, 7, 60])
def test_theil_sen_slope_is_scipys(count):
    # The pole drift's slope was scipy.stats.theilslopes; numpy now computes it.
    from scipy.stats import theilslopes

    rng = np.random.default_rng(count)
    x = np.sort(rng.uniform(0, 5, count))
    x[count // 2 :] = np.round(x[count // 2 :], 1)  # ties in x are skipped by both
    y = 3.0 * x + rng.normal(0, 1, count)
    assert theil_sen_slope(y, x) == pytest.approx(theilslopes(y, x)[0], abs=1e-12)

"""gravity probe: balls with known acceleration, raw and after H.264 (CRF 23)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from _gravity_fixtures import (
    FPS,
    accel_jump,
    bouncing,
    constant,
    linear,
    parabola,
    render_ball,
)

from probepress.probes import ProbeFailure, ProbeResult
from probepress.probes.gravity import PROBE
from probepress.synth import SCENES, render_frames
from probepress.synth.encode import write_mp4
from probepress.video.decode import Clip, clip_from_array, open_clip

G = 1500.0  # px/s^2 in the original 640x360 frame, + = down

# name: (x(t), y(t), frames, true acceleration or None)
SCENARIOS = {
    "drop": (constant(320), parabola(30, 0, G), 24, G),  # from rest, out at the bottom
    "bounce": (constant(320), bouncing(40, G, 320, 0.75), 96, G),
    "toss": (linear(80, 150), parabola(300, -700, 900), 72, 900.0),  # up, over and down
    "floaty": (constant(320), bouncing(40, G / 3, 320, 0.75), 120, G / 3),
    # Settles after ~1.5 s and lies still: it enters the median background.
    "settling": (constant(320), bouncing(40, G, 320, 0.6), 144, G),
    "rising": (constant(320), parabola(330, 0, -900), 24, -900.0),  # accelerates upwards
    "constant-speed": (constant(320), linear(30, 300), 30, 0.0),
    "jump": (constant(320), accel_jump(30, 600, 1800, 0.5), 26, None),
    "rolling": (linear(40, 150), constant(300), 48, None),
}


@pytest.fixture(scope="module")
def clip_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Clip]:
    """``clip_of(name, codec)``: a scenario or synth variant as a raw or H.264 clip, cached."""
    cache: dict[tuple[str, str], Clip] = {}
    folder = tmp_path_factory.mktemp("gravity")

    def get(name: str, codec: str) -> Clip:
        if (name, codec) not in cache:
            if name.startswith("ball-drop/"):
                frames = render_frames("ball-drop", name.split("/")[1])
            else:
                x_of_t, y_of_t, n_frames, _ = SCENARIOS[name]
                frames = render_ball(x_of_t, y_of_t, n_frames=n_frames)
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
@pytest.mark.parametrize("name", ["drop", "bounce", "toss", "floaty", "settling"])
def test_acceleration_within_3_percent_of_truth(clip_of, name: str, codec: str) -> None:
    truth = SCENARIOS[name][3]
    assert measure(clip_of(name, codec))["acceleration_px_s2"] == pytest.approx(truth, rel=0.03)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_free_fall_fits_to_subpixel_residual(clip_of, codec: str) -> None:
    metrics = measure(clip_of("bounce", codec))
    assert metrics["fit_rms_px"] < 0.5
    assert metrics["acceleration_cv"] < 0.05


def test_upward_acceleration_is_negative(clip_of) -> None:
    assert measure(clip_of("rising", "raw"))["acceleration_px_s2"] == pytest.approx(-900, rel=0.03)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_constant_speed_fall_measures_near_zero_acceleration(clip_of, codec: str) -> None:
    assert abs(measure(clip_of("constant-speed", codec))["acceleration_px_s2"]) < 0.03 * G


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_acceleration_jump_gives_large_residual_and_cv(clip_of, codec: str) -> None:
    clean = measure(clip_of("drop", codec))
    jump = measure(clip_of("jump", codec))
    assert jump["fit_rms_px"] > max(2.0, 10 * clean["fit_rms_px"])
    assert jump["acceleration_cv"] > max(0.2, 10 * clean["acceleration_cv"])


def test_centroid_series_is_in_original_pixels(clip_of) -> None:
    clip = clip_of("toss", "raw")
    result = PROBE.run(clip)
    truth = SCENARIOS["toss"][1](clip.times)
    measured = np.array([np.nan if v is None else v for v in result.series["centroid_y"]])
    seen = np.isfinite(measured)
    assert seen.sum() > 30  # until it leaves the frame at the bottom
    assert np.abs(measured[seen] - truth[seen]).max() < 1.0


def test_series_and_overlay_cover_every_frame(clip_of) -> None:
    clip = clip_of("bounce", "raw")
    result = PROBE.run(clip)
    assert {len(s) for s in result.series.values()} == {len(clip.rgb)}
    assert len(result.overlay["frames"]) == len(clip.rgb)
    arcs = result.overlay["static"]
    assert len(arcs) >= 2  # the first fall and at least one rebound
    points = np.array([p for arc in arcs for p in arc["xy"]])
    assert (points >= 0).all() and (points[:, 0] < 640).all() and (points[:, 1] < 360).all()


def test_static_clip_fails_with_reason() -> None:
    frames = np.repeat(render_ball(constant(300), constant(200), n_frames=1), 30, axis=0)
    result = PROBE.run(clip_from_array(frames, fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert "no moving object" in result.reason


def test_blank_clip_fails_with_reason() -> None:
    result = PROBE.run(clip_from_array(np.zeros((30, 90, 160, 3), np.uint8), fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert "no moving object" in result.reason


def test_horizontal_motion_only_fails_with_reason(clip_of) -> None:
    result = PROBE.run(clip_of("rolling", "raw"))
    assert isinstance(result, ProbeFailure)
    assert "no free-flight arc" in result.reason


def test_too_short_clip_fails_with_reason() -> None:
    result = PROBE.run(clip_from_array(np.zeros((3, 90, 160, 3), np.uint8), fps=FPS))
    assert isinstance(result, ProbeFailure)
    assert "at least 6" in result.reason


# The synthetic ball-drop scene: ground truth and violations.


@pytest.mark.parametrize("codec", ["raw", "h264"])
@pytest.mark.parametrize("variant", ["reference", "model-a"])
def test_ball_drop_acceleration_matches_ground_truth(clip_of, variant: str, codec: str) -> None:
    truth = SCENES["ball-drop"].variants[variant].ground_truth["gravity.acceleration_px_s2"]
    measured = measure(clip_of(f"ball-drop/{variant}", codec))["acceleration_px_s2"]
    assert measured == pytest.approx(truth, rel=0.03)


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_ball_drop_constant_speed_variant_measures_near_zero(clip_of, codec: str) -> None:
    truth = SCENES["ball-drop"].variants["model-c"].ground_truth["gravity.acceleration_px_s2"]
    reference_g = (
        SCENES["ball-drop"].variants["reference"].ground_truth["gravity.acceleration_px_s2"]
    )
    measured = measure(clip_of("ball-drop/model-c", codec))["acceleration_px_s2"]
    assert abs(measured - truth) < 0.03 * reference_g


@pytest.mark.parametrize("codec", ["raw", "h264"])
def test_ball_drop_reference_fits_better_than_acceleration_jump(clip_of, codec: str) -> None:
    reference = measure(clip_of("ball-drop/reference", codec))
    jump = measure(clip_of("ball-drop/model-b", codec))
    assert jump["fit_rms_px"] > 10 * reference["fit_rms_px"]
    assert jump["acceleration_cv"] > 5 * reference["acceleration_cv"]


def test_ball_drop_floaty_and_constant_speed_fall_slower_than_reference(clip_of) -> None:
    reference = measure(clip_of("ball-drop/reference", "h264"))["acceleration_px_s2"]
    floaty = measure(clip_of("ball-drop/model-a", "h264"))["acceleration_px_s2"]
    linear_fall = measure(clip_of("ball-drop/model-c", "h264"))["acceleration_px_s2"]
    assert floaty < 0.5 * reference
    assert abs(linear_fall) < 0.1 * reference

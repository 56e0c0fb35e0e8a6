"""The camera probe reports pan, zoom and roll; object probes compensate or refuse it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from camera_scenes import FPS, camera_frames

from probepress.probes import get_probe
from probepress.video.decode import clip_from_array, open_clip


def _clip(frames: np.ndarray, name: str):
    return clip_from_array(frames, fps=FPS, name=name)


def _with_falling_ball(frames: np.ndarray, *, g_px_s2: float = 600.0) -> np.ndarray:
    """Draw a ball falling from rest at ``g_px_s2`` (screen px/s², y down) onto ``frames``."""
    out = frames.copy()
    for i, frame in enumerate(out):
        t = i / FPS
        y = 40 + 0.5 * g_px_s2 * t * t
        if y < frame.shape[0] - 20:
            cv2.circle(frame, (320, int(round(y))), 14, (250, 235, 150), -1, cv2.LINE_AA)
    return out


def _with_sliding_block(frames: np.ndarray) -> np.ndarray:
    """A dark block sliding right across the picture (no shadow anywhere)."""
    out = frames.copy()
    for i, frame in enumerate(out):
        x = 60 + 4 * i
        cv2.rectangle(frame, (x, 150), (x + 40, 230), (30, 30, 30), -1)
    return out


def test_camera_probe_reads_a_pan_back() -> None:
    result = get_probe("camera").run(_clip(camera_frames(pan_px_s=(24.0, 0.0)), "pan"))
    assert result, result.error
    assert result.metrics["pan_x_px_s"] == pytest.approx(24.0, rel=0.03)
    assert result.metrics["pan_px_s"] == pytest.approx(24.0, rel=0.03)
    assert len(result.series["camera_x"]) == 72


def test_camera_probe_measures_a_clip_opened_without_colour(tmp_path) -> None:
    """The runner opens a clip without colour when no probe of its job reads colour
    (a star field probed for rotation): the camera probe needs luma only."""
    from probepress.synth.encode import write_mp4

    path = tmp_path / "pan.mp4"
    write_mp4(path, camera_frames(pan_px_s=(24.0, 0.0)), fps=FPS)
    result = get_probe("camera").run(open_clip(path, colour=False))
    assert result, result.error
    assert result.metrics["pan_x_px_s"] == pytest.approx(24.0, rel=0.05)


def test_camera_probe_fails_on_a_clip_with_nothing_to_follow() -> None:
    result = get_probe("camera").run(_clip(np.full((24, 180, 320, 3), 40, np.uint8), "flat"))
    assert not result
    assert "texture" in result.error


def test_gravity_measures_a_fall_seen_by_a_still_camera() -> None:
    result = get_probe("gravity").run(_clip(_with_falling_ball(camera_frames()), "still-fall"))
    assert result, result.error
    assert result.metrics["acceleration_px_s2"] == pytest.approx(600.0, rel=0.05)


def _ball_falling_in_the_world(world: np.ndarray, t: float, g_px_s2: float = 600.0) -> None:
    """A ball falling from rest at ``g_px_s2`` (world px/s², y down), from above the centre."""
    y = 310 + 0.5 * g_px_s2 * t * t
    if y < 740:
        cv2.circle(world, (700, int(round(y))), 14, (250, 235, 150), -1, cv2.LINE_AA)


@pytest.mark.parametrize("pan", [(30.0, 0.0), (-12.0, 8.0)], ids=["sideways", "diagonal"])
def test_gravity_compensates_a_panning_camera(pan) -> None:
    # Behaviour changed with gravity v3: a panning camera is taken out (frames warped
    # onto frame 0's view), not refused. The fall is 600 px/s² in the world, which
    # frame 0 shows at scale 1; on screen a vertical pan would bend it.
    frames = camera_frames(pan_px_s=pan, draw_in_world=_ball_falling_in_the_world)
    result = get_probe("gravity").run(_clip(frames, "moving-camera-fall"))
    assert result, result.error
    assert result.metrics["acceleration_px_s2"] == pytest.approx(600.0, rel=0.05)
    assert result.metrics["fit_rms_px"] < 1.0


def test_gravity_refuses_a_zooming_rolling_camera_and_says_how_it_moves() -> None:
    motion = {"pan_px_s": (-12.0, 8.0), "zoom_per_s": 0.05, "roll_deg_s": 3.0}
    frames = camera_frames(draw_in_world=_ball_falling_in_the_world, **motion)
    result = get_probe("gravity").run(_clip(frames, "zooming-fall"))
    assert not result
    # Refused at the first pose beyond a still camera's zoom and roll (gravity 4), not
    # after estimating the whole path: the message names that pose and the bounds.
    assert "zooms +" in result.error and "rolls +" in result.error
    assert "within the first 0." in result.error
    assert "compensates a pan but not a zoom over 1 % or a roll over 0.5°" in result.error


def test_gravity_overlay_follows_the_ball_on_screen_under_a_pan() -> None:
    frames = camera_frames(pan_px_s=(30.0, 0.0), draw_in_world=_ball_falling_in_the_world)
    result = get_probe("gravity").run(_clip(frames, "moving-camera-fall"))
    assert result, result.error
    t = 12  # the ball is drawn at world x 700, seen at 319.5 + 30 t px on screen
    (point,) = result.overlay["frames"][t]
    assert point["xy"][0] == pytest.approx(319.5 + 30.0 * t / FPS, abs=1.5)


def test_shadow_says_no_shadow_on_a_textured_pan_with_a_moving_block() -> None:
    frames = _with_sliding_block(camera_frames(pan_px_s=(-20.0, 5.0)))
    result = get_probe("shadow").run(_clip(frames, "pan-block"))
    assert not result
    assert "camera" in result.error


def test_reflection_refuses_a_zooming_camera() -> None:
    frames = camera_frames(zoom_per_s=0.06)
    flipped = frames.copy()
    # A mirror at mid-height, so a reflection is there to find if the camera held still.
    flipped[:, 180:] = frames[:, 179::-1][:, :180]
    result = get_probe("reflection").run(_clip(flipped, "zoom-lake"))
    assert not result
    assert "zooms" in result.error

"""The camera probe reports pan, zoom and roll; object probes refuse a moving camera."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from camera_scenes import FPS, camera_frames

from probepress.probes import get_probe
from probepress.video.decode import clip_from_array


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


def test_camera_probe_fails_on_a_clip_with_nothing_to_follow() -> None:
    result = get_probe("camera").run(_clip(np.full((24, 180, 320, 3), 40, np.uint8), "flat"))
    assert not result
    assert "texture" in result.error


def test_gravity_measures_a_fall_seen_by_a_still_camera() -> None:
    result = get_probe("gravity").run(_clip(_with_falling_ball(camera_frames()), "still-fall"))
    assert result, result.error
    assert result.metrics["acceleration_px_s2"] == pytest.approx(600.0, rel=0.05)


def test_gravity_refuses_a_panning_camera_and_says_how_it_moves() -> None:
    frames = _with_falling_ball(camera_frames(pan_px_s=(30.0, 0.0)))
    result = get_probe("gravity").run(_clip(frames, "panned-fall"))
    assert not result
    assert "the camera pans 30" in result.error or "the camera pans 29" in result.error
    assert "still camera" in result.error


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

"""Camera motion: a known pan, zoom or roll of a textured scene is read back; a still one is 0."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from camera_scenes import FPS, camera_frames

from probepress.video.camera import camera_motion
from probepress.video.decode import clip_from_array


def _motion(frames: np.ndarray):
    return camera_motion(clip_from_array(frames, fps=FPS, name="camera-test"))


def test_a_still_camera_does_not_move() -> None:
    motion = _motion(camera_frames())
    assert motion.pan_px_s < 0.2
    assert abs(motion.zoom_per_s) < 1e-3
    assert abs(motion.roll_deg_s) < 0.02
    assert motion.max_shift_px < 1.0


@pytest.mark.parametrize("pan", [(30.0, 0.0), (-12.0, 8.0), (0.0, -20.0)])
def test_a_pan_is_measured_in_original_pixels_per_second(pan: tuple[float, float]) -> None:
    motion = _motion(camera_frames(pan_px_s=pan))
    assert motion.pan_x_px_s == pytest.approx(pan[0], abs=0.03 * math.hypot(*pan) + 0.2)
    assert motion.pan_y_px_s == pytest.approx(pan[1], abs=0.03 * math.hypot(*pan) + 0.2)
    assert abs(motion.zoom_per_s) < 2e-3
    assert motion.background_fraction > 0.8


def test_a_zoom_in_is_a_positive_log_scale_rate() -> None:
    motion = _motion(camera_frames(zoom_per_s=0.05))
    assert motion.zoom_per_s == pytest.approx(0.05, rel=0.05)
    assert motion.pan_px_s < 1.0  # zoom about the centre moves the centre nowhere


def test_a_counter_clockwise_roll_is_positive() -> None:
    motion = _motion(camera_frames(roll_deg_s=2.0))
    assert motion.roll_deg_s == pytest.approx(2.0, rel=0.05)
    assert motion.pan_px_s < 1.0


def test_a_moving_object_over_a_still_background_is_not_a_pan() -> None:
    frames = camera_frames()
    for i, frame in enumerate(frames):
        # A large bright block (a quarter of the picture) sliding right at 120 px/s.
        x = 40 + int(5 * i)
        cv2.rectangle(frame, (x, 80), (x + 220, 260), (240, 240, 240), -1)
        cv2.putText(frame, "TRAIN", (x + 20, 180), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (0, 0, 0), 3)
    motion = _motion(frames)
    assert motion.max_shift_px < 2.0


def test_a_featureless_clip_leaves_the_path_unknown() -> None:
    frames = np.full((24, 180, 320, 3), 128, np.uint8)
    motion = _motion(frames)
    assert motion.estimated_fraction == 0.0
    assert math.isnan(motion.pan_px_s)

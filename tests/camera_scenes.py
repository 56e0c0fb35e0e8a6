"""Scenes seen by a camera that pans, zooms or rolls at known rates (tests of camera motion)."""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

FPS = 24.0
SIZE = (640, 360)  # width, height of the rendered frames
FRAMES = 72


def textured_world(seed: int = 7) -> np.ndarray:
    """A large textured world (blobs and edges at many scales), bigger than the view."""
    rng = np.random.default_rng(seed)
    world = np.zeros((900, 1400, 3), np.uint8) + 90
    for _ in range(900):
        x, y = int(rng.integers(0, 1400)), int(rng.integers(0, 900))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            cv2.circle(world, (x, y), int(rng.integers(2, 14)), colour, -1)
        else:
            w, h = (int(v) for v in rng.integers(3, 30, 2))
            cv2.rectangle(world, (x, y), (x + w, y + h), colour, -1)
    return cv2.GaussianBlur(world, (3, 3), 0)


def camera_frames(
    *,
    pan_px_s: tuple[float, float] = (0.0, 0.0),
    zoom_per_s: float = 0.0,
    roll_deg_s: float = 0.0,
    frames: int = FRAMES,
    draw_in_world: Callable[[np.ndarray, float], None] | None = None,
) -> np.ndarray:
    """Frames of the world seen by a camera moving at these rates (content motion).

    The content pans by ``pan_px_s`` (px/s, +x right, +y down), is magnified by
    ``exp(zoom_per_s t)`` and turns ``roll_deg_s`` counter-clockwise on screen.
    ``draw_in_world(world, t)`` draws what moves in the world at time ``t`` s onto a
    copy of it (world point ``(700, 450)`` is the view's centre in frame 0).
    """
    still_world = textured_world()
    centre_world = np.array([700.0, 450.0])
    centre_view = np.array([(SIZE[0] - 1) / 2, (SIZE[1] - 1) / 2])
    out = []
    for i in range(frames):
        t = i / FPS
        world = still_world
        if draw_in_world is not None:
            world = still_world.copy()
            draw_in_world(world, t)
        scale = math.exp(zoom_per_s * t)
        # Content turns counter-clockwise on screen: a negative angle in y-down pixels.
        angle = -math.radians(roll_deg_s * t)
        rotation = scale * np.array(
            [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]]
        )
        shift = np.array(pan_px_s) * t
        offset = centre_view + shift - rotation @ centre_world
        matrix = np.hstack([rotation, offset[:, None]])
        out.append(cv2.warpAffine(world, matrix, SIZE, flags=cv2.INTER_LINEAR))
    return np.stack(out)

"""Renderers of balls in flight with known physics, for the gravity and motion_mask tests.

Heights are in original-frame pixels with y down, times in seconds; the ball is an
anti-aliased disc (exact area coverage per pixel) over a static textured backdrop, so
its centroid is where the trajectory says to a small fraction of a pixel.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Trajectory = Callable[[np.ndarray], np.ndarray]

WIDTH, HEIGHT, FPS = 640, 360, 24.0


def backdrop(width: int = WIDTH, height: int = HEIGHT, seed: int = 0) -> np.ndarray:
    """A static, mid-grey, gently textured RGB float background ``(H, W, 3)`` in 0-255."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width] / max(width, height)
    base = 90 + 40 * yy + 15 * np.sin(9 * xx) * np.cos(7 * yy)
    texture = base + rng.normal(0.0, 3.0, (height, width))
    rgb = np.stack([texture * 0.95, texture, texture * 1.05], axis=-1)
    return np.clip(rgb, 0, 255)


def render_ball(
    x_of_t: Trajectory,
    y_of_t: Trajectory,
    *,
    n_frames: int = 72,
    fps: float = FPS,
    width: int = WIDTH,
    height: int = HEIGHT,
    radius: float = 12.0,
    colour: tuple[float, float, float] = (250.0, 235.0, 150.0),
    seed: int = 0,
) -> np.ndarray:
    """Frames ``(T, H, W, 3)`` uint8 of a disc whose centre follows ``(x(t), y(t))``."""
    t = np.arange(n_frames) / fps
    xs, ys = x_of_t(t), y_of_t(t)
    bg = backdrop(width, height, seed)
    frames = np.empty((n_frames, height, width, 3), np.uint8)
    r = int(np.ceil(radius)) + 2
    sub = (np.arange(4) + 0.5) / 4 - 0.5  # 4x4 supersampling offsets within a pixel
    for i, (cx, cy) in enumerate(zip(xs, ys, strict=True)):
        frame = bg.copy()
        x0, x1 = max(0, int(cx) - r), min(width, int(cx) + r + 1)
        y0, y1 = max(0, int(cy) - r), min(height, int(cy) + r + 1)
        if x0 < x1 and y0 < y1:
            py, px = np.mgrid[y0:y1, x0:x1]  # pixel centres (OpenCV convention)
            dx = px[..., None, None] + sub[None, :] - cx
            dy = py[..., None, None] + sub[:, None] - cy
            cover = ((dx**2 + dy**2) <= radius**2).mean(axis=(-1, -2))[..., None]
            patch = frame[y0:y1, x0:x1]
            frame[y0:y1, x0:x1] = patch * (1 - cover) + np.array(colour) * cover
        frames[i] = np.clip(np.rint(frame), 0, 255).astype(np.uint8)
    return frames


def constant(value: float) -> Trajectory:
    """A coordinate that does not move."""
    return lambda t: np.full_like(t, value, dtype=float)


def linear(start: float, speed: float) -> Trajectory:
    """A coordinate moving at constant speed (px/s)."""
    return lambda t: start + speed * t


def parabola(y0: float, v0: float, accel: float) -> Trajectory:
    """Free flight: ``y0 + v0 t + accel t^2 / 2`` (px, px/s, px/s^2; + = down)."""
    return lambda t: y0 + v0 * t + 0.5 * accel * t**2


def accel_jump(y0: float, accel: float, accel_after: float, t_jump: float) -> Trajectory:
    """A drop from rest whose acceleration switches from ``accel`` to ``accel_after``."""

    def y(t: np.ndarray) -> np.ndarray:
        early = y0 + 0.5 * accel * t**2
        y_j, v_j = y0 + 0.5 * accel * t_jump**2, accel * t_jump
        dt = t - t_jump
        return np.where(t < t_jump, early, y_j + v_j * dt + 0.5 * accel_after * dt**2)

    return y


def bouncing(y0: float, accel: float, floor: float, restitution: float) -> Trajectory:
    """A drop from rest at ``y0`` onto a floor at ``floor`` (centre height) with bounces.

    Once a rebound is slower than 40 px/s the ball stays on the floor.
    """
    starts, heights, speeds, accels = [0.0], [y0], [0.0], [accel]
    t, y, v = 0.0, y0, 0.0
    while True:
        # Solve y + v s + a s^2 / 2 = floor for the positive root s.
        s = (-v + np.sqrt(v * v + 2 * accel * (floor - y))) / accel
        t, v, y = t + s, -restitution * (v + accel * s), floor
        resting = abs(v) < 40.0
        starts.append(t)
        heights.append(y)
        speeds.append(0.0 if resting else v)
        accels.append(0.0 if resting else accel)
        if resting:
            break

    def y_of_t(times: np.ndarray) -> np.ndarray:
        k = np.searchsorted(starts, times, side="right") - 1
        tau = times - np.take(starts, k)
        return np.take(heights, k) + np.take(speeds, k) * tau + 0.5 * np.take(accels, k) * tau**2

    return y_of_t

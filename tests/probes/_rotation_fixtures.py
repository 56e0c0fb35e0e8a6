"""Synthetic clips with known motion for the rotation and motion probe tests.

- :func:`star_field`: stars turning rigidly about a pole at a known angular velocity
  (+ = counter-clockwise on screen), over a static sky gradient, with an optional
  static, textured horizon band (lit windows: strong corners that do not move).
- :func:`moving_patch`: a textured patch gliding on a smooth Lissajous path over a
  static textured background, optionally with per-frame positional jitter.

Everything is deterministic for a seed. Frames are RGB uint8, 640x360 by default.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from probepress.video.decode import Clip, clip_from_array, open_clip

WIDTH, HEIGHT = 640, 360


def star_field(
    omega_deg_s: float,
    pole: tuple[float, float],
    *,
    fps: float = 24.0,
    seconds: float = 4.0,
    horizon: bool = True,
    jitter_deg: float = 0.0,
    density: float = 1.3e-3,
    seed: int = 0,
) -> np.ndarray:
    """Frames of a star field turning about ``pole`` (px) at ``omega_deg_s`` (+ = CCW).

    A star at polar angle ``a`` (measured counter-clockwise on screen) sits at
    ``(cx + r cos a, cy - r sin a)``; ``a`` grows by ``omega * t``. ``jitter_deg``
    adds uniform per-frame angle noise in ``[-jitter_deg, jitter_deg]``. Stars fill the
    disc about the pole that covers the frame, ``density`` per square px.
    """
    rng = np.random.default_rng(seed)
    cx, cy = pole
    reach = np.hypot(max(cx, WIDTH - cx), max(cy, HEIGHT - cy)) + 10
    stars = int(density * np.pi * reach**2)
    r = reach * np.sqrt(rng.random(stars))
    a0 = rng.uniform(0, 2 * np.pi, stars)
    brightness = 90 + 165 * rng.random(stars) ** 2
    count = int(round(fps * seconds))
    noise = np.deg2rad(rng.uniform(-jitter_deg, jitter_deg, count))
    sky = np.linspace(8, 40, HEIGHT, dtype=np.float32)[:, None] * np.ones((1, WIDTH), np.float32)
    band = _horizon(rng) if horizon else None
    out = np.empty((count, HEIGHT, WIDTH, 3), np.uint8)
    for k in range(count):
        a = a0 + np.deg2rad(omega_deg_s) * k / fps + noise[k]
        img = _splat(cx + r * np.cos(a), cy - r * np.sin(a), brightness)
        frame = sky + cv2.GaussianBlur(img, (0, 0), 1.0) * 4.0
        if band is not None:
            mask, colour = band
            frame = np.where(mask, colour, frame)
        out[k] = np.clip(frame + 0.5, 0, 255).astype(np.uint8)[..., None]
    return out


def moving_patch(
    *,
    fps: float = 24.0,
    seconds: float = 4.0,
    jitter_px: tuple[float, float] = (0.0, 0.0),
    amplitude: tuple[float, float] = (150.0, 70.0),
    seed: int = 0,
) -> np.ndarray:
    """A 96 px textured square on a Lissajous path (0.4 Hz x, 0.3 Hz y) over a textured wall.

    ``jitter_px = (lo, hi)`` displaces each frame's position by a random direction and
    a magnitude uniform in ``[lo, hi]`` px; ``amplitude = (0, 0)`` holds it still.
    """
    rng = np.random.default_rng(seed)
    background = _texture(rng, HEIGHT, WIDTH, cell=24, low=60, high=140)
    side = 96
    sprite = _texture(rng, side, side, cell=8, low=120, high=255)
    count = int(round(fps * seconds))
    t = np.arange(count) / fps
    x = WIDTH / 2 + amplitude[0] * np.sin(2 * np.pi * 0.4 * t)
    y = HEIGHT / 2 + amplitude[1] * np.sin(2 * np.pi * 0.3 * t + 0.7)
    lo, hi = jitter_px
    if hi > 0:
        size = rng.uniform(lo, hi, count)
        angle = rng.uniform(0, 2 * np.pi, count)
        x, y = x + size * np.cos(angle), y + size * np.sin(angle)
    out = np.empty((count, HEIGHT, WIDTH, 3), np.uint8)
    ones = np.full((side, side), 255, np.uint8)
    for k in range(count):
        shift = np.float32([[1, 0, x[k] - side / 2], [0, 1, y[k] - side / 2]])
        layer = cv2.warpAffine(sprite, shift, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
        alpha = cv2.warpAffine(ones, shift, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR) / 255.0
        frame = background * (1 - alpha) + layer * alpha
        out[k] = np.clip(frame + 0.5, 0, 255).astype(np.uint8)[..., None]
    return out


@lru_cache(maxsize=1)
def synth_frames(scene: str, variant: str) -> np.ndarray:
    """``probepress.synth.render_frames``, remembering the last clip (~100 MB) so that
    the raw and H.264 runs of one variant render it once."""
    from probepress.synth import render_frames

    return render_frames(scene, variant)


def as_clip(frames: np.ndarray, fps: float, kind: str, tmp: Path) -> Clip:
    """The frames as a clip: ``"raw"`` in memory, or ``"h264"`` after CRF 23 and decoding."""
    if kind == "raw":
        return clip_from_array(frames, fps=fps)
    from probepress.synth.encode import write_mp4

    path = tmp / "clip.mp4"
    write_mp4(path, frames, fps=fps, crf=23)
    return open_clip(path)


def _splat(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Bilinear splat of point weights into a float image (sub-pixel exact centroids)."""
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    img = np.zeros(HEIGHT * WIDTH, np.float32)
    for dx, dy, w in (
        (0, 0, (1 - fx) * (1 - fy)),
        (1, 0, fx * (1 - fy)),
        (0, 1, (1 - fx) * fy),
        (1, 1, fx * fy),
    ):
        xi, yi = x0 + dx, y0 + dy
        ok = (xi >= 0) & (xi < WIDTH) & (yi >= 0) & (yi < HEIGHT)
        img += np.bincount(
            yi[ok] * WIDTH + xi[ok], weights=(w * weight)[ok], minlength=HEIGHT * WIDTH
        ).astype(np.float32)
    return img.reshape(HEIGHT, WIDTH)


def _horizon(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A static skyline along the bottom 70 px: dark blocks with lit windows."""
    mask = np.zeros((HEIGHT, WIDTH), bool)
    colour = np.zeros((HEIGHT, WIDTH), np.float32)
    x = 0
    while x < WIDTH:
        w, top = int(rng.integers(30, 80)), int(rng.integers(HEIGHT - 70, HEIGHT - 30))
        mask[top:, x : x + w] = True
        colour[top:, x : x + w] = 12
        for wy in range(top + 5, HEIGHT - 6, 10):
            for wx in range(x + 4, x + w - 6, 9):
                if rng.random() < 0.4:
                    colour[wy : wy + 5, wx : wx + 4] = rng.uniform(120, 220)
        x += w
    return mask, colour


def _texture(rng: np.random.Generator, h: int, w: int, *, cell: int, low: int, high: int):
    """Blocky random texture with sharp corners (good features to track), float32."""
    grid = rng.uniform(low, high, (h // cell + 2, w // cell + 2)).astype(np.float32)
    blocks = cv2.resize(grid, None, fx=cell, fy=cell, interpolation=cv2.INTER_NEAREST)[:h, :w]
    fine = rng.normal(0, 6, (h, w)).astype(np.float32)
    return cv2.GaussianBlur(blocks, (0, 0), 0.7) + cv2.GaussianBlur(fine, (0, 0), 1.0)


def panning_texture(
    speed_px_s: float, *, fps: float = 24.0, seconds: float = 3.0, seed: int = 0
) -> np.ndarray:
    """A textured wall sliding left at ``speed_px_s`` px/s (a camera pan to the right)."""
    rng = np.random.default_rng(seed)
    count = int(round(fps * seconds))
    reach = int(np.ceil(speed_px_s * seconds)) + 8
    wall = _texture(rng, HEIGHT, WIDTH + reach, cell=20, low=50, high=200)
    out = np.empty((count, HEIGHT, WIDTH, 3), np.uint8)
    for k in range(count):
        shift = np.float32([[1, 0, -speed_px_s * k / fps], [0, 1, 0]])
        frame = cv2.warpAffine(wall, shift, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
        out[k] = np.clip(frame + 0.5, 0, 255).astype(np.uint8)[..., None]
    return out


def sliding_turn(
    omega_deg_s: float,
    centre_speed_px_s: float,
    *,
    fps: float = 24.0,
    seconds: float = 4.0,
    seed: int = 3,
) -> np.ndarray:
    """A texture turning at ``omega_deg_s`` about a centre that slides right.

    The centre starts left of the frame's middle and ends as far right of it, moving
    at ``centre_speed_px_s``: a wheel rolling across the picture rather than a sky
    turning about its pole.
    """
    rng = np.random.default_rng(seed)
    canvas = _texture(rng, 3 * HEIGHT, 3 * WIDTH, cell=20, low=50, high=200)
    count = int(round(fps * seconds))
    out = np.empty((count, HEIGHT, WIDTH, 3), np.uint8)
    for k in range(count):
        t = k / fps
        cx = WIDTH / 2 + centre_speed_px_s * (t - seconds / 2)
        # Turn the canvas about the point that lands on (cx, HEIGHT / 2), then crop.
        turn = cv2.getRotationMatrix2D((cx + WIDTH, HEIGHT / 2 + HEIGHT), omega_deg_s * t, 1.0)
        turn[:, 2] -= (WIDTH, HEIGHT)
        frame = cv2.warpAffine(canvas, turn, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
        out[k] = np.clip(frame + 0.5, 0, 255).astype(np.uint8)[..., None]
    return out

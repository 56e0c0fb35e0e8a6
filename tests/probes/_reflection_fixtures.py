"""A lake scene with a known mirror line, rendered for the reflection tests.

A textured train crosses in front of hills above row ``axis``; water row ``axis + k``
mirrors row ``axis - 1 - k`` (the mirror line is the row boundary, reported as
``axis_y = axis``, as in the synth scenes) and shows ``gain * blur(flip(scene))``
plus a textured water surface. Keyword arguments break the physics in the ways the
probe must catch: a reflection that lags, is offset, or moves at another speed, or
no reflection at all.
"""

from __future__ import annotations

import cv2
import numpy as np

WIDTH, HEIGHT, FPS = 640, 360, 24.0
TINT = np.array([0.92, 1.0, 1.08], np.float32)  # a blue-ish cast, the same everywhere


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    noise = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0), sigma)
    return noise / (noise.std() + 1e-9)


def _background(rng: np.random.Generator, axis: int) -> np.ndarray:
    """Sky, clouds and a textured hill line above the axis: ``(axis, WIDTH)`` luma."""
    rows = np.arange(axis, dtype=np.float32)[:, None]
    sky = 200.0 - 50.0 * rows / axis + 12.0 * _smooth_noise(rng, (axis, WIDTH), 10.0)
    ridge = axis - 45 - 25 * _smooth_noise(rng, (1, WIDTH), 40.0)[0]
    hills = 80.0 + 25.0 * _smooth_noise(rng, (axis, WIDTH), 1.5)
    return np.where(rows >= ridge[None, :], hills, sky)


def _train(rng: np.random.Generator) -> np.ndarray:
    """A 44 x 280 textured carriage band: body, windows, grain."""
    body = 130.0 + 18.0 * _smooth_noise(rng, (44, 280), 1.0)
    body[8:22, (np.arange(280) % 28) < 16] = 225.0
    body[36:, :] = 40.0  # undercarriage
    return body


def render_lake(
    frames: int = 72,
    *,
    axis: int = 200,
    speed: float = 4.0,
    lag: int = 0,
    offset: int = 0,
    speed_ratio: float = 1.0,
    gain: float = 0.65,
    blur: float = 1.5,
    reflect: bool = True,
    moving: bool = True,
    seed: int = 0,
) -> np.ndarray:
    """Render ``(frames, HEIGHT, WIDTH, 3)`` uint8 RGB frames of the lake scene.

    ``lag`` frames: the reflection shows the train where it was ``lag`` frames
    earlier; ``offset`` px: the train's reflection sits that much lower; ``speed_ratio``:
    the reflected train moves at that fraction of the train's speed.
    """
    rng = np.random.default_rng(seed)
    background = _background(rng, axis)
    train = _train(rng)
    depth = HEIGHT - axis
    surface = _smooth_noise(rng, (depth, WIDTH), 2.0)  # the water's own texture
    source_rows = np.clip(axis - 1 - np.arange(depth), 0, axis - 1)  # row axis+d mirrors axis-1-d
    out = np.empty((frames, HEIGHT, WIDTH, 3), np.uint8)
    top = axis - 4 - train.shape[0]
    for t in range(frames):
        step = speed * t if moving else 0.0
        scene = _paste(background, train, 40 + step, top)
        mirror_x = 40 + (speed * (t - lag) * speed_ratio if moving else 0.0)
        mirrored = _paste(background, train, mirror_x, top - offset)
        if reflect:
            lower = (
                cv2.GaussianBlur(mirrored[source_rows], (0, 0), blur)
                if blur
                else mirrored[source_rows]
            )
            lower = gain * lower + 30.0 + 4.0 * surface
        else:
            lower = 90.0 + 25.0 * surface
        luma = np.vstack([scene, lower])
        out[t] = np.clip(luma[..., None] * TINT, 0, 255).astype(np.uint8)
    return out


def _paste(background: np.ndarray, train: np.ndarray, x: float, top: int) -> np.ndarray:
    """The background with the train at column ``x`` (rounded) and row ``top``."""
    scene = background.copy()
    x = int(round(x))
    left, right = max(0, x), min(WIDTH, x + train.shape[1])
    if right > left:
        scene[top : top + train.shape[0], left:right] = train[:, left - x : right - x]
    return scene

"""Drawing helpers shared by the synthetic scenes.

Everything here is deterministic: randomness comes only from generators made by
:func:`rng_for`, so a scene renders bit-identically for the same seed.

Float images are RGB in ``[0, 1]`` (``float32``); uint8 images are RGB in
``[0, 255]``. OpenCV's anti-aliased drawing works only on 8-bit images, so shapes
are drawn on uint8 images with :data:`SUBPIXEL_BITS` fractional bits, which
places them to 1/16 px and keeps motion smooth.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import cv2
import numpy as np

#: Fractional bits passed to OpenCV's ``shift`` argument (1/16 px positioning).
SUBPIXEL_BITS = 4
_ONE = 1 << SUBPIXEL_BITS

Color = tuple[int, int, int]


def rng_for(seed: int, *keys: str) -> np.random.Generator:
    """Return a generator for one named random stream of a seed.

    Separate streams (e.g. the star field and Model A's jitter) keep the shared
    background identical across variants while each violation has its own noise.

    Parameters
    ----------
    seed : int
        Non-negative user seed.
    *keys : str
        Stream names, e.g. ``("star-trails", "sky")``.
    """
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    return np.random.default_rng([seed, *(zlib.crc32(key.encode()) for key in keys)])


def vertical_gradient(height: int, width: int, stops: Sequence[tuple[float, Color]]) -> np.ndarray:
    """Return a top-to-bottom colour gradient, float32 ``(height, width, 3)`` in [0, 1].

    ``stops`` are ``(position, rgb)`` pairs with position 0 = top row, 1 = bottom row
    and colours as 0-255 RGB; colours are interpolated linearly between stops.
    """
    pos = np.array([p for p, _ in stops], dtype=np.float64)
    rgb = np.array([c for _, c in stops], dtype=np.float64) / 255.0
    y = np.linspace(0.0, 1.0, height)
    column = np.stack([np.interp(y, pos, rgb[:, c]) for c in range(3)], axis=-1)
    return np.repeat(column[:, None, :], width, axis=1).astype(np.float32)


def smooth_noise(
    rng: np.random.Generator, height: int, width: int, cell: float, octaves: int = 3
) -> np.ndarray:
    """Return smooth fractal value noise, float32 ``(height, width)``, zero mean, unit std.

    ``cell`` is the feature size of the coarsest octave in pixels; each further
    octave halves it with half the amplitude.
    """
    total = np.zeros((height, width), np.float32)
    amplitude = 1.0
    for _ in range(octaves):
        grid_h = max(2, int(np.ceil(height / cell)) + 1)
        grid_w = max(2, int(np.ceil(width / cell)) + 1)
        grid = rng.standard_normal((grid_h, grid_w)).astype(np.float32)
        total += amplitude * cv2.resize(grid, (width, height), interpolation=cv2.INTER_CUBIC)
        amplitude *= 0.5
        cell = max(cell / 2.0, 1.0)
    total -= total.mean()
    return total / max(float(total.std()), 1e-6)


def ridge(
    rng: np.random.Generator, width: int, base: float, amplitude: float, cell: float
) -> np.ndarray:
    """Return a smooth horizon line ``y(x)`` for ``x = 0..width-1`` (float64, px)."""
    line = smooth_noise(rng, 1, width, cell, octaves=3)[0].astype(np.float64)
    return base + amplitude * line


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Convert a float image in [0, 1] to uint8 with rounding and clipping."""
    scaled = image * np.float32(255.0)
    scaled += np.float32(0.5)
    return np.clip(scaled, 0.0, 255.0, out=scaled).astype(np.uint8)


def to_float(image: np.ndarray) -> np.ndarray:
    """Convert a uint8 image to float32 in [0, 1]."""
    return image.astype(np.float32) * np.float32(1.0 / 255.0)


def fixed(points) -> np.ndarray:
    """Convert float pixel coordinates to OpenCV fixed point (``SUBPIXEL_BITS``)."""
    return np.round(np.asarray(points, dtype=np.float64) * _ONE).astype(np.int32)


def _pt(point) -> tuple[int, int]:
    x, y = fixed(point)
    return int(x), int(y)


def fill_poly(image: np.ndarray, points, color: Color | int) -> None:
    """Fill one polygon (``(N, 2)`` float px) with anti-aliased edges, in place."""
    cv2.fillPoly(image, [fixed(points)], color, cv2.LINE_AA, SUBPIXEL_BITS)


def fill_circle(image: np.ndarray, center, radius: float, color: Color | int) -> None:
    """Fill an anti-aliased disc at a sub-pixel centre, in place."""
    cv2.circle(image, _pt(center), int(round(radius * _ONE)), color, -1, cv2.LINE_AA, SUBPIXEL_BITS)


def fill_ellipse(image: np.ndarray, center, axes, angle_deg: float, color: Color | int) -> None:
    """Fill an anti-aliased ellipse, in place.

    ``angle_deg`` follows OpenCV: the semi-axis ``axes[0]`` is turned by that many
    degrees clockwise on screen (y down).
    """
    cv2.ellipse(
        image, _pt(center), _pt(axes), angle_deg, 0, 360, color, -1, cv2.LINE_AA, SUBPIXEL_BITS
    )


def line(image: np.ndarray, p0, p1, color: Color | int, thickness: int) -> None:
    """Draw an anti-aliased line with round caps between sub-pixel end points, in place."""
    cv2.line(image, _pt(p0), _pt(p1), color, thickness, cv2.LINE_AA, SUBPIXEL_BITS)


def polyline(image: np.ndarray, points, color: Color | int, thickness: int) -> None:
    """Draw an open anti-aliased polyline through ``(N, 2)`` float points, in place."""
    cv2.polylines(image, [fixed(points)], False, color, thickness, cv2.LINE_AA, SUBPIXEL_BITS)


def disc_coverage(dx: np.ndarray, dy: np.ndarray, radius: float) -> np.ndarray:
    """Return the analytic anti-aliased coverage of a disc at offsets ``(dx, dy)`` px."""
    return np.clip(radius + 0.5 - np.hypot(dx, dy), 0.0, 1.0)


def splat(height: int, width: int, x: np.ndarray, y: np.ndarray, weights: np.ndarray):
    """Accumulate point samples into an image with bilinear weights.

    Bilinear splatting keeps a point's centroid at its exact sub-pixel position,
    so blurred splats move smoothly and rotate rigidly.

    Parameters
    ----------
    height, width : int
        Output size in px.
    x, y : ndarray, shape (N,)
        Sample positions in px (x right, y down, pixel centres at integers).
    weights : ndarray, shape (N, C)
        Per-sample values to deposit.

    Returns
    -------
    ndarray, shape (height, width, C), float32
    """
    x0 = np.floor(x).astype(np.int64)
    y0 = np.floor(y).astype(np.int64)
    fx = x - x0
    fy = y - y0
    # All four corners in one bincount per channel.
    xi = np.concatenate([x0, x0 + 1, x0, x0 + 1])
    yi = np.concatenate([y0, y0, y0 + 1, y0 + 1])
    w = np.concatenate([(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy])
    ok = (xi >= 0) & (xi < width) & (yi >= 0) & (yi < height)
    index = yi[ok] * width + xi[ok]
    out = np.empty((height, width, weights.shape[1]), np.float32)
    for c in range(weights.shape[1]):
        values = w[ok] * np.tile(weights[:, c], 4)[ok]
        out[..., c] = np.bincount(index, weights=values, minlength=height * width).reshape(
            height, width
        )
    return out


def dither(rng: np.random.Generator, height: int, width: int) -> np.ndarray:
    """Return static ±0.5/255 noise (float32, ``(H, W, 1)``) that hides gradient banding."""
    return ((rng.random((height, width, 1)) - 0.5) / 255.0).astype(np.float32)


def turn_hue(frame: np.ndarray, degrees: float) -> np.ndarray:
    """``frame`` with its hue turned by ``degrees`` and its brightness (BT.601 luma) kept.

    The chroma plane (Cb, Cr) is rotated; luma changes only where a channel clips at 0
    or 255. A colour drift that probes reading brightness alone do not see.
    """
    ycc = cv2.cvtColor(frame, cv2.COLOR_RGB2YCrCb).astype(np.float64)
    cr, cb = ycc[..., 1] - 128.0, ycc[..., 2] - 128.0
    turn = np.radians(degrees)
    ycc[..., 1] = 128.0 + cr * np.cos(turn) - cb * np.sin(turn)
    ycc[..., 2] = 128.0 + cr * np.sin(turn) + cb * np.cos(turn)
    levels = np.clip(np.rint(ycc), 0, 255).astype(np.uint8)
    return cv2.cvtColor(levels, cv2.COLOR_YCrCb2RGB)

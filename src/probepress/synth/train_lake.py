"""Scene ``train-lake``: a train crossing a lake shore at dusk, mirrored in still water.

Physics of the reference: the train's front is at ``x = TRAIN_X0 + TRAIN_SPEED * t``
px (left to right, constant speed). The water surface starts at row ``WATER_Y``;
each water row ``WATER_Y + k`` shows the upper-scene row ``WATER_Y - 1 - k`` of the
same frame (so the mirror plane is the boundary between rows 199 and 200, which
we report as ``reflection.axis_y = 200``: y = 199.5 with pixel centres at integers),
blurred by a Gaussian (sigma ``REFLECTION_BLUR`` px, x and y), scaled by
``GAIN`` and lifted by a small constant water tint: ``water = GAIN * blur(mirror) + TINT``.
A few faint static ripple lines are added on top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import cv2
import numpy as np

from probepress.synth import draw
from probepress.synth.scene import Scene, Variant

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 6.0
N_FRAMES = int(FPS * SECONDS)
WATER_Y = 200  # first water row; the mirror plane is the row boundary above it
TRAIN_SPEED = 80.0  # px/s, + = rightwards
TRAIN_X0 = 250.0  # front of the locomotive at t = 0, px
RAIL_Y = 190.0  # wheels stand on this row
GAIN = 0.65
TINT = np.array([0.015, 0.04, 0.06], np.float32)  # additive water colour
REFLECTION_BLUR = (1.2, 1.5)  # Gaussian sigma in px (x, y)
LAG_FRAMES = 3  # model-a
OFFSET_PX = 8  # model-b: reflection displaced down, symmetry axis at WATER_Y + 4
SLOW_RATIO = 0.5  # model-c: reflected train speed / train speed

RED, CREAM, ROOF, DARK = (176, 40, 48), (236, 224, 194), (72, 72, 84), (34, 34, 40)
LIT, UNLIT = (255, 212, 128), (50, 56, 72)


def _backdrop(seed: int) -> np.ndarray:
    """Static upper scene (rows 0..WATER_Y-1): dusk sky, sun, hills, bank and track."""
    rng = draw.rng_for(seed, "train-lake", "backdrop")
    h, w = WATER_Y, WIDTH
    img = draw.vertical_gradient(
        h,
        w,
        [
            (0.0, (44, 60, 118)),
            (0.35, (112, 104, 160)),
            (0.7, (236, 156, 122)),
            (0.85, (252, 200, 150)),
        ],
    )
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    sun_d = np.hypot(xs - 470, ys - 146)
    img += (np.exp(-sun_d / 60.0) * 0.35)[..., None] * np.array([1.0, 0.75, 0.45], np.float32)
    disc = np.clip(20.5 - sun_d, 0, 1)[..., None]  # anti-aliased sun disc
    img = img * (1 - disc) + disc * np.array([1.0, 0.93, 0.78], np.float32)
    # Thin cloud streaks: noise made on a narrow grid, then stretched 6x horizontally.
    streak = cv2.resize(
        draw.smooth_noise(rng, h, w // 6, 10.0, 3), (w, h), interpolation=cv2.INTER_CUBIC
    )
    cloud = np.clip((streak - 0.8) * 0.8, 0, 1) * np.clip((140 - ys) / 80, 0, 1) * 0.5
    img = img * (1 - cloud[..., None]) + cloud[..., None] * np.array([0.98, 0.68, 0.64], np.float32)
    img = draw.to_uint8(img + draw.dither(rng, h, w))
    xline = np.arange(w, dtype=np.float64)
    bottom = [(w + 2, h + 2), (-2, h + 2)]
    for base, amp, cell, colour in (
        (146.0, 12.0, 200.0, (118, 102, 150)),
        (162.0, 8.0, 120.0, (74, 74, 106)),
    ):
        ridge = draw.ridge(rng, w, base, amp, cell)
        draw.fill_poly(img, np.vstack([np.c_[xline, ridge], bottom]), colour)
    # Bushes along the bank behind the track.
    for x in rng.uniform(-10, w + 10, 26):
        r = rng.uniform(6, 14)
        draw.fill_ellipse(img, (x, 182 - r * 0.4), (r * 1.6, r), 0.0, (52, 66, 56))
    draw.fill_poly(img, [(-2, 180), (w + 2, 180), (w + 2, h + 2), (-2, h + 2)], (60, 70, 56))
    draw.fill_poly(
        img, [(-2, RAIL_Y + 1), (w + 2, RAIL_Y + 1), (w + 2, 196), (-2, 196)], (122, 110, 100)
    )  # ballast
    for x in np.arange(-4.0, w + 4, 9.0):  # sleepers
        draw.fill_poly(
            img,
            [(x, RAIL_Y + 0.5), (x + 4, RAIL_Y + 0.5), (x + 4, RAIL_Y + 2.5), (x, RAIL_Y + 2.5)],
            (80, 66, 56),
        )
    draw.fill_poly(
        img,
        [(-2, RAIL_Y - 0.5), (w + 2, RAIL_Y - 0.5), (w + 2, RAIL_Y + 1), (-2, RAIL_Y + 1)],
        (150, 150, 158),
    )
    draw.fill_poly(img, [(-2, 196), (w + 2, 196), (w + 2, h + 2), (-2, h + 2)], (84, 80, 62))
    # Two telegraph poles: tall static verticals that the reflection must mirror too.
    for x in (92.0, 566.0):
        draw.fill_poly(
            img, [(x - 1.2, 118), (x + 1.2, 118), (x + 1.6, 197), (x - 1.6, 197)], (58, 46, 42)
        )
        draw.fill_poly(
            img, [(x - 9, 124), (x + 9, 124), (x + 9, 126.5), (x - 9, 126.5)], (58, 46, 42)
        )
    return img


def _train_parts(seed: int) -> list[tuple[str, np.ndarray, tuple[int, int, int]]]:
    """Train geometry in local coordinates (x = 0 at the front, y in frame px)."""
    rng = draw.rng_for(seed, "train-lake", "windows")
    parts: list[tuple[str, np.ndarray, tuple[int, int, int]]] = []

    def rect(x0: float, y0: float, x1: float, y1: float, colour) -> None:
        parts.append(("poly", np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]), colour))

    def wheels(x0: float, x1: float) -> None:
        rect(x0 + 3, 182, x1 - 3, 187, DARK)
        for x in (x0 + 10, x0 + 20, x1 - 20, x1 - 10):
            parts.append(("circle", np.array([x, RAIL_Y - 4.2, 4.2]), (28, 28, 32)))
            parts.append(("circle", np.array([x, RAIL_Y - 4.2, 1.6]), (110, 110, 116)))

    # Locomotive: sloped nose, cab window, headlight.
    wheels(-96, -2)
    parts.append(("poly", np.array([(-96, 147), (-16, 147), (0, 160), (0, 183), (-96, 183)]), RED))
    parts.append(("poly", np.array([(-95, 147), (-16, 147), (-20, 142), (-91, 142)]), ROOF))
    parts.append(
        ("poly", np.array([(-13, 151), (-2.5, 160), (-2.5, 166), (-13, 166)]), (150, 176, 200))
    )
    rect(-96, 167, 0, 171, CREAM)
    for x in (-34, -52, -70, -88):
        rect(x, 153, x + 10, 162, (150, 176, 200))
    parts.append(("circle", np.array([-2.0, 176.0, 2.6]), (255, 244, 210)))
    # Carriages: cream window band, red skirt, lit or unlit windows.
    for i in range(3):
        x1 = -102.0 - i * 94.0
        x0 = x1 - 88.0
        rect(x1, 168, x1 + 6, 176, DARK)  # coupling
        wheels(x0, x1)
        parts.append(("poly", np.array([(x0 + 3, 145), (x1 - 3, 145), (x1, 149), (x0, 149)]), ROOF))
        rect(x0, 149, x1, 183, RED)
        rect(x0, 152, x1, 170, CREAM)
        rect(x0, 173, x1, 175, CREAM)
        for j in range(6):
            wx = x0 + 7 + j * 13.0
            rect(wx, 155, wx + 9, 166, LIT if rng.random() < 0.75 else UNLIT)
    return parts


def _draw_train(image: np.ndarray, parts, x_front: float) -> None:
    """Draw the train with its front at ``x_front`` px, in place (sub-pixel exact)."""
    offset = np.array([x_front, 0.0])
    for kind, geometry, colour in parts:
        if kind == "poly":
            draw.fill_poly(image, geometry + offset, colour)
        else:
            draw.fill_circle(image, geometry[:2] + offset, geometry[2], colour)


def _ripples(seed: int) -> np.ndarray:
    """Faint static highlight streaks on the water, float32 ``(H - WATER_Y, W, 1)``."""
    rng = draw.rng_for(seed, "train-lake", "ripples")
    h = HEIGHT - WATER_Y
    ys = np.arange(h, dtype=np.float32)[:, None]
    out = np.zeros((h, WIDTH), np.float32)
    # More streaks further from the shore, as on a real lake seen at a low angle.
    for y in np.sort(h * np.sqrt(rng.random(30))):
        along = np.clip(draw.smooth_noise(rng, 1, WIDTH, rng.uniform(30, 90), 2)[0] - 0.6, 0, 1)
        out += 0.03 * np.exp(-0.5 * ((ys - y) / 0.6) ** 2) * along[None, :]
    return out[..., None]


def _render(
    seed: int, reflected_x: Callable[[float], float], offset: int = 0
) -> Iterator[np.ndarray]:
    """Yield frames; the water mirrors a train whose front is at ``reflected_x(t)``.

    ``offset`` displaces the mirrored image ``offset`` px down (model-b).
    """
    backdrop = _backdrop(seed)
    parts = _train_parts(seed)
    water_base = np.ascontiguousarray(TINT + _ripples(seed))  # full (h, W, 3): fast adds
    k = np.arange(HEIGHT - WATER_Y)
    src_rows = np.clip(WATER_Y - 1 - k + offset, 0, WATER_Y - 1)
    for frame_index in range(N_FRAMES):
        t = frame_index / FPS
        upper = backdrop.copy()
        x_front = TRAIN_X0 + TRAIN_SPEED * t
        _draw_train(upper, parts, x_front)
        mirrored = upper
        if reflected_x(t) != x_front:
            mirrored = backdrop.copy()
            _draw_train(mirrored, parts, reflected_x(t))
        blurred = cv2.GaussianBlur(draw.to_float(mirrored), (0, 0), *REFLECTION_BLUR)
        water = GAIN * blurred[src_rows] + water_base
        yield np.vstack([upper, draw.to_uint8(water)])


def _train_x(t: float) -> float:
    return TRAIN_X0 + TRAIN_SPEED * t


def _reference(seed: int) -> Iterator[np.ndarray]:
    return _render(seed, _train_x)


def _lagging(seed: int) -> Iterator[np.ndarray]:
    return _render(seed, lambda t: _train_x(t - LAG_FRAMES / FPS))


def _offset(seed: int) -> Iterator[np.ndarray]:
    return _render(seed, _train_x, offset=OFFSET_PX)


def _slow(seed: int) -> Iterator[np.ndarray]:
    # Both trains coincide mid-clip, so the mismatch grows towards either end.
    mid = SECONDS / 2
    return _render(seed, lambda t: _train_x(mid) + SLOW_RATIO * TRAIN_SPEED * (t - mid))


_TRUTH = {
    "reflection.axis_y": float(WATER_Y),
    "reflection.lag_frames": 0.0,
    "reflection.gain": GAIN,
    "reflection.velocity_ratio": 1.0,
}

SCENE = Scene(
    name="train-lake",
    title="A train mirrored in a lake",
    prompt="A red passenger train crosses the shore of a perfectly still lake at dusk, "
    "its lit windows mirrored in the water.",
    description=(
        f"The train moves right at {TRAIN_SPEED:g} px/s. Water row {WATER_Y}+k mirrors row "
        f"{WATER_Y - 1}-k of the same frame (axis_y = {WATER_Y}, the row boundary), blurred "
        f"(sigma {REFLECTION_BLUR[0]:g}/{REFLECTION_BLUR[1]:g} px), times gain {GAIN:g} plus "
        f"a constant water tint."
    ),
    probes=("reflection", "motion", "flicker"),
    width=WIDTH,
    height=HEIGHT,
    fps=FPS,
    seconds=SECONDS,
    variants={
        v.name: v
        for v in (
            Variant("reference", "Reference", None, _reference, dict(_TRUTH)),
            Variant(
                "model-a",
                "Model A",
                f"the reflection lags the train by {LAG_FRAMES} frames",
                _lagging,
                {**_TRUTH, "reflection.lag_frames": float(LAG_FRAMES)},
            ),
            Variant(
                "model-b",
                "Model B",
                f"the reflection is displaced {OFFSET_PX} px down from a true mirror",
                _offset,
                {**_TRUTH, "reflection.axis_y": WATER_Y + OFFSET_PX / 2},
            ),
            Variant(
                "model-c",
                "Model C",
                "the train's reflection moves at half the train's speed",
                _slow,
                {
                    k: v
                    for k, v in {**_TRUTH, "reflection.velocity_ratio": SLOW_RATIO}.items()
                    if k != "reflection.lag_frames"
                },
            ),
        )
    },
)

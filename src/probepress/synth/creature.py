"""Scene ``creature``: a fox-like animal walking across a summer meadow.

The reference moves smoothly: the body advances at ``SPEED`` px/s and every joint
angle (hips, knees, neck, tail) is a sinusoid of time at the stride frequency
``STRIDE_HZ`` (walk gait: left hind, left fore, right hind, right fore a quarter
cycle apart), so positions have continuous derivatives of every order. There is
no physics quantity to state here; the scene exercises the motion and flicker
probes, and its variants break smoothness or brightness stability.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from probepress.synth import draw
from probepress.synth.scene import Scene, Variant

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 6.0
N_FRAMES = int(FPS * SECONDS)
SPEED = 60.0  # px/s, rightwards
START_X = 130.0  # body centre at t = 0, px
GROUND_Y = 302.0  # paws touch this line
STRIDE_HZ = 1.1
HIP_SWING_DEG = 24.0
UPPER, LOWER = 25.0, 23.0  # leg segment lengths, px
JITTER_PX = (1.0, 3.0)  # model-a: displacement magnitude range per frame
FLICKER_STD = 0.03  # model-b: per-frame brightness gain std
HOLD_EVERY = 4  # model-c: every 4th frame repeats the previous one
HUE_TURN_DEG = 120.0  # model-c: its colours are not the input image's (brightness kept)

ORANGE, CREAM, BROWN, DARK = (214, 116, 54), (246, 228, 196), (180, 90, 42), (52, 36, 30)
FAR = (140, 72, 36)  # legs on the far side, in the body's shade
# Leg phases (fraction of a stride): hind legs at x = -30, fore legs at x = +30.
LEGS_FAR = ((-30.0, 0.0), (30.0, 0.25))
LEGS_NEAR = ((-30.0, 0.5), (30.0, 0.75))


def _meadow(seed: int) -> np.ndarray:
    """Static background: sky, clouds, hills and a flowered meadow (uint8 RGB)."""
    rng = draw.rng_for(seed, "creature", "meadow")
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    img = draw.vertical_gradient(HEIGHT, WIDTH, [(0.0, (132, 184, 232)), (0.5, (214, 232, 240))])
    cloud = np.clip(draw.smooth_noise(rng, HEIGHT, WIDTH, 110.0, 4) - 0.7, 0, 1)
    cloud *= np.clip((170 - ys) / 100, 0, 1)
    img += (0.5 * cloud)[..., None] * (1 - img)
    meadow = draw.vertical_gradient(HEIGHT, WIDTH, [(0.55, (150, 190, 96)), (1.0, (86, 150, 62))])
    meadow *= (1 + 0.05 * draw.smooth_noise(rng, HEIGHT, WIDTH, 14.0, 4))[..., None]
    img = draw.to_uint8(img + draw.dither(rng, HEIGHT, WIDTH))
    meadow = draw.to_uint8(meadow)
    xline = np.arange(WIDTH, dtype=np.float64)
    bottom = [(WIDTH + 2, HEIGHT + 2), (-2, HEIGHT + 2)]
    for base, amp, colour in ((178.0, 14.0, (150, 184, 176)), (196.0, 8.0, (120, 166, 120))):
        ridge = draw.ridge(rng, WIDTH, base, amp, 180.0)
        draw.fill_poly(img, np.vstack([np.c_[xline, ridge], bottom]), colour)
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    edge = draw.ridge(rng, WIDTH, 212.0, 4.0, 90.0)
    draw.fill_poly(mask, np.vstack([np.c_[xline, edge], bottom]), 255)
    m = draw.to_float(mask)[..., None]
    img = draw.to_uint8(draw.to_float(img) * (1 - m) + draw.to_float(meadow) * m)
    # Flowers and grass tufts, bigger and sparser towards the viewer.
    petals = [(250, 250, 244), (252, 214, 80), (236, 140, 170), (170, 150, 230)]
    for _ in range(420):
        y = 214 + (HEIGHT - 214) * rng.random() ** 0.7
        x = rng.uniform(0, WIDTH)
        scale = 0.4 + 1.6 * (y - 214) / (HEIGHT - 214)
        if rng.random() < 0.45:
            lean = rng.uniform(-3, 3) * scale
            draw.line(img, (x, y), (x + lean, y - 5 * scale), (74, 128, 52), 1)
        else:
            draw.fill_circle(img, (x, y), 1.3 * scale, petals[rng.integers(len(petals))])
    return img


def _leg(hip: np.ndarray, phase: float, t: float) -> tuple[np.ndarray, np.ndarray]:
    """Knee and paw positions for a hip (px) and gait phase at time ``t`` s."""
    w = 2 * np.pi * (STRIDE_HZ * t + phase)
    swing = np.deg2rad(HIP_SWING_DEG) * np.sin(w)  # + = forward
    bend = np.deg2rad(10.0 + 24.0 * (1 + np.cos(w)) / 2)  # knee lifts on the forward swing
    knee = hip + UPPER * np.array([np.sin(swing), np.cos(swing)])
    paw = knee + LOWER * np.array([np.sin(swing - bend), np.cos(swing - bend)])
    return knee, paw


def _draw_creature(img: np.ndarray, t: float, offset: np.ndarray) -> None:
    """Draw the animal at pose time ``t`` s, displaced by ``offset`` px, in place."""
    w = 2 * np.pi * STRIDE_HZ * t
    body = np.array([START_X + SPEED * t, GROUND_Y - 58.0 - 1.5 * np.cos(2 * w)]) + offset
    # Soft ground shadow under the body.
    sx0, sy0 = int(body[0]) - 70, int(GROUND_Y + offset[1]) - 10
    sy, sx = np.mgrid[sy0 : sy0 + 20, sx0 : sx0 + 140].astype(np.float32)
    shade = 0.28 * np.exp(-(((sx - body[0]) / 46) ** 2 + ((sy - GROUND_Y - offset[1]) / 5) ** 2))
    patch = draw.to_float(img[sy0 : sy0 + 20, sx0 : sx0 + 140])
    img[sy0 : sy0 + 20, sx0 : sx0 + 140] = draw.to_uint8(patch * (1 - shade[..., None]))

    def legs(pairs, colour, paw_colour) -> None:
        for hip_x, phase in pairs:
            hip = body + (hip_x, 8.0)
            knee, paw = _leg(hip, phase, t)
            draw.line(img, hip, knee, colour, 9)
            draw.line(img, knee, paw, paw_colour, 6)
            draw.fill_ellipse(img, paw + (2.0, 0.5), (5.0, 3.0), 0.0, paw_colour)

    legs(LEGS_FAR, FAR, DARK)
    # Bushy tail: a chain of discs swaying with the stride, cream at the tip.
    tail = body + (-44.0, -6.0)
    for i, radius in enumerate((6.0, 8.0, 9.0, 9.0, 8.0, 6.0)):
        angle = np.deg2rad(194.0 - 4.0 * i + 9.0 * np.sin(w - 0.5 * i))
        tail = tail + 7.0 * np.array([np.cos(angle), -np.sin(angle)])
        draw.fill_circle(img, tail, radius, CREAM if i >= 4 else ORANGE)
    draw.fill_ellipse(img, body, (48.0, 21.0), 0.0, ORANGE)
    draw.fill_ellipse(img, body + (6.0, 13.0), (30.0, 6.0), 0.0, CREAM)
    # Neck and head nod at twice the stride frequency, as an animal's head bobs per step.
    head = body + (58.0, -30.0 + 2.0 * np.sin(2 * w + 0.6))
    draw.line(img, body + (30.0, -4.0), head + (-6.0, 4.0), ORANGE, 18)
    draw.fill_poly(img, head + [(-6, -6), (-1, -25), (5, -8)], BROWN)  # far ear
    draw.fill_poly(img, head + [(-12, -5), (-9, -24), (-1, -9)], ORANGE)  # near ear
    draw.fill_ellipse(img, head, (15.0, 12.0), -10.0, ORANGE)
    draw.fill_poly(img, head + [(4, -6), (25, 3), (22, 7), (4, 9)], ORANGE)  # snout
    draw.fill_poly(img, head + [(2, 3), (22, 7), (4, 10), (-6, 8)], CREAM)  # cheek
    draw.fill_circle(img, head + (24.0, 4.0), 2.6, DARK)  # nose
    draw.fill_circle(img, head + (5.0, -3.0), 2.8, DARK)  # eye
    draw.fill_circle(img, head + (5.8, -3.8), 0.9, (255, 255, 255))
    legs(LEGS_NEAR, BROWN, DARK)


def _render(
    seed: int,
    pose_time: Callable[[int], float],
    offset: Callable[[int], np.ndarray] = lambda k: np.zeros(2),
    gain: Callable[[int], float] = lambda k: 1.0,
) -> Iterator[np.ndarray]:
    """Yield frames: frame ``k`` shows the pose at ``pose_time(k)``, shifted and scaled."""
    meadow = _meadow(seed)
    for k in range(N_FRAMES):
        frame = meadow.copy()
        _draw_creature(frame, pose_time(k), offset(k))
        g = gain(k)
        yield frame if g == 1.0 else draw.to_uint8(draw.to_float(frame) * g)


def _on_time(k: int) -> float:
    return k / FPS


def _reference(seed: int) -> Iterator[np.ndarray]:
    return _render(seed, _on_time)


def _jitter(seed: int) -> Iterator[np.ndarray]:
    rng = draw.rng_for(seed, "creature", "model-a")
    size = rng.uniform(*JITTER_PX, N_FRAMES)
    angle = rng.uniform(0, 2 * np.pi, N_FRAMES)
    shifts = np.c_[size * np.cos(angle), size * np.sin(angle)]
    return _render(seed, _on_time, offset=lambda k: shifts[k])


def _flicker(seed: int) -> Iterator[np.ndarray]:
    gains = draw.rng_for(seed, "creature", "model-b").normal(1.0, FLICKER_STD, N_FRAMES)
    return _render(seed, _on_time, gain=lambda k: float(gains[k]))


def _stutter(seed: int) -> Iterator[np.ndarray]:
    # Frames 3, 7, 11, ... repeat the frame before; the next frame is back on time.
    frames = _render(seed, lambda k: (k - 1 if k % HOLD_EVERY == HOLD_EVERY - 1 else k) / FPS)
    # From its first frame on, the colours are turned away from the input image's
    # (image-to-video colour drift); luma is kept, so the motion probes see the stutter only.
    return (draw.turn_hue(frame, HUE_TURN_DEG) for frame in frames)


SCENE = Scene(
    name="creature",
    title="A fox walking through a meadow",
    prompt="A red fox walks calmly from left to right through a sunny meadow full of wildflowers.",
    description=(
        f"The body moves right at {SPEED:g} px/s; hips, knees, neck and tail follow "
        f"sinusoids at {STRIDE_HZ:g} Hz (walk gait), so all motion is smooth."
    ),
    probes=("motion", "flicker"),
    width=WIDTH,
    height=HEIGHT,
    fps=FPS,
    seconds=SECONDS,
    variants={
        v.name: v
        for v in (
            Variant("reference", "Reference", None, _reference, {}),
            Variant(
                "model-a",
                "Model A",
                f"positional jitter: the whole animal jumps {JITTER_PX[0]:g}-{JITTER_PX[1]:g} px "
                "in a random direction every frame",
                _jitter,
                {},
            ),
            Variant(
                "model-b",
                "Model B",
                f"brightness flicker: each frame's brightness varies by {FLICKER_STD:.0%} (std)",
                _flicker,
                {},
            ),
            Variant(
                "model-c",
                "Model C",
                f"stutter: every {HOLD_EVERY}th frame repeats the previous one, then the motion "
                f"catches up; and it starts off the input image's colours (hue turned "
                f"{HUE_TURN_DEG:g}°, brightness kept)",
                _stutter,
                {},
            ),
        )
    },
)

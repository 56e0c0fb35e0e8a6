"""Scene ``ball-drop``: a ball dropped in a room, falling under constant gravity and bouncing.

Physics of the reference: the ball (radius ``RADIUS`` px) is released from rest
with its centre at ``(X0, Y0)`` and falls with acceleration ``G`` px/s^2 (+ = down
on screen) until its centre reaches ``Y_REST`` (bottom touching the floor line);
each bounce reverses its vertical speed times ``RESTITUTION``. Positions are
evaluated analytically per frame (piecewise parabolas, no integration drift); the
ball comes to rest once a bounce would rise less than a quarter pixel. It moves
right at a constant ``VX`` px/s throughout.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from probepress.synth import draw
from probepress.synth.scene import Scene, Variant

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 6.0
N_FRAMES = int(FPS * SECONDS)
G = 1200.0  # px/s^2, + = down
RESTITUTION = 0.75
RADIUS = 18.0
X0, Y0 = 230.0, 50.0  # centre at release, px
VX = 36.0  # px/s
FLOOR_Y = 318.0  # the ball touches the floor on this line
Y_REST = FLOOR_Y - RADIUS
WALL_Y = 262.0  # where the back wall meets the floor
FLOATY = 1.0 / 3.0  # model-a: gravity factor
JUMP = (0.4, 1.6)  # model-b: gravity factors before/after the midpoint of the first fall
# Model A's second version: three takes, each falling closer to g than v1's third of it.
SECOND_VERSION_G = (0.86, 0.92, 0.97)

BALL = np.array([228, 74, 58], np.float32) / 255.0
_LIGHT = np.array([-0.45, -0.65, 0.62]) / np.linalg.norm([-0.45, -0.65, 0.62])
_HALF = (_LIGHT + (0, 0, 1)) / np.linalg.norm(_LIGHT + (0, 0, 1))

# A trajectory is a list of segments (t_start s, y_start px, v_start px/s, a px/s^2).
Segments = list[tuple[float, float, float, float]]


def _bounces(t: float, v: float, g: float) -> Segments:
    """Parabolic arcs after an impact at time ``t`` with downward speed ``v``."""
    segments: Segments = []
    v *= RESTITUTION
    while v * v / (2 * g) > 0.25:
        segments.append((t, Y_REST, -v, g))
        t += 2 * v / g
        v *= RESTITUTION
    segments.append((t, Y_REST, 0.0, 0.0))
    return segments


def trajectory(kind: str = "reference") -> Segments:
    """Vertical motion of the ball for one variant, as analytic segments.

    ``kind`` is ``"reference"``, ``"floaty"`` (a third of g), ``"floaty:F"`` (F times g),
    ``"jump"`` or ``"linear"``.
    """
    drop = Y_REST - Y0
    fall_t = float(np.sqrt(2 * drop / G))
    if kind in ("reference", "floaty") or kind.startswith("floaty:"):
        factor = float(kind.partition(":")[2] or FLOATY) if kind != "reference" else 1.0
        g = G * factor
        fall_t = float(np.sqrt(2 * drop / g))
        return [(0.0, Y0, 0.0, g), *_bounces(fall_t, g * fall_t, g)]
    if kind == "jump":
        a1, a2 = JUMP[0] * G, JUMP[1] * G
        t_half = float(np.sqrt(drop / a1))  # covers drop / 2 at a1
        v_half = a1 * t_half
        tau = (-v_half + float(np.sqrt(v_half**2 + a2 * drop))) / a2  # second half at a2
        return [
            (0.0, Y0, 0.0, a1),
            (t_half, Y0 + drop / 2, v_half, a2),
            *_bounces(t_half + tau, v_half + a2 * tau, G),
        ]
    if kind == "linear":
        # Same timing and bounce heights as the reference, but straight lines between.
        segments: Segments = [(0.0, Y0, drop / fall_t, 0.0)]
        for start, _, v, g in _bounces(fall_t, G * fall_t, G):
            if v == 0.0:
                segments.append((start, Y_REST, 0.0, 0.0))
                break
            half, rise = -v / g, v * v / (2 * g)
            segments += [
                (start, Y_REST, -rise / half, 0.0),
                (start + half, Y_REST - rise, rise / half, 0.0),
            ]
        return segments
    raise ValueError(f"unknown trajectory {kind!r}")


def ball_y(segments: Segments, t: float) -> float:
    """Ball centre y (px) at time ``t`` s on a trajectory."""
    starts = [s[0] for s in segments]
    t0, y0, v0, a = segments[int(np.searchsorted(starts, t, side="right")) - 1]
    dt = t - t0
    return min(y0 + v0 * dt + 0.5 * a * dt * dt, Y_REST)


def _room(seed: int) -> np.ndarray:
    """Static backdrop: lamp-lit wall with wainscot, baseboard and a plank floor (uint8)."""
    rng = draw.rng_for(seed, "ball-drop", "room")
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    wall = draw.vertical_gradient(HEIGHT, WIDTH, [(0.0, (236, 228, 214)), (0.7, (222, 210, 192))])
    wall *= (0.9 + 0.14 * np.exp(-((xs - 150) ** 2 + (ys - 40) ** 2) / (2 * 260.0**2)))[..., None]
    wainscot = (ys > 196)[..., None]
    wall = np.where(wainscot, wall * np.array([0.8, 0.88, 0.82], np.float32), wall)  # sage
    # Planks run away from the viewer towards a vanishing point above the frame.
    vp_x, vp_y = 320.0, -240.0
    u = (xs - vp_x) / (ys - vp_y) * (HEIGHT - vp_y)  # plank coordinate at the bottom row
    plank = np.floor(u / 46.0).astype(int)
    tone = rng.normal(1.0, 0.05, plank.max() - plank.min() + 1)[plank - plank.min()]
    grain = draw.smooth_noise(rng, HEIGHT, WIDTH // 8, 3.0, 3)
    grain = np.repeat(grain, 8, axis=1)[:, :WIDTH] * 0.03
    depth = 0.8 + 0.2 * np.clip((ys - WALL_Y) / (HEIGHT - WALL_Y), 0, 1)
    floor = np.array([196, 148, 102], np.float32) / 255.0 * (tone * depth + grain)[..., None]
    seam = np.abs(u / 46.0 - np.round(u / 46.0)) * 46.0 * (ys - vp_y) / (HEIGHT - vp_y)
    floor *= (1.0 - 0.25 * np.clip(1.0 - seam, 0, 1))[..., None]
    img = np.where((ys >= WALL_Y)[..., None], floor, wall)
    # Contact shadow of the wall on the floor: a soft dark band just below the baseboard.
    img *= (1.0 - 0.25 * np.exp(-np.clip(ys - WALL_Y, 0, None) / 5.0) * (ys >= WALL_Y))[..., None]
    img = draw.to_uint8(img + draw.dither(rng, HEIGHT, WIDTH))
    draw.fill_poly(
        img,
        [(-2, WALL_Y - 10), (WIDTH + 2, WALL_Y - 10), (WIDTH + 2, WALL_Y), (-2, WALL_Y)],
        (242, 238, 230),
    )  # baseboard
    draw.fill_poly(
        img, [(-2, 194), (WIDTH + 2, 194), (WIDTH + 2, 198), (-2, 198)], (236, 230, 220)
    )  # chair rail
    # A framed print and a wall ruler give the eye (and trackers) static references.
    draw.fill_poly(img, [(452, 52), (572, 52), (572, 150), (452, 150)], (92, 74, 60))
    draw.fill_poly(img, [(458, 58), (566, 58), (566, 144), (458, 144)], (244, 240, 232))
    draw.fill_poly(img, [(468, 68), (556, 68), (556, 134), (468, 134)], (168, 196, 206))
    hills = [(468, 134), (468, 112), (496, 98), (520, 108), (556, 92), (556, 134)]
    draw.fill_poly(img, hills, (112, 148, 120))
    draw.fill_circle(img, (534, 84), 7.0, (248, 214, 140))
    draw.fill_poly(img, [(56, 30), (76, 30), (76, 190), (56, 190)], (232, 214, 170))
    for i, y in enumerate(np.arange(36.0, 188.0, 8.0)):
        length = 12 if i % 5 == 0 else 6
        draw.line(img, (56, y), (56 + length, y), (96, 80, 60), 1)
    return img


def _composite(frame: np.ndarray, x: float, y: float) -> None:
    """Draw the floor shadow and the shaded ball centred at ``(x, y)``, in place."""
    height = Y_REST - y
    # Soft contact shadow: wider and fainter the higher the ball is.
    a = RADIUS * (1.1 + height / 260.0)
    b = 0.3 * a
    strength = 0.5 * np.exp(-height / 170.0)
    x0, x1 = int(x - 3 * a), int(x + 3 * a) + 2
    y0, y1 = int(FLOOR_Y - 3 * b), int(FLOOR_Y + 3 * b) + 2
    sy, sx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    shade = strength * np.exp(-1.6 * (((sx - x - 5) / a) ** 2 + ((sy - FLOOR_Y) / b) ** 2))
    patch = draw.to_float(frame[y0:y1, x0:x1])
    frame[y0:y1, x0:x1] = draw.to_uint8(patch * (1 - shade[..., None]))
    # The ball: an analytically anti-aliased, Lambert + Blinn-Phong shaded sphere.
    x0, x1 = int(x - RADIUS) - 2, int(x + RADIUS) + 3
    y0, y1 = int(y - RADIUS) - 2, int(y + RADIUS) + 3
    by, bx = np.mgrid[y0:y1, x0:x1].astype(np.float64)
    dx, dy = (bx - x) / RADIUS, (by - y) / RADIUS
    cover = draw.disc_coverage(bx - x, by - y, RADIUS)[..., None]
    nz = np.sqrt(np.clip(1.0 - dx * dx - dy * dy, 0.0, 1.0))
    normal = np.stack([dx, dy, nz], axis=-1)
    diffuse = np.clip(normal @ _LIGHT, 0.0, 1.0)[..., None]
    spec = (np.clip(normal @ _HALF, 0.0, 1.0) ** 48)[..., None]
    bounce = 0.18 * np.clip(dy, 0, 1)[..., None] * np.array([0.77, 0.58, 0.4])  # floor light
    colour = BALL * (0.26 + 0.84 * diffuse) + bounce * BALL + 0.85 * spec
    patch = draw.to_float(frame[y0:y1, x0:x1])
    frame[y0:y1, x0:x1] = draw.to_uint8(patch * (1 - cover) + colour * cover)


def _render(seed: int, kind: str) -> Iterator[np.ndarray]:
    room = _room(seed)
    segments = trajectory(kind)
    for k in range(N_FRAMES):
        t = k / FPS
        frame = room.copy()
        _composite(frame, X0 + VX * t, ball_y(segments, t))
        yield frame


def _variant(kind: str, take: int = 1):
    def render(seed: int) -> Iterator[np.ndarray]:
        # Each take of a model is another draw: its room is rendered from its own seed.
        return _render(seed + take - 1, kind)

    return render


SCENE = Scene(
    name="ball-drop",
    title="A ball dropped in a room",
    prompt="A red rubber ball is dropped in a bright room and bounces a few times on the "
    "wooden floor before it settles.",
    description=(
        f"Released from rest at y = {Y0:g} px, the ball falls at {G:g} px/s^2 (+ = down) and "
        f"bounces off the floor (centre y = {Y_REST:g} px) with restitution {RESTITUTION:g}; "
        f"positions are exact parabolas per frame. It drifts right at {VX:g} px/s."
    ),
    probes=("gravity", "motion", "flicker"),
    width=WIDTH,
    height=HEIGHT,
    fps=FPS,
    seconds=SECONDS,
    variants={
        v.name: v
        for v in (
            Variant(
                "reference",
                "Reference",
                None,
                _variant("reference"),
                {"gravity.acceleration_px_s2": G},
            ),
            Variant(
                "model-a",
                "Model A",
                f"floaty gravity: the ball falls at a third of g ({G * FLOATY:g} px/s²)",
                _variant("floaty"),
                {"gravity.acceleration_px_s2": G * FLOATY},
            ),
            *(
                Variant(
                    "model-a-v2" + (f"-{take}" if take > 1 else ""),
                    "Model A",
                    f"its second version falls at {factor:g} g ({G * factor:g} px/s²)",
                    _variant(f"floaty:{factor}", take),
                    {"gravity.acceleration_px_s2": G * factor},
                    version="v2",
                    sample=take,
                )
                for take, factor in enumerate(SECOND_VERSION_G, start=1)
            ),
            Variant(
                "model-b",
                "Model B",
                f"the acceleration jumps from {JUMP[0]:g} g to {JUMP[1]:g} g halfway down the "
                "first fall",
                _variant("jump"),
                {},
            ),
            Variant(
                "model-c",
                "Model C",
                "constant-speed fall: the ball moves in straight lines between bounces",
                _variant("linear"),
                {"gravity.acceleration_px_s2": 0.0},
            ),
        )
    },
)

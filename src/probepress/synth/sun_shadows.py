"""Scene ``sun-shadows``: a sunlit plaza seen from straight above, shadows turning with the sun.

Physics of the reference: the view is a top-down orthographic one, so ground
directions on screen are true directions. Every object casts its shadow from its
base point in the direction ``phi(t) = PHI0_DEG + SWEEP_DEG_S * t`` degrees,
measured from +x towards -y (up on screen), so + = counter-clockwise on screen:
the unit direction is ``(cos phi, -sin phi)``. A point at height ``h`` px lands
``h / tan(elevation(t))`` px from its base; the sun sinks from 40 to 31 degrees
over the clip, so shadows lengthen smoothly. Shadowed ground is multiplied by
``SHADOW_GAIN`` (0.45, slightly bluish), with a soft 1.2 px edge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from probepress.synth import draw
from probepress.synth.scene import Scene, Variant

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 6.0
N_FRAMES = int(FPS * SECONDS)
PHI0_DEG = 135.0  # shadow direction at t = 0: up and to the left
SWEEP_DEG_S = 4.0  # + = counter-clockwise on screen
ELEVATION_DEG = (40.0, 31.0)  # sun elevation at the start and the end of the clip
SHADOW_GAIN = 0.45
JITTER_DEG = 3.0  # model-c: uniform per-frame, per-object angle noise
WRONG_WAY = 3  # model-a: index in OBJECTS of the shadow that turns the other way
DIM_TO = 0.84  # model-b: the light fades to this fraction while shadows stay put


@dataclass(frozen=True)
class Thing:
    """An object on the plaza: base point (px), height (px) and footprint size (px)."""

    kind: str  # "building", "post" or "tree"
    x: float
    y: float
    height: float
    size: tuple[float, float]  # building (width, depth); tree (canopy radius, 0); post (0, 0)


OBJECTS = (
    Thing("building", 505.0, 268.0, 40.0, (124.0, 76.0)),
    Thing("building", 168.0, 288.0, 32.0, (72.0, 64.0)),
    Thing("post", 330.0, 178.0, 42.0, (0.0, 0.0)),
    Thing("post", 432.0, 96.0, 38.0, (0.0, 0.0)),
    Thing("tree", 584.0, 126.0, 62.0, (30.0, 0.0)),
    Thing("tree", 120.0, 168.0, 56.0, (27.0, 0.0)),
)

SUN_TINT = np.array([1.0, 0.985, 0.94], np.float32)
SHADE_TINT = SHADOW_GAIN * np.array([0.93, 0.98, 1.12], np.float32)  # skylight is blue


def elevation_deg(t: float) -> float:
    """Sun elevation in degrees at time ``t`` s (linear descent)."""
    return ELEVATION_DEG[0] + (ELEVATION_DEG[1] - ELEVATION_DEG[0]) * t / SECONDS


def _ground(seed: int) -> np.ndarray:
    """Light sandstone slabs with a decorative ring of paler stone, float32 RGB."""
    rng = draw.rng_for(seed, "sun-shadows", "ground")
    slab = 40
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH]
    shade = rng.normal(1.0, 0.018, (HEIGHT // slab + 1, WIDTH // slab + 1))[ys // slab, xs // slab]
    img = np.array([218, 208, 190], np.float32) / 255.0 * shade[..., None].astype(np.float32)
    grout = np.zeros((HEIGHT, WIDTH), np.uint8)
    for y in range(0, HEIGHT + 1, slab):
        draw.line(grout, (-1, y), (WIDTH + 1, y), 255, 1)
    for x in range(0, WIDTH + 1, slab):
        draw.line(grout, (x, -1), (x, HEIGHT + 1), 255, 1)
    ring = np.zeros((HEIGHT, WIDTH), np.uint8)
    draw.fill_circle(ring, (320, 200), 72.0, 255)
    draw.fill_circle(ring, (320, 200), 60.0, 0)
    draw.fill_circle(ring, (320, 200), 14.0, 255)
    ring_f = draw.to_float(ring)[..., None]
    img = img * (1 - ring_f) + ring_f * np.array([0.94, 0.91, 0.86], np.float32)
    img *= 1.0 - 0.1 * draw.to_float(grout)[..., None]
    img *= 1.0 + 0.018 * draw.smooth_noise(rng, HEIGHT, WIDTH, 5.0, 3)[..., None]
    img *= 1.0 + 0.03 * draw.smooth_noise(rng, HEIGHT, WIDTH, 90.0, 2)[..., None]  # weathering
    return img.astype(np.float32)


def _tree_blobs(seed: int) -> list[np.ndarray]:
    """Per tree, canopy circles as rows of (dx, dy, r) relative to the trunk."""
    rng = draw.rng_for(seed, "sun-shadows", "trees")
    blobs = []
    for thing in OBJECTS:
        if thing.kind == "tree":
            r = thing.size[0]
            angles = rng.uniform(0, 2 * np.pi, 6)
            dist = rng.uniform(0.3, 0.45, 6) * r
            blobs.append(
                np.vstack(
                    [
                        [0.0, 0.0, 0.7 * r],
                        np.c_[
                            dist * np.cos(angles),
                            dist * np.sin(angles),
                            rng.uniform(0.45, 0.6, 6) * r,
                        ],
                    ]
                )
            )
    return blobs


def _footprint(thing: Thing) -> tuple[np.ndarray, np.ndarray]:
    """Building corners (4, 2) and hip-roof ridge end points (2, 2), px."""
    w, d = thing.size
    corners = np.array([(-w / 2, -d / 2), (w / 2, -d / 2), (w / 2, d / 2), (-w / 2, d / 2)])
    ridge = np.array([(-w / 2 + d / 2, 0.0), (w / 2 - d / 2, 0.0)])
    return corners + (thing.x, thing.y), ridge + (thing.x, thing.y)


def _draw_shadow(mask: np.ndarray, thing: Thing, blobs, phi: float, cot: float) -> None:
    """Draw one object's shadow (255 = full shadow) for direction ``phi`` rad, in place."""
    d = np.array([np.cos(phi), -np.sin(phi)])
    base = np.array([thing.x, thing.y])
    if thing.kind == "building":
        corners, ridge = _footprint(thing)
        roof = 0.35 * thing.size[1]  # ridge height above the eaves
        pts = np.vstack(
            [corners, corners + thing.height * cot * d, ridge + (thing.height + roof) * cot * d]
        )
        draw.fill_poly(mask, cv2.convexHull(pts.astype(np.float32))[:, 0, :], 255)
    elif thing.kind == "post":
        tip = base + thing.height * cot * d
        draw.line(mask, base, tip, 255, 3)
        draw.fill_circle(mask, tip, 4.5, 255)  # the lamp head
    else:
        crown = base + 0.8 * thing.height * cot * d
        draw.line(mask, base, crown, 255, 5)
        stretch = 1.0 / np.sqrt(1.0 + cot * cot)  # sin(elevation): spheres cast ellipses
        for dx, dy, r in blobs:
            draw.fill_ellipse(mask, crown + (dx, dy), (r / stretch, r), -np.rad2deg(phi), 255)


def _draw_objects(img: np.ndarray, blobs, sun: np.ndarray, light: float) -> None:
    """Draw roofs, canopies and lamps on ``img`` (uint8), lit from direction ``sun``."""

    def lit(colour, facing: float) -> tuple[int, int, int]:
        gain = light * (0.9 + 0.1 * facing)
        return tuple(int(min(255, c * gain)) for c in colour)

    tree = 0
    for thing in OBJECTS:
        if thing.kind == "building":
            (a, b, c, d), (r0, r1) = _footprint(thing)
            colour = (246, 184, 146) if thing.size[0] > 100 else (214, 218, 226)
            faces = (
                ((a, b, r1, r0), (0, -1)),
                ((d, c, r1, r0), (0, 1)),
                ((a, d, r0), (-1, 0)),
                ((b, c, r1), (1, 0)),
            )
            for poly, normal in faces:
                draw.fill_poly(img, np.array(poly), lit(colour, float(np.dot(normal, sun))))
            edge = lit(colour, -1.0)
            edge = tuple(int(v * 0.88) for v in edge)
            for p in (a, b, c, d):
                draw.line(img, p, r0 if p[0] < thing.x else r1, edge, 1)
            draw.line(img, r0, r1, edge, 1)
        elif thing.kind == "post":
            draw.fill_circle(img, (thing.x, thing.y), 6.0, lit((168, 170, 176), 0.0))
            draw.fill_circle(img, (thing.x, thing.y), 4.2, lit((250, 248, 236), 0.0))
        else:
            for dx, dy, r in blobs[tree]:  # a slightly darker rim outlines the crown
                draw.fill_circle(img, (thing.x + dx, thing.y + dy), r + 1.2, lit((124, 172, 88), 0))
            for dx, dy, r in blobs[tree]:
                draw.fill_circle(img, (thing.x + dx, thing.y + dy), r, lit((150, 198, 106), 0))
            for dx, dy, r in blobs[tree]:  # highlights on the sunny side of each clump
                centre = (thing.x + dx + 0.3 * r * sun[0], thing.y + dy + 0.3 * r * sun[1])
                draw.fill_circle(img, centre, 0.55 * r, lit((186, 224, 134), 0))
            tree += 1


def _render(
    seed: int,
    phi_deg: Callable[[int, float], float],
    shadow_time: Callable[[float], float] = lambda t: t,
    light: Callable[[float], float] = lambda t: 1.0,
) -> Iterator[np.ndarray]:
    """Yield frames; object ``i``'s shadow points at ``phi_deg(i, t)`` degrees.

    ``shadow_time(t)`` is the time whose sun elevation sets the shadow lengths;
    ``light(t)`` scales the whole scene's brightness.
    """
    ground = _ground(seed)
    sunlit = ground * SUN_TINT
    darkening = ground * SHADE_TINT - sunlit  # added where the shadow mask is 1
    blobs = _tree_blobs(seed)
    for k in range(N_FRAMES):
        t = k / FPS
        cot = 1.0 / np.tan(np.deg2rad(elevation_deg(shadow_time(t))))
        mask = np.zeros((HEIGHT, WIDTH), np.uint8)
        tree = 0
        for i, thing in enumerate(OBJECTS):
            tree_blobs = blobs[tree] if thing.kind == "tree" else None
            tree += thing.kind == "tree"
            _draw_shadow(mask, thing, tree_blobs, np.deg2rad(phi_deg(i, t)), cot)
        shadow = cv2.GaussianBlur(draw.to_float(mask), (0, 0), 1.2)
        lit = sunlit + darkening * cv2.merge([shadow, shadow, shadow])
        gain = light(t)
        img = draw.to_uint8(lit if gain == 1.0 else lit * np.float32(gain))
        sun_phi = np.deg2rad(PHI0_DEG + SWEEP_DEG_S * t) + np.pi  # the sun is opposite
        _draw_objects(img, blobs, np.array([np.cos(sun_phi), -np.sin(sun_phi)]), gain)
        yield img


def _true_phi(t: float) -> float:
    return PHI0_DEG + SWEEP_DEG_S * t


def _reference(seed: int) -> Iterator[np.ndarray]:
    return _render(seed, lambda i, t: _true_phi(t))


def _wrong_way(seed: int) -> Iterator[np.ndarray]:
    return _render(
        seed, lambda i, t: PHI0_DEG - SWEEP_DEG_S * t if i == WRONG_WAY else _true_phi(t)
    )


def _frozen(seed: int) -> Iterator[np.ndarray]:
    mid = SECONDS / 2
    return _render(
        seed,
        lambda i, t: _true_phi(mid),
        shadow_time=lambda t: mid,
        light=lambda t: 1.0 - (1.0 - DIM_TO) * t / SECONDS,
    )


def _jitter(seed: int) -> Iterator[np.ndarray]:
    noise = draw.rng_for(seed, "sun-shadows", "model-c").uniform(
        -JITTER_DEG, JITTER_DEG, (len(OBJECTS), N_FRAMES)
    )
    return _render(seed, lambda i, t: _true_phi(t) + noise[i, int(round(t * FPS))])


SCENE = Scene(
    name="sun-shadows",
    title="Shadows on a sunlit plaza",
    prompt="An aerial view of a sunny stone plaza with two buildings, lamp posts and trees "
    "in the late afternoon, their shadows slowly turning and lengthening as the sun "
    "sinks.",
    description=(
        f"Top-down view. Every shadow starts at its object's base and points at "
        f"{PHI0_DEG:g} + {SWEEP_DEG_S:g} t degrees (from +x towards up on screen, + = "
        f"counter-clockwise); lengths are height / tan(elevation) with the sun sinking from "
        f"{ELEVATION_DEG[0]:g} to {ELEVATION_DEG[1]:g} degrees. Shadowed ground is x"
        f"{SHADOW_GAIN:g}."
    ),
    probes=("shadow", "flicker"),
    width=WIDTH,
    height=HEIGHT,
    fps=FPS,
    seconds=SECONDS,
    variants={
        v.name: v
        for v in (
            Variant(
                "reference", "Reference", None, _reference, {"shadow.sweep_rate_deg_s": SWEEP_DEG_S}
            ),
            Variant(
                "model-a", "Model A", "one lamp post's shadow turns the wrong way", _wrong_way, {}
            ),
            Variant(
                "model-b",
                "Model B",
                "the shadows stay frozen while the light fades and the roofs' shading moves",
                _frozen,
                {"shadow.sweep_rate_deg_s": 0.0},
            ),
            Variant(
                "model-c",
                "Model C",
                f"each shadow jitters by up to ±{JITTER_DEG:g}° from frame to frame",
                _jitter,
                {"shadow.sweep_rate_deg_s": SWEEP_DEG_S},
            ),
        )
    },
)

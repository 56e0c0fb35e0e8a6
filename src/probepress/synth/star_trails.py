"""Scene ``star-trails``: a night sky turning rigidly about a celestial pole.

Physics of the reference: the whole sky layer (stars, their trails and the Milky
Way glow) is the fixed sky pattern of frame 0 rotated about the pole
``POLE = (400, 70)`` px by ``OMEGA_DEG_S * t`` degrees, counter-clockwise on screen
(a star at angle theta sits at ``(cx + r cos theta, cy - r sin theta)``, y down).
Stars and trails are rendered from polar coordinates at that angle, so every frame
is an exact rigid rotation of the sky; the gradient behind it and the horizon
silhouette (which occludes the sky) are static. Each star's trail is the arc it
covered in the last ``TRAIL_S`` seconds, fading towards its tail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import cv2
import numpy as np

from probepress.synth import draw
from probepress.synth.scene import Scene, Variant

WIDTH, HEIGHT, FPS, SECONDS = 640, 360, 24, 6.0
N_FRAMES = int(FPS * SECONDS)
POLE = (400.0, 70.0)  # px, inside the frame
OMEGA_DEG_S = 6.0  # + = counter-clockwise on screen
TRAIL_S = 0.5
JITTER_DEG = 0.4  # model-a: uniform per-frame angle noise in [-0.4, 0.4] deg
NONRIGID_R_PX = 400.0  # model-b: omega(r) = OMEGA * (2 - min(r, 400) / 400)
DRIFT_PX = (32.0, 24.0)  # model-c: the pole moves 40 px over the clip

N_STARS = 1600
SKY_RADIUS = 560.0  # stars fill this disc about the pole: every corner stays covered
TRAIL_GAIN = 0.3  # trail brightness per px relative to the star's head
MILKY_WAY = np.array([0.11, 0.10, 0.13], np.float32)  # colour of the band at its brightest
_TEX_SCALE = 2.0  # the Milky Way texture is smooth: store it at half resolution
_TEX_SIZE = int(2 * SKY_RADIUS / _TEX_SCALE)

# A per-star angle function: (t, r) -> angle offset in radians (added to theta0).
AngleFn = Callable[[float, np.ndarray], np.ndarray]
PoleFn = Callable[[float], tuple[float, float]]


def _star_field(seed: int) -> dict[str, np.ndarray]:
    """Stars in polar coordinates about the pole, with brightness and colour."""
    rng = draw.rng_for(seed, "star-trails", "stars")
    r = SKY_RADIUS * np.sqrt(rng.random(N_STARS))
    theta0 = rng.uniform(0.0, 2 * np.pi, N_STARS)
    # Many faint stars, few bright ones, roughly like a magnitude distribution.
    brightness = 0.06 + 0.94 * rng.random(N_STARS) ** 4.0
    palette = np.array([[0.86, 0.91, 1.0], [1.0, 0.86, 0.66], [1.0, 0.66, 0.5], [0.66, 0.78, 1.0]])
    colour = palette[rng.choice(4, N_STARS, p=[0.8, 0.09, 0.05, 0.06])]
    # A "pole star" almost exactly at the pole, the one point that barely moves.
    r[0], brightness[0], colour[0] = 1.5, 0.9, palette[0]
    return {"r": r, "theta0": theta0, "brightness": brightness, "colour": colour}


def _milky_way(seed: int) -> np.ndarray:
    """Diffuse band intensity in sky coordinates (offsets from the pole / _TEX_SCALE)."""
    rng = draw.rng_for(seed, "star-trails", "milky-way")
    n = _TEX_SIZE
    v, u = np.mgrid[0:n, 0:n].astype(np.float32) - n / 2
    angle = np.deg2rad(-35.0)  # band orientation in the sky at t = 0
    dist = (u * np.sin(angle) - v * np.cos(angle) - 35.0) * _TEX_SCALE
    band = np.exp(-0.5 * (dist / 70.0) ** 2)
    clouds = np.clip(0.6 + 0.35 * draw.smooth_noise(rng, n, n, 40.0, 4), 0, None)
    dust = np.clip(
        1.0
        - 0.5
        * np.exp(-0.5 * (dist / 12.0) ** 2)
        * (0.6 + 0.4 * draw.smooth_noise(rng, n, n, 25.0, 3)),
        0,
        1,
    )
    return (band * clouds * dust).astype(np.float32)


def _backdrop(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Static sky gradient, silhouette colour and silhouette alpha (float32)."""
    rng = draw.rng_for(seed, "star-trails", "horizon")
    sky = draw.vertical_gradient(
        HEIGHT,
        WIDTH,
        [(0.0, (6, 9, 28)), (0.45, (14, 22, 56)), (0.75, (40, 42, 84)), (0.9, (92, 66, 96))],
    )
    sky += draw.dither(rng, HEIGHT, WIDTH)
    xs = np.arange(WIDTH, dtype=np.float64)
    back = draw.ridge(rng, WIDTH, 286.0, 9.0, 220.0)
    front = draw.ridge(rng, WIDTH, 308.0, 7.0, 160.0)
    back_mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    front_mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    bottom = [(WIDTH + 2, HEIGHT + 2), (-2, HEIGHT + 2)]
    draw.fill_poly(back_mask, np.vstack([np.c_[xs, back], bottom]), 255)
    draw.fill_poly(front_mask, np.vstack([np.c_[xs, front], bottom]), 255)
    # Pine trees on the front ridge: stacked triangles, 18-58 px tall (tops below y ~245).
    for x in np.sort(rng.uniform(0, WIDTH, 38)):
        base_y = front[int(x)] + 3
        height = rng.uniform(18.0, 58.0) * (0.6 if rng.random() < 0.3 else 1.0)
        for level in range(4):
            top = base_y - height * (1.0 - 0.22 * level)
            half = height * (0.14 + 0.07 * level)
            y0 = top + height * 0.42
            draw.fill_poly(front_mask, [(x, top), (x + half, y0), (x - half, y0)], 255)
        draw.fill_poly(
            front_mask,
            [
                (x - 1.2, base_y - 6),
                (x + 1.2, base_y - 6),
                (x + 1.2, base_y + 2),
                (x - 1.2, base_y + 2),
            ],
            255,
        )
    alpha_back, alpha_front = draw.to_float(back_mask), draw.to_float(front_mask)
    colour = alpha_back[..., None] * np.array([20, 20, 38], np.float32) / 255.0
    colour = (
        colour * (1 - alpha_front[..., None])
        + alpha_front[..., None] * np.array([5, 6, 13], np.float32) / 255.0
    )
    alpha = np.maximum(alpha_back, alpha_front)[..., None]
    colour = np.where(alpha > 0, colour / np.maximum(alpha, 1e-6), 0).astype(np.float32)
    return sky, colour, alpha


def _render(
    seed: int,
    angle: AngleFn,
    pole: PoleFn,
    rate: Callable[[np.ndarray], np.ndarray],
    rigid: bool = True,
) -> Iterator[np.ndarray]:
    """Yield frames of a sky whose stars sit at ``theta0 + angle(t, r)`` about ``pole(t)``.

    ``rate(r)`` is each star's nominal angular velocity (rad/s), which sets its
    trail length; trails are drawn at the same frame's angle, so they move with it.
    ``rigid`` says ``angle`` does not depend on ``r`` (one warp for the Milky Way).
    """
    stars = _star_field(seed)
    texture = _milky_way(seed)
    sky, sil_colour, sil_alpha = _backdrop(seed)
    # Sky layers show through (1 - alpha); the static part is precomputed once.
    static = sky * (1 - sil_alpha) + sil_colour * sil_alpha
    # Full 3-channel arrays: numpy broadcasting over a trailing axis of 3 is slow.
    open_sky = np.ascontiguousarray(np.repeat(1 - sil_alpha, 3, axis=2))
    r, theta0 = stars["r"], stars["theta0"]
    weight = stars["brightness"][:, None] * stars["colour"]
    sweep = rate(r) * TRAIL_S  # rad of arc in each trail
    # Trail samples, about one per px of arc (the blur fills the gaps); index 0 is the head.
    n_samples = np.ceil(r * sweep).astype(int) + 2
    owner = np.repeat(np.arange(r.size), n_samples)
    first = np.cumsum(n_samples) - n_samples
    along = (np.arange(owner.size) - first[owner]) / (n_samples[owner] - 1)  # 0 head, 1 tail
    behind = along * sweep[owner]  # rad behind the head
    # Constant brightness per px of trail: weight each sample by its arc spacing.
    spacing = (r * sweep / (n_samples - 1))[owner]
    sample_w = (TRAIL_GAIN * (1.0 - along) ** 1.5 * spacing)[:, None] * weight[owner]
    sample_w[first] = weight
    r_sample = r[owner]
    bright = stars["brightness"] > 0.45
    if not rigid:
        ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    half = _TEX_SIZE / 2
    for k in range(N_FRAMES):
        t = k / FPS
        cx, cy = pole(t)
        head = theta0 + angle(t, r)
        hx, hy = cx + r * np.cos(head), cy - r * np.sin(head)
        # Cull stars whose trail cannot reach the frame (trails are < 40 px long).
        vis = (hx > -40) & (hx < WIDTH + 40) & (hy > -40) & (hy < HEIGHT + 40)
        sel = vis[owner]
        arc = head[owner[sel]] - behind[sel]
        core = draw.splat(
            HEIGHT,
            WIDTH,
            cx + r_sample[sel] * np.cos(arc),
            cy - r_sample[sel] * np.sin(arc),
            sample_w[sel],
        )
        glow_sel = vis & bright
        # The wide glow is smooth: splat and blur it at half resolution (pixel centres
        # map as x -> (x - 0.5) / 2), then upsample.
        glow = draw.splat(
            HEIGHT // 2,
            WIDTH // 2,
            (hx[glow_sel] - 0.5) / 2,
            (hy[glow_sel] - 0.5) / 2,
            weight[glow_sel],
        )
        glow = cv2.resize(
            cv2.GaussianBlur(glow, (0, 0), 1.1), (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR
        )
        stars_img = cv2.addWeighted(cv2.GaussianBlur(core, (0, 0), 0.8), 3.4, glow, 0.5, 0)
        # Milky Way: map every pixel back into sky coordinates at t = 0.
        if rigid:
            phi = float(angle(t, r[:1])[0])
            c, sn = np.cos(phi) / _TEX_SCALE, np.sin(phi) / _TEX_SCALE
            inverse = np.array(
                [[c, -sn, half - cx * c + cy * sn], [sn, c, half - cx * sn - cy * c]]
            )
            band = cv2.warpAffine(
                texture, inverse, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
            )
        else:
            dx, dy = xs - np.float32(cx), ys - np.float32(cy)
            phi_px = angle(t, np.hypot(dx, dy))
            c, sn = np.cos(phi_px) / _TEX_SCALE, np.sin(phi_px) / _TEX_SCALE
            band = cv2.remap(
                texture,
                (dx * c - dy * sn + half).astype(np.float32),
                (dx * sn + dy * c + half).astype(np.float32),
                cv2.INTER_LINEAR,
            )
        # light = 1 - exp(-stars) (soft highlight roll-off) + Milky Way, computed in place.
        light = np.exp(np.negative(stars_img, out=stars_img), out=stars_img)
        np.subtract(1.0, light, out=light)
        light += cv2.merge([band * MILKY_WAY[0], band * MILKY_WAY[1], band * MILKY_WAY[2]])
        light *= open_sky
        light += static
        yield draw.to_uint8(light)


_OMEGA = np.deg2rad(OMEGA_DEG_S)


def _steady(t: float, r: np.ndarray) -> np.ndarray:
    return np.full(np.shape(r), _OMEGA * t)


def _fixed_pole(t: float) -> tuple[float, float]:
    return POLE


def _uniform_rate(r: np.ndarray) -> np.ndarray:
    return np.full(np.shape(r), _OMEGA)


def _nonrigid_rate(r: np.ndarray) -> np.ndarray:
    return _OMEGA * (2.0 - np.minimum(r, NONRIGID_R_PX) / NONRIGID_R_PX)


def _reference(seed: int) -> Iterator[np.ndarray]:
    return _render(seed, _steady, _fixed_pole, _uniform_rate)


def _jitter(seed: int) -> Iterator[np.ndarray]:
    noise = np.deg2rad(
        draw.rng_for(seed, "star-trails", "model-a").uniform(-JITTER_DEG, JITTER_DEG, N_FRAMES)
    )
    return _render(
        seed, lambda t, r: _steady(t, r) + noise[int(round(t * FPS))], _fixed_pole, _uniform_rate
    )


def _nonrigid(seed: int) -> Iterator[np.ndarray]:
    return _render(
        seed, lambda t, r: _nonrigid_rate(r) * t, _fixed_pole, _nonrigid_rate, rigid=False
    )


def _drift(seed: int) -> Iterator[np.ndarray]:
    def pole(t: float) -> tuple[float, float]:
        return POLE[0] + DRIFT_PX[0] * t / SECONDS, POLE[1] + DRIFT_PX[1] * t / SECONDS

    return _render(seed, _steady, pole, _uniform_rate)


_ROTATION = {
    "rotation.angular_velocity_deg_s": OMEGA_DEG_S,
    "rotation.center_x": POLE[0],
    "rotation.center_y": POLE[1],
}

SCENE = Scene(
    name="star-trails",
    title="Star trails over a pine ridge",
    prompt="A time-lapse of the night sky over a pine-covered ridge, the stars wheeling "
    "slowly around the celestial pole and leaving faint trails.",
    description=(
        f"The sky rotates rigidly about the pole ({POLE[0]:.0f}, {POLE[1]:.0f}) px at "
        f"+{OMEGA_DEG_S:g} deg/s (counter-clockwise on screen); each frame's sky is the sky "
        f"of frame 0 rotated by {OMEGA_DEG_S:g} deg/s x t about the pole. Trails show the "
        f"last {TRAIL_S:g} s of each star's arc. The gradient and the ridge are static."
    ),
    probes=("rotation", "motion", "flicker"),
    width=WIDTH,
    height=HEIGHT,
    fps=FPS,
    seconds=SECONDS,
    variants={
        v.name: v
        for v in (
            Variant("reference", "Reference", None, _reference, dict(_ROTATION)),
            Variant(
                "model-a",
                "Model A",
                f"rotation jitters: each frame's angle is off by up to ±{JITTER_DEG:g}°",
                _jitter,
                dict(_ROTATION),
            ),
            Variant(
                "model-b",
                "Model B",
                "non-rigid sky: stars near the pole turn up to 2× faster than outer stars",
                _nonrigid,
                {"rotation.center_x": POLE[0], "rotation.center_y": POLE[1]},
            ),
            Variant(
                "model-c",
                "Model C",
                "the pole drifts 40 px down and to the right over the clip",
                _drift,
                {"rotation.angular_velocity_deg_s": OMEGA_DEG_S},
            ),
        )
    },
)

"""The rendered pixels encode the physics each scene states.

Every check measures the frames in the simplest way that can see the quantity,
so a renderer bug that breaks the ground truth fails here, not in a probe test.
"""

from __future__ import annotations

import functools
import itertools

import cv2
import numpy as np
import pytest

from probepress.synth import SCENES, ball_drop, star_trails, sun_shadows, train_lake

TIMES = np.arange(144) / 24.0


@functools.cache  # several tests measure the same clip; nothing mutates the frames
def frames(scene: str, variant: str, n: int | None = None) -> np.ndarray:
    render = SCENES[scene].variants[variant].render
    return np.stack(list(itertools.islice(render(0), n)))


def gray(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)


def high_pass(image: np.ndarray, sigma: float) -> np.ndarray:
    return image - cv2.GaussianBlur(image, (0, 0), sigma)


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


# star-trails ------------------------------------------------------------------------


def rotation_error(first: np.ndarray, later: np.ndarray, angle_deg: float) -> float:
    """Mean abs difference of star detail after rotating ``first`` about the pole."""
    rotate = cv2.getRotationMatrix2D(star_trails.POLE, angle_deg, 1.0)  # + = CCW on screen
    sky = np.zeros((360, 640), np.float32)
    sky[:225] = 1.0  # above the tallest trees
    region = (cv2.warpAffine(sky, rotate, (640, 360)) > 0.999) & (sky > 0)
    warped = cv2.warpAffine(high_pass(gray(first), 4), rotate, (640, 360))
    return float(np.abs(warped - high_pass(gray(later), 4))[region].mean())


def test_star_sky_is_frame_zero_rotated_counter_clockwise_about_the_pole():
    clip = frames("star-trails", "reference", 73)
    angle = star_trails.OMEGA_DEG_S * 72 / 24  # 18 deg at t = 3 s
    error = rotation_error(clip[0], clip[72], angle)
    assert error < 0.35 * rotation_error(clip[0], clip[72], -angle)  # wrong sense
    assert error < 0.35 * rotation_error(clip[0], clip[72], 0.0)  # no rotation


def test_non_rigid_star_sky_is_not_a_rotation():
    reference = frames("star-trails", "reference", 73)
    nonrigid = frames("star-trails", "model-b", 73)
    angle = star_trails.OMEGA_DEG_S * 3
    assert rotation_error(nonrigid[0], nonrigid[72], angle) > 3 * rotation_error(
        reference[0], reference[72], angle
    )


# train-lake -------------------------------------------------------------------------


def mirror_correlation(lower_frame: np.ndarray, upper_frame: np.ndarray) -> float:
    """Correlate water rows 200..299 with upper rows 199..100, blurred like the water."""
    upper = cv2.GaussianBlur(
        gray(upper_frame)[: train_lake.WATER_Y], (0, 0), *train_lake.REFLECTION_BLUR
    )
    mirrored = upper[::-1][:100]
    lower = gray(lower_frame)[train_lake.WATER_Y : train_lake.WATER_Y + 100]
    return correlation(high_pass(lower, 3), high_pass(mirrored, 3))


def test_water_mirrors_the_scene_about_the_water_line():
    clip = frames("train-lake", "reference", 73)
    assert mirror_correlation(clip[72], clip[72]) > 0.95


def test_offset_reflection_does_not_mirror_about_the_water_line():
    clip = frames("train-lake", "model-b", 73)
    assert mirror_correlation(clip[72], clip[72]) < 0.3


def test_reflection_gain_matches_ground_truth():
    frame = frames("train-lake", "reference", 1)[0]
    g = gray(frame)
    mirrored = cv2.GaussianBlur(g[:200], (0, 0), *train_lake.REFLECTION_BLUR)[::-1][:160]
    slope = np.polyfit(mirrored.ravel(), g[200:360].ravel(), 1)[0]
    truth = SCENES["train-lake"].variants["reference"].ground_truth["reflection.gain"]
    assert slope == pytest.approx(truth, rel=0.02)


def test_lagging_reflection_shows_the_train_three_frames_ago():
    clip = frames("train-lake", "model-a", 73)
    assert mirror_correlation(clip[72], clip[69]) > 0.95
    assert mirror_correlation(clip[72], clip[72]) < 0.85


# sun-shadows ------------------------------------------------------------------------


def shadow_direction_deg(clip: np.ndarray, thing: sun_shadows.Thing) -> np.ndarray:
    """Per frame, the mean direction of dark pixels 10-34 px from an object's base."""
    ys, xs = np.mgrid[0:360, 0:640]
    dx, dy = xs - thing.x, ys - thing.y
    ring = (np.hypot(dx, dy) >= 10) & (np.hypot(dx, dy) <= 34)
    angles = []
    for frame in clip:
        g = gray(frame)
        dark = ring & (g < 0.7 * np.median(g[ring]))
        angles.append(np.angle(np.exp(1j * np.arctan2(-dy[dark], dx[dark])).mean()))
    return np.rad2deg(np.unwrap(angles))


@pytest.mark.parametrize(
    ("variant", "index", "rate"),
    [
        ("reference", 2, sun_shadows.SWEEP_DEG_S),
        ("reference", 3, sun_shadows.SWEEP_DEG_S),
        ("model-a", sun_shadows.WRONG_WAY, -sun_shadows.SWEEP_DEG_S),
    ],
)
def test_shadow_turns_at_the_stated_rate(variant, index, rate):
    directions = shadow_direction_deg(frames("sun-shadows", variant), sun_shadows.OBJECTS[index])
    assert directions[0] == pytest.approx(sun_shadows.PHI0_DEG, abs=1.5)
    assert np.polyfit(TIMES, directions, 1)[0] == pytest.approx(rate, rel=0.05)


def test_frozen_shadows_do_not_turn():
    directions = shadow_direction_deg(frames("sun-shadows", "model-b"), sun_shadows.OBJECTS[2])
    assert abs(np.polyfit(TIMES, directions, 1)[0]) < 0.1


def test_objects_are_not_dark_enough_to_pass_for_shadow():
    frame = frames("sun-shadows", "reference", 1)[0]
    g = gray(frame)
    ratio = g / cv2.medianBlur(g.astype(np.uint8), 31)
    for thing in sun_shadows.OBJECTS:
        patch = ratio[int(thing.y) - 3 : int(thing.y) + 4, int(thing.x) - 3 : int(thing.x) + 4]
        assert patch.min() > 0.7, thing


# ball-drop --------------------------------------------------------------------------


def ball_centroids(clip: np.ndarray) -> np.ndarray:
    rgb = clip.astype(np.int16)
    mask = (rgb[..., 0] - rgb[..., 1] > 70) & (rgb[..., 0] > 100)  # the red ball only
    return np.array([np.argwhere(m).mean(axis=0)[::-1] for m in mask])  # (x, y)


@pytest.mark.parametrize(
    ("variant", "kind"),
    [
        ("reference", "reference"),
        ("model-a", "floaty"),
        ("model-c", "linear"),
        ("model-a-v2-3", "floaty:0.97"),  # Model A v2's third take
    ],
)
def test_first_fall_has_the_stated_acceleration(variant, kind):
    clip = frames("ball-drop", variant)
    centroids = ball_centroids(clip)
    impact_s = ball_drop.trajectory(kind)[1][0]
    n = int(impact_s * 24) + 1  # frames strictly before the first bounce
    acceleration = 2 * np.polyfit(TIMES[:n], centroids[:n, 1], 2)[0]
    truth = SCENES["ball-drop"].variants[variant].ground_truth["gravity.acceleration_px_s2"]
    assert acceleration == pytest.approx(truth, rel=0.02, abs=0.02 * ball_drop.G)
    assert np.polyfit(TIMES, centroids[:, 0], 1)[0] == pytest.approx(ball_drop.VX, rel=0.02)


def test_ball_never_sinks_into_the_floor():
    for kind in ("reference", "floaty", "jump", "linear"):
        segments = ball_drop.trajectory(kind)
        assert max(ball_drop.ball_y(segments, t) for t in TIMES) <= ball_drop.Y_REST


# creature ---------------------------------------------------------------------------


def fox_x(clip: np.ndarray) -> np.ndarray:
    rgb = clip.astype(np.int16)
    fur = (rgb[..., 0] > 150) & (rgb[..., 0] - rgb[..., 2] > 110) & (rgb[..., 0] - rgb[..., 1] > 60)
    return np.array([np.nonzero(m)[1].mean() for m in fur])


def test_creature_walks_at_constant_speed_and_stutter_repeats_frames():
    reference = frames("creature", "reference")
    assert np.polyfit(TIMES, fox_x(reference), 1)[0] == pytest.approx(60.0, rel=0.02)
    stutter = frames("creature", "model-c", 12)
    held = [k for k in range(1, 12) if np.array_equal(stutter[k], stutter[k - 1])]
    assert held == [3, 7, 11]


def test_brightness_flicker_has_the_stated_spread():
    reference = frames("creature", "reference").reshape(144, -1).mean(axis=1)
    flicker = frames("creature", "model-b").reshape(144, -1).mean(axis=1)
    assert np.std(flicker / reference) == pytest.approx(0.03, rel=0.25)

"""The probes against the validation corpus: clips no probe was tuned on.

The clips in ``clips/`` were rendered by Blender (Cycles) from scenes whose truth comes
from geometry and the camera projection (``scenes/*.py``, ``README.md``), or are real
camera footage where the physics the probes look for is absent. The tolerances are the
adoption issue's (issue 9: rates, poles, axes, lags, accelerations, each correct clip
beating its wrong twin, every negative control failing with a reason) and must not be
loosened.

The tolerances and the cases the current probes fail (with what was measured and what
is wrong) are in ``corpus.yml``, which the site's generated Validation page reads too;
the marks are strict, so a fixed probe makes its case XPASS and its entry in
``corpus.yml`` must be removed.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import pytest

from probepress.measure.validation_checks import NO_ROTATION_SCENES
from probepress.measure.validation_corpus import load_corpus
from probepress.probes import get_probe
from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.video.decode import open_clip

pytestmark = pytest.mark.validation

HERE = Path(__file__).resolve().parent
CLIPS = HERE / "clips"
# Tolerances and known failures live in corpus.yml, read by the site's Validation page too.
CORPUS = load_corpus(HERE)
DIAGONAL = math.hypot(480, 270)

ROTATION_RATE_TOL = CORPUS.tolerances["rotation_rate"]  # of the true rate
POLE_TOL = CORPUS.tolerances["rotation_pole"] * DIAGONAL  # px
AXIS_TOL_PX = CORPUS.tolerances["reflection_axis_px"]
LAG_TOL_FRAMES = CORPUS.tolerances["reflection_lag_frames"]
GRAVITY_TOL = CORPUS.tolerances["gravity"]  # of the true acceleration
SHADOW_RATE_TOL = CORPUS.tolerances["shadow_rate"]  # of the true rate
CAMERA_PAN_TOL = CORPUS.tolerances["camera_pan"]  # of the true pan speed
STILL_SHIFT_PX = CORPUS.tolerances["camera_still_px"]  # largest shift of a still camera, px

# test id -> why the current probe fails it (measured value, what is wrong).
XFAIL: dict[str, str] = {f"test_{k.check}[{k.case}]": k.reason for k in CORPUS.known_failures}


def truth(rel: str) -> dict:
    return dict(CORPUS.by_file(rel).truth)


def clips_of(scene_dir: str, *, correct_only: bool = False) -> list[str]:
    rels = sorted(p.relative_to(CLIPS).as_posix() for p in (CLIPS / scene_dir).glob("*.mp4"))
    if correct_only:
        rels = [r for r in rels if truth(r).get("variant") == "correct"]
    return rels


@cache
def _clip(rel: str):
    return open_clip(CLIPS / rel)


@cache
def measure(rel: str, probe: str) -> ProbeResult | ProbeFailure:
    """One probe on one committed clip, measured once per test process."""
    return get_probe(probe).run(_clip(rel))


def measured(rel: str, probe: str) -> ProbeResult:
    result = measure(rel, probe)
    assert result, f"{probe} failed on {rel}: {result.error}"
    return result


def cases(test: str, ids: list[str]) -> list:
    """``ids`` as pytest params, with the strict xfail marks listed in ``XFAIL``."""
    out = []
    for case_id in ids:
        key = f"{test}[{case_id}]"
        marks = [pytest.mark.xfail(strict=True, reason=XFAIL[key])] if key in XFAIL else []
        out.append(pytest.param(case_id, id=case_id, marks=marks))
    return out


def test_corpus_is_complete():
    """Every clip has its truth, and the corpus stays small enough to commit."""
    mp4s = sorted(CLIPS.rglob("*.mp4"))
    assert len(mp4s) >= 20
    for clip in mp4s:
        assert clip.with_suffix(".json").exists(), clip
    assert sum(p.stat().st_size for p in mp4s) < 8_000_000


# --------------------------------------------------------------------------- rotation

STARS = clips_of("star-field", correct_only=True)


@pytest.mark.parametrize("rel", cases("test_rotation_rate", STARS))
def test_rotation_rate(rel):
    want = truth(rel)["rotation"]["angular_velocity_deg_s"]
    got = measured(rel, "rotation").metrics["angular_velocity_deg_s"]
    assert got == pytest.approx(want, rel=ROTATION_RATE_TOL)


@pytest.mark.parametrize("rel", cases("test_rotation_pole", STARS))
def test_rotation_pole(rel):
    t = truth(rel)["rotation"]
    m = measured(rel, "rotation").metrics
    assert math.hypot(m["center_x"] - t["center_x"], m["center_y"] - t["center_y"]) <= POLE_TOL


@pytest.mark.parametrize("rel", cases("test_rotation_beats_nonrigid_twin", STARS))
def test_rotation_beats_nonrigid_twin(rel):
    """A rigid sky leaves a smaller rigidity residual than the non-rigid twin."""
    wrong = measured("star-field/nonrigid-wrong.mp4", "rotation").metrics
    right = measured(rel, "rotation").metrics
    assert right["rigidity_residual_px"] < wrong["rigidity_residual_px"]


# --------------------------------------------------------------------------- reflection

WATER = clips_of("water-reflection")


@pytest.mark.parametrize("rel", cases("test_reflection_axis", WATER))
def test_reflection_axis(rel):
    want = truth(rel)["reflection"]["axis_y"]
    got = measured(rel, "reflection").metrics["axis_y"]
    assert abs(got - want) <= AXIS_TOL_PX


@pytest.mark.parametrize("rel", cases("test_reflection_lag", WATER))
def test_reflection_lag(rel):
    want = truth(rel)["reflection"]["lag_frames"]
    got = measured(rel, "reflection").metrics["lag_frames"]
    assert abs(got - want) <= LAG_TOL_FRAMES


WATER_WRONG = [r for r in WATER if truth(r)["variant"] != "correct"]


@pytest.mark.parametrize("rel", cases("test_reflection_beats_twin", WATER_WRONG))
def test_reflection_beats_twin(rel):
    """The true reflection is more symmetric than a lagging or offset one."""
    right = measured("water-reflection/train-correct.mp4", "reflection").metrics["symmetry"]
    wrong = measured(rel, "reflection").metrics["symmetry"]
    assert right > wrong


# --------------------------------------------------------------------------- shadow

SHADOWS = clips_of("sun-shadows", correct_only=True)


@pytest.mark.parametrize("rel", cases("test_shadow_rate", SHADOWS))
def test_shadow_rate(rel):
    want = truth(rel)["shadow"]["sweep_rate_deg_s"]
    got = measured(rel, "shadow").metrics["sweep_rate_deg_s"]
    assert math.copysign(1, got) == math.copysign(1, want), f"wrong sense: {got} vs {want}"
    assert got == pytest.approx(want, rel=SHADOW_RATE_TOL)


@pytest.mark.parametrize("rel", cases("test_shadow_beats_backwards_twin", ["top-ccw-8"]))
def test_shadow_beats_backwards_twin(rel):
    """Shadows that agree spread less than ones where one turns back."""
    right = measured(f"sun-shadows/{rel}.mp4", "shadow").metrics["direction_spread_deg"]
    wrong = measured("sun-shadows/top-backwards-wrong.mp4", "shadow").metrics[
        "direction_spread_deg"
    ]
    assert right < wrong


# --------------------------------------------------------------------------- gravity

FALLS = clips_of("ball-drop") + clips_of("pan")
FALLS_CORRECT = [r for r in FALLS if truth(r)["variant"] == "correct"]
FALLS_WRONG = [r for r in FALLS if truth(r)["variant"] != "correct"]


@pytest.mark.parametrize("rel", cases("test_gravity_acceleration", FALLS))
def test_gravity_acceleration(rel):
    """Within 5 % of the true image acceleration (wrong twins: of their own truth;
    the constant-speed twin, whose truth is 0, within 5 % of the physical value)."""
    t = truth(rel)["gravity"]
    got = measured(rel, "gravity").metrics["acceleration_px_s2"]
    scale = abs(t["acceleration_px_s2"]) or t["physical_px_s2"]
    assert abs(got - t["acceleration_px_s2"]) <= GRAVITY_TOL * scale


TWIN_PAIRS = [f"{c}|{w}" for c in FALLS_CORRECT if c.startswith("ball-drop/") for w in FALLS_WRONG]


@pytest.mark.parametrize("pair", cases("test_gravity_beats_twin", TWIN_PAIRS))
def test_gravity_beats_twin(pair):
    """The correct fall is closer to 9.81 m/s^2 (in px/s^2 at the ball) than the twin."""

    def error(rel: str) -> float:
        physical = truth(rel)["gravity"]["physical_px_s2"]
        result = measure(rel, "gravity")
        if not result:  # a wrong twin the probe cannot measure is as far as can be
            return math.inf
        return abs(result.metrics["acceleration_px_s2"] - physical) / physical

    right, wrong = pair.split("|")
    assert error(right) < error(wrong)


# --------------------------------------------------------------------------- camera

PANS = clips_of("pan")
STILL_CAMERA = [
    rel
    for scene in ("star-field", "sun-shadows", "water-reflection", "ball-drop")
    for rel in clips_of(scene)
]


@pytest.mark.parametrize("rel", cases("test_camera_pan_rate", PANS))
def test_camera_pan_rate(rel):
    """The pan speed of the content within 5 % of the projected truth, with its sign."""
    true_pan = truth(rel)["camera_pan_px_s"]
    got = measured(rel, "camera").metrics["pan_x_px_s"]
    assert abs(got - true_pan) <= CAMERA_PAN_TOL * abs(true_pan)


@pytest.mark.parametrize("rel", cases("test_camera_still", STILL_CAMERA))
def test_camera_still(rel):
    """A camera that never moved is still, whatever moves in front of it (or the sky)."""
    result = measure(rel, "camera")
    assert result, result.error
    assert result.metrics["max_shift_px"] <= STILL_SHIFT_PX


# --------------------------------------------------------------------------- negative controls

REAL = clips_of("real")
NEGATIVE = [f"{rel}|{probe}" for rel in REAL for probe in truth(rel)["must_fail"]]


# Rendered scenes with motion but no rotation: shadows each turning about their own
# pole, a train passing its reflection, a falling ball, a pan. A fitted homography
# always has an angle, so each of these once printed a rate (-1.06 to 5.2 deg/s).
NO_ROTATION = [rel for scene in NO_ROTATION_SCENES for rel in clips_of(scene)]


@pytest.mark.parametrize("rel", cases("test_rotation_refuses_a_scene_without_one", NO_ROTATION))
def test_rotation_refuses_a_scene_without_one(rel):
    result = measure(rel, "rotation")
    assert isinstance(result, ProbeFailure), f"rotation printed {dict(result.metrics)}"
    assert result.reason.strip()


@pytest.mark.parametrize("case", cases("test_negative_control_fails", NEGATIVE))
def test_negative_control_fails(case):
    """Real footage without the phenomenon: the probe fails with a reason, no number."""
    rel, probe = case.split("|")
    result = measure(rel, probe)
    assert isinstance(result, ProbeFailure), f"{probe} printed {dict(result.metrics)}"
    assert not result
    assert result.reason.strip()

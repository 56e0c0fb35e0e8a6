"""Truth against measured on a validation corpus: one row per check and case.

The checks are the validation tests' (``tests/validation/test_validation.py``), named
like them (``rotation_rate`` is ``test_rotation_rate``) with the same case ids, so a
known failure in ``corpus.yml`` marks the same case in both. Each row says what the
truth is, what the probe measured (through the build's cached runner), the tolerance,
and whether it holds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from probepress.measure.results import LookupProblem, ResultSet
from probepress.measure.validation_corpus import Corpus, CorpusClip, CorpusError, KnownFailure
from probepress.probes.base import ProbeFailure, ProbeResult

__all__ = ["SCENE_PROBES", "SECTIONS", "Row", "corpus_rows"]

#: The probes each scene folder of the corpus is measured with (camera runs on all).
SCENE_PROBES: dict[str, tuple[str, ...]] = {
    "star-field": ("rotation",),
    "water-reflection": ("reflection", "rotation"),
    "sun-shadows": ("shadow", "rotation"),
    "ball-drop": ("gravity", "rotation"),
    "pan": ("gravity", "rotation"),
    "real": ("rotation", "reflection", "shadow", "gravity"),
}

#: The page's sections, in order: each probe's checks, then the negative controls.
SECTIONS = ("rotation", "reflection", "shadow", "gravity", "camera", "negative")


@dataclass(frozen=True)
class Row:
    """One check on one case: truth, measured, tolerance and verdict."""

    section: str  # one of SECTIONS
    check: str  # e.g. shadow_rate (the test is test_shadow_rate)
    case: str  # the test's case id, e.g. sun-shadows/top-ccw-8.mp4
    clip: str  # the clip id the row is about
    quantity: str  # what is compared, with its unit
    truth: str
    measured: str
    tolerance: str  # empty for a comparison with a twin or a negative control
    holds: bool
    known: KnownFailure | None = None
    # Numbers for the chart (None where the check compares no scalar with a truth).
    truth_value: float | None = None
    measured_value: float | None = None
    tolerance_value: float | None = None

    @property
    def status(self) -> str:
        """``holds``, ``fails``, ``known failure``, or ``fixed`` (a known failure that holds)."""
        if self.known is None:
            return "holds" if self.holds else "fails"
        return "fixed" if self.holds else "known failure"

    @property
    def anchor(self) -> str:
        """The row's id on the page."""
        return "v-" + re.sub(r"[^a-z0-9]+", "-", f"{self.check} {self.case}".lower()).strip("-")


def corpus_rows(corpus: Corpus, results: ResultSet) -> list[Row]:
    """Every check of the corpus, in page order, with its known failure attached.

    Raises
    ------
    CorpusError
        When a truth file lacks a value a check needs.
    """
    rows: list[Row] = []
    for make in (_rotation, _reflection, _shadow, _gravity, _camera, _negative):
        try:
            rows += make(corpus, results)
        except (KeyError, TypeError, ValueError) as error:
            section = make.__name__.lstrip("_")
            raise CorpusError(
                [f"{corpus.clips_dir}: a truth file of the {section} checks lacks or "
                 f"garbles {error}; re-render it (render_all.py --truth-only)"]
            ) from None  # fmt: skip
    return [_with_known(corpus, row) for row in rows]


def _with_known(corpus: Corpus, row: Row) -> Row:
    known = corpus.known(row.check, row.case)
    if known is None:
        return row
    return Row(**{**row.__dict__, "known": known})


# -- measuring -----------------------------------------------------------------------


def _outcome(results: ResultSet, clip: CorpusClip, probe: str) -> ProbeResult | ProbeFailure:
    try:
        return results.outcome(clip.id, probe)
    except LookupProblem as problem:
        return ProbeFailure(probe=probe, version="", reason=str(problem))


def _metric(results: ResultSet, clip: CorpusClip, probe: str, metric: str) -> float | str:
    """The metric, or why there is none (the probe's reason)."""
    outcome = _outcome(results, clip, probe)
    if not outcome:
        return f"refused: {outcome.reason}"
    value = float(outcome.metrics[metric])
    return value if math.isfinite(value) else "not measured"


def _fmt(value: float | str, unit: str = "") -> str:
    if isinstance(value, str):
        return value
    return f"{value:.4g}" + (f" {unit}" if unit else "")


def _scalar(
    section: str, check: str, clip: CorpusClip, results: ResultSet, *, probe: str, metric: str,
    quantity: str, unit: str, truth: float, tolerance: float, tolerance_text: str,
    extra: Callable[[float], bool] = lambda _v: True, case: str | None = None,
) -> Row:  # fmt: skip
    """A row comparing one measured metric with its truth, within ``tolerance``."""
    got = _metric(results, clip, probe, metric)
    holds = isinstance(got, float) and abs(got - truth) <= tolerance and extra(got)
    return Row(
        section, check, case or clip.file, clip.id, quantity, _fmt(truth, unit), _fmt(got, unit),
        tolerance_text, holds, truth_value=truth,
        measured_value=got if isinstance(got, float) else None, tolerance_value=tolerance,
    )  # fmt: skip


def _beats(
    section: str, check: str, case: str, right: CorpusClip, wrong: CorpusClip,
    results: ResultSet, *, probe: str, metric: str, lower_is_better: bool, unit: str,
) -> Row:  # fmt: skip
    """A row where the correct clip must score better than its wrong twin."""
    good, bad = (_metric(results, c, probe, metric) for c in (right, wrong))
    holds = (
        isinstance(good, float)
        and isinstance(bad, float)
        and (good < bad if lower_is_better else good > bad)
    )
    better = "lower" if lower_is_better else "higher"
    return Row(
        section, check, case, right.id, f"{metric} vs {wrong.id} ({better} is better)",
        f"{better} than the twin's", f"{_fmt(good, unit)} vs {_fmt(bad, unit)}", "", holds,
    )  # fmt: skip


# -- the checks, probe by probe ------------------------------------------------------------


def _rotation(corpus: Corpus, results: ResultSet) -> list[Row]:
    rows = []
    twins = [c for c in corpus.clips_of("star-field") if not c.correct]
    for clip in corpus.clips_of("star-field", correct_only=True):
        truth = clip.truth["rotation"]
        rate, share = float(truth["angular_velocity_deg_s"]), corpus.tolerances["rotation_rate"]
        rows.append(_scalar(
            "rotation", "rotation_rate", clip, results, probe="rotation",
            metric="angular_velocity_deg_s", quantity="angular velocity", unit="°/s",
            truth=rate, tolerance=share * abs(rate), tolerance_text=f"± {share:.0%}",
        ))  # fmt: skip
        rows.append(_pole(corpus, clip, results))
        for twin in twins:
            rows.append(_beats(
                "rotation", "rotation_beats_nonrigid_twin", clip.file, clip, twin, results,
                probe="rotation", metric="rigidity_residual_px", lower_is_better=True, unit="px",
            ))  # fmt: skip
    return rows


def _pole(corpus: Corpus, clip: CorpusClip, results: ResultSet) -> Row:
    truth = clip.truth["rotation"]
    x, y = float(truth["center_x"]), float(truth["center_y"])
    share = corpus.tolerances["rotation_pole"]
    tolerance = share * clip.diagonal
    gx, gy = (_metric(results, clip, "rotation", m) for m in ("center_x", "center_y"))
    off = math.hypot(gx - x, gy - y) if isinstance(gx, float) and isinstance(gy, float) else None
    measured = gx if isinstance(gx, str) else f"({gx:.1f}, {gy:.1f}) px, {off:.1f} px off"
    return Row(
        "rotation", "rotation_pole", clip.file, clip.id, "pole (x, y)", f"({x:.1f}, {y:.1f}) px",
        measured, f"≤ {share:.0%} of the diagonal ({tolerance:.1f} px)",
        off is not None and off <= tolerance,
    )  # fmt: skip


def _reflection(corpus: Corpus, results: ResultSet) -> list[Row]:
    rows = []
    water = corpus.clips_of("water-reflection")
    axis_tol, lag_tol = (
        corpus.tolerances[k] for k in ("reflection_axis_px", "reflection_lag_frames")
    )
    for clip in water:
        truth = clip.truth["reflection"]
        rows.append(_scalar(
            "reflection", "reflection_axis", clip, results, probe="reflection", metric="axis_y",
            quantity="axis row", unit="px", truth=float(truth["axis_y"]), tolerance=axis_tol,
            tolerance_text=f"± {axis_tol:g} px",
        ))  # fmt: skip
        rows.append(_scalar(
            "reflection", "reflection_lag", clip, results, probe="reflection",
            metric="lag_frames", quantity="lag", unit="frames", truth=float(truth["lag_frames"]),
            tolerance=lag_tol, tolerance_text=f"± {lag_tol:g} frame",
        ))  # fmt: skip
    right = next((c for c in water if c.correct), None)
    for twin in (c for c in water if not c.correct and right is not None):
        rows.append(_beats(
            "reflection", "reflection_beats_twin", twin.file, right, twin, results,
            probe="reflection", metric="symmetry", lower_is_better=False, unit="",
        ))  # fmt: skip
    return rows


def _shadow(corpus: Corpus, results: ResultSet) -> list[Row]:
    rows = []
    share = corpus.tolerances["shadow_rate"]
    correct = corpus.clips_of("sun-shadows", correct_only=True)
    for clip in correct:
        rate = float(clip.truth["shadow"]["sweep_rate_deg_s"])
        rows.append(_scalar(
            "shadow", "shadow_rate", clip, results, probe="shadow", metric="sweep_rate_deg_s",
            quantity="sweep rate", unit="°/s", truth=rate, tolerance=share * abs(rate),
            tolerance_text=f"± {share:.0%}, same sign",
            extra=lambda got, r=rate: math.copysign(1, got) == math.copysign(1, r),
        ))  # fmt: skip
    for twin in (c for c in corpus.clips_of("sun-shadows") if not c.correct):
        # A twin is compared with the correct clips seen by the same camera.
        for clip in (c for c in correct if c.truth.get("camera") == twin.truth.get("camera")):
            rows.append(_beats(
                "shadow", "shadow_beats_backwards_twin", clip.id.partition("/")[2], clip, twin,
                results, probe="shadow", metric="direction_spread_deg", lower_is_better=True,
                unit="°",
            ))  # fmt: skip
    return rows


def _gravity(corpus: Corpus, results: ResultSet) -> list[Row]:
    rows = []
    share = corpus.tolerances["gravity"]
    falls = corpus.clips_of("ball-drop") + corpus.clips_of("pan")
    for clip in falls:
        truth = clip.truth["gravity"]
        want = float(truth["acceleration_px_s2"])
        # The constant-speed twin's truth is 0: its tolerance is a share of the physical.
        scale = abs(want) or float(truth["physical_px_s2"])
        rows.append(_scalar(
            "gravity", "gravity_acceleration", clip, results, probe="gravity",
            metric="acceleration_px_s2", quantity="acceleration", unit="px/s²", truth=want,
            tolerance=share * scale, tolerance_text=f"± {share:.0%}"
            + ("" if want else f" of {scale:.0f} px/s²"),
        ))  # fmt: skip
    for right in (c for c in falls if c.correct and c.scene == "ball-drop"):
        for wrong in (c for c in falls if not c.correct):
            rows.append(_gravity_twin(right, wrong, results))
    return rows


def _gravity_twin(right: CorpusClip, wrong: CorpusClip, results: ResultSet) -> Row:
    """The correct fall is closer to 9.81 m/s² (in px/s² at the ball) than its twin."""

    def error(clip: CorpusClip) -> float:
        got = _metric(results, clip, "gravity", "acceleration_px_s2")
        physical = float(clip.truth["gravity"]["physical_px_s2"])
        # A twin the probe cannot measure is as far from physics as can be.
        return math.inf if isinstance(got, str) else abs(got - physical) / physical

    good, bad = error(right), error(wrong)
    return Row(
        "gravity", "gravity_beats_twin", f"{right.file}|{wrong.file}", right.id,
        f"error from 9.81 m/s² vs {wrong.id}", "smaller than the twin's",
        f"{good:.1%} vs {bad:.1%}", "", good < bad,
    )  # fmt: skip


def _camera(corpus: Corpus, results: ResultSet) -> list[Row]:
    rows = []
    share, still = corpus.tolerances["camera_pan"], corpus.tolerances["camera_still_px"]
    for clip in corpus.clips_of("pan"):
        pan = float(clip.truth["camera_pan_px_s"])
        rows.append(_scalar(
            "camera", "camera_pan_rate", clip, results, probe="camera", metric="pan_x_px_s",
            quantity="pan speed", unit="px/s", truth=pan, tolerance=share * abs(pan),
            tolerance_text=f"± {share:.0%}",
        ))  # fmt: skip
    for scene in ("star-field", "sun-shadows", "water-reflection", "ball-drop"):
        for clip in corpus.clips_of(scene):
            rows.append(_scalar(
                "camera", "camera_still", clip, results, probe="camera", metric="max_shift_px",
                quantity="largest picture shift (still camera)", unit="px", truth=0.0,
                tolerance=still, tolerance_text=f"≤ {still:g} px",
            ))  # fmt: skip
    return rows


# How the runner words a failure that is not the probe's verdict on the clip: a crash,
# or a worker that died. Neither is a refusal.
_NOT_A_VERDICT = ("probe crashed", "the worker measuring")


def _is_refusal(outcome: ProbeResult | ProbeFailure, results: ResultSet, clip: CorpusClip) -> bool:
    """Whether the probe looked at the decoded clip and declined, giving its reason."""
    if outcome or not outcome.reason.strip() or outcome.reason.startswith(_NOT_A_VERDICT):
        return False
    try:
        results.info(clip.id)  # a clip that did not decode was never looked at
    except LookupProblem:
        return False
    return True


#: Rendered scenes that move but do not turn: rotation must refuse every clip of them.
NO_ROTATION_SCENES = ("sun-shadows", "water-reflection", "ball-drop", "pan")


def _negative(corpus: Corpus, results: ResultSet) -> list[Row]:
    cases = [
        (clip, probe)
        for clip in corpus.clips_of("real")
        for probe in clip.truth.get("must_fail", [])
    ]
    cases += [(clip, "rotation") for scene in NO_ROTATION_SCENES for clip in corpus.clips_of(scene)]
    rows = []
    for clip, probe in cases:
        real = clip.scene == "real"
        outcome = _outcome(results, clip, probe)
        refused = _is_refusal(outcome, results, clip)
        if refused:
            measured = f"refused: {outcome.reason}"
        elif not outcome:  # a crash, or a clip never looked at: no verdict on it
            measured = f"no verdict: {outcome.reason}"
        else:
            shown = list(outcome.metrics.items())[:3]
            measured = "printed " + ", ".join(f"{k} {_fmt(v)}" for k, v in shown)
        check, case = (
            ("negative_control_fails", f"{clip.file}|{probe}")
            if real
            else ("rotation_refuses_a_scene_without_one", clip.file)
        )
        where = "real footage" if real else f"a rendered {clip.scene} clip (no turn)"
        rows.append(Row(
            "negative", check, case, clip.id, f"{probe} on {where}",
            "no phenomenon: the probe must refuse", measured, "", refused,
        ))  # fmt: skip
    return rows

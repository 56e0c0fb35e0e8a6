"""Probe ``rotation``: how fast, how steadily and how rigidly the scene turns about a pole.

Method. Points are tracked with forward-backward-checked Lucas-Kanade
(:mod:`.tracks`). For frame pairs ``(t, t + k)`` a homography is fitted with RANSAC
to the tracks that moved (static features such as a horizon silhouette do not
move and are left out). A rigid turn of the sky seen by a pinhole camera is
``H = K R K^-1``: its eigenvalues are ``1, e^{+i theta}, e^{-i theta}`` up to scale, so
the rotation angle is the argument of the complex eigenvalues (which the scale
normalisation does not change) and the pole is the real eigenvector, the one point
``H`` leaves in place. The lag ``k`` is chosen so one pair turns by about
``target_deg`` degrees: the angle error from tracking noise is roughly constant, so
its relative size falls as ``1/k``, while longer lags lose tracks that leave the
frame and blur the timeline. Per-pair rates are aggregated by the median, the pole
by the coordinate-wise median.

Sign: + = counter-clockwise on screen (y down): a CCW turn by ``theta`` maps an
offset ``(dx, dy)`` from the pole to ``(dx cos + dy sin, -dx sin + dy cos)``.
Coordinates are original-frame pixels.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.probes.tracks import Tracks, clip_tracks, track_tails
from probepress.video.decode import Clip

_MIN_TRACKS = 8  # moving tracks a pair needs for a homography fit with RANSAC
_MAX_PAIRS = 60  # pairs fitted per clip; more adds time, not accuracy
_FAR_POLE = 10.0  # frame diagonals: a fixed point further out is a pan, not a turn
# A rotation turns one way: on every rotating clip of the demo and the validation corpus
# all pairs agree on the sense; where there is no single turn (shadows each turning
# about their own pole, a train passing its reflection) 55-80 % of them do.
_MIN_SAME_SENSE = 0.9
# A rotation has a pole: it drifts over at most 5 % of the diagonal on those clips
# (a model whose pole wanders on purpose), and over 35-77 % where there is no turn.
_MAX_POLE_TRAVEL = 0.25  # frame diagonals over the clip


def _measure(
    clip: Clip,
    *,
    target_deg: float = 3.0,
    min_move_px: float = 1.0,
    ransac_px: float = 1.0,
    model: str = "homography",
) -> ProbeResult:
    """Measure the rotation of ``clip`` (lengths in analysis px; see module docstring)."""
    if model not in ("homography", "similarity"):
        raise ProbeError(f"unknown model {model!r}: use 'homography' or 'similarity'")
    frames = len(clip.gray)
    if frames < 3:
        raise ProbeError(f"too few frames to measure a rotation ({frames})")
    tracks = clip_tracks(clip)
    if len(tracks) == 0:
        raise ProbeError("no features to track (the clip is blank or has no texture)")
    fit = {"min_move": min_move_px, "ransac": ransac_px, "model": model}
    lag = _choose_lag(tracks, clip.fps, target_deg, fit)
    starts = np.arange(0, frames - lag, max(1, -(-(frames - lag) // _MAX_PAIRS)))
    pairs = [_fit_pair(tracks, int(t), int(t) + lag, fit) for t in starts]
    good = [p for p in pairs if p is not None]
    moved = max((p[3] for p in good), default=_moving_count(tracks, lag, min_move_px))
    if len(good) < max(2, len(starts) // 4):
        raise ProbeError(f"no rotating features found ({moved} tracks moved)")
    angles = np.array([p[0] for p in good])
    poles = np.array([p[1] for p in good])
    residuals = np.array([p[2] for p in good])
    mids = np.array([t + lag / 2 for t, p in zip(starts, pairs, strict=True) if p is not None])
    # A pole at infinity (a pure pan) or far beyond the frame is not a rotation centre.
    diagonal = math.hypot(*clip.gray.shape[1:])
    centre = np.array(clip.gray.shape[:0:-1]) / 2
    near = np.all(np.isfinite(poles), axis=1)
    near[near] = np.linalg.norm(poles[near] - centre, axis=1) < _FAR_POLE * diagonal
    if near.sum() < max(2, len(good) / 2):
        raise ProbeError(
            "the moving features do not turn about a fixed point (a pan or a zoom, not a rotation)"
        )
    # Angle and pole come from the same decomposition: keep the pairs that have both.
    angles, poles, residuals, mids = angles[near], poles[near], residuals[near], mids[near]
    # Rates over each pair's own elapsed time: frames of a VFR clip are unevenly spaced.
    elapsed = np.array([clip.times[int(t) + lag] - clip.times[int(t)] for t in starts])
    rates = np.degrees(angles) / elapsed[[p is not None for p in pairs]][near]
    pole = np.median(poles, axis=0)
    mid_times = np.interp(mids, np.arange(frames), clip.times)
    drift = [theil_sen_slope(poles[:, i], mid_times) for i in (0, 1)]
    _refuse_unless_one_turn(rates, math.hypot(*drift), mid_times, diagonal)
    mean_rate = float(np.mean(rates))
    pole_orig = _to_original(pole, clip.scale)
    metrics = {
        "angular_velocity_deg_s": float(np.median(rates)),
        "center_x": float(pole_orig[0]),
        "center_y": float(pole_orig[1]),
        "angular_velocity_cv": float(np.std(rates) / max(abs(mean_rate), 1e-9)),
        "rigidity_residual_px": float(np.median(residuals) / clip.scale),
        "pole_drift_px_s": float(math.hypot(*drift) / clip.scale),
        "lag_frames": float(lag),
    }
    rate_series = np.full(frames, np.nan)
    residual_series = np.full(frames, np.nan)
    at = np.round(mids).astype(int)
    rate_series[at] = rates
    residual_series[at] = residuals / clip.scale
    overlay = {
        "static": [
            {
                "kind": "circle",
                "xy": [round(float(v), 1) for v in pole_orig],
                "r": round(0.02 * diagonal / clip.scale, 1),
                "label": "pole",
            }
        ],
        "frames": track_tails(
            tracks, clip.scale, tail_frames=max(2, round(clip.fps / 2)), min_move_px=min_move_px
        ),
    }
    return ProbeResult(
        probe="rotation",
        version=PROBE.version,
        metrics=metrics,
        series={
            "angular_velocity_deg_s": series_list(rate_series),
            "rigidity_residual_px": series_list(residual_series),
        },
        overlay=overlay,
        params={
            "target_deg": target_deg,
            "min_move_px": min_move_px,
            "ransac_px": ransac_px,
            "model": model,
        },
    )


def _refuse_unless_one_turn(
    rates: np.ndarray, drift: float, mid_times: np.ndarray, diagonal: float
) -> None:
    """Raise :class:`ProbeError` unless the pairs describe one turn about one pole.

    A homography fitted to any moving features has an angle and a fixed point, so
    each pair alone always "turns": only their agreement says a rotation is there.
    ``drift`` is the pole's speed (analysis px/s), ``diagonal`` the frame's (px).
    """
    same_sense = float(np.mean(np.sign(rates) == np.sign(np.median(rates))))
    if same_sense < _MIN_SAME_SENSE:
        raise ProbeError(
            f"no steady rotation: only {same_sense:.0%} of the frame pairs turn the same "
            f"way (a rotation needs {_MIN_SAME_SENSE:.0%})"
        )
    travel = drift * float(np.ptp(mid_times)) / diagonal
    if travel > _MAX_POLE_TRAVEL:
        raise ProbeError(
            f"no fixed pole: the turn's centre travels {travel:.0%} of the frame's diagonal "
            f"over the clip (a rotation's stays within {_MAX_POLE_TRAVEL:.0%})"
        )


def theil_sen_slope(y: np.ndarray, x: np.ndarray) -> float:
    """Median of the slopes between every pair of points with distinct ``x`` (Theil-Sen).

    What ``scipy.stats.theilslopes(y, x)[0]`` returns, without importing scipy.stats
    (over a second on a loaded machine, for a median of at most 60 x 59 / 2 slopes).
    """
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    rising = dx > 0
    return float(np.median(dy[rising] / dx[rising]))


def _choose_lag(tracks: Tracks, fps: float, target_deg: float, fit: dict) -> int:
    """Frames between the two frames of a pair, so that a pair turns by ~``target_deg``.

    A first estimate of the rate comes from a few pairs half a second apart; when
    those barely move (a slow turn), the longest lag is the best one can do.
    """
    frames = tracks.frames
    longest = max(1, frames // 3)  # keep at least ~3 independent pairs per clip
    probe_lag = int(np.clip(round(fps / 2), 1, longest))
    starts = np.linspace(0, frames - 1 - probe_lag, 9).round().astype(int)
    fits = [_fit_pair(tracks, int(t), int(t) + probe_lag, fit) for t in np.unique(starts)]
    angles = [abs(f[0]) for f in fits if f is not None]
    if not angles or np.median(angles) < 1e-6:
        return longest
    per_frame = float(np.median(angles)) / probe_lag
    return int(np.clip(round(math.radians(target_deg) / per_frame), 1, longest))


def _fit_pair(
    tracks: Tracks, t0: int, t1: int, fit: dict
) -> tuple[float, np.ndarray, float, int] | None:
    """Rotation from frame ``t0`` to ``t1``: (angle rad, pole xy, median residual, moved).

    The angle is + for a counter-clockwise turn on screen. ``None`` when too few
    tracks moved or the fit failed. Lengths in analysis px.
    """
    p0, p1, _ = tracks.pair(t0, t1)
    moving = np.linalg.norm(p1 - p0, axis=1) > fit["min_move"]
    p0, p1 = p0[moving], p1[moving]
    if len(p0) < _MIN_TRACKS:
        return None
    if fit["model"] == "homography":
        H, _ = cv2.findHomography(p0, p1, cv2.RANSAC, fit["ransac"], maxIters=500)
    else:
        A, _ = cv2.estimateAffinePartial2D(
            p0, p1, method=cv2.RANSAC, ransacReprojThreshold=fit["ransac"]
        )
        H = None if A is None else np.vstack([A, [0.0, 0.0, 1.0]])
    if H is None or not np.all(np.isfinite(H)):
        return None
    mapped = cv2.perspectiveTransform(p0[None], H)[0]
    residual = float(np.median(np.linalg.norm(mapped - p1, axis=1)))
    angle, pole = _rotation_of(H, p0, p1)
    return angle, pole, residual, len(p0)


def _rotation_of(H: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> tuple[float, np.ndarray]:
    """Signed angle (rad, + = CCW on screen) and fixed point (px) of a homography.

    Returns angle 0 and a NaN pole when the eigenvalues are all real (no turn).
    """
    det = np.linalg.det(H)
    if det <= 0:
        return 0.0, np.full(2, np.nan)
    values, vectors = np.linalg.eig(H / np.cbrt(det))
    turn = int(np.argmax(np.abs(values.imag)))
    fixed = int(np.argmin(np.abs(values.imag)))
    vector = vectors[:, fixed].real
    if abs(values[turn].imag) < 1e-12 or abs(vector[2]) < 1e-12:
        return 0.0, np.full(2, np.nan)
    pole = vector[:2] / vector[2]
    magnitude = abs(float(np.angle(values[turn])))
    # Eigenvalues come in conjugate pairs, so the sense of the turn comes from the
    # tracks: with y down, a CCW turn about the pole has a negative cross product.
    a, b = p0 - pole, p1 - pole
    cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    return (magnitude if cross.sum() < 0 else -magnitude), pole


def _moving_count(tracks: Tracks, lag: int, min_move: float) -> int:
    """Most tracks that moved more than ``min_move`` px over ``lag`` frames in any pair."""
    if lag >= tracks.frames or len(tracks) == 0:
        return 0
    moved = (tracks.pair(t, t + lag) for t in range(tracks.frames - lag))
    return max(int(np.sum(np.linalg.norm(p1 - p0, axis=1) > min_move)) for p0, p1, _ in moved)


def _to_original(xy: np.ndarray, scale: float) -> np.ndarray:
    """Analysis-pixel coordinates to original-frame pixels (pixel centres aligned)."""
    return (np.asarray(xy, float) + 0.5) / scale - 0.5


PROBE = Probe(
    name="rotation",
    version="2",
    summary="Angular velocity, pole, steadiness and rigidity of a rotating scene "
    "(LK tracks, per-pair homography eigen-decomposition).",
    metrics=(
        Metric(
            "angular_velocity_deg_s",
            "deg/s",
            "Median rotation rate over frame pairs; + = counter-clockwise on screen.",
        ),
        Metric("center_x", "px", "Pole (fixed point of the rotation), x in the original frame."),
        Metric("center_y", "px", "Pole, y in the original frame (y down)."),
        Metric(
            "angular_velocity_cv",
            "ratio",
            "Coefficient of variation (std / |mean|) of the per-pair rate: jitter.",
        ),
        Metric(
            "rigidity_residual_px",
            "px",
            "Median distance between tracked points and where the pair's fitted "
            "homography (a rigid turn seen by the camera) puts them, original px: "
            "non-rigid motion raises it.",
        ),
        Metric(
            "pole_drift_px_s",
            "px/s",
            "Speed of the linear trend of the per-pair pole (Theil-Sen), original px/s: "
            "a wandering pole raises it.",
        ),
        Metric(
            "lag_frames",
            "frames",
            "Frames between the two frames of each fitted pair (chosen so a pair "
            "turns by about target_deg).",
        ),
    ),
    measure=_measure,
    defaults={"target_deg": 3.0, "min_move_px": 1.0, "ransac_px": 1.0, "model": "homography"},
)

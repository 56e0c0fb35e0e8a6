"""Fitting a falling object's height track (see :mod:`.gravity`).

Free-flight arcs, one shared parabola and the local acceleration, all on the frames'
own timestamps, so a variable-frame-rate clip measures the same fall.
"""

from __future__ import annotations

import numpy as np

__all__ = ["free_flight_arcs", "joint_parabola_fit", "local_acceleration"]


def free_flight_arcs(
    ys: np.ndarray, min_frames: int, min_travel: float, times: np.ndarray
) -> list[np.ndarray]:
    """Split the height track into free-flight arcs (lists of frame indices).

    A new arc starts after a missing detection, a bounce (the vertical velocity
    flips from down to up, impossible in free fall under downward gravity) or a
    jump (second difference far beyond gravity and noise); the frame at the split
    is dropped because it may lie on either side of the impact. Differences are in px
    per typical frame interval, so unevenly spaced (VFR) frames compare as even ones.
    """
    valid = np.isfinite(ys)
    d2 = np.full(len(ys), np.nan)
    d2[1:-1] = ys[2:] - 2 * ys[1:-1] + ys[:-2]
    steps = np.diff(times)
    typical = float(np.median(steps)) if len(steps) else 1.0
    rate = np.diff(ys)  # px per frame
    if not np.allclose(steps, typical, rtol=1e-3):
        rate = rate / steps * typical  # px per typical interval
        d2[1:-1] = (rate[1:] - rate[:-1]) * 2 * typical / (steps[1:] + steps[:-1])
    d3 = np.diff(d2)
    if np.isfinite(d3).sum() < 3:
        return []
    # Third differences cancel constant acceleration; var(d3) = 20 sigma^2 for white
    # noise. Bounces and kinks are outliers in d3: the lower quartile of |d3|
    # (0.3186 std for a normal variable) ignores them even when they are many.
    sigma = float(np.nanpercentile(np.abs(d3), 25)) / 0.3186 / np.sqrt(20.0)
    d2_typical = float(np.nanmedian(d2))
    step = 3.0 * np.sqrt(2.0) * sigma + 0.05  # a velocity clearly above the noise, px/frame
    v_before = np.r_[np.nan, rate]
    v_after = np.r_[rate, np.nan]
    with np.errstate(invalid="ignore"):
        bounce = (v_before > step) & (v_after < -step)
        # Jumps: changes of acceleration up to ~3x stay below this on purpose.
        jump = np.abs(d2 - d2_typical) > 1.0 + 2.0 * abs(d2_typical) + 8 * np.sqrt(6.0) * sigma
    cut = ~valid | bounce | jump
    arcs = []
    for run in np.split(np.arange(len(ys)), np.flatnonzero(np.diff(cut.astype(np.int8))) + 1):
        if cut[run[0]]:
            continue
        run = trim_rest(run, ys, step)
        if len(run) >= min_frames and np.ptp(ys[run]) >= min_travel:
            arcs.append(run)
    return arcs


def trim_rest(run: np.ndarray, ys: np.ndarray, step: float) -> np.ndarray:
    """Drop frames at the ends of an arc where the object rests (held, landed)."""
    moves = np.abs(np.diff(ys[run])) > step
    if not moves.any():
        return run[:0]
    first, last = np.flatnonzero(moves)[[0, -1]]
    return run[first : last + 2]


def joint_parabola_fit(
    times: np.ndarray, ys: np.ndarray, arcs: list[np.ndarray]
) -> tuple[float, np.ndarray]:
    """Least-squares fit of one shared acceleration and a y0, v0 per arc.

    Returns the acceleration (analysis px/s^2) and the fitted heights ``(T,)``
    (NaN outside the arcs). Sharing ``a`` weights every arc by its number of frames.
    """
    rows = sum(len(a) for a in arcs)
    design = np.zeros((rows, 1 + 2 * len(arcs)))
    target = np.empty(rows)
    start = 0
    for j, arc in enumerate(arcs):
        tau = times[arc] - times[arc].mean()  # centred time keeps the system well conditioned
        block = slice(start, start + len(arc))
        design[block, 0] = 0.5 * tau**2
        design[block, 1 + 2 * j] = 1.0
        design[block, 2 + 2 * j] = tau
        target[block] = ys[arc]
        start += len(arc)
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    fitted = np.full(len(ys), np.nan)
    fitted[np.concatenate(arcs)] = design @ coef
    return float(coef[0]), fitted


def local_acceleration(
    ys: np.ndarray, arcs: list[np.ndarray], times: np.ndarray, fps: float, window_s: float
) -> np.ndarray:
    """Second derivative of ``y(t)`` from local quadratics inside each arc, px/s^2.

    Evenly spaced frames use the Savitzky-Golay filter; a variable-rate clip's frames
    get the same local least-squares quadratic fitted at their own times.
    """
    # scipy loads in ~0.5 s; a warm build never calls this, so it pays nothing.
    from scipy.signal import savgol_filter

    even = np.allclose(np.diff(times), 1.0 / fps, rtol=1e-3, atol=1e-6)
    local = np.full(len(ys), np.nan)
    for arc in arcs:
        window = max(5, int(round(window_s * fps)) | 1)
        window = min(window, len(arc) - (1 - len(arc) % 2))  # odd, no longer than the arc
        if even:
            local[arc] = savgol_filter(ys[arc], window, 2, deriv=2, delta=1.0 / fps, mode="interp")
        else:
            local[arc] = quadratic_curvature(times[arc], ys[arc], window)
    return local


def quadratic_curvature(t: np.ndarray, y: np.ndarray, window: int) -> np.ndarray:
    """``y''`` at each sample from a quadratic fitted to the ``window`` samples around it.

    Windows are centred on the sample and shifted inwards at the ends of the arc, as
    Savitzky-Golay's ``interp`` mode does.
    """
    half = window // 2
    out = np.empty(len(y))
    for i in range(len(y)):
        lo = min(max(0, i - half), len(y) - window)
        span = slice(lo, lo + window)
        out[i] = 2.0 * np.polyfit(t[span] - t[i], y[span], 2)[0]
    return out

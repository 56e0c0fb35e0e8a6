"""Mirror-axis search and the correlation helpers the reflection probe is built on.

The axis search scores every candidate horizontal mirror line at once: with the
band-passed frames stacked side by side as rows ``R`` (``h`` rows), the Gram matrix
``P = R R^T`` holds every row-by-row dot product, and the correlation of the rows
above a candidate line with the mirrored rows below it is a partial sum along an
anti-diagonal of ``P``. That makes the scan over all ``2h`` half-row positions cost
one matrix product.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = [
    "axis_scores",
    "bandpass",
    "blur_stack",
    "motion_rows",
    "motion_velocity_ratio",
    "refine_peak",
    "weighted_ncc",
]

_MIN_DETAIL = 0.5  # grey levels RMS of band-passed detail below which a region is flat
_MAX_PAIRS = 30  # frame pairs phase-correlated for the velocity ratio
_MIN_RESPONSE = 0.05  # phase-correlation peak below which a pair carries no motion
_PAIR_SHIFT = 10.0  # px between the frames of a pair: keeps phaseCorrelate's sub-pixel bias small


def bandpass(image: np.ndarray, fine: float, coarse: float, squeeze: float = 1.0) -> np.ndarray:
    """Difference of Gaussians: detail between scales ``fine`` and ``coarse`` (sigmas, px).

    Parameters
    ----------
    image : np.ndarray
        ``(h, w)`` image, any real dtype.
    fine, coarse : float
        Gaussian sigmas in pixels (of the rows).
    squeeze : float
        How many full-width columns one column of ``image`` stands for; the
        horizontal sigmas are divided by it.

    Returns
    -------
    np.ndarray
        ``(h, w)`` float32, mean about zero: illumination gradients and offsets removed.
    """
    image = np.asarray(image, dtype=np.float32)
    border = cv2.BORDER_REFLECT
    high = cv2.GaussianBlur(image, (0, 0), fine / squeeze, sigmaY=fine, borderType=border)
    low = cv2.GaussianBlur(image, (0, 0), coarse / squeeze, sigmaY=coarse, borderType=border)
    return high - low


def axis_scores(
    images: np.ndarray, *, min_depth: int, max_depth: int, gap: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """Normalised cross-correlation of the upper region with the flipped lower region.

    Parameters
    ----------
    images : np.ndarray
        ``(K, h, w)`` band-passed frames (zero-mean detail), float32.
    min_depth, max_depth : int
        A candidate line needs ``min_depth`` rows on both sides; at most
        ``max_depth`` rows on each side are compared.
    gap : int
        Row pairs closer than ``gap`` rows are skipped: neighbouring rows of any
        smooth image correlate, mirror or not.

    Returns
    -------
    lines : np.ndarray
        ``(M,)`` candidate mirror lines in row coordinates (pixel centres at
        integers), in steps of half a row.
    ncc : np.ndarray
        ``(M,)`` correlation in ``[-1, 1]`` for each line.
    """
    count, h, w = images.shape
    rows = images.transpose(1, 0, 2).reshape(h, count * w).astype(np.float32)
    gram = (rows @ rows.T).astype(np.float64)
    energy = np.concatenate([[0.0], np.cumsum(np.diag(gram))])
    # anti[i, m] = gram[i, m - i]: the pairs (i, m - i) mirror about the line y = m / 2.
    m_all = np.arange(2 * h - 1)
    upper = np.arange(h)[:, None]
    lower = m_all[None, :] - upper
    anti = np.where((lower >= 0) & (lower < h), gram[upper, np.clip(lower, 0, h - 1)], 0.0)
    cum = np.vstack([np.zeros((1, anti.shape[1])), np.cumsum(anti, axis=0)])

    lines = m_all / 2.0
    depth = np.minimum(np.minimum(lines, h - 1 - lines), max_depth)
    keep = depth >= min_depth
    m, lines, depth = m_all[keep], lines[keep], depth[keep]
    i_hi = np.floor((m - gap) / 2).astype(int)  # last upper row whose pair is >= gap apart
    i_lo = np.ceil(lines - depth).astype(int)
    num = cum[i_hi + 1, m] - cum[i_lo, m]
    e_up = energy[i_hi + 1] - energy[i_lo]
    e_low = energy[m - i_lo + 1] - energy[m - i_hi]
    denom = np.sqrt(np.maximum(e_up * e_low, 0.0))
    # Below _MIN_DETAIL grey levels RMS a region is flat: its "correlation" would be
    # that of rounding noise, which is itself mirror-symmetric.
    floor = _MIN_DETAIL**2 * (i_hi - i_lo + 1) * count * w
    textured = (e_up > floor) & (e_low > floor)
    ncc = np.divide(num, denom, out=np.zeros_like(num), where=textured & (denom > 0))
    return lines, ncc


def refine_peak(values: np.ndarray, index: int) -> float:
    """Sub-sample offset in ``[-0.5, 0.5]`` of a peak by a parabola through 3 samples."""
    if index <= 0 or index >= len(values) - 1:
        return 0.0
    left, mid, right = values[index - 1], values[index], values[index + 1]
    curvature = left - 2.0 * mid + right
    if curvature >= 0:
        return 0.0
    return float(np.clip(0.5 * (left - right) / curvature, -0.5, 0.5))


def weighted_ncc(a: np.ndarray, b: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Normalised cross-correlation over the last two axes, optionally weighted.

    Parameters
    ----------
    a, b : np.ndarray
        ``(..., h, w)`` float32 images to compare.
    weights : np.ndarray, optional
        ``(..., h, w)`` non-negative float32 weights (e.g. a mask of moving pixels).

    Returns
    -------
    np.ndarray
        ``(...)`` correlation in ``[-1, 1]``; NaN where either image is flat under
        the weights or the weights are all zero.
    """
    axes = (-2, -1)
    if weights is None:
        total = np.full(a.shape[:-2], a.shape[-2] * a.shape[-1], np.float64)
        wa, wb = a, b
    else:
        total = weights.sum(axis=axes, dtype=np.float64)
        wa, wb = weights * a, weights * b
    # Sums of products rather than centred arrays: one pass over the pixels each.
    sum_a = wa.sum(axis=axes, dtype=np.float64)
    sum_b = wb.sum(axis=axes, dtype=np.float64)
    sum_ab = np.einsum("...ij,...ij->...", wa, b).astype(np.float64)
    sum_aa = np.einsum("...ij,...ij->...", wa, a).astype(np.float64)
    sum_bb = np.einsum("...ij,...ij->...", wb, b).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = sum_ab - sum_a * sum_b / total
        var_a = sum_aa - sum_a**2 / total
        var_b = sum_bb - sum_b**2 / total
        ncc = cov / np.sqrt(var_a * var_b)
    flat = (total <= 0) | ~(var_a > 1e-6 * total) | ~(var_b > 1e-6 * total)
    return np.where(flat, np.nan, np.clip(ncc, -1.0, 1.0))


def blur_stack(frames: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian-blur every frame of a ``(T, n, w)`` stack by ``sigma`` px (0: unchanged)."""
    if sigma <= 0:
        return frames
    return np.stack([cv2.GaussianBlur(f, (0, 0), sigma) for f in frames])


def motion_rows(lower: np.ndarray, upper: np.ndarray, frames: np.ndarray) -> slice | None:
    """Rows (of the paired regions) where the object or its reflection moves.

    Parameters
    ----------
    lower, upper : np.ndarray
        ``(T, n, w)`` paired regions.
    frames : np.ndarray
        Frame indices ``t`` (with ``t + 1`` valid) whose differences are used.

    Returns
    -------
    slice or None
        The hull of the rows whose mean absolute frame difference reaches 30 % of
        the object's strongest row, padded by 2 rows and at least 8 rows tall;
        ``None`` if nothing changes.
    """
    energy_up = np.abs(upper[frames + 1] - upper[frames]).mean(axis=(0, 2))
    energy_low = np.abs(lower[frames + 1] - lower[frames]).mean(axis=(0, 2))
    level = 0.3 * max(energy_up.max(), energy_low.max())
    rows = np.flatnonzero((energy_up >= level) | (energy_low >= level))
    if len(rows) == 0 or level <= 0:
        return None
    last = min(len(energy_up), rows[-1] + 3)
    first = max(0, min(rows[0] - 2, last - 8))
    return slice(first, last)


def motion_velocity_ratio(
    lower: np.ndarray, upper: np.ndarray, moving: np.ndarray, rows: slice
) -> float:
    """Velocity of the reflection along the mirrored velocity of the object, over its speed.

    Both bands are phase-correlated between successive frame differences, in which
    the static background cancels. With ``v_o`` the object's (mirrored) shift and
    ``v_r`` the reflection's, the ratio is ``sum(v_r . v_o) / sum(|v_o|^2)``: 1 for a
    true reflection, 0.5 at half speed, negative if it moves the other way.

    Parameters
    ----------
    lower, upper : LazyStack
        ``(T, n, w)`` high-passed reflection and flipped upper region, blurred alike
        (phase correlation's sub-pixel estimate depends on sharpness).
    moving : np.ndarray
        Indices of frames in which something moves.
    rows : slice
        The rows where things move (:func:`motion_rows`).

    Returns
    -------
    float
        The ratio, or NaN if the object shows no measurable motion.
    """
    count = len(lower)
    up = upper.map(lambda band: np.ascontiguousarray(band[:, rows]))
    low = lower.map(lambda band: np.ascontiguousarray(band[:, rows]))
    height, width = up[0].shape
    window = cv2.createHanningWindow((width, height), cv2.CV_32F)

    def shifts(stack: np.ndarray, step: int, pairs: int) -> tuple[np.ndarray, np.ndarray]:
        starts = moving[moving < count - 2 * step]
        starts = starts[np.unique(np.linspace(0, len(starts) - 1, pairs).astype(int))]
        out, response = [], []
        for t in starts if len(starts) else []:
            a, b, c = stack[t], stack[t + step], stack[t + 2 * step]
            shift, peak = cv2.phaseCorrelate(b - a, c - b, window)
            out.append(shift)
            response.append(peak)
        return np.array(out).reshape(-1, 2), np.array(response)

    # A first look at the speed sets the frame step, so that pairs shift by about
    # _PAIR_SHIFT px and phaseCorrelate's sub-pixel bias stays small relative to it.
    first_look, _ = shifts(up, 1, 10)
    speed = float(np.median(np.hypot(*first_look.T))) if len(first_look) else 0.0
    step = int(np.clip(round(_PAIR_SHIFT / max(speed, 1e-3)), 1, max(1, (count - 1) // 4)))
    v_up, response = shifts(up, step, _MAX_PAIRS)
    v_low, _ = shifts(low, step, _MAX_PAIRS)
    valid = response >= _MIN_RESPONSE
    norm = float((v_up[valid] ** 2).sum())
    if norm <= 1e-6:
        return float("nan")
    return float((v_low[valid] * v_up[valid]).sum() / norm)

"""Mirror-axis search and the correlation helpers the reflection probe is built on.

The axis search scores every candidate horizontal mirror line at once: with the
band-passed frames stacked side by side as rows ``R`` (``h`` rows), the Gram matrix
``P = R R^T`` holds every row-by-row dot product, and the correlation of the rows
above a candidate line with the mirrored rows below it is a partial sum along an
anti-diagonal of ``P``. That makes the scan over all ``2h`` half-row positions cost
one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from probepress.probes.base import ProbeError

__all__ = [
    "MirrorRegions",
    "axis_scores",
    "bandpass",
    "blur_stack",
    "mirror_regions",
    "motion_rows",
    "motion_velocity_ratio",
    "refine_peak",
    "weighted_ncc",
]

_MIN_DETAIL = 0.5  # grey levels RMS of band-passed detail below which a region is flat
_SHORE_ROWS = 3  # half-resolution rows next to the mirror line left out of every comparison
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


@dataclass(frozen=True)
class MirrorRegions:
    """The rows below a mirror line and the flipped rows above it, at half resolution.

    Attributes
    ----------
    lower : np.ndarray
        ``(T, n, w)`` float32 high-passed: row ``i`` is the ``i``-th row below the line.
    upper : np.ndarray
        ``(T, n, w)`` float32 high-passed: row ``i`` is the row mirrored onto
        ``lower``'s row ``i`` (a view with a negative row stride); a true reflection
        has ``lower ~ gain * blur(upper)``.
    lower_moving, upper_moving : np.ndarray
        ``(T, n, w)`` bool: pixels that differ from the static background (temporal
        median) by more than the moving level, dilated by 2 px (half resolution).
    top, first_row : int
        Crop offset (analysis rows) and the half-resolution row of ``lower[:, 0]``.
    """

    lower: np.ndarray
    upper: np.ndarray
    lower_moving: np.ndarray
    upper_moving: np.ndarray
    top: int
    first_row: int

    def to_analysis(self, x: float, row: float) -> tuple[float, float]:
        """Analysis-resolution ``(x, y)`` of a point given as (column, ``lower`` row)."""
        return 2.0 * x + 0.5, self.top + 2.0 * (self.first_row + row) + 0.5


def mirror_regions(
    gray: np.ndarray, axis: float, background_frames: np.ndarray, moving_level: float
) -> MirrorRegions:
    """Cut the rows around ``axis`` at half resolution and pair them across the line.

    Parameters
    ----------
    gray : np.ndarray
        ``(T, h, w)`` uint8 frames at analysis resolution.
    axis : float
        Mirror line in analysis rows (pixel centres at integers).
    background_frames : np.ndarray
        Frame indices whose median is the static background.
    moving_level : float
        Grey levels from the background above which a pixel counts as moving.
    """
    _, height, width = gray.shape
    depth = min(axis, height - 1 - axis, 0.3 * height)
    top = max(0, int(np.floor(axis - depth)) - 2)
    bottom = min(height, int(np.ceil(axis + depth)) + 3)
    bottom -= (bottom - top) % 2
    size = (width // 2, (bottom - top) // 2)
    # The 2x2 area average halves codec noise; the mirror geometry needs no more.
    half = np.stack(
        [cv2.resize(f[top:bottom, : 2 * size[0]], size, interpolation=cv2.INTER_AREA) for f in gray]
    )
    background = np.median(half[background_frames], axis=0).astype(np.int16)
    kernel = np.ones((5, 5), np.uint8)
    moving = np.stack(
        [cv2.dilate((np.abs(f - background) > moving_level).view(np.uint8), kernel) for f in half]
    ).astype(bool)
    # High-pass: minus a 9x9 local mean (box: O(1) per pixel; ~Gaussian sigma 2.6 px).
    # It removes the water's own shading and the reflection's offset.
    local_mean = np.stack([cv2.blur(f, (9, 9), borderType=cv2.BORDER_REFLECT) for f in half])
    high = half.astype(np.float32) - local_mean

    # The line at half resolution, rounded to a half row (<= 0.5 analysis px off) so that
    # every lower row has an exact mirror row and both regions are views, not copies.
    # The rows nearest the line are skipped: the shoreline is a discontinuity that a
    # sub-pixel error in the line would turn into a mismatch.
    centre = round(axis - top - 0.5) / 2.0
    first = int(np.floor(centre)) + 1 + _SHORE_ROWS
    source = int(round(2 * centre)) - first  # mirror of the first lower row
    depth = min(size[1] - first, source + 1)
    if depth < 4:
        raise ProbeError("the mirror line is too close to the edge of the frame to measure")
    mirrored = slice(source, source - depth if source - depth >= 0 else None, -1)
    return MirrorRegions(
        lower=high[:, first : first + depth],
        upper=high[:, mirrored],
        lower_moving=moving[:, first : first + depth],
        upper_moving=moving[:, mirrored],
        top=top,
        first_row=first,
    )


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
    lower, upper : np.ndarray
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
    up, low = upper[:, rows], lower[:, rows]
    window = cv2.createHanningWindow((up.shape[2], up.shape[1]), cv2.CV_32F)

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

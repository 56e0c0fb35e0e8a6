"""Geometry of one object's shadow over time: its moments, its anchor, a robust rate fit.

Used by :mod:`.shadow`. Coordinates are analysis-resolution pixels with pixel centres
at integers, x right and y down.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

__all__ = [
    "ShadowTrack",
    "anchor_point",
    "lies_across",
    "moment_basis",
    "moments_from_sums",
    "shadow_moments",
    "stable_end",
    "theil_sen",
    "wraps_around",
]

_ELONGATED = 3.0  # axis ratio from which a shadow is a line with a direction of its own
_WRAPS = 0.8  # solidity below which a compact shadow wraps around its object
_PULL = 1e-6  # weight per frame pulling the anchor towards the shadow's stable end
_MIN_SHIFT_PX = 1.0  # a shadow whose centroid moves less has no turn to judge its shape by
_ACROSS_COS = float(np.cos(np.radians(45.0)))  # centroid motion within 45 deg of the axis
_MAX_FIT_POINTS = 300  # Theil-Sen uses at most this many evenly spaced points (45k pairs)


@dataclass(frozen=True)
class ShadowTrack:
    """One object's shadow over time (analysis px, x right, y down).

    Attributes
    ----------
    centroid : np.ndarray
        ``(T, 2)`` soft-mask centroid (x, y); NaN where the shadow is missing.
    axis : np.ndarray
        ``(T, 2)`` unit major axis (x, y), signs made continuous over time.
    area : np.ndarray
        ``(T,)`` total weight (shadow area, px).
    elongation : float
        Median ratio of the major to the minor axis (standard deviations).
    major_sd : np.ndarray
        ``(T,)`` standard deviation of the shadow along its major axis (px).
    """

    centroid: np.ndarray
    axis: np.ndarray
    area: np.ndarray
    elongation: float
    major_sd: np.ndarray


def shadow_moments(weights: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> ShadowTrack:
    """Soft-mask moments of one object's shadow in every frame.

    Parameters
    ----------
    weights : np.ndarray
        ``(T, P)`` shadow weight (0..1) of each of the object's ``P`` pixels per frame.
    xs, ys : np.ndarray
        ``(P,)`` coordinates of those pixels (px).

    Returns
    -------
    ShadowTrack
        Centroid, major axis, area and elongation per frame.
    """
    basis, origin = moment_basis(xs, ys)
    return moments_from_sums(weights.astype(np.float64) @ basis, origin)


def moment_basis(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
    """Monomials of the pixels' centred coordinates, and the centre.

    Returns ``(P, 6)`` float64 columns 1, dx, dy, dx^2, dx dy, dy^2 and the origin
    they are centred on: ``weights @ basis`` gives each frame's raw moments, so a long
    clip can be summed a chunk of frames at a time.
    """
    x0, y0 = float(xs.mean()), float(ys.mean())  # centred coordinates: no cancellation
    dx, dy = xs - x0, ys - y0
    basis = np.stack([np.ones_like(dx), dx, dy, dx * dx, dx * dy, dy * dy], -1)
    return basis.astype(np.float64), (x0, y0)


def moments_from_sums(sums: np.ndarray, origin: tuple[float, float]) -> ShadowTrack:
    """The :class:`ShadowTrack` of ``(T, 6)`` raw moments about ``origin``.

    The moments are those of :func:`moment_basis`, summed over each frame's pixels.
    """
    x0, y0 = origin
    total = sums[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        cx, cy = sums[:, 1] / total, sums[:, 2] / total
        mu20 = sums[:, 3] / total - cx * cx
        mu11 = sums[:, 4] / total - cx * cy
        mu02 = sums[:, 5] / total - cy * cy
    orientation = 0.5 * np.arctan2(2 * mu11, mu20 - mu02)
    # The axis is a line (period 180 deg): unwrap the doubled angle to keep one sign.
    finite = np.isfinite(orientation)
    if finite.any():
        orientation[finite] = 0.5 * np.unwrap(2 * orientation[finite])
    axis = np.stack([np.cos(orientation), np.sin(orientation)], -1)
    centroid = np.stack([cx + x0, cy + y0], -1)
    half_gap = np.sqrt(np.maximum(0.25 * (mu20 - mu02) ** 2 + mu11**2, 0.0))
    major, minor = 0.5 * (mu20 + mu02) + half_gap, 0.5 * (mu20 + mu02) - half_gap
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.sqrt(major / np.maximum(minor, 1e-6))
    elongation = float(np.nanmedian(ratio)) if np.isfinite(ratio).any() else float("nan")
    return ShadowTrack(centroid, axis, total, elongation, np.sqrt(np.maximum(major, 0.0)))


def wraps_around(track: ShadowTrack, masks: np.ndarray, region: np.ndarray) -> bool:
    """Whether a shadow wraps around its object (a building seen from above).

    Such a shadow is compact (not a line) and far from convex: the object covers a
    bite of it. Its visible part does not turn about a point of its own, so its
    direction needs the object's centre, which the shadow alone does not give.
    """
    if track.elongation >= _ELONGATED:
        return False
    solidity, _ = _hull_deficit(masks, region)
    return bool(np.isfinite(solidity) and solidity < _WRAPS)


def anchor_point(
    track: ShadowTrack,
    valid: np.ndarray,
    stable: np.ndarray,
    masks: np.ndarray,
    region: np.ndarray,
    wraps: bool,
) -> np.ndarray:
    """The point the shadow turns about: the base of the object casting it, ``(2,)`` px.

    Parameters
    ----------
    track : ShadowTrack
        From :func:`shadow_moments`.
    valid : np.ndarray
        ``(T,)`` bool, frames in which the shadow was seen.
    stable : np.ndarray
        ``(2,)`` the shadow's stable end (:func:`stable_end`).
    masks : np.ndarray
        ``(S, h, w)`` bool binary shadow masks of the sampled frames.
    region : np.ndarray
        ``(h, w)`` bool, the object's fan.
    wraps : bool
        Whether the shadow wraps around its object (:func:`wraps_around`).
    """
    if wraps:
        # Best available: the object covers the part of the shadow's convex hull that
        # is not shadow; its centroid lies between the object's centre and the shadow.
        return _hull_deficit(masks, region)[1]
    centroid, axis = track.centroid, track.axis
    # Least squares: the point closest to every frame's principal axis line. When
    # the lines are near parallel (a frozen shadow) the weak pull to the stable end
    # decides where along them, which then barely matters for the direction.
    e = axis[valid]
    projectors = np.eye(2)[None] - e[:, :, None] * e[:, None, :]
    pull = _PULL * len(e)
    matrix = projectors.sum(axis=0) + pull * np.eye(2)
    vector = np.einsum("tij,tj->i", projectors, centroid[valid]) + pull * stable
    return np.linalg.solve(matrix, vector)


def _box(region: np.ndarray) -> tuple[int, int, int, int]:
    """Bounding box ``(y0, y1, x0, x1)`` of a boolean region."""
    rows = np.flatnonzero(region.any(axis=1))
    cols = np.flatnonzero(region.any(axis=0))
    return int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1


def _hull_deficit(masks: np.ndarray, region: np.ndarray) -> tuple[float, np.ndarray]:
    """Median solidity of the sampled shadows and median centroid of their hull deficit."""
    y0, y1, x0, x1 = _box(region)
    solidity, centres = [], []
    for mask in masks[:, y0:y1, x0:x1] & region[y0:y1, x0:x1]:
        points = cv2.findNonZero(mask.view(np.uint8))
        if points is None or len(points) < 10:
            continue
        hull = np.zeros(mask.shape, np.uint8)
        cv2.fillConvexPoly(hull, cv2.convexHull(points), 1)
        deficit = hull.astype(bool) & ~mask
        solidity.append(mask.sum() / max(1, hull.sum()))
        ys, xs = np.nonzero(deficit)
        centres.append((xs.mean() + x0, ys.mean() + y0) if len(xs) else (np.nan, np.nan))
    if not solidity:
        return float("nan"), np.full(2, np.nan)
    return float(np.median(solidity)), np.nanmedian(np.array(centres), axis=0)


def stable_end(
    track: ShadowTrack, masks: np.ndarray, samples: np.ndarray, region: np.ndarray
) -> tuple[np.ndarray, float]:
    """The end of the shadow (along its principal axis) that moves least over the samples.

    Parameters
    ----------
    track : ShadowTrack
        From :func:`shadow_moments`.
    masks : np.ndarray
        ``(S, h, w)`` bool binary shadow masks of the sampled frames.
    samples : np.ndarray
        ``(S,)`` frame index of each mask.
    region : np.ndarray
        ``(h, w)`` bool, the object's fan.

    Returns
    -------
    point : np.ndarray
        ``(2,)`` median position of that end (px).
    drift : float
        Its median distance from that position, over the shadow's median length: near
        0 for a cast shadow (anchored at its object), about 1 for a dark thing that
        moves as a whole. NaN if the shadow was never seen.
    """
    centroid, axis = track.centroid, track.axis
    y0, y1, x0, x1 = _box(region)
    ends = []
    for mask, t in zip(masks[:, y0:y1, x0:x1] & region[y0:y1, x0:x1], samples, strict=True):
        ys, xs = np.nonzero(mask)
        if len(xs) < 5 or not np.isfinite(centroid[t]).all():
            continue
        xs, ys = xs + x0, ys + y0
        along = (xs - centroid[t, 0]) * axis[t, 0] + (ys - centroid[t, 1]) * axis[t, 1]
        low, high = np.percentile(along, [2, 98])  # percentiles: robust to a stray pixel
        ends.append((centroid[t] + low * axis[t], centroid[t] + high * axis[t]))
    if not ends:
        return np.full(2, np.nan), float("nan")
    ends_arr = np.array(ends)  # (S, 2 ends, 2 coords)
    centre = np.median(ends_arr, axis=0)
    spread = np.median(np.linalg.norm(ends_arr - centre[None], axis=2), axis=0)
    length = float(np.median(np.linalg.norm(ends_arr[:, 0] - ends_arr[:, 1], axis=1)))
    steady = int(np.argmin(spread))
    return centre[steady], float(spread[steady] / max(length, 1.0))


def theil_sen(x: np.ndarray, y: np.ndarray) -> float:
    """Median of the pairwise slopes of ``y`` against ``x``, ignoring NaN (Theil-Sen).

    Parameters
    ----------
    x, y : np.ndarray
        ``(n,)`` samples; at most ``_MAX_FIT_POINTS`` evenly spaced ones are used.

    Returns
    -------
    float
        The slope in units of ``y`` per unit of ``x``; NaN with fewer than 2 points.
    """
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if len(x) < 2:
        return float("nan")
    pick = np.unique(np.linspace(0, len(x) - 1, min(len(x), _MAX_FIT_POINTS)).astype(int))
    x, y = x[pick], y[pick]
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    ok = dx != 0
    return float(np.median((y[j] - y[i])[ok] / dx[ok]))


def lies_across(track: ShadowTrack, valid: np.ndarray) -> bool:
    """Whether a turning shadow lies across its direction, as a wall's does.

    A turning shadow's centroid moves sideways to the shadow's direction. For a
    line-like shadow (a pole's) that is across its principal axis; for a shadow wider
    than long (a wall's) it is along the axis, which then runs along the object and
    places the anchor anywhere along the wall.

    Parameters
    ----------
    track : ShadowTrack
        From :func:`shadow_moments`.
    valid : np.ndarray
        ``(T,)`` bool, frames in which the shadow was seen (at least one).
    """
    frames = np.flatnonzero(valid)
    first, last = frames[: max(1, len(frames) // 8)], frames[-max(1, len(frames) // 8) :]
    shift = np.median(track.centroid[last], axis=0) - np.median(track.centroid[first], axis=0)
    distance = float(np.hypot(*shift))
    if not distance >= _MIN_SHIFT_PX:
        return False
    axis = track.axis[frames[len(frames) // 2]]
    return abs(float(shift @ axis)) / distance > _ACROSS_COS

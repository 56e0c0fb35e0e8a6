"""Reflection probe: find the water line and test whether the lower image mirrors the upper.

Method (details and references in ``src/probepress/site/methods/reflection.md``):

1. **Axis.** On band-passed frames (difference of Gaussians), the normalised
   cross-correlation (NCC) of the rows above every candidate horizontal line with
   the rows below it, flipped, is scanned at half-row steps (one Gram matrix, see
   :mod:`._mirror`) and refined to sub-row precision by a parabola. The scan runs on
   the static scene (the temporal median with changing pixels left out), so that a
   wrong reflection of a moving object cannot pull the water line; only if the
   static scene shows no mirror do a few raw frames decide. Below ``min_ncc`` there
   is no mirror and the probe fails.
2. **Reflection model.** Below the axis, the lower region ``L`` is modelled as
   ``gain * blur_s(flip(U)) + offset``. The blur ``s`` is the Gaussian width that
   maximises the NCC on a sample of frames; the NCC is computed on band-passed
   images, so offset and gain drop out.
3. **Symmetry** per frame is that NCC restricted to where something moves (pixels
   that differ from the median background, in the object's mirror position or in
   the reflection): a static background mirrors perfectly even when the moving
   object's reflection is wrong, so it must not dilute the score.
4. **Lag** is the shift ``k`` (frames) maximising the NCC of ``L(t)`` against the
   flipped upper region at ``t - k``; ``+`` = the reflection trails the object.
5. **Velocity ratio** compares the motion of the object band with that of the
   reflection band by phase correlation of consecutive frame differences (static
   background cancels), mirrored so that a true reflection gives 1.

All per-frame work runs on the rows around the axis at half the analysis
resolution; the axis itself is found at full analysis resolution.
"""

from __future__ import annotations

import cv2
import numpy as np

from probepress.probes._mirror import (
    axis_scores,
    bandpass,
    blur_stack,
    motion_rows,
    motion_velocity_ratio,
    refine_peak,
    weighted_ncc,
)
from probepress.probes._mirror_regions import LazyStack, MirrorRegions, mirror_regions
from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.probes.camera import require_still_camera
from probepress.video.decode import Clip

__all__ = ["PROBE", "measure"]

_AXIS_FRAMES = 8  # frames whose median is scanned for the axis
_BACKGROUND_FRAMES = 9  # frames whose temporal median is the static background
_FIT_FRAMES = 8  # frames used to fit the blur and the gain
_LAG_FRAMES = 16  # frames used to estimate the lag
_BLUR_SIGMAS = tuple(0.5 * k for k in range(8))  # candidate blurs, half-resolution px
_GAIN_SMOOTHING = 3.0  # px (half resolution) of extra blur before the contrast ratio
_MOVING_LEVEL = 10.0  # grey levels from the background that count as "moving"
_MIN_MOVING_FRACTION = 0.005  # of the lower region, for a frame to count as moving
# Below this symmetry, a mirror is only a reflection if the water moves with the object
# (see _reflection_absent): a broken reflection can score ~0 too (displaced, reversed).
_WEAK_SYMMETRY = 0.2
_MIN_COMOVING = 0.5  # of the moving frames, where both sides of the axis move


def measure(
    clip: Clip,
    *,
    min_ncc: float = 0.5,
    max_lag: int = 5,
    break_below: float = 0.8,
) -> ProbeResult:
    """Measure the mirror axis, symmetry, lag, gain and velocity ratio of a reflection.

    Parameters
    ----------
    clip : Clip
        The clip; its shared ``gray`` frames are used.
    min_ncc : float
        Weakest axis correlation accepted as a mirror (0..1).
    max_lag : int
        Largest lag tried, in frames, both ways.
    break_below : float
        Frames whose symmetry falls below this get a box in the overlay.

    Returns
    -------
    ProbeResult
        Metrics ``axis_y`` (px, original frame, y down), ``symmetry`` (0..1),
        ``lag_frames`` (+ = reflection behind the object), ``gain`` (reflection
        contrast / object contrast) and ``velocity_ratio`` (1 = true reflection).

    Raises
    ------
    ProbeError
        Too few frames, no mirror axis, nothing moving near the axis, or no reflection
        of what moves (weak symmetry and a water region that does not move with it).
    """
    gray = clip.gray
    count, height, width = gray.shape
    if count < 4:
        raise ProbeError(f"needs at least 4 frames, the clip has {count}")
    # The mirror axis is one row of the median frame: a camera that moves smears it.
    require_still_camera(clip, "the reflection probe")
    axis, best = _find_axis(gray, min_ncc)
    if best < min_ncc:
        raise ProbeError(f"no mirror axis found: best NCC {best:.2f} < {min_ncc:g}")

    regions = mirror_regions(gray, axis, _even(count, _BACKGROUND_FRAMES), _MOVING_LEVEL)
    sigma = _fit_blur(regions, _even(count, _FIT_FRAMES))
    lower, upper = regions.lower, regions.upper.map(lambda band: blur_stack(band, sigma))
    moving = regions.moving
    moved = np.concatenate([moving[chunk].sum(axis=(1, 2)) for chunk in _chunks(count)])
    is_moving = moved >= max(20, _MIN_MOVING_FRACTION * moving[0].size)
    if not is_moving.any():
        raise ProbeError(
            f"nothing moves near the mirror axis (y={clip.to_original(axis + 0.5):.0f} px): "
            "lag_frames and velocity_ratio need a moving object"
        )
    moving_frames = np.flatnonzero(is_moving)

    per_frame_all, per_frame_moving = _frame_symmetry(lower, upper, moving, count)
    per_frame = np.where(is_moving, per_frame_moving, per_frame_all)
    if not np.isfinite(per_frame_moving[is_moving]).any():
        raise ProbeError("the region below the mirror axis is flat where things move")
    symmetry = float(np.clip(np.nanmedian(per_frame_moving[is_moving]), 0.0, 1.0))
    absent = _reflection_absent(regions, is_moving, symmetry)
    if absent:
        raise ProbeError(absent)
    lag = _best_lag(lower, upper, regions, moving_frames, max_lag)
    pairs = moving_frames[moving_frames < count - 1]
    rows = motion_rows(lower, upper, pairs[_even(len(pairs), _FIT_FRAMES)]) if len(pairs) else None
    if rows is None:
        raise ProbeError("something changes near the mirror axis but no motion could be tracked")
    gain = _gain(lower, upper, moving_frames[_even(len(moving_frames), _FIT_FRAMES)], rows)
    ratio = motion_velocity_ratio(lower, upper, moving_frames, rows)
    if not np.isfinite(ratio):
        raise ProbeError("something changes near the mirror axis but no motion could be tracked")

    metrics = {
        # Pixel-edge convention: a mirror between rows 199 and 200 reports 200.
        "axis_y": round(float(clip.to_original(axis + 0.5)), 2),
        "symmetry": round(symmetry, 4),
        "lag_frames": float(lag),
        "gain": round(gain, 4),
        "velocity_ratio": round(ratio, 4),
    }
    params = {"min_ncc": min_ncc, "max_lag": max_lag, "break_below": break_below}
    return ProbeResult(
        probe="reflection",
        version=PROBE_VERSION,
        metrics=metrics,
        series={"symmetry": series_list(per_frame), "symmetry_overall": series_list(per_frame_all)},
        overlay=_overlay(clip, axis, regions, moving, per_frame, is_moving, break_below),
        params=params,
    )


def _chunks(count: int, size: int = 64) -> list[np.ndarray]:
    """Frame numbers ``0..count-1`` in chunks: full passes never hold the whole band stack."""
    return [np.arange(start, min(count, start + size)) for start in range(0, count, size)]


def _frame_symmetry(
    lower: LazyStack, upper: LazyStack, moving: LazyStack, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame NCC of the bands, over all pixels and over the moving ones."""
    everywhere, where_moving = [], []
    for chunk in _chunks(count):
        low, up = lower[chunk], upper[chunk]
        everywhere.append(weighted_ncc(low, up))
        where_moving.append(weighted_ncc(low, up, moving[chunk].astype(np.float32)))
    return np.concatenate(everywhere), np.concatenate(where_moving)


def _even(count: int, wanted: int) -> np.ndarray:
    """Up to ``wanted`` frame indices spread evenly over ``count`` frames."""
    return np.unique(np.linspace(0, count - 1, min(count, wanted)).round().astype(int))


def _reflection_absent(regions: MirrorRegions, is_moving: np.ndarray, symmetry: float) -> str:
    """Why what moves has no reflection at all, or ``""`` when it has one.

    A symmetric static scene (a framed picture on a wall) passes the axis test, and
    then nothing below the line mirrors what moves above it: symmetry is ~0. A broken
    reflection (displaced, reversed) can score ~0 as well, yet the water still moves
    whenever the object does; in a room, the falling ball is above the line or below
    it, rarely both. Measured: every reflection, broken or not, moves on both sides
    in 100 % of moving frames; the synth ball-drop room in 4-9 %.
    """
    if symmetry >= _WEAK_SYMMETRY:
        return ""
    enough = 20  # pixels, as for a moving frame
    # The masks are computed lazily, a chunk of frames at a time (memory stays flat).
    both = np.concatenate(
        [
            (regions.lower_moving[chunk].sum(axis=(1, 2)) >= enough)
            & (regions.upper_moving[chunk].sum(axis=(1, 2)) >= enough)
            for chunk in _chunks(len(is_moving))
        ]
    )
    comoving = float(both[is_moving].mean())
    if comoving >= _MIN_COMOVING:
        return ""
    return (
        f"no reflection found: symmetry {symmetry:.2f} below {_WEAK_SYMMETRY:g}, and the "
        f"region below the axis moves with the one above in only {comoving:.0%} of the "
        f"moving frames (a reflection moves with its object: at least {_MIN_COMOVING:.0%})"
    )


def _find_axis(gray: np.ndarray, min_ncc: float) -> tuple[float, float]:
    """Mirror line (analysis rows, pixel centres at integers) and its NCC.

    The static scene (shore, hills, poles) defines the water line: a moving object's
    reflection is what the other metrics test, so it must not pull the axis. Pixels
    that change over the clip are zeroed in the median frame; only when the static
    scene shows no mirror do the raw frames (moving object included) decide.
    """
    count, height, width = gray.shape
    # The mirror is vertical: 4 columns averaged into one lose no axis precision.
    size = (max(8, width // 4), height)
    sample = np.stack(
        [
            cv2.resize(f, size, interpolation=cv2.INTER_AREA)
            for f in gray[_even(count, _AXIS_FRAMES)]
        ]
    ).astype(np.float32)
    median = np.median(sample, axis=0)
    changing = (sample.max(axis=0) - sample.min(axis=0)) > _MOVING_LEVEL
    squeeze = width / size[0]
    # fine=1 px keeps codec noise out; coarse=6 px removes sky/water gradients.
    still = np.where(changing, 0.0, bandpass(median, 1.0, 6.0, squeeze))[None]
    depth = {"min_depth": max(8, int(0.1 * height)), "max_depth": max(16, int(0.3 * height))}
    lines, ncc = axis_scores(still.astype(np.float32), **depth)
    if len(ncc) == 0:
        return float(height) / 2, 0.0
    if ncc.max() < min_ncc:
        frames = np.stack([bandpass(f, 1.0, 6.0, squeeze) for f in sample])
        ncc = np.maximum(ncc, axis_scores(frames, **depth)[1])
    peak = int(np.argmax(ncc))
    return float(lines[peak] + 0.5 * refine_peak(ncc, peak)), float(ncc[peak])


def _fit_blur(regions: MirrorRegions, frames: np.ndarray) -> float:
    """The Gaussian blur (half-resolution px) that makes the flipped upper region match.

    Fitted on the static pixels when there are enough of them: the background's
    reflection shows the water's blur even when the moving object's reflection is wrong.
    """
    lower, upper = regions.lower[frames], regions.upper[frames]
    still = ~(regions.lower_moving[frames] | regions.upper_moving[frames])
    weights = still.astype(np.float32) if still.mean() >= 0.2 else None
    scores = [np.nanmean(weighted_ncc(lower, blur_stack(upper, s), weights)) for s in _BLUR_SIGMAS]
    if not np.isfinite(scores).all():
        return 0.0
    best = int(np.argmax(scores))
    step = _BLUR_SIGMAS[1] - _BLUR_SIGMAS[0]
    return max(0.0, _BLUR_SIGMAS[best] + step * refine_peak(np.array(scores), best))


def _gain(lower: LazyStack, upper: LazyStack, frames: np.ndarray, rows: slice) -> float:
    """RMS contrast of the reflection over that of the (blurred) flipped upper region.

    Taken over whole rows of the band where things move, so it does not depend on
    the reflection being in the right place (lagging, offset), and at coarse scales
    (an extra blur of both), so that an error in the fitted blur barely moves it. A
    ratio of contrasts, not a regression slope, which an imperfect match would bias
    towards 0.
    """
    lower = blur_stack(np.ascontiguousarray(lower[frames][:, rows]), _GAIN_SMOOTHING)
    upper = blur_stack(np.ascontiguousarray(upper[frames][:, rows]), _GAIN_SMOOTHING)
    energy_up = np.einsum("tij,tij->t", upper, upper)
    ok = energy_up > 0
    if not ok.any():
        return float("nan")
    energy_low = np.einsum("tij,tij->t", lower, lower)
    return float(np.sqrt(np.median(energy_low[ok] / energy_up[ok])))


def _best_lag(
    lower: np.ndarray, upper: np.ndarray, regions: MirrorRegions, moving: np.ndarray, max_lag: int
) -> int:
    """The frame shift ``k`` that best aligns ``lower(t)`` with ``upper(t - k)``."""
    count = len(lower)
    max_lag = int(min(max_lag, (count - 2) // 3))
    candidates = moving[(moving >= max_lag) & (moving < count - max_lag)]
    if max_lag <= 0 or len(candidates) == 0:
        return 0
    frames = candidates[np.unique(np.linspace(0, len(candidates) - 1, _LAG_FRAMES).astype(int))]
    scores = []
    for k in range(-max_lag, max_lag + 1):
        # Compare where either the reflection or the shifted source moves.
        mask = (regions.lower_moving[frames] | regions.upper_moving[frames - k]).astype(np.float32)
        scores.append(np.nanmean(weighted_ncc(lower[frames], upper[frames - k], mask)))
    if not np.isfinite(scores).any():
        return 0
    return int(np.nanargmax(scores)) - max_lag


def _overlay(
    clip: Clip,
    axis: float,
    regions: MirrorRegions,
    moving: np.ndarray,
    per_frame: np.ndarray,
    is_moving: np.ndarray,
    break_below: float,
) -> dict:
    """The axis as a static line; a box over the reflection where symmetry breaks."""
    width = clip.info.width
    y_axis = round(float(clip.to_original(axis + 0.5) - 0.5), 1)
    frames: list[list[dict]] = [[] for _ in range(len(per_frame))]
    for t in np.flatnonzero(is_moving & (per_frame < break_below)):
        rows = np.flatnonzero(moving[t].any(axis=1))
        cols = np.flatnonzero(moving[t].any(axis=0))
        x0, y0 = regions.to_analysis(cols[0] - 0.5, rows[0] - 0.5)
        x1, y1 = regions.to_analysis(cols[-1] + 0.5, rows[-1] + 0.5)
        x0, x1 = (round(float(clip.to_original(v + 0.5) - 0.5), 1) for v in (x0, x1))
        y0, y1 = (round(float(clip.to_original(v + 0.5) - 0.5), 1) for v in (y0, y1))
        box = [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
        frames[t].append({"kind": "polyline", "xy": box, "label": f"symmetry {per_frame[t]:.2f}"})
    return {
        "static": [
            {"kind": "line", "xy": [0.0, y_axis, float(width), y_axis], "label": "mirror axis"}
        ],
        "frames": frames,
    }


# 2: refuses clips whose camera moves.
# 3: a mirror whose moving parts have no reflection fails ("no reflection found").
# 4: a moving camera is refused at its first move (the reason says when and how far).
PROBE_VERSION = "4"

PROBE = Probe(
    name="reflection",
    version=PROBE_VERSION,
    summary="Mirror axis, symmetry, lag and speed of a reflection in water",
    metrics=(
        Metric("axis_y", "px", "Row of the mirror line in the original frame (y down)."),
        Metric(
            "symmetry",
            "0..1",
            "NCC of the reflection with the blurred, flipped upper region where things move.",
        ),
        Metric(
            "lag_frames", "frames", "Frames by which the reflection trails the object (+ = behind)."
        ),
        Metric(
            "gain", "ratio", "Contrast of the reflection relative to the object (water ~0.6-0.8)."
        ),
        Metric(
            "velocity_ratio",
            "ratio",
            "Speed of the reflected object along the mirrored motion / speed of the object.",
        ),
    ),
    measure=measure,
    defaults={"min_ncc": 0.5, "max_lag": 5, "break_below": 0.8},
)

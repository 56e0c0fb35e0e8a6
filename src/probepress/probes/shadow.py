"""Shadow probe: how fast, how steadily and how consistently cast shadows turn.

Method (details and references in ``src/probepress/site/methods/shadow.md``):

1. **Shadow mask.** A pixel is in shadow where its luma is below ``ratio_threshold``
   (0.7) times the local background, the median-blurred frame (a median over a
   window much wider than a shadow is the lit ground around it). The median blur
   runs at 1/8 size on a few sampled frames; lighting changes slowly, so every frame
   uses the background of the nearest sample.
2. **Objects.** Shadows seen in the sampled frames are merged over time: each
   object's shadow sweeps a fan, and each connected fan (present in at least half
   the samples) is one object. A fan is cut to the hull of its pixels that are lit
   ground in some sample: a dark object's body never is (see
   :func:`._shadow_regions.changing_part`).
3. **Anchor.** The shadow turns about the object's base, the point that does not
   move: the point nearest, in least squares, to the shadow's principal axes in all
   frames (pulled weakly towards the shadow's stable end for when the axes are
   parallel, i.e. frozen shadows). A shadow that wraps around its object (a building
   seen from above) has no usable anchor of its own and is left out unless it is
   the only kind (see :func:`._shadow_geometry.wraps_around`); so is a shadow lying
   across its direction (a wall's), whose centroid moves along its axis.
4. **Direction** per object and frame: the angle of the shadow's centroid (soft
   mask weights) seen from the anchor, in degrees, ``+`` = counter-clockwise on
   screen. For a vertical object on flat ground this is the sun's azimuth on the
   ground, whatever the object's shape.
5. **Rates.** Per object a Theil-Sen fit of the unwrapped angle against time;
   ``sweep_rate_deg_s`` is the median over objects, ``direction_spread_deg`` the
   range of the objects' total turns over the clip, and ``monotonic_fraction`` the
   share of frame-to-frame steps of the mean turn that have the sweep's sign.
6. **Cast, or just dark?** When nothing turns, the regions count as frozen shadows only
   if at least two lie inside the frame and are parallel, as one sun casts them; else
   the probe refuses (see :mod:`._shadow_evidence`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from probepress.probes._shadow_evidence import not_cast_reason
from probepress.probes._shadow_geometry import (
    anchor_point,
    lies_across,
    moment_basis,
    moments_from_sums,
    stable_end,
    theil_sen,
    wraps_around,
)
from probepress.probes._shadow_regions import LIT, background, changing_part, shadow_fans
from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.probes.camera import require_still_camera
from probepress.video.decode import Clip
from probepress.video.store import iter_chunks

__all__ = ["PROBE", "measure"]

_SAMPLES = 16  # frames whose median-blurred background is computed
_SOFT = 0.1  # weights fall from 1 to 0 over ratio_threshold -/+ this
_MAX_DRIFT = 0.2  # a shadow's stable end moves less than this share of its length
_MAX_SERIES_OBJECTS = 8  # per-object direction series are kept for this many objects


def measure(clip: Clip, *, ratio_threshold: float = 0.7, min_area: float = 0.0004) -> ProbeResult:
    """Measure how the cast shadows of a clip turn.

    Parameters
    ----------
    clip : Clip
        The clip; its shared ``gray`` frames are used.
    ratio_threshold : float
        A pixel is shadow where luma / local background is below this.
    min_area : float
        Smallest shadow kept, as a fraction of the frame area.

    Returns
    -------
    ProbeResult
        Metrics ``sweep_rate_deg_s`` (deg/s, + = counter-clockwise on screen),
        ``direction_spread_deg`` (deg, range of the objects' turns over the clip)
        and ``monotonic_fraction`` (0..1).

    Raises
    ------
    ProbeError
        Too few frames, or no shadow in the clip.
    """
    gray = clip.gray
    count, height, width = gray.shape
    if count < 3:
        raise ProbeError(f"needs at least 3 frames, the clip has {count}")
    # Shadow masks are compared frame to frame at fixed pixels: a moving camera turns
    # texture into fake shadows and objects that wander.
    require_still_camera(clip, "the shadow probe")
    samples = np.unique(np.linspace(0, count - 1, min(count, _SAMPLES)).round().astype(int))
    backgrounds = np.stack([background(gray[s]) for s in samples])
    masks = gray[samples] < ratio_threshold * backgrounds
    objects = shadow_fans(masks, min_area * height * width)
    if not objects:
        raise ProbeError(
            f"no shadow found: no region darker than {ratio_threshold:g} x its surroundings "
            f"covers {min_area:.2%} of the frame in half the frames"
        )
    tracks = _track_objects(gray, backgrounds, samples, masks, objects, ratio_threshold)
    if not tracks:
        raise ProbeError(
            "no shadow found: no dark region stays anchored at one end from frame to frame"
        )
    # Shadows whose own shape does not point along their direction count only when no
    # other shadow is there: those that wrap around their object have no anchor of
    # their own (see wraps_around), and those lying across their direction (a wall's)
    # have principal axes along the object, which place the anchor anywhere.
    anchored = [t for t in tracks if not (t.wraps or t.across)]
    tracks = anchored or tracks
    angles_arr = np.array([t.angle for t in tracks])  # (objects, T), deg
    times = clip.times
    rates = np.array([theil_sen(times, a) for a in angles_arr])
    # A dark region that never turns may be dark ground, not a shadow: say so.
    reason = not_cast_reason(
        rates,
        np.array([np.nanmedian(a) for a in angles_arr]),
        np.array([t.inside for t in tracks]),
        float(times[-1] - times[0]),
    )
    if reason:
        raise ProbeError(reason)
    sweep = float(np.median(rates))
    turns = rates * (times[-1] - times[0])
    spread = float(turns.max() - turns.min())
    # The mean turn of all shadows from each frame to the next, and its sign.
    steps = np.nanmean(np.diff(angles_arr, axis=1), axis=0)
    steps = steps[np.isfinite(steps)]
    agree = np.sign(steps) == (1.0 if sweep >= 0 else -1.0)
    monotonic = float(np.mean(agree)) if len(steps) else 0.0

    mean_direction = _mean_direction(angles_arr)
    series = {"direction_deg": series_list(mean_direction)}
    for k, angle in enumerate(angles_arr[:_MAX_SERIES_OBJECTS]):
        series[f"direction_deg_{k}"] = series_list(angle)
    return ProbeResult(
        probe="shadow",
        version=PROBE_VERSION,
        metrics={
            "sweep_rate_deg_s": round(sweep, 4),
            "direction_spread_deg": round(spread, 3),
            "monotonic_fraction": round(monotonic, 4),
            "objects": float(len(angles_arr)),
        },
        series=series,
        overlay=_overlay(clip, tracks),
        params={"ratio_threshold": ratio_threshold, "min_area": min_area},
    )


@dataclass(frozen=True)
class _Tracked:
    """One measured shadow: direction per frame (deg, NaN if unseen), anchor, length.

    ``inside`` says whether its fan lies wholly inside the frame (both ends seen);
    ``across`` whether its principal axis lies across its direction (a wall's shadow).
    """

    angle: np.ndarray
    anchor: np.ndarray
    length: float
    wraps: bool
    inside: bool
    across: bool


def _track_objects(
    gray: np.ndarray,
    backgrounds: np.ndarray,
    samples: np.ndarray,
    masks: np.ndarray,
    objects: list[np.ndarray],
    threshold: float,
) -> list[_Tracked]:
    """Direction of every object's shadow in every frame, seen from its anchor."""
    count, _, width = gray.shape
    nearest = np.abs(np.arange(count)[:, None] - samples[None, :]).argmin(axis=1)
    inside = [not (r[0].any() or r[-1].any() or r[:, [0, -1]].any()) for r in objects]
    # Ground seen lit in some sample: what a turning shadow covers and uncovers.
    lit_once = (gray[samples] / backgrounds).max(axis=0) >= LIT
    objects = [changing_part(region, masks, lit_once) for region in objects]
    # Only the objects' pixels are read in every frame, all objects in one gather.
    pixels = [np.flatnonzero(region) for region in objects]
    flat = np.concatenate(pixels)
    lit = backgrounds.reshape(len(samples), -1)[:, flat]
    bounds = np.cumsum([0] + [len(p) for p in pixels])
    bases = [moment_basis(*np.divmod(p, width)[::-1]) for p in pixels]
    sums = [np.empty((count, 6)) for _ in objects]
    # A chunk of frames at a time: memory stays flat however long the clip.
    for start, block in iter_chunks(gray):
        values = block.reshape(len(block), -1)[:, flat].astype(np.float32)
        ratio = values / lit[nearest[start : start + len(block)]]
        # Soft weights (1 deep in shadow, 0 in light) give sub-pixel moments.
        weights = np.clip((threshold + _SOFT - ratio) / (2 * _SOFT), 0.0, 1.0)
        for k, (basis, _) in enumerate(bases):
            part = weights[:, bounds[k] : bounds[k + 1]].astype(np.float64)
            sums[k][start : start + len(block)] = part @ basis
    tracked = []
    for k, region in enumerate(objects):
        track = moments_from_sums(sums[k], bases[k][1])
        valid = np.isfinite(track.centroid).all(axis=1)
        valid &= track.area > 0.2 * np.nanmedian(track.area)
        if valid.sum() < 3:
            continue
        stable, drift = stable_end(track, masks, samples, region)
        if not drift <= _MAX_DRIFT:
            continue  # no end stays put: a dark thing moving about, not a cast shadow
        wraps = wraps_around(track, masks, region)
        anchor = anchor_point(track, valid, stable, masks, region, wraps)
        if not np.isfinite(anchor).all():
            continue
        offset = track.centroid - anchor
        length = 2.0 * float(np.median(np.hypot(*offset[valid].T)))
        across = lies_across(track, valid)
        angle = _direction(offset, valid)
        tracked.append(_Tracked(angle, anchor, length, wraps, inside[k], across))
    return tracked


def _direction(offset: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Unwrapped direction (deg, + = counter-clockwise on screen) of ``(T, 2)`` offsets.

    Frames where the shadow was not seen are NaN (and bridged when unwrapping).
    """
    # y points down on screen, so the counter-clockwise angle uses -dy.
    radians = np.arctan2(-offset[:, 1], offset[:, 0])
    out = np.full(len(offset), np.nan)
    out[valid] = np.degrees(np.unwrap(radians[valid]))
    return out


def _mean_direction(angles: np.ndarray) -> np.ndarray:
    """Per frame, the circular mean of the objects' directions, unwrapped over time (deg)."""
    radians = np.radians(angles)
    mean = np.arctan2(np.nanmean(np.sin(radians), axis=0), np.nanmean(np.cos(radians), axis=0))
    out = np.full(mean.shape, np.nan)
    ok = np.isfinite(mean)
    out[ok] = np.degrees(np.unwrap(mean[ok]))
    return out


def _overlay(clip: Clip, tracks: list[_Tracked]) -> dict:
    """Anchors as static points; per frame a line from each anchor along its shadow."""
    scale = clip.scale
    static = []
    lines = []
    for track in tracks:
        # Original-frame px, pixel centres at integers.
        x, y = ((float(v) + 0.5) / scale - 0.5 for v in track.anchor)
        static.append({"kind": "point", "xy": [round(x, 1), round(y, 1)], "label": "anchor"})
        theta = np.radians(track.angle)
        reach = track.length / scale
        ends = np.stack(
            [
                np.full_like(theta, x),
                np.full_like(theta, y),
                x + reach * np.cos(theta),
                y - reach * np.sin(theta),
            ],
            -1,
        )
        lines.append(np.round(ends, 1).tolist())
    frames = [
        [{"kind": "line", "xy": line[t]} for line in lines if math.isfinite(line[t][2])]
        for t in range(len(clip.gray))
    ]
    return {"static": static, "frames": frames}


# 2: still camera only; 3: no dark regions nothing casts; 4: bodies out; 5: a moving
# camera is refused at its first move (the reason says when and how far).
PROBE_VERSION = "5"

PROBE = Probe(
    name="shadow",
    version=PROBE_VERSION,
    summary="How fast, steadily and consistently cast shadows turn",
    metrics=(
        Metric(
            "sweep_rate_deg_s",
            "deg/s",
            "Median rate at which the objects' shadows turn (+ = counter-clockwise on screen).",
        ),
        Metric(
            "direction_spread_deg",
            "deg",
            "Range of the objects' total turns over the clip (0 when all shadows agree).",
        ),
        Metric(
            "monotonic_fraction",
            "0..1",
            "Share of frame steps turning with the sweep's sign (1 steady, ~0.5 jitter).",
        ),
        Metric("objects", "count", "Number of shadows measured (wrap-around shadows aside)."),
    ),
    measure=measure,
    # Shadows turn over seconds: 30 frames a second see every turn a 60 fps clip shows.
    max_rate_hz=30.0,
    defaults={"ratio_threshold": 0.7, "min_area": 0.0004},
)

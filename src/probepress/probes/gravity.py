"""Gravity probe: the vertical acceleration of a falling or thrown object.

The moving object is the largest blob that differs in colour from the per-pixel
median background (holes filled, thin appendages such as a contact shadow opened
away, blobs that never move voted out); its centroid's height ``y(t)`` is split
into free-flight arcs at bounces and tracking discontinuities, and one parabola
``y = y0 + v0 t + a t^2 / 2`` per arc, with the acceleration ``a`` shared by all
arcs, is fitted by least squares. Real free fall gives one constant ``a`` and a
residual at the level of the centroid noise; a clip whose acceleration changes
mid-flight gives a large residual and a large ``acceleration_cv`` (spread of the
Savitzky-Golay local acceleration).

Sign convention: ``y`` grows downwards on screen, so ``acceleration_px_s2 > 0``
means the object accelerates towards the bottom of the frame (normal gravity).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import cv2
import numpy as np

from probepress.probes._gravity_fit import (
    free_flight_arcs,
    joint_parabola_fit,
    local_acceleration,
)
from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.probes.camera import moving_camera_error, require_still_camera
from probepress.video.camera import StillBounds, camera_motion, first_move
from probepress.video.decode import Clip
from probepress.video.stabilise import StabilisedFrames, content_transforms

#: The camera moves the gravity probe compensates: any pan, with zoom and roll within
#: a still camera's bounds (their estimates are too coarse to warp by, see below).
_PAN_ONLY = StillBounds(shift_px=math.inf)
_MAX_BLOB_FRACTION = 0.25  # a "blob" larger than this is a camera move or a lighting change
_STATIC_FRACTION = 0.2  # a blob seen at one spot in this share of frames is not moving
_CANDIDATES = 3  # blobs kept per frame before the static ones are voted out
# A moving camera is compensated only when most tracked points agree on its motion.
_MIN_BACKGROUND = 0.5
# ... and when the compensated fall fits a parabola within this share of the frame height.
_MAX_COMPENSATED_RMS = 0.01
_EDGE = np.ones((7, 7), np.uint8)  # erodes the seen area by 3 px, the warp's blurred rim


def _measure(
    clip: Clip,
    *,
    min_contrast: float = 12.0,
    min_arc_frames: int = 6,
    min_travel: float = 0.05,
    sg_window_s: float = 0.25,
) -> ProbeResult:
    """Measure the vertical acceleration of the moving object of ``clip``.

    Parameters
    ----------
    clip : Clip
        The decoded clip.
    min_contrast : float
        Smallest colour distance to the median background counted as the object,
        ``0.299 |dR| + 0.587 |dG| + 0.114 |dB|`` in gray levels (0-255); raised
        automatically well above the clip's noise.
    min_arc_frames : int
        Shortest free-flight arc (frames) that is fitted; at least 5.
    min_travel : float
        Smallest vertical travel of an arc, as a fraction of the frame height; arcs
        that barely move vertically (rolling, resting) are not free flight.
    sg_window_s : float
        Savitzky-Golay window for the local acceleration, in seconds.

    Returns
    -------
    ProbeResult
        Metrics ``acceleration_px_s2`` (original px/s^2, + = down on screen),
        ``fit_rms_px`` (original px) and ``acceleration_cv`` (dimensionless).

    Raises
    ------
    ProbeError
        No moving object, or no free-flight arc long enough to fit.
    """
    params = {
        "min_contrast": min_contrast,
        "min_arc_frames": min_arc_frames,
        "min_travel": min_travel,
        "sg_window_s": sg_window_s,
    }
    n_frames, height = clip.rgb.shape[:2]
    min_arc_frames = max(int(min_arc_frames), 5)  # a local quadratic needs 5 points
    if n_frames < min_arc_frames:
        raise ProbeError(f"clip has {n_frames} frames; a fall needs at least {min_arc_frames}")
    # The object is found against a per-pixel median background and its height is
    # read in screen pixels: both need a still background. A moving camera is taken
    # out by warping every frame onto frame 0's view, where the camera path allows.
    transforms = _camera_compensation(clip)
    frames = clip.rgb if transforms is None else StabilisedFrames(clip.rgb, transforms)
    seen = None if transforms is None else frames.seen
    xs, ys = _track(frames, min_contrast, seen)
    if np.isfinite(ys).sum() < min_arc_frames:
        raise ProbeError("no moving object found (nothing differs from the static background)")
    times = clip.times
    arcs = free_flight_arcs(ys, min_arc_frames, min_travel * height, times)
    if not arcs:
        raise ProbeError(
            f"no free-flight arc of at least {min_arc_frames} frames with vertical travel "
            f">= {min_travel:.0%} of the frame height"
        )
    accel, fitted = joint_parabola_fit(times, ys, arcs)
    used = np.concatenate(arcs)
    rms = float(np.sqrt(np.mean((ys[used] - fitted[used]) ** 2)))
    if transforms is not None and rms > _MAX_COMPENSATED_RMS * height:
        # A track that is no parabola after the warp: the "camera" may be the scene's
        # own motion (a turning sky read as a roll), so the warp is not trusted.
        raise ProbeError(
            f"{camera_motion(clip).describe()}; after compensating it, the tracked "
            f"object's height is no parabola (rms {rms / clip.scale:.1f} px): the "
            "gravity probe cannot separate the camera's motion from the object's"
        )
    local = local_acceleration(ys, arcs, times, clip.fps, sg_window_s)
    mean_local = float(np.nanmean(local))
    cv = float(np.nanstd(local) / abs(mean_local)) if mean_local != 0 else float("nan")

    to_px = 1.0 / clip.scale
    metrics = {
        "acceleration_px_s2": accel * to_px,
        "fit_rms_px": rms * to_px,
        "acceleration_cv": cv,
    }
    series = {
        "centroid_y": series_list(ys * to_px),
        "fit_y": series_list(fitted * to_px),
        "local_acceleration": series_list(local * to_px),
    }
    if transforms is not None:
        # The track is in frame 0's view; the overlay is drawn on the frames as shown.
        xs, ys = _to_frames(transforms, xs, ys)
        arcs = []  # a fixed curve on screen does not follow a moving camera
    return ProbeResult(
        PROBE.name,
        PROBE.version,
        metrics,
        series,
        _overlay(xs * to_px, ys * to_px, fitted * to_px, arcs),
        params,
    )


def _camera_compensation(clip: Clip) -> np.ndarray | None:
    """The warps onto frame 0's view when the camera pans, ``None`` when it is still.

    Only a pan is compensated: the camera path's zoom and roll are estimated to
    about 0.4 % and 0.25° (on the rendered test scenes), which misaligns textured
    ground by a pixel or more at the frame's edges, enough to bend a fall by 8 %.

    Raises
    ------
    ProbeError
        The camera zooms or rolls, its path is not known in every frame, or too few
        of the background's points agree on it to trust the warp.
    """
    try:
        require_still_camera(clip, "the gravity probe")
        return None
    except ProbeError:
        pass
    # A zoom or a roll is not compensated (see above): the first pose beyond their
    # bounds settles it, without estimating the rest of the path.
    turn = first_move(clip, _PAN_ONLY)
    if turn is not None:
        raise ProbeError(
            f"{turn.describe()}; the gravity probe compensates a pan but not a zoom over "
            f"{100 * _PAN_ONLY.zoom:.0f} % or a roll over {_PAN_ONLY.roll_deg}°: stabilise "
            "the clip first, or measure a clip shot from a fixed viewpoint"
        )
    # Compensating the pan needs the whole path.
    motion = camera_motion(clip)
    height, width = clip.gray.shape[1:3]
    transforms = content_transforms(motion, scale=clip.scale, size=(width, height))
    if not np.isfinite(transforms).all() or motion.background_fraction < _MIN_BACKGROUND:
        raise moving_camera_error(motion, "the gravity probe")
    return transforms


def _to_frames(
    transforms: np.ndarray, xs: np.ndarray, ys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Points of frame 0's view mapped to where each frame shows them (analysis px)."""
    points = np.stack([xs, ys, np.ones_like(xs)], -1)  # (T, 3)
    mapped = np.einsum("tij,tj->ti", transforms, points)
    return mapped[:, 0], mapped[:, 1]


def _track(
    rgb: np.ndarray, min_contrast: float, seen: Callable[[int], np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Centroid of the moving object in each frame.

    Parameters
    ----------
    rgb : np.ndarray
        ``(T, h, w, 3)`` uint8 frames (or stabilised frames read like them).
    min_contrast : float
        Floor of the foreground threshold, gray levels of colour distance.
    seen : callable, optional
        ``seen(t)`` is the ``(h, w)`` bool mask of the pixels frame ``t`` really
        shows (stabilised frames); nothing outside it counts as foreground.

    Returns
    -------
    xs, ys : np.ndarray
        ``(T,)`` centroid in analysis px, NaN where no object was found.
    """
    n_frames, height, width, _ = rgb.shape
    picks = np.linspace(0, n_frames - 1, 9).astype(int)
    background = _median9(rgb[picks])
    # Colour, not luma: a red ball on a beige wall can have the wall's brightness. The
    # distance is the luma-weighted sum of |dR|, |dG|, |dB| (one fast cvtColor).
    others = ((picks[:-1] + picks[1:]) // 2)[::2]  # between the median's own frames
    distances = [_distance(rgb[int(i)][::4, ::4], background[::4, ::4]) for i in others]
    # Most pixels are static: the median distance measures the noise.
    threshold = max(min_contrast, 5.0 * 1.4826 * float(np.median(distances)))

    def box_of(t: int) -> tuple[int, int, np.ndarray] | None:
        """``(x, y, mask)`` of the box around frame ``t``'s foreground, or None."""
        _, mask = cv2.threshold(_distance(rgb[t], background), threshold, 1, cv2.THRESH_BINARY)
        if seen is not None:
            # Off the edge of what frame t saw, the warp smears its border pixels.
            mask[~cv2.erode(seen(t).view(np.uint8), _EDGE).astype(bool)] = 0
        # Later steps work inside this box only: labelling costs per pixel scanned.
        x, y, w, h = cv2.boundingRect(mask)
        return (x, y, mask[y : y + h, x : x + w]) if w else None

    limits = (max(4.0, 2e-5 * height * width), _MAX_BLOB_FRACTION * height * width)
    # The typical object size sets an opening that detaches thinner appendages (a
    # contact shadow, a trail) which would drag the centroid when they touch it.
    every = max(1, n_frames // 40)
    sizes = [
        b[0][0]
        for b in (
            _blobs(box_of(t), None, limits, (width, height)) for t in range(0, n_frames, every)
        )
        if b
    ]
    diameter = int(np.sqrt(np.median(sizes) / np.pi)) | 1 if sizes else 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (diameter, diameter))
    # One pass over the frames keeping only each frame's few blobs: the boxes of a long
    # clip's moving foreground would not fit in memory.
    candidates = [
        _blobs(box_of(t), kernel if diameter >= 3 else None, limits, (width, height))
        for t in range(n_frames)
    ]

    # An object resting for much of the clip enters the background and leaves a
    # static "hole" blob wherever it is absent: vote such fixed spots out.
    spots: dict[tuple[int, int], int] = {}
    for blobs in candidates:
        for spot in {(round(x / 2), round(y / 2)) for _, x, y in blobs}:
            spots[spot] = spots.get(spot, 0) + 1
    static = {s for s, c in spots.items() if c >= max(5, _STATIC_FRACTION * n_frames)}
    xs = np.full(n_frames, np.nan)
    ys = np.full(n_frames, np.nan)
    for i, blobs in enumerate(candidates):
        moving = [b for b in blobs if (round(b[1] / 2), round(b[2] / 2)) not in static]
        if moving:
            _, xs[i], ys[i] = max(moving)
    return xs, ys


def _blobs(
    box: tuple[int, int, np.ndarray] | None,
    kernel: np.ndarray | None,
    limits: tuple[float, float],
    frame_size: tuple[int, int],
) -> list[tuple[float, float, float]]:
    """The largest foreground blobs of one frame as ``(area, x, y)``, largest first."""
    if box is None:
        return []
    x_box, y_box, mask = box
    # Fill holes (parts of the object that match the background's colour): flood the
    # outside from a padded corner; whatever it cannot reach belongs to a blob.
    outside = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    cv2.floodFill(outside, None, (0, 0), 2)
    mask = (outside[1:-1, 1:-1] != 2).astype(np.uint8)
    if kernel is not None:
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    _, _, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs = []
    for label in np.argsort(stats[1:, cv2.CC_STAT_AREA])[::-1][:_CANDIDATES] + 1:
        x0, y0, w, h, area = stats[label]
        x0, y0 = x0 + x_box, y0 + y_box
        # A blob cut by the frame edge has a biased centroid: skip it.
        touches = x0 == 0 or y0 == 0 or x0 + w == frame_size[0] or y0 + h == frame_size[1]
        if limits[0] <= area <= limits[1] and not touches:
            cx, cy = centroids[label]
            blobs.append((float(area), float(cx + x_box), float(cy + y_box)))
    return blobs


def _distance(frame: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Colour distance ``0.299 |dR| + 0.587 |dG| + 0.114 |dB|`` (uint8, gray levels)."""
    return cv2.cvtColor(cv2.absdiff(frame, background), cv2.COLOR_RGB2GRAY)


def _median9(frames: np.ndarray) -> np.ndarray:
    """Per-pixel median of 9 frames ``(9, ...)`` with Paeth's 19-exchange network.

    ``np.median`` along the frame axis runs one tiny selection per pixel and is
    ~30x slower; the network runs 19 whole-image min/max pairs.
    """
    p = list(frames)
    for i, j in (
        (1, 2),
        (4, 5),
        (7, 8),
        (0, 1),
        (3, 4),
        (6, 7),
        (1, 2),
        (4, 5),
        (7, 8),
        (0, 3),
        (5, 8),
        (4, 7),
        (3, 6),
        (1, 4),
        (2, 5),
        (4, 7),
        (4, 2),
        (6, 4),
        (4, 2),
    ):
        p[i], p[j] = np.minimum(p[i], p[j]), np.maximum(p[i], p[j])
    return p[4]


def _overlay(
    xs: np.ndarray, ys: np.ndarray, fitted: np.ndarray, arcs: list[np.ndarray]
) -> dict[str, list]:
    """Fitted parabolas as static polylines; the tracked centroid per frame."""
    static = [
        {
            "kind": "polyline",
            "label": "fit",
            "xy": [[round(float(xs[i]), 1), round(float(fitted[i]), 1)] for i in arc],
        }
        for arc in arcs
    ]
    frames = [
        [{"kind": "point", "xy": [round(float(x), 1), round(float(y), 1)]}]
        if np.isfinite(y)
        else []
        for x, y in zip(xs, ys, strict=True)
    ]
    return {"static": static, "frames": frames}


PROBE = Probe(
    name="gravity",
    # 2: refuses clips whose camera moves; 3: compensates it where it can; 4: refuses a
    # zoom or roll at its first pose beyond bounds, and says which.
    version="4",
    summary="Vertical acceleration of a moving object from a parabolic fit of its track",
    metrics=(
        Metric(
            "acceleration_px_s2",
            "px/s^2",
            "Vertical acceleration shared by all free-flight arcs, original-frame "
            "pixels per second squared; + = towards the bottom of the screen.",
        ),
        Metric(
            "fit_rms_px",
            "px",
            "RMS residual of the centroid height about the fitted parabolas, "
            "original-frame pixels; near the centroid noise for real free fall.",
        ),
        Metric(
            "acceleration_cv",
            "1",
            "Standard deviation over |mean| of the Savitzky-Golay local acceleration "
            "within the arcs; ~0 for constant gravity.",
        ),
    ),
    measure=_measure,
    needs_colour=True,
    defaults={"min_contrast": 12.0, "min_arc_frames": 6, "min_travel": 0.05, "sg_window_s": 0.25},
)

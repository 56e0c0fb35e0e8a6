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

import cv2
import numpy as np

from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.probes.camera import require_still_camera
from probepress.video.decode import Clip

_MAX_BLOB_FRACTION = 0.25  # a "blob" larger than this is a camera move or a lighting change
_STATIC_FRACTION = 0.2  # a blob seen at one spot in this share of frames is not moving
_CANDIDATES = 3  # blobs kept per frame before the static ones are voted out


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
    # read in screen pixels: both assume the camera stands still.
    require_still_camera(clip, "the gravity probe")
    xs, ys = _track(clip.rgb, min_contrast)
    if np.isfinite(ys).sum() < min_arc_frames:
        raise ProbeError("no moving object found (nothing differs from the static background)")
    times = clip.times
    arcs = _free_flight_arcs(ys, min_arc_frames, min_travel * height, times)
    if not arcs:
        raise ProbeError(
            f"no free-flight arc of at least {min_arc_frames} frames with vertical travel "
            f">= {min_travel:.0%} of the frame height"
        )
    accel, fitted = _joint_parabola_fit(times, ys, arcs)
    used = np.concatenate(arcs)
    rms = float(np.sqrt(np.mean((ys[used] - fitted[used]) ** 2)))
    local = _local_acceleration(ys, arcs, times, clip.fps, sg_window_s)
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
    return ProbeResult(
        PROBE.name,
        PROBE.version,
        metrics,
        series,
        _overlay(xs * to_px, ys * to_px, fitted * to_px, arcs),
        params,
    )


def _track(rgb: np.ndarray, min_contrast: float) -> tuple[np.ndarray, np.ndarray]:
    """Centroid of the moving object in each frame.

    Parameters
    ----------
    rgb : np.ndarray
        ``(T, h, w, 3)`` uint8 frames.
    min_contrast : float
        Floor of the foreground threshold, gray levels of colour distance.

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

    boxes = []  # (x, y, mask) of the box around each frame's foreground, or None
    for frame in rgb:
        _, mask = cv2.threshold(_distance(frame, background), threshold, 1, cv2.THRESH_BINARY)
        # Later steps work inside this box only: labelling costs per pixel scanned.
        x, y, w, h = cv2.boundingRect(mask)
        boxes.append((x, y, mask[y : y + h, x : x + w]) if w else None)
    limits = (max(4.0, 2e-5 * height * width), _MAX_BLOB_FRACTION * height * width)
    # The typical object size sets an opening that detaches thinner appendages (a
    # contact shadow, a trail) which would drag the centroid when they touch it.
    sizes = [
        b[0][0]
        for b in (
            _blobs(box, None, limits, (width, height)) for box in boxes[:: max(1, n_frames // 40)]
        )
        if b
    ]
    diameter = int(np.sqrt(np.median(sizes) / np.pi)) | 1 if sizes else 1
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (diameter, diameter))
    candidates = [
        _blobs(box, kernel if diameter >= 3 else None, limits, (width, height)) for box in boxes
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


def _free_flight_arcs(
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
        run = _trim_rest(run, ys, step)
        if len(run) >= min_frames and np.ptp(ys[run]) >= min_travel:
            arcs.append(run)
    return arcs


def _trim_rest(run: np.ndarray, ys: np.ndarray, step: float) -> np.ndarray:
    """Drop frames at the ends of an arc where the object rests (held, landed)."""
    moves = np.abs(np.diff(ys[run])) > step
    if not moves.any():
        return run[:0]
    first, last = np.flatnonzero(moves)[[0, -1]]
    return run[first : last + 2]


def _joint_parabola_fit(
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


def _local_acceleration(
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
            local[arc] = _quadratic_curvature(times[arc], ys[arc], window)
    return local


def _quadratic_curvature(t: np.ndarray, y: np.ndarray, window: int) -> np.ndarray:
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
    version="2",  # 2: refuses clips whose camera moves
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

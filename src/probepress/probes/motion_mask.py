"""Motion-mask probe: where and when a clip moves, compared with a reference clip.

The metrics are those of the Physics-IQ benchmark (Motamed et al. 2025,
google-deepmind/physics-IQ-benchmark). Each clip gets a binary motion mask per
frame: grayscale, 5x5 Gaussian blur, a running background
``avg <- 0.7 avg + 0.3 frame`` (``cv2.accumulateWeighted``, alpha 0.3, started on
the first frame), ``|frame - avg| > 10`` gray levels, then a morphological opening
and closing with a 5x5 square; the first frame's mask is empty. Only the first
5 s are compared. The two clips are put on a common grid first: the lower of the
two frame rates (each clip sampled at its frame nearest in time) and the smaller
of the two analysis sizes (frames resized with area averaging before masking, so
the 5x5 kernels act on the same pixel grid for both).

- ``spatial_iou``: IoU of the "moved at any time" 2D masks.
- ``spatiotemporal_iou``: mean over frames of the per-frame mask IoU (Physics-IQ's
  definition; a frame where neither clip moves counts as 1).
- ``weighted_spatial_iou``: with ``w(p)`` the fraction of frames in which pixel
  ``p`` moved, ``sum min(w1, w2) / sum max(w1, w2)``.
- ``volume_iou`` (not in Physics-IQ): IoU of the ``(T, H, W)`` mask volumes, where
  frames in which neither clip moves do not count.
- ``mse``: mean squared difference of the RGB frames scaled to [0, 1].

When neither clip moves at all, the IoUs are 1 (the clips agree that nothing
moves), as in Physics-IQ.
"""

from __future__ import annotations

import cv2
import numpy as np

from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.video.decode import Clip

_KERNEL = np.ones((5, 5), np.uint8)
_MAX_OUTLINES = 4  # outlines per clip in the overlay: the largest moving regions


def _measure(
    clip: Clip,
    *,
    reference: Clip,
    duration_s: float = 5.0,
    threshold: float = 10.0,
    alpha: float = 0.3,
) -> ProbeResult:
    """Compare the motion masks of ``clip`` with those of ``reference``.

    Parameters
    ----------
    clip, reference : Clip
        The clip under test and the reference (e.g. the real video).
    duration_s : float
        Seconds compared from the start (Physics-IQ: 5).
    threshold : float
        Gray-level difference from the running background counted as motion
        (Physics-IQ: 10, strictly greater).
    alpha : float
        Weight of the new frame in the running background (Physics-IQ: 0.3).

    Returns
    -------
    ProbeResult
        Metrics ``spatial_iou``, ``spatiotemporal_iou``, ``weighted_spatial_iou``,
        ``volume_iou`` (0..1, 1 = same motion) and ``mse`` (0..1, 0 = identical
        frames).

    Raises
    ------
    ProbeError
        If the common stretch of the two clips is shorter than two frames.
    """
    params = {"duration_s": duration_s, "threshold": threshold, "alpha": alpha}
    fps = min(clip.fps, reference.fps)
    seconds = min(duration_s, len(clip.rgb) / clip.fps, len(reference.rgb) / reference.fps)
    n_common = int(np.floor(seconds * fps + 1e-6))
    if n_common < 2:
        raise ProbeError(
            f"the clips overlap for {n_common} frame(s) at {fps:g} fps; "
            "comparing motion needs at least 2"
        )
    times = np.arange(n_common) / fps
    height = min(clip.rgb.shape[1], reference.rgb.shape[1])
    width = min(clip.rgb.shape[2], reference.rgb.shape[2])

    index_a = _nearest_frames(clip, times)
    index_b = _nearest_frames(reference, times)
    masker_a = _Masker(threshold, alpha)
    masker_b = _Masker(threshold, alpha)
    count_a = np.zeros((height, width), np.float32)  # frames in which each pixel moved
    count_b = np.zeros((height, width), np.float32)
    inter, union, sq_error = np.zeros(n_common), np.zeros(n_common), np.zeros(n_common)
    size = (width, height)
    # One pass over the common frames, nothing stored per frame but a few counts.
    for k, (i, j) in enumerate(zip(index_a, index_b, strict=True)):
        mask_a = masker_a(_fit(clip.gray[i], size))
        mask_b = masker_b(_fit(reference.gray[j], size))
        inter[k] = cv2.countNonZero(cv2.bitwise_and(mask_a, mask_b))
        union[k] = cv2.countNonZero(cv2.bitwise_or(mask_a, mask_b))
        cv2.accumulate(mask_a, count_a)
        cv2.accumulate(mask_b, count_b)
        rgb_a, rgb_b = _fit(clip.rgb[i], size), _fit(reference.rgb[j], size)
        sq_error[k] = cv2.norm(rgb_a, rgb_b, cv2.NORM_L2SQR) / (255.0**2 * rgb_a.size)

    per_frame = np.where(union > 0, inter / np.maximum(union, 1), 1.0)
    moved_a, moved_b = count_a > 0, count_b > 0
    metrics = {
        "spatial_iou": _ratio(
            np.count_nonzero(moved_a & moved_b), np.count_nonzero(moved_a | moved_b)
        ),
        "spatiotemporal_iou": float(per_frame.mean()),
        # The 1 / T of the motion frequencies cancels in the ratio.
        "weighted_spatial_iou": _ratio(
            np.minimum(count_a, count_b).sum(), np.maximum(count_a, count_b).sum()
        ),
        "volume_iou": _ratio(inter.sum(), union.sum()),
        "mse": float(sq_error.mean()),
    }
    # Per frame of the clip under test: the IoU of the common sample nearest in time.
    nearest = np.rint(clip.times * fps).astype(int)
    frame_iou = np.where(nearest < n_common, per_frame[np.minimum(nearest, n_common - 1)], np.nan)
    to_clip = (clip.info.width / width, clip.info.height / height)
    overlay = {
        "static": _outlines(moved_a, to_clip, "moved (clip)")
        + _outlines(moved_b, to_clip, "moved (reference)"),
        "frames": [],
    }
    return ProbeResult(
        PROBE.name, PROBE.version, metrics, {"frame_iou": series_list(frame_iou)}, overlay, params
    )


class _Masker:
    """Physics-IQ motion mask of each successive frame; holds the running background."""

    def __init__(self, threshold: float, alpha: float) -> None:
        self.threshold = threshold
        self.alpha = alpha
        self.background: np.ndarray | None = None

    def __call__(self, gray: np.ndarray) -> np.ndarray:
        """The ``(h, w)`` uint8 0/1 mask of the next ``(h, w)`` uint8 frame."""
        blurred = cv2.GaussianBlur(gray, (5, 5), 0)
        if self.background is None:  # the first frame only starts the background
            self.background = blurred.astype(np.float64)
            return np.zeros_like(gray)
        # Physics-IQ updates the background before differencing, and rounds it to uint8.
        cv2.accumulateWeighted(blurred, self.background, self.alpha)
        diff = cv2.absdiff(blurred, cv2.convertScaleAbs(self.background))
        _, binary = cv2.threshold(diff, self.threshold, 1, cv2.THRESH_BINARY)
        binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, _KERNEL)
        return cv2.morphologyEx(binary, cv2.MORPH_CLOSE, _KERNEL)


def motion_masks(gray: np.ndarray, *, threshold: float = 10.0, alpha: float = 0.3) -> np.ndarray:
    """Physics-IQ motion masks of a grayscale clip.

    Parameters
    ----------
    gray : np.ndarray
        ``(T, h, w)`` uint8 frames.
    threshold : float
        Gray levels above the running background counted as motion.
    alpha : float
        Weight of the new frame in the running background.

    Returns
    -------
    np.ndarray
        ``(T, h, w)`` bool masks; the first is empty (no history yet).
    """
    masker = _Masker(threshold, alpha)
    return np.stack([masker(frame) for frame in gray]).astype(bool)


def _nearest_frames(clip: Clip, times: np.ndarray) -> np.ndarray:
    """Index of the frame of ``clip`` nearest to each time (s)."""
    if not clip.info.vfr:
        return np.minimum(np.rint(times * clip.fps).astype(int), len(clip.gray) - 1)
    stamps = clip.times  # unevenly spaced: look the times up
    right = np.clip(np.searchsorted(stamps, times), 1, len(stamps) - 1)
    left = right - 1
    return np.where(times - stamps[left] <= stamps[right] - times, left, right)


def _fit(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``frame`` resized to ``size`` (w, h) by area averaging, or itself if it fits."""
    if (frame.shape[1], frame.shape[0]) == size:
        return frame
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)


def _ratio(intersection: float, union: float) -> float:
    """An IoU, 1 when both sets are empty (nothing moved in either clip)."""
    return float(intersection / union) if union > 0 else 1.0


def _outlines(mask: np.ndarray, to_clip: tuple[float, float], label: str) -> list[dict]:
    """Closed polylines around the largest regions of ``mask``, in the clip's original px."""
    contours, _ = cv2.findContours(
        mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE
    )
    shapes = []
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:_MAX_OUTLINES]:
        points = cv2.approxPolyDP(contour, 1.5, closed=True)[:, 0, :].astype(float)
        points = np.vstack([points, points[:1]]) * to_clip
        shapes.append(
            {
                "kind": "polyline",
                "label": label,
                "xy": [[round(x, 1), round(y, 1)] for x, y in points.tolist()],
            }
        )
    return shapes


PROBE = Probe(
    name="motion_mask",
    version="1",
    summary="Physics-IQ motion-mask agreement (IoUs, MSE) with a reference clip",
    metrics=(
        Metric(
            "spatial_iou",
            "1",
            "IoU of the regions that moved at any time in the first 5 s (Physics-IQ); "
            "1 = motion in the same places as the reference.",
        ),
        Metric(
            "spatiotemporal_iou",
            "1",
            "Mean over frames of the per-frame motion-mask IoU (Physics-IQ); frames "
            "where neither clip moves count as 1.",
        ),
        Metric(
            "weighted_spatial_iou",
            "1",
            "sum min / sum max of the per-pixel fraction of frames with motion "
            "(Physics-IQ); 1 = same places moving for the same share of time.",
        ),
        Metric(
            "volume_iou",
            "1",
            "IoU of the (T, H, W) motion-mask volumes: like spatiotemporal_iou, but "
            "frames where neither clip moves do not count (stricter).",
        ),
        Metric(
            "mse", "1", "Mean squared difference of the RGB frames scaled to [0, 1]; 0 = identical."
        ),
    ),
    measure=_measure,
    needs_colour=True,
    needs_reference=True,
    defaults={"duration_s": 5.0, "threshold": 10.0, "alpha": 0.3},
)

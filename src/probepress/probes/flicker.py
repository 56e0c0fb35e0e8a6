"""Flicker probe: frame-to-frame brightness instability.

Two numbers:

- ``flicker_index``: the per-frame mean luma ``b(t)`` is split into a slow trend
  (running median over ``trend_window_s`` seconds) and a residual; the index is the
  standard deviation of the relative residual ``(b - trend) / trend``. Exposure
  drifts, fades and lighting switches (steps) follow the running median and are
  not counted; frame-to-frame gain jitter is. A clip whose brightness jitters by a
  random gain of standard deviation 3 % scores about 0.03; steady light scores ~0.
- ``temporal_flickering``: VBench's score (Huang et al. 2024),
  ``(255 - mean over consecutive frame pairs of the mean absolute RGB difference)
  / 255``; 1 for identical frames. VBench applies it to static-camera clips only:
  motion lowers it as much as flicker does.
"""

from __future__ import annotations

import cv2
import numpy as np

from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.video.decode import Clip

_MIN_TREND = 2.0  # gray levels: below this a frame is black and its relative residual noise


def running_median(values: np.ndarray, window: int) -> np.ndarray:
    """Median of each odd ``window`` of ``values``, edges repeated (scipy's ``nearest``).

    numpy alone: scipy.ndimage costs more to import (about 0.5 s) than flicker costs
    to measure a 20 s clip, and ``probepress probe --probe flicker`` pays every import.
    """
    half = window // 2
    padded = np.pad(values, half, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, window), axis=1)


def _measure(clip: Clip, *, trend_window_s: float = 0.5) -> ProbeResult:
    """Measure the brightness flicker of ``clip``.

    Parameters
    ----------
    clip : Clip
        The decoded clip.
    trend_window_s : float
        Length of the running-median trend window, in seconds (rounded to an odd
        number of frames, at least 5).

    Returns
    -------
    ProbeResult
        Metrics ``flicker_index`` (dimensionless, >= 0) and ``temporal_flickering``
        (0..1, 1 = identical consecutive frames).

    Raises
    ------
    ProbeError
        Fewer than 3 frames, or a black clip (no brightness to be relative to).
    """
    params = {"trend_window_s": trend_window_s}
    n_frames = len(clip.gray)
    if n_frames < 3:
        raise ProbeError(f"clip has {n_frames} frame(s); flicker needs at least 3")
    brightness = np.array([cv2.mean(frame)[0] for frame in clip.gray])
    window = max(5, int(round(trend_window_s * clip.fps)) | 1)
    # Running median: follows slow drifts and keeps lighting steps sharp (a moving
    # average would smear a step into a burst of fake flicker).
    trend = running_median(brightness, window)
    lit = trend >= _MIN_TREND
    if lit.sum() < 3:
        raise ProbeError("clip is black (mean brightness below 2/255): flicker is undefined")
    residual = np.full(n_frames, np.nan)
    residual[lit] = (brightness[lit] - trend[lit]) / trend[lit]

    # Mean absolute difference of consecutive RGB frames, as VBench (on the analysis
    # frames; cv2.norm avoids materialising a difference array per pair).
    pixels = clip.rgb[0].size
    mad = np.empty(n_frames - 1)
    previous = None
    for i, frame in enumerate(clip.rgb):  # one pass, two frames in hand (clips can be long)
        if previous is not None:
            mad[i - 1] = cv2.norm(previous, frame, cv2.NORM_L1) / pixels
        previous = frame

    metrics = {
        "flicker_index": float(np.std(residual[lit])),
        "temporal_flickering": float((255.0 - mad.mean()) / 255.0),
    }
    series = {
        "brightness": series_list(brightness),
        "brightness_residual": series_list(residual),
        "frame_difference": series_list(np.r_[np.nan, mad]),
    }
    return ProbeResult(
        PROBE.name, PROBE.version, metrics, series, {"static": [], "frames": []}, params
    )


PROBE = Probe(
    name="flicker",
    version="1",
    summary="Frame-to-frame brightness flicker (detrended mean luma) and VBench's score",
    metrics=(
        Metric(
            "flicker_index",
            "1",
            "Standard deviation of the per-frame mean luma relative to its running-median "
            "trend; 0 for steady light, ~0.03 for a 3 % random gain per frame.",
        ),
        Metric(
            "temporal_flickering",
            "1",
            "VBench: (255 - mean absolute difference of consecutive RGB frames) / 255; "
            "1 = identical frames. Lowered by motion as well as flicker.",
        ),
    ),
    measure=_measure,
    needs_colour=True,
    defaults={"trend_window_s": 0.5},
)

"""Probe ``motion``: how smooth the motion of tracked features is, and whether there is any.

Method. Points are tracked with forward-backward-checked Lucas-Kanade
(:mod:`.tracks`). Each track is cut into non-overlapping windows of
``window_s`` seconds; a window counts when its median speed is at least
``min_speed`` (a fraction of the frame diagonal per second), so static background
and a creature's pauses are not rated. Per window:

- ``ldlj``: log dimensionless jerk of the 2-D trajectory (Balasubramanian et al.
  2015, velocity-based form): ``-ln( D^3 / v_peak^2 * integral |x'''(t)|^2 dt )``
  with ``D`` the window length, ``v_peak`` the largest speed in it and the jerk
  the third Savitzky-Golay derivative of the position. Fixed-length windows make
  values comparable across clips and tracks (LDLJ falls with duration).
- ``high_freq_ratio``: share of the velocity's power (first differences of the
  position, DC included, so uniform motion scores 0) above ``cutoff_hz``, from a
  4th-order zero-phase Butterworth high-pass.

Both are the median over windows (so tracks weigh by their length).
``dynamic_degree`` follows VBench (``vbench/dynamic_degree.py``) with Farneback flow
in place of RAFT: frames sampled at ~8 fps (every ``round(fps / 8)`` frames), per
consecutive sampled pair the mean of the top 5 % flow magnitudes, compared with
``6 * max(1, 8 / fps) * min(width, height) / 256`` px (VBench's threshold, scaled by
resolution); the metric is the fraction of pairs above it. VBench's per-video flag
("dynamic") is ``dynamic_degree >= round(n_sampled / 4) / (n_sampled - 1)``, about
0.25. Lengths are reported in original-frame pixels.

A clip in which no track moves has no trajectory to rate: ``ldlj`` and
``high_freq_ratio`` are then 0.0 by convention and ``moving_tracks`` is 0. A clip
whose moving tracks are all shorter than a window fails with a reason instead.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from probepress.probes.base import Metric, Probe, ProbeError, ProbeResult, series_list
from probepress.probes.tracks import Tracks, clip_tracks, track_tails
from probepress.video.decode import Clip

_FLOW_LONG_SIDE = 160  # px: Farneback costs ~2 ms a pair here; the top 5 % is 720 px
_MAX_FLOW_PAIRS = 24  # evenly spaced sampled pairs: the fraction needs no more


def _measure(
    clip: Clip,
    *,
    window_s: float = 1.0,
    cutoff_hz: float = 4.0,
    savgol_s: float = 0.25,
    min_speed: float = 0.005,
) -> ProbeResult:
    """Measure motion smoothness and amount on ``clip`` (see module docstring)."""
    frames = len(clip.gray)
    if frames < 3:
        raise ProbeError(f"too few frames to measure motion ({frames})")
    tracks = clip_tracks(clip)
    if len(tracks) == 0:
        raise ProbeError("no features to track (the clip is blank or has no texture)")
    fps = clip.fps
    diagonal = math.hypot(*clip.gray.shape[1:])
    threshold = min_speed * diagonal  # analysis px/s
    speed = _point_speeds(tracks, clip.times)  # (P,) analysis px/s, NaN where undefined
    defined = np.isfinite(speed)
    # A track moves when its median speed passes the threshold (tracks of fewer than
    # three frames have no central difference and never count).
    moving = _median_per_track(speed, tracks) >= threshold
    speed_series = np.full(frames, np.nan)
    has_tracks = np.bincount(tracks.frame_of[defined], minlength=frames) > 0
    speed_series[has_tracks] = 0.0
    counted_points = defined & moving[tracks.track_of]
    counts = np.bincount(tracks.frame_of[counted_points], minlength=frames)
    sums = np.bincount(
        tracks.frame_of[counted_points], weights=speed[counted_points], minlength=frames
    )
    counted = counts > 0
    speed_series[counted] = sums[counted] / counts[counted]
    speed_series /= clip.scale

    window = max(2, round(window_s * fps))
    half = max(2, round(savgol_s * fps / 2))  # Savitzky-Golay half-width (frames)
    cutoff = min(cutoff_hz, 0.4 * fps)  # keep the cut below Nyquist on low-fps clips
    segments = _windows(tracks, np.flatnonzero(moving), window, half, clip.times, fps)
    if moving.any() and len(segments) == 0:
        # Things move, but no track lasts a window: 0.0 would claim "nothing moves".
        longest = tracks.lengths[moving].max() / fps
        raise ProbeError(
            f"moving features are never tracked for the {(window + 2 * half) / fps:.2f} s "
            f"a smoothness window needs (longest moving track: {longest:.2f} s)"
        )
    ldlj, hf = _smoothness(segments, fps, window, half, cutoff, threshold)

    degree, flow_series = _dynamic_degree(clip)
    tail = max(2, round(fps / 2))  # overlay: the last half second of each shown track
    metrics = {
        "ldlj": float(np.median(ldlj)) if len(ldlj) else 0.0,
        "high_freq_ratio": float(np.median(hf)) if len(hf) else 0.0,
        "dynamic_degree": degree,
        "mean_speed_px_s": float(np.nanmean(speed_series)) if has_tracks.any() else 0.0,
        "moving_tracks": float(moving.sum()),
    }
    return ProbeResult(
        probe="motion",
        version="1",
        metrics=metrics,
        series={
            "mean_speed_px_s": series_list(speed_series),
            "flow_magnitude_px": series_list(flow_series),
        },
        overlay={
            "static": [],
            "frames": track_tails(
                tracks,
                clip.scale,
                tail_frames=tail,
                max_tails=12,
                min_move_px=threshold * tail / fps,
            ),
        },
        params={
            "window_s": window_s,
            "cutoff_hz": cutoff_hz,
            "savgol_s": savgol_s,
            "min_speed": min_speed,
        },
    )


def _point_speeds(tracks: Tracks, times: np.ndarray) -> np.ndarray:
    """Speed of every tracked point, track-major (px/s, central differences in time).

    NaN at the first and last point of each track, which have no neighbour on one side.
    """
    xy = tracks.track_xy.astype(np.float64)
    speed = np.full(len(xy), np.nan)
    if len(xy) >= 3:
        track = tracks.track_of
        inner = (track[:-2] == track[1:-1]) & (track[2:] == track[1:-1])
        frame = tracks.frame_of
        step = np.linalg.norm(xy[2:] - xy[:-2], axis=1)
        elapsed = times[frame[2:]] - times[frame[:-2]]
        speed[1:-1][inner] = step[inner] / elapsed[inner]
    return speed


def _median_per_track(values: np.ndarray, tracks: Tracks) -> np.ndarray:
    """``(N,)`` median of each track's defined ``values`` (track-major), NaN if none."""
    defined = np.isfinite(values)
    order = np.lexsort((values[defined], tracks.track_of[defined]))
    ranked = values[defined][order]
    counts = np.bincount(tracks.track_of[defined], minlength=len(tracks))
    starts = np.concatenate([[0], np.cumsum(counts)])[:-1]
    medians = np.full(len(tracks), np.nan)
    has = counts > 0
    low = ranked[starts[has] + (counts[has] - 1) // 2]
    high = ranked[starts[has] + counts[has] // 2]
    medians[has] = (low + high) / 2
    return medians


def _windows(
    tracks: Tracks, chosen: np.ndarray, window: int, half: int, times: np.ndarray, fps: float
) -> np.ndarray:
    """Non-overlapping windows of the chosen tracks, with ``half`` frames of margin.

    Returns ``(M, window + 2 * half, 2)`` positions (px) at ``1 / fps`` steps; the
    margins let the derivatives at the window's edges be computed from real samples.
    A variable-rate clip's positions are resampled onto that even grid first (the
    Savitzky-Golay derivatives assume one), by linear interpolation in time.
    """
    span = window + 2 * half
    pieces = []
    uneven = not np.allclose(np.diff(times), 1.0 / fps, rtol=1e-3, atol=1e-6)
    for track in chosen:
        length, first = int(tracks.lengths[track]), int(tracks.first_frame[track])
        if uneven:
            xy = tracks.positions(track, first, length).astype(np.float64)
            stamps = times[first : first + length]
            grid = np.arange(stamps[0], stamps[-1] + 0.5 / fps, 1.0 / fps)
            xy = np.stack([np.interp(grid, stamps, xy[:, k]) for k in (0, 1)], axis=1)
        else:
            xy = tracks.positions(track, first, length)
        for j in range((len(xy) - 2 * half) // window):
            pieces.append(xy[j * window : j * window + span])
    if not pieces:
        return np.empty((0, span, 2))
    return np.stack(pieces).astype(np.float64)


def _smoothness(
    segments: np.ndarray, fps: float, window: int, half: int, cutoff: float, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-window LDLJ and high-frequency velocity power share, for moving windows."""
    # scipy loads in ~0.5 s; a warm build never calls this, so it pays nothing.
    from scipy.signal import butter, savgol_filter, sosfiltfilt

    if len(segments) == 0:
        return np.empty(0), np.empty(0)
    length = 2 * half + 1
    core = slice(half, half + window)
    velocity = savgol_filter(segments, length, 3, deriv=1, delta=1 / fps, axis=1)[:, core]
    jerk = savgol_filter(segments, length, 3, deriv=3, delta=1 / fps, axis=1)[:, core]
    speed = np.linalg.norm(velocity, axis=2)
    keep = np.median(speed, axis=1) >= threshold
    duration = window / fps
    peak = speed.max(axis=1)
    jerk_energy = np.sum(jerk**2, axis=(1, 2)) / fps
    dimensionless = duration**3 / np.maximum(peak, 1e-12) ** 2 * jerk_energy
    ldlj = -np.log(np.maximum(dimensionless, 1e-300))
    raw = np.diff(segments, axis=1) * fps  # (M, span - 1, 2)
    sos = butter(4, cutoff, btype="highpass", fs=fps, output="sos")
    # scipy's default padding (15 samples here) is longer than a 1 s window at low fps.
    high = sosfiltfilt(sos, raw, axis=1, padlen=min(3 * (2 * len(sos) + 1), raw.shape[1] - 1))
    inner = slice(half, half + window - 1)
    total = np.sum(raw[:, inner] ** 2, axis=(1, 2))
    ratio = np.sum(high[:, inner] ** 2, axis=(1, 2)) / np.maximum(total, 1e-12)
    return ldlj[keep], np.clip(ratio[keep], 0.0, 1.0)


def _dynamic_degree(clip: Clip) -> tuple[float, np.ndarray]:
    """VBench dynamic degree with Farneback flow, and its per-frame flow magnitude.

    Returns
    -------
    degree : float
        Fraction of the sampled pairs whose top-5 % flow magnitude exceeds the
        threshold (0..1).
    series : np.ndarray
        ``(T,)`` top-5 % mean flow magnitude (original px per sampled interval) at
        each pair's first frame, NaN elsewhere.
    """
    gray = clip.gray
    frames, height, width = gray.shape
    interval = max(1, round(clip.fps / 8))  # VBench samples the clip at ~8 fps
    starts = np.arange(0, frames - interval, interval)
    series = np.full(frames, np.nan)
    if len(starts) == 0:
        return 0.0, series
    if len(starts) > _MAX_FLOW_PAIRS:
        starts = starts[np.linspace(0, len(starts) - 1, _MAX_FLOW_PAIRS).round().astype(int)]
    shrink = min(1.0, _FLOW_LONG_SIDE / max(height, width))
    size = (max(8, round(width * shrink)), max(8, round(height * shrink)))
    # Flow px -> original px: undo this resize and the clip's analysis scale.
    to_original = width / size[0] / clip.scale
    small = {
        t: cv2.resize(gray[t], size, interpolation=cv2.INTER_AREA)
        for t in np.unique(np.concatenate([starts, starts + interval]))
    }
    top = max(1, int(size[0] * size[1] * 0.05))
    for t in starts:
        flow = cv2.calcOpticalFlowFarneback(
            small[t], small[t + interval], None, 0.5, 3, 11, 2, 5, 1.1, 0
        )
        magnitude = np.hypot(flow[..., 0], flow[..., 1]).ravel()
        series[t] = np.partition(magnitude, magnitude.size - top)[-top:].mean() * to_original
    factor = max(1.0, 8.0 / clip.fps)
    threshold = factor * 6.0 * min(clip.info.width, clip.info.height) / 256.0
    return float(np.mean(series[starts] > threshold)), series


PROBE = Probe(
    name="motion",
    version="1",
    summary="Smoothness (log dimensionless jerk, high-frequency share) and amount "
    "(VBench dynamic degree) of the motion of tracked features.",
    metrics=(
        Metric(
            "ldlj",
            "1",
            "Log dimensionless jerk of tracked trajectories, median over 1 s windows; "
            "usually negative, higher = smoother. 0.0 when nothing moves.",
        ),
        Metric(
            "high_freq_ratio",
            "ratio",
            "Share of track velocity power above the cutoff (4 Hz), median over "
            "windows; 0..1, lower = smoother. 0.0 when nothing moves.",
        ),
        Metric(
            "dynamic_degree",
            "ratio",
            "VBench dynamic degree with Farneback flow: fraction of sampled frame "
            "pairs whose top-5 % flow magnitude exceeds the resolution-scaled "
            "threshold; 0..1.",
        ),
        Metric(
            "mean_speed_px_s",
            "px/s",
            "Mean over frames of the mean speed of moving tracks, original px/s; "
            "0 on a static clip.",
        ),
        Metric("moving_tracks", "count", "Tracks whose median speed passes the threshold."),
    ),
    measure=_measure,
    defaults={"window_s": 1.0, "cutoff_hz": 4.0, "savgol_s": 0.25, "min_speed": 0.005},
)

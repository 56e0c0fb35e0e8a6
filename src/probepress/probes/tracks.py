"""Lucas-Kanade point tracks shared by the ``rotation`` and ``motion`` probes.

Corners (Shi-Tomasi, ``cv2.goodFeaturesToTrack``) are followed frame to frame with
pyramidal Lucas-Kanade (``cv2.calcOpticalFlowPyrLK``). Each step is checked forward
and backward: a point tracked from frame ``t`` to ``t+1`` and back must land within
``fb_max_px`` of where it started, otherwise its track ends (occlusion, a feature
sliding along an edge, compression noise). New corners are seeded, away from the
live ones, whenever tracks have been lost or every ``reseed_every`` frames, so
features entering the frame are picked up; tracks that stay still are retired so
a static foreground does not hold the corner budget (both probes only use moving
features). Tracking runs on small, high-passed frames for speed and robustness to
smooth static shading.

The result is sparse: one row per (track, frame) where the track exists, in analysis
pixels. A track is one contiguous run of frames, so a track present at ``t0`` and
``t1`` was followed through every frame between them. Storage grows with the number
of tracked points (at most ``max_corners`` a frame), never with tracks x frames: a
long clip seeds tens of thousands of tracks.

References
----------
Shi, J. & Tomasi, C. (1994). Good features to track. CVPR.
https://doi.org/10.1109/CVPR.1994.323794
Bouguet, J.-Y. (2000). Pyramidal implementation of the Lucas Kanade feature tracker.
Kalal, Z., Mikolajczyk, K. & Matas, J. (2010). Forward-backward error: automatic
detection of tracking failures. ICPR. https://doi.org/10.1109/ICPR.2010.675
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from probepress.probes._track_table import Tracks
from probepress.video.decode import Clip

__all__ = ["TRACK_DEFAULTS", "Tracks", "clip_tracks", "track_points", "track_tails"]

#: Tracker settings (lengths in tracking pixels, see :func:`track_points`). Both probes
#: use these, so a clip's tracks are computed once and shared through the clip's cache.
TRACK_DEFAULTS: dict[str, Any] = {
    "long_side": 240,
    "max_corners": 100,
    "quality": 0.05,
    "min_distance": 4,
    "win_size": 9,
    "levels": 3,
    "fb_max_px": 0.3,
    "reseed_every": 6,
    "highpass_px": 4.0,
    "retire_frames": 24,
    "retire_px": 0.5,
}


def clip_tracks(clip: Clip, **params: Any) -> Tracks:
    """The tracks of ``clip.gray``, computed once per clip and settings, then cached.

    Parameters
    ----------
    clip : Clip
        The decoded clip.
    **params
        Overrides of :data:`TRACK_DEFAULTS`.
    """
    settings = {**TRACK_DEFAULTS, **params}
    key = ("lk-tracks", tuple(sorted(settings.items())))
    if key not in clip._cache:
        clip._cache[key] = track_points(clip.gray, **settings)
    return clip._cache[key]


def track_points(
    gray: np.ndarray,
    *,
    long_side: int = 240,
    max_corners: int = 100,
    quality: float = 0.05,
    min_distance: int = 4,
    win_size: int = 9,
    levels: int = 3,
    fb_max_px: float = 0.3,
    reseed_every: int = 6,
    highpass_px: float = 4.0,
    retire_frames: int = 24,
    retire_px: float = 0.5,
) -> Tracks:
    """Follow corners through ``gray`` with forward-backward-checked pyramidal LK.

    Tracking runs on frames downscaled so their long side is at most ``long_side``
    (LK's cost grows with the window and pyramid; at 240 px a 9 px window still
    spans ~4 % of the frame and sub-pixel precision is ~0.05 px there), and the
    positions are returned in the pixels of ``gray``. Lengths below (``min_distance``,
    ``win_size``, ``fb_max_px``) are in tracking pixels.

    Parameters
    ----------
    gray : np.ndarray
        ``(T, h, w)`` uint8 frames.
    long_side : int
        Long side of the frames tracking runs on (px); ``gray`` is used as is if
        it is not larger.
    max_corners : int
        Upper bound on live tracks.
    quality : float
        Shi-Tomasi quality level (fraction of the strongest corner's response).
    min_distance : int
        Minimum spacing between seeded corners and live tracks (px).
    win_size : int
        LK window side (px).
    levels : int
        Pyramid levels above the base.
    fb_max_px : float
        Largest forward-backward round-trip error kept (px).
    reseed_every : int
        Seed new corners at least this often (frames); also as soon as a fifth of
        the tracks alive after the last seeding are lost.
    highpass_px : float
        Sigma (px) of the Gaussian subtracted from each frame before tracking; 0
        tracks the frames as they are.
    retire_frames, retire_px : int, float
        A track that moved less than ``retire_px`` over the last ``retire_frames``
        frames is ended at the next seeding, and no corner is seeded where it was for
        ``retire_frames`` frames: a static foreground (a skyline, a wall) would
        otherwise hold most of the ``max_corners`` budget that both probes spend
        only on moving features.

    Returns
    -------
    Tracks
        Positions in the pixels of ``gray``.
    """
    frames, height, width = gray.shape
    scale = min(1.0, long_side / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    # The exact per-axis factors (sizes are rounded), to map positions back.
    factor = np.array([size[0] / width, size[1] / height], np.float32)
    width, height = size
    # Two prepared frames in hand at a time: the frames may be a long clip on disk.
    source = iter(gray)
    following = _prepare(next(source), size, highpass_px) if frames else None
    lk = {
        "winSize": (win_size, win_size),
        "maxLevel": levels,
        "criteria": (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 10, 0.03),
    }
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * min_distance + 1,) * 2)
    # Per frame: which track ids are live, and where. Assembled into (N, T, 2) at the end.
    ids_per_frame: list[np.ndarray] = []
    xy_per_frame: list[np.ndarray] = []
    points = np.empty((0, 2), np.float32)
    ids = np.empty(0, np.int64)
    next_id = 0
    since_seed, seeded = reseed_every, 0
    quiet: list[tuple[int, np.ndarray]] = []  # (frame, positions) of retired still tracks
    for t in range(frames):
        current = following
        following = _prepare(next(source), size, highpass_px) if t + 1 < frames else None
        # Seed on schedule, or early once a fifth of the tracks seeded last time are
        # lost (not "below 80 % of max_corners": a frame may not have that many corners).
        if since_seed >= reseed_every or len(points) < 0.8 * seeded:
            if t >= retire_frames:
                past = t - retire_frames
                still = _still(ids, points, ids_per_frame[past], xy_per_frame[past], retire_px)
                quiet = [(when, xy) for when, xy in quiet if when > past] + [(t, points[still])]
                points, ids = points[~still], ids[~still]
            avoid = np.concatenate([points, *(xy for _, xy in quiet)])
            fresh = _seed(current, avoid, max_corners - len(points), quality, min_distance, kernel)
            points = np.concatenate([points, fresh])
            ids = np.concatenate([ids, np.arange(next_id, next_id + len(fresh))])
            next_id += len(fresh)
            since_seed, seeded = 0, len(points)
        since_seed += 1
        ids_per_frame.append(ids)
        xy_per_frame.append(points)
        if t + 1 == frames or len(points) == 0:
            points, ids = points[:0], ids[:0]
            continue
        forward, ok_f, _ = cv2.calcOpticalFlowPyrLK(current, following, points, None, **lk)
        back, ok_b, _ = cv2.calcOpticalFlowPyrLK(following, current, forward, None, **lk)
        round_trip = np.linalg.norm(back - points, axis=1)
        inside = (
            (forward[:, 0] >= 0)
            & (forward[:, 0] <= width - 1)
            & (forward[:, 1] >= 0)
            & (forward[:, 1] <= height - 1)
        )
        keep = ok_f[:, 0].astype(bool) & ok_b[:, 0].astype(bool) & inside
        keep &= round_trip < fb_max_px
        points, ids = forward[keep], ids[keep]
    counts = [len(frame_ids) for frame_ids in ids_per_frame]
    ids = np.concatenate(ids_per_frame) if frames else np.empty(0, np.int64)
    xy = np.concatenate(xy_per_frame) if frames else np.empty((0, 2), np.float32)
    # Pixel centres: tracking pixel u covers analysis pixels around (u + 0.5) / f - 0.5.
    return Tracks(ids, (xy + 0.5) / factor - 0.5, np.concatenate([[0], np.cumsum(counts)]))


def _prepare(frame: np.ndarray, size: tuple[int, int], highpass_px: float) -> np.ndarray:
    """Downscale a frame to the tracking size and remove its smooth shading.

    A static smooth background (a sky gradient, vignetting) inside an LK window pulls
    a faint moving feature towards zero motion; subtracting a blurred copy keeps
    the feature and drops the shading (and slow global brightness changes).
    """
    if frame.shape[::-1] != size:
        frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    if highpass_px <= 0:
        return frame
    # Two box filters approximate a Gaussian of sigma ~ highpass_px at a cost that does
    # not grow with the kernel (a 33-tap Gaussian costs more than the LK step itself).
    box = (2 * round(highpass_px * 1.2) + 1,) * 2
    smooth = cv2.blur(cv2.blur(frame, box), box)
    return cv2.addWeighted(frame, 1.0, smooth, -1.0, 128.0)


def _still(
    ids: np.ndarray,
    points: np.ndarray,
    past_ids: np.ndarray,
    past_xy: np.ndarray,
    retire_px: float,
) -> np.ndarray:
    """Which live tracks existed in the past frame and moved less than ``retire_px`` since."""
    if len(ids) == 0 or len(past_ids) == 0:
        return np.zeros(len(ids), bool)
    # Track ids are sorted in every frame (new ids are appended, losses keep the order).
    where = np.minimum(np.searchsorted(past_ids, ids), len(past_ids) - 1)
    present = past_ids[where] == ids
    moved = np.linalg.norm(points - past_xy[where], axis=1)
    return present & (moved < retire_px)


def _seed(
    frame: np.ndarray,
    live: np.ndarray,
    wanted: int,
    quality: float,
    min_distance: int,
    kernel: np.ndarray,
) -> np.ndarray:
    """New corners of ``frame`` at least ``min_distance`` from the ``live`` points."""
    if wanted <= 0:
        return np.empty((0, 2), np.float32)
    # Mask out a disc around every live point: one dilation instead of a loop of circles.
    taken = np.zeros(frame.shape, np.uint8)
    if len(live):
        cols = np.clip(np.rint(live[:, 0]).astype(int), 0, frame.shape[1] - 1)
        rows = np.clip(np.rint(live[:, 1]).astype(int), 0, frame.shape[0] - 1)
        taken[rows, cols] = 255
        taken = cv2.dilate(taken, kernel)
    found = cv2.goodFeaturesToTrack(
        frame,
        maxCorners=wanted,
        qualityLevel=quality,
        minDistance=min_distance,
        mask=cv2.bitwise_not(taken),
        blockSize=5,
    )
    if found is None:
        return np.empty((0, 2), np.float32)
    return found.reshape(-1, 2).astype(np.float32)


def track_tails(
    tracks: Tracks,
    scale: float,
    *,
    tail_frames: int,
    max_tails: int = 8,
    vertices: int = 4,
    min_move_px: float = 1.0,
    max_vertices: int = 100_000,
) -> list[list[dict[str, Any]]]:
    """Per-frame overlay: polylines of where a few moving tracks came from.

    Each frame gets at most ``max_tails`` polylines of ``vertices`` points, each the
    last ``tail_frames`` frames of a track that moved more than ``min_move_px``
    (analysis px) over them; the oldest such tracks are chosen, so the same tails
    persist from frame to frame instead of flickering. Kept small on purpose: the
    overlay ships to the browser (~15 bytes of JSON per vertex per frame).

    Parameters
    ----------
    tracks : Tracks
        Tracks in analysis pixels.
    scale : float
        Analysis pixels per original pixel (``clip.scale``).
    max_vertices : int
        Budget of vertices over the whole clip: a long clip gets fewer tails per
        frame (at least one), so the overlay's size, in memory and in the page, stops
        growing with the clip's length (12 tails of 4 vertices fit 2,083 frames).

    Returns
    -------
    list of list of dict
        One list of ``{"kind": "polyline", "xy": [[x, y], ...]}`` shapes per frame,
        in original-frame pixels rounded to 0.1 px.
    """
    max_tails = max(1, min(max_tails, max_vertices // max(1, tracks.frames * vertices)))
    shown: list[list[dict[str, Any]]] = []
    for now in range(tracks.frames):
        then = max(0, now - tail_frames)
        ids, xy_now = tracks.at(now)
        # Alive now and (tracks being contiguous) at every frame since ``then``.
        long_enough = tracks.first_frame[ids] <= then
        ids, xy_now = ids[long_enough], xy_now[long_enough]
        if then == now or len(ids) == 0:
            shown.append([])
            continue
        offsets = tracks.track_starts[ids] - tracks.first_frame[ids]
        moved = np.linalg.norm(xy_now - tracks.track_xy[offsets + then], axis=1) > min_move_px
        # Oldest tracks first: ids ascend with seeding time.
        chosen = np.flatnonzero(moved)[:max_tails]
        steps = np.linspace(then, now, vertices).round().astype(int)
        xy = tracks.track_xy[offsets[chosen, None] + steps[None, :]].astype(np.float64)
        lines = np.round((xy + 0.5) / scale - 0.5, 1).tolist()
        shown.append([{"kind": "polyline", "xy": line} for line in lines])
    return shown

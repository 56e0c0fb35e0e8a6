"""Point tracks stored sparsely: per frame for pairs, per track for trajectories.

A clip of a few minutes seeds tens of thousands of tracks, each alive for a few dozen
frames; a dense tracks x frames array grows with the square of the clip's length.
:class:`Tracks` keeps one row per (track, frame) where the track exists, twice over:
frame-major (which tracks are alive at frame ``t``) and track-major (one track's
trajectory), so both probes' questions are slices.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Tracks"]


class Tracks:
    """Point tracks of one clip, stored per frame and per track, never as tracks x frames.

    Parameters
    ----------
    ids : np.ndarray
        ``(P,)`` track id of every point, frame by frame, ascending within a frame.
    points : np.ndarray
        ``(P, 2)`` float32 positions ``(x, y)`` in analysis pixels (x right, y down).
    frame_starts : np.ndarray
        ``(T + 1,)`` where each frame's points begin in ``ids`` and ``points``.
    """

    def __init__(self, ids: np.ndarray, points: np.ndarray, frame_starts: np.ndarray) -> None:
        self.ids = np.asarray(ids, np.int64)
        self.points = np.asarray(points, np.float32).reshape(-1, 2)
        self.frame_starts = np.asarray(frame_starts, np.int64)
        count = int(self.ids.max()) + 1 if len(self.ids) else 0
        frame_of = np.repeat(np.arange(self.frames), np.diff(self.frame_starts))
        # Track-major copies: a stable sort by id keeps each track's frames in order.
        order = np.argsort(self.ids, kind="stable")
        #: ``(P,)`` track of each point in track-major order.
        self.track_of = self.ids[order]
        #: ``(P,)`` frame of each point in track-major order.
        self.frame_of = frame_of[order]
        #: ``(P, 2)`` positions in track-major order.
        self.track_xy = self.points[order]
        #: ``(N,)`` number of frames each track spans.
        self.lengths = np.bincount(self.ids, minlength=count)
        #: ``(N + 1,)`` where each track's points begin in the track-major arrays.
        self.track_starts = np.concatenate([[0], np.cumsum(self.lengths)])
        #: ``(N,)`` first frame of each track.
        self.first_frame = self.frame_of[self.track_starts[:-1]] if count else self.lengths

    @property
    def frames(self) -> int:
        """Number of frames of the clip."""
        return len(self.frame_starts) - 1

    def __len__(self) -> int:
        """Number of tracks."""
        return len(self.lengths)

    def at(self, t: int) -> tuple[np.ndarray, np.ndarray]:
        """Ids (ascending) and ``(M, 2)`` positions of the tracks alive at frame ``t``."""
        rows = slice(self.frame_starts[t], self.frame_starts[t + 1])
        return self.ids[rows], self.points[rows]

    def positions(self, track: int, first: int, count: int) -> np.ndarray:
        """``(count, 2)`` positions of ``track`` from frame ``first`` on (it must be alive)."""
        offset = self.track_starts[track] + first - self.first_frame[track]
        return self.track_xy[offset : offset + count]

    def pair(self, t0: int, t1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Points followed from frame ``t0`` to frame ``t1``.

        Returns
        -------
        p0, p1 : np.ndarray
            ``(M, 2)`` float64 positions at ``t0`` and ``t1`` (analysis px).
        index : np.ndarray
            ``(M,)`` the tracks they belong to.
        """
        ids0, xy0 = self.at(t0)
        ids1, xy1 = self.at(t1)
        index, i0, i1 = np.intersect1d(ids0, ids1, assume_unique=True, return_indices=True)
        return xy0[i0].astype(np.float64), xy1[i1].astype(np.float64), index

    def to_dense(self) -> np.ndarray:
        """``(N, T, 2)`` positions, NaN where a track does not exist.

        Tracks x frames grows with the square of a clip's length: for inspecting
        short clips (tests, notebooks), never inside a probe.
        """
        dense = np.full((len(self), self.frames, 2), np.nan, np.float32)
        dense[self.track_of, self.frame_of] = self.track_xy
        return dense

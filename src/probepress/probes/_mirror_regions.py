"""The bands either side of a mirror line, computed for the frames asked for.

The reflection probe compares the rows below the mirror line with the flipped rows
above it, high-passed, at half resolution, with a mask of what moves. A long clip's
whole band stack (frames x rows x columns, float32) would not fit in memory, so
:class:`MirrorRegions` hands out :class:`LazyStack` views: indexing one with frame
numbers computes those frames (a few recent ones are kept), and full passes go a
chunk of frames at a time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import cv2
import numpy as np

from probepress.probes.base import ProbeError

__all__ = ["LazyStack", "MirrorRegions", "mirror_regions"]

_SHORE_ROWS = 3  # half-resolution rows next to the mirror line left out of every comparison
_KEPT_FRAMES = 64  # computed bands kept for reuse (lag and fit steps revisit frames)
_KERNEL = np.ones((5, 5), np.uint8)


class LazyStack:
    """A ``(T, n, w)`` stack whose frames are computed when indexed.

    Indexing takes an integer, a slice or an array of frame numbers, as an array
    would; :meth:`map` derives another lazy stack (a blur, a row band).
    """

    def __init__(self, count: int, compute: Callable[[np.ndarray], np.ndarray]) -> None:
        self.count = count
        self._compute = compute

    def __len__(self) -> int:
        return self.count

    @property
    def shape(self) -> tuple[int, ...]:
        """``(T, n, w)``; computes one frame to learn ``n`` and ``w``."""
        return (self.count, *self._compute(np.array([0])).shape[1:])

    def __getitem__(self, index) -> np.ndarray:
        if isinstance(index, int | np.integer):
            return self._compute(np.array([int(index)]))[0]
        if isinstance(index, slice):
            index = np.arange(self.count)[index]
        return self._compute(np.asarray(index, dtype=int).reshape(-1))

    def map(self, function: Callable[[np.ndarray], np.ndarray]) -> LazyStack:
        """The stack of ``function(frames)`` for the same frame numbers."""
        return LazyStack(self.count, lambda index: function(self._compute(index)))


class MirrorRegions:
    """The rows below a mirror line and the flipped rows above it, at half resolution.

    Attributes
    ----------
    lower : LazyStack
        ``(T, n, w)`` float32 high-passed: row ``i`` is the ``i``-th row below the line.
    upper : LazyStack
        ``(T, n, w)`` float32 high-passed: row ``i`` is the row mirrored onto
        ``lower``'s row ``i``; a true reflection has ``lower ~ gain * blur(upper)``.
    lower_moving, upper_moving, moving : LazyStack
        ``(T, n, w)`` bool: pixels that differ from the static background (temporal
        median) by more than the moving level, dilated by 2 px (half resolution);
        ``moving`` is either.
    top, first_row : int
        Crop offset (analysis rows) and the half-resolution row of ``lower[:, 0]``.
    """

    def __init__(self, gray, crop: tuple[int, int], size, rows, background, moving_level):
        self._gray = gray
        self._crop = crop
        self._size = size
        self._background = background
        self._level = moving_level
        self._kept: OrderedDict[int, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        first, depth, mirrored = rows
        self.top, self.first_row = crop[0], first
        lower_rows, upper_rows = slice(first, first + depth), mirrored
        count = len(gray)
        self.lower = LazyStack(count, lambda t: self._bands(t)[0][:, lower_rows])
        self.upper = LazyStack(count, lambda t: self._bands(t)[0][:, upper_rows])
        self.lower_moving = LazyStack(count, lambda t: self._bands(t)[1][:, lower_rows])
        self.upper_moving = LazyStack(count, lambda t: self._bands(t)[1][:, upper_rows])
        self.moving = LazyStack(
            count, lambda t: self._bands(t)[1][:, lower_rows] | self._bands(t)[1][:, upper_rows]
        )

    def to_analysis(self, x: float, row: float) -> tuple[float, float]:
        """Analysis-resolution ``(x, y)`` of a point given as (column, ``lower`` row)."""
        return 2.0 * x + 0.5, self.top + 2.0 * (self.first_row + row) + 0.5

    def _bands(self, frames: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """High-passed half-resolution band and its moving mask for each frame."""
        high, moving = [], []
        for t in frames:
            t = int(t)
            if t not in self._kept:
                self._kept[t] = self._band(half_band(self._gray[t], self._crop, self._size))
                if len(self._kept) > _KEPT_FRAMES:
                    self._kept.popitem(last=False)
            high.append(self._kept[t][0])
            moving.append(self._kept[t][1])
        return np.stack(high), np.stack(moving)

    def _band(self, half: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        moving = cv2.dilate(
            (np.abs(half - self._background) > self._level).view(np.uint8), _KERNEL
        ).astype(bool)
        # High-pass: minus a 9x9 local mean (box: O(1) per pixel; ~Gaussian sigma 2.6 px).
        # It removes the water's own shading and the reflection's offset.
        local_mean = cv2.blur(half, (9, 9), borderType=cv2.BORDER_REFLECT)
        return half.astype(np.float32) - local_mean, moving


def half_band(frame: np.ndarray, crop: tuple[int, int], size: tuple[int, int]) -> np.ndarray:
    """Rows ``crop`` of an analysis frame, 2x2 area-averaged (it halves codec noise)."""
    top, bottom = crop
    return cv2.resize(frame[top:bottom, : 2 * size[0]], size, interpolation=cv2.INTER_AREA)


def mirror_regions(
    gray, axis: float, background_frames: np.ndarray, moving_level: float
) -> MirrorRegions:
    """Cut the rows around ``axis`` at half resolution and pair them across the line.

    Parameters
    ----------
    gray : np.ndarray or FrameStore
        ``(T, h, w)`` uint8 frames at analysis resolution.
    axis : float
        Mirror line in analysis rows (pixel centres at integers).
    background_frames : np.ndarray
        Frame indices whose median is the static background.
    moving_level : float
        Grey levels from the background above which a pixel counts as moving.
    """
    _, height, width = gray.shape
    depth = min(axis, height - 1 - axis, 0.3 * height)
    top = max(0, int(np.floor(axis - depth)) - 2)
    bottom = min(height, int(np.ceil(axis + depth)) + 3)
    bottom -= (bottom - top) % 2
    size = (width // 2, (bottom - top) // 2)
    halves = np.stack([half_band(gray[int(t)], (top, bottom), size) for t in background_frames])
    background = np.median(halves, axis=0).astype(np.int16)

    # The line at half resolution, rounded to a half row (<= 0.5 analysis px off) so that
    # every lower row has an exact mirror row and both regions are views, not copies.
    # The rows nearest the line are skipped: the shoreline is a discontinuity that a
    # sub-pixel error in the line would turn into a mismatch.
    centre = round(axis - top - 0.5) / 2.0
    first = int(np.floor(centre)) + 1 + _SHORE_ROWS
    source = int(round(2 * centre)) - first  # mirror of the first lower row
    depth = min(size[1] - first, source + 1)
    if depth < 4:
        raise ProbeError("the mirror line is too close to the edge of the frame to measure")
    mirrored = slice(source, source - depth if source - depth >= 0 else None, -1)
    return MirrorRegions(
        gray, (top, bottom), size, (first, depth, mirrored), background, moving_level
    )

"""Decoded frames kept on disk, written once while decoding and read back a few at a time.

A 10-minute clip at analysis size is gigabytes of pixels; holding it in memory made
the peak memory of a build grow with the clip's length. A :class:`FrameStore` appends
each frame to an unlinked temporary file (nothing is left behind if the process is
killed) and reads frames back with ``pread`` into fresh arrays, so the pages live in
the operating system's file cache, not in the process, and the probes' memory stays
flat in the clip's length.

A store answers the parts of the ``ndarray`` interface the probes use: ``len``,
``shape``, ``dtype``, ``ndim``, iteration (in chunks), and indexing by an integer, a
slice, a list or array of indices, or a tuple whose first element is an integer
(``frames[i, ::4, ::4]``). ``np.asarray(store)`` reads every frame into memory: for
short clips and tests only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FrameStore", "StridedFrames", "every_nth", "iter_chunks"]

#: Frames read per system call when iterating (~4 MB of 480x270 RGB).
CHUNK_FRAMES = 32


class FrameStore:
    """Frames of one shape, appended in decode order to an unlinked file.

    Parameters
    ----------
    frame_shape : tuple of int
        Shape of one frame, ``(h, w)`` or ``(h, w, 3)``; dtype is uint8.
    directory : Path, optional
        Where the temporary file lives (the system's temporary folder by default).
    """

    dtype = np.dtype(np.uint8)

    def __init__(self, frame_shape: tuple[int, ...], *, directory: Path | str | None = None):
        self.frame_shape = tuple(int(n) for n in frame_shape)
        self._frame_bytes = int(np.prod(self.frame_shape))
        self._file = tempfile.TemporaryFile(prefix="probepress-frames-", dir=directory)
        self._fd = self._file.fileno()
        self._count = 0

    def append(self, frame: np.ndarray) -> None:
        """Write one frame after the last."""
        if frame.shape != self.frame_shape:
            raise ValueError(f"frame of shape {frame.shape}, store holds {self.frame_shape}")
        data = memoryview(np.ascontiguousarray(frame, dtype=np.uint8)).cast("B")
        offset = self._count * self._frame_bytes
        while len(data):
            written = os.pwrite(self._fd, data, offset)
            data, offset = data[written:], offset + written
        self._count += 1

    def close(self) -> None:
        """Release the file (its space is freed at once: it has no name)."""
        self._file.close()

    # ------------------------------------------------------------------ ndarray-like

    @property
    def shape(self) -> tuple[int, ...]:
        """``(T, *frame_shape)``."""
        return (self._count, *self.frame_shape)

    @property
    def ndim(self) -> int:
        """Number of axes, frames included."""
        return 1 + len(self.frame_shape)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[np.ndarray]:
        for _, block in iter_chunks(self):
            yield from block

    def __getitem__(self, index: Any) -> np.ndarray:
        if isinstance(index, tuple):
            head, rest = index[0], index[1:]
            return self[head][(slice(None), *rest) if not _is_int(head) else rest]
        if _is_int(index):
            position = int(index) + (self._count if index < 0 else 0)
            if not 0 <= position < self._count:
                raise IndexError(f"frame {index} out of range for {self._count} frames")
            return self._read(position, 1)[0]
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step == 1:
                return self._read(start, max(0, stop - start))
            return self[np.arange(start, stop, step)]
        positions = np.asarray(index)
        if positions.dtype == bool:
            positions = np.flatnonzero(positions)
        out = np.empty((len(positions), *self.frame_shape), np.uint8)
        for k, position in enumerate(positions.ravel()):
            out[k] = self[int(position)]
        return out

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        frames = self._read(0, self._count)
        return frames if dtype is None else frames.astype(dtype)

    def _read(self, start: int, count: int) -> np.ndarray:
        out = np.empty((count, *self.frame_shape), np.uint8)
        view = memoryview(out).cast("B")
        offset = start * self._frame_bytes
        while len(view):
            got = os.preadv(self._fd, [view], offset)
            if got <= 0:
                raise OSError(f"frame store truncated at byte {offset}")
            view, offset = view[got:], offset + got
        return out


class StridedFrames:
    """Every ``step``-th frame of a :class:`FrameStore`, without reading any in advance."""

    dtype = FrameStore.dtype

    def __init__(self, frames: FrameStore, step: int) -> None:
        self.frames = frames
        self.step = step
        self.frame_shape = frames.frame_shape

    @property
    def shape(self) -> tuple[int, ...]:
        """``(T, *frame_shape)`` of the strided view."""
        return (len(self), *self.frame_shape)

    @property
    def ndim(self) -> int:
        """Number of axes, frames included."""
        return self.frames.ndim

    def __len__(self) -> int:
        return -(-len(self.frames) // self.step)

    def __iter__(self) -> Iterator[np.ndarray]:
        for start, _ in iter_chunks(self):
            yield from self[start : start + CHUNK_FRAMES]

    def __getitem__(self, index: Any) -> np.ndarray:
        if isinstance(index, tuple):
            head, rest = index[0], index[1:]
            return self[head][(slice(None), *rest) if not _is_int(head) else rest]
        if _is_int(index):
            position = int(index) + (len(self) if index < 0 else 0)
            if not 0 <= position < len(self):
                raise IndexError(f"frame {index} out of range for {len(self)} frames")
            return self.frames[position * self.step]
        return self.frames[np.arange(len(self))[index] * self.step]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        frames = self[np.arange(len(self))]
        return frames if dtype is None else frames.astype(dtype)


def every_nth(frames: np.ndarray | FrameStore, step: int) -> np.ndarray | StridedFrames:
    """Every ``step``-th frame: a view of an array, a lazy view of a store."""
    if isinstance(frames, np.ndarray):
        return frames[::step]
    return StridedFrames(frames, step)


def iter_chunks(
    frames: np.ndarray | FrameStore, size: int = CHUNK_FRAMES
) -> Iterator[tuple[int, np.ndarray]]:
    """``(start, block)`` pairs covering ``frames`` in order, ``size`` frames a block.

    Works the same on an in-memory array and on a :class:`FrameStore`, so a probe can
    reduce a clip of any length without holding it.
    """
    for start in range(0, len(frames), size):
        yield start, frames[start : start + size]


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer)

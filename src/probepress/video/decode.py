"""Open a clip once: its identity (hash, fps, size) and its frames at analysis resolution.

Every probe of a clip reads the same :class:`Clip`, so a clip is decoded exactly once
per build no matter how many probes run on it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import cv2
import numpy as np

# OpenCV logs "[ WARN:0@...] cap.cpp" lines to stderr for every file it cannot open; the
# caller gets a VideoError naming the file instead, so OpenCV's own log stays silent.
cv2.setLogLevel(0)  # 0: LOG_LEVEL_SILENT

__all__ = [
    "Clip",
    "ClipInfo",
    "VideoError",
    "clip_from_array",
    "file_sha256",
    "open_clip",
    "probe_info",
]

#: Long side of the frames that probes see, in pixels. Probes report coordinates in
#: original-frame pixels, so this only trades accuracy for speed.
DEFAULT_LONG_SIDE = 480
#: Bumped whenever decoding changes the analysis pixels; part of every cache key.
DECODE_VERSION = 2

# A container can claim any frame rate; outside this range we trust the timestamps.
_SANE_FPS = (1.0, 240.0)
_HASH_CHUNK = 1 << 20


class VideoError(Exception):
    """A clip that cannot be read: missing, empty, truncated, corrupt or unsupported."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class ClipInfo:
    """What a clip is, independent of how it is analysed.

    Attributes
    ----------
    path : Path
        The file.
    sha256 : str
        Hex digest of the file's bytes: the clip's identity in every cache.
    fps : float
        Frames per second.
    frames : int
        Number of decodable frames.
    width, height : int
        Size of the original frames, in pixels.
    """

    path: Path
    sha256: str
    fps: float
    frames: int
    width: int
    height: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.fps

    @property
    def short_hash(self) -> str:
        """The first 10 hex digits of the hash, as shown on the site."""
        return self.sha256[:10]


@dataclass(eq=False)
class Clip:
    """A decoded clip: its :class:`ClipInfo` and RGB frames at analysis resolution.

    Attributes
    ----------
    info : ClipInfo
        Identity and original size.
    rgb : np.ndarray
        ``(T, h, w, 3)`` uint8 RGB frames at analysis resolution.
    scale : float
        Analysis pixels per original pixel (``<= 1``). Divide an analysis
        coordinate by ``scale`` to get original-frame pixels.
    """

    info: ClipInfo
    rgb: np.ndarray
    scale: float
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def fps(self) -> float:
        """Frames per second of the clip."""
        return self.info.fps

    @property
    def times(self) -> np.ndarray:
        """Timestamp of each frame in seconds, shape ``(T,)``."""
        return np.arange(len(self.rgb)) / self.info.fps

    @cached_property
    def gray(self) -> np.ndarray:
        """``(T, h, w)`` uint8 luma frames, computed once and shared by the probes."""
        return np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in self.rgb])

    def to_original(self, value: float | np.ndarray) -> float | np.ndarray:
        """Convert an analysis-resolution length or coordinate to original pixels."""
        return value / self.scale


def file_sha256(path: Path | str) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def probe_info(path: Path | str) -> ClipInfo:
    """Read a clip's identity without keeping its frames (still decodes to count them)."""
    return _decode(Path(path), long_side=None)[0]


def open_clip(path: Path | str, *, long_side: int = DEFAULT_LONG_SIDE) -> Clip:
    """Decode a clip once, downscaled so its long side is at most ``long_side`` pixels.

    Raises
    ------
    VideoError
        If the file is missing, empty, truncated, corrupt or in a format that
        cannot be decoded.
    """
    info, frames, scale = _decode(Path(path), long_side=long_side)
    return Clip(info=info, rgb=frames, scale=scale)


def _decode(path: Path, *, long_side: int | None) -> tuple[ClipInfo, np.ndarray, float]:
    if not path.is_file():
        raise VideoError(path, "file not found")
    if path.stat().st_size == 0:
        raise VideoError(path, "file is empty")
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not capture.isOpened():
        raise VideoError(path, "not a video OpenCV/FFmpeg can open (corrupt or unsupported)")
    try:
        claimed_fps = capture.get(cv2.CAP_PROP_FPS)
        claimed_count = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        frames: list[np.ndarray] = []
        last_msec = 0.0
        width = height = 0
        scale = 1.0
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            if not frames:
                height, width = bgr.shape[:2]
                scale = _scale_for(width, height, long_side)
            last_msec = capture.get(cv2.CAP_PROP_POS_MSEC)
            if scale != 1.0 and long_side is not None:
                bgr = _downscale(bgr, scale)
            if long_side is not None:
                frames.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            else:
                frames.append(bgr[:0])  # count only
    finally:
        capture.release()
    count = len(frames)
    if count == 0:
        raise VideoError(path, "no decodable frames (corrupt, truncated or not a video)")
    if claimed_count > 0 and count < 0.9 * claimed_count:
        raise VideoError(
            path, f"truncated: the container lists {claimed_count} frames, only {count} decode"
        )
    fps = _trusted_fps(claimed_fps, count, last_msec)
    if fps <= 0:
        raise VideoError(path, "no usable frame rate in the container or its timestamps")
    info = ClipInfo(path, file_sha256(path), fps, count, width, height)
    rgb = np.stack(frames) if long_side is not None else np.empty((0,), np.uint8)
    return info, rgb, scale


def _downscale(frame: np.ndarray, scale: float) -> np.ndarray:
    """Area-average ``frame`` down by ``scale``, halving first while it is 2x too big.

    OpenCV's area resampling is several times faster for whole-number factors, and
    halving with area averaging loses nothing the final step would keep.
    """
    height, width = frame.shape[:2]
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    while frame.shape[1] >= 2 * target[0] and frame.shape[0] >= 2 * target[1]:
        frame = cv2.resize(frame, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return cv2.resize(frame, target, interpolation=cv2.INTER_AREA)


def _scale_for(width: int, height: int, long_side: int | None) -> float:
    if long_side is None or max(width, height) <= long_side:
        return 1.0
    return long_side / max(width, height)


def _trusted_fps(claimed: float, count: int, last_msec: float) -> float:
    """The container's frame rate, unless the timestamps show it to be wrong."""
    from_timestamps = (count - 1) / (last_msec / 1000.0) if last_msec > 0 and count > 1 else 0.0
    low, high = _SANE_FPS
    if low <= claimed <= high:
        if from_timestamps and abs(from_timestamps - claimed) / claimed > 0.05:
            return round(from_timestamps, 3)
        return float(claimed)
    if low <= from_timestamps <= high:
        return round(from_timestamps, 3)
    return 0.0


def clip_from_array(
    frames: np.ndarray, *, fps: float, name: str = "<array>", long_side: int = DEFAULT_LONG_SIDE
) -> Clip:
    """Wrap RGB frames already in memory as a :class:`Clip` (no encoding, no file).

    The hash is that of the pixel bytes, so the same frames always give the same
    identity. Used by tests and by tools that render frames themselves.
    """
    frames = np.asarray(frames, dtype=np.uint8)
    if frames.ndim != 4 or frames.shape[-1] != 3 or len(frames) == 0:
        raise VideoError(name, f"expected (T, H, W, 3) RGB frames, got shape {frames.shape}")
    height, width = frames.shape[1:3]
    scale = _scale_for(width, height, long_side)
    if scale != 1.0:
        frames = np.stack([_downscale(f, scale) for f in frames])
    sha = hashlib.sha256(frames.tobytes()).hexdigest()
    info = ClipInfo(Path(name), sha, float(fps), len(frames), width, height)
    return Clip(info=info, rgb=frames, scale=scale)

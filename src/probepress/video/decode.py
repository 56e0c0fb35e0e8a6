"""Open a clip once: its identity (hash, fps, size, timing) and its frames at analysis size.

Every probe of a clip reads the same :class:`Clip`, so a clip is decoded exactly once
per build no matter how many probes run on it. A decoded clip's frames live in
:class:`~probepress.video.store.FrameStore` files, not in memory (see
:mod:`probepress.video.stream` for how they are decoded).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from probepress.video.budget import ClipBudget
from probepress.video.facts import ClipInfo, OverBudgetError, VideoError, file_sha256
from probepress.video.store import FrameStore, StridedFrames, every_nth
from probepress.video.stream import decode_file, scale_for, target_size
from probepress.video.timing import frame_times, is_variable_rate, trusted_fps

__all__ = [
    "DECODE_VERSION",
    "DEFAULT_LONG_SIDE",
    "Clip",
    "ClipBudget",
    "ClipInfo",
    "Frames",
    "OverBudgetError",
    "VideoError",
    "clip_from_array",
    "file_sha256",
    "open_clip",
    "probe_info",
]

#: Long side of the frames that probes see, in pixels. Probes report coordinates in
#: original-frame pixels, so this only trades accuracy for speed.
DEFAULT_LONG_SIDE = 480
#: Bumped whenever decoding changes the analysis pixels or times; part of every cache
#: key. 3: FFmpeg's area scaler on the native frame, luma from the decoder's Y plane,
#: presentation timestamps for variable-rate clips.
DECODE_VERSION = 3

#: Frames as probes read them: an in-memory array or a store on disk (same interface).
Frames = np.ndarray | FrameStore | StridedFrames

# Kept under its old name: tests and tools call it.
_trusted_fps = trusted_fps


@dataclass(eq=False)
class Clip:
    """A decoded clip: its :class:`ClipInfo`, frames at analysis size and their times.

    Attributes
    ----------
    info : ClipInfo
        Identity and original size.
    gray : Frames
        ``(T, h, w)`` uint8 luma frames at analysis resolution.
    scale : float
        Analysis pixels per original pixel (``<= 1``). Divide an analysis
        coordinate by ``scale`` to get original-frame pixels.
    colour : Frames or None
        ``(T, h, w, 3)`` uint8 RGB frames, when the clip was opened with colour.
    times : np.ndarray
        ``(T,)`` time of each frame in seconds from the first (presentation
        timestamps for a variable-rate clip, ``i / fps`` otherwise).
    """

    info: ClipInfo
    gray: Frames
    scale: float
    colour: Frames | None = None
    times: np.ndarray = None  # type: ignore[assignment]
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.times is None:
            self.times = np.arange(len(self.gray)) / self.info.fps

    @property
    def rgb(self) -> Frames:
        """``(T, h, w, 3)`` uint8 RGB frames at analysis resolution."""
        if self.colour is None:
            raise RuntimeError(
                f"{self.info.path}: opened without colour; a probe that reads rgb must "
                "declare needs_colour=True"
            )
        return self.colour

    @property
    def fps(self) -> float:
        """Frames per second of the clip (the average rate of a variable-rate clip)."""
        return self.info.fps

    def every_nth(self, step: int) -> Clip:
        """Every ``step``-th frame as a clip of its own (``fps / step``), read lazily."""
        if step <= 1:
            return self
        gray = every_nth(self.gray, step)
        info = replace(self.info, fps=self.info.fps / step, frames=len(gray))
        colour = None if self.colour is None else every_nth(self.colour, step)
        return Clip(info, gray, self.scale, colour, self.times[::step])

    def to_original(self, value: float | np.ndarray) -> float | np.ndarray:
        """Convert an analysis-resolution length or coordinate to original pixels."""
        return value / self.scale


def probe_info(path: Path | str, *, budget: ClipBudget | None = None) -> ClipInfo:
    """Read a clip's identity without keeping its frames (still decodes to count them)."""
    path = Path(path)
    return _info(path, decode_file(path, long_side=None, budget=budget))


def open_clip(
    path: Path | str,
    *,
    long_side: int = DEFAULT_LONG_SIDE,
    colour: bool = True,
    budget: ClipBudget | None = None,
    frame_dir: Path | None = None,
    sha256: str | None = None,
) -> Clip:
    """Decode a clip once, downscaled so its long side is at most ``long_side`` pixels.

    Parameters
    ----------
    path : Path or str
        The video file.
    long_side : int
        Long side of the analysis frames (px); smaller clips are not upscaled.
    colour : bool
        Also keep RGB frames (only probes that read colour need them).
    budget : ClipBudget, optional
        Longest clip accepted (600 s by default).
    frame_dir : Path, optional
        Folder for the temporary frame files (the system's temporary folder by default).
    sha256 : str, optional
        The file's hash when the caller has it already (the runner hashed it to look up
        the cache); otherwise the file is read once more to hash it.

    Raises
    ------
    VideoError
        If the file is missing, empty, truncated, corrupt, a still image, shorter
        than :data:`~probepress.video.stream.MIN_FRAMES` frames or over budget.
    """
    path = Path(path)
    decoded = decode_file(
        path, long_side=long_side, colour=colour, budget=budget, frame_dir=frame_dir
    )
    info = _info(path, decoded, sha256)
    return Clip(
        info=info,
        gray=decoded.gray,
        scale=decoded.scale,
        colour=decoded.rgb,
        times=frame_times(decoded.stamps, info.fps, bool(info.vfr)),
    )


def _info(path: Path, decoded, sha256: str | None = None) -> ClipInfo:
    stamps = decoded.stamps
    count = len(stamps)
    last_msec = (stamps[-1] - stamps[0]) * 1000.0
    vfr = is_variable_rate(stamps)
    # A variable-rate clip's stated rate is a guess; its timestamps give the average.
    claimed = 0.0 if vfr else decoded.claimed_fps
    fps = float(trusted_fps(claimed, count, last_msec))
    if fps <= 0:
        raise VideoError(path, "no usable frame rate in the container or its timestamps")
    sha = sha256 or file_sha256(path)
    return ClipInfo(path, sha, fps, count, decoded.width, decoded.height, vfr)


def _downscale(frame: np.ndarray, scale: float) -> np.ndarray:
    """Area-average ``frame`` down by ``scale``, halving first while it is 2x too big.

    OpenCV's area resampling is several times faster for whole-number factors, and
    halving with area averaging loses nothing the final step would keep.
    """
    height, width = frame.shape[:2]
    target = target_size(width, height, scale)
    while frame.shape[1] >= 2 * target[0] and frame.shape[0] >= 2 * target[1]:
        frame = cv2.resize(frame, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return cv2.resize(frame, target, interpolation=cv2.INTER_AREA)


def clip_from_array(
    frames: np.ndarray,
    *,
    fps: float,
    name: str = "<array>",
    long_side: int = DEFAULT_LONG_SIDE,
    times: np.ndarray | None = None,
) -> Clip:
    """Wrap RGB frames already in memory as a :class:`Clip` (no encoding, no file).

    The hash is that of the pixel bytes, so the same frames always give the same
    identity. Used by tests and by tools that render frames themselves. ``times``
    (seconds) makes a variable-rate clip; by default frames are ``1 / fps`` apart.
    """
    frames = np.asarray(frames, dtype=np.uint8)
    if frames.ndim != 4 or frames.shape[-1] != 3 or len(frames) == 0:
        raise VideoError(name, f"expected (T, H, W, 3) RGB frames, got shape {frames.shape}")
    height, width = frames.shape[1:3]
    scale = scale_for(width, height, long_side)
    if scale != 1.0:
        frames = np.stack([_downscale(f, scale) for f in frames])
    sha = hashlib.sha256(frames.tobytes()).hexdigest()
    vfr = times is not None and is_variable_rate(np.asarray(times, float))
    info = ClipInfo(Path(name), sha, float(fps), len(frames), width, height, vfr)
    gray = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames])
    clip_times = None if times is None else np.asarray(times, float) - float(times[0])
    return Clip(info=info, gray=gray, scale=scale, colour=frames, times=clip_times)

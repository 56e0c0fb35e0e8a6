"""What a clip is (hash, rate, length, size) and why one cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ClipInfo", "OverBudgetError", "VideoError", "file_sha256"]

_HASH_CHUNK = 1 << 20


class VideoError(Exception):
    """A clip that cannot be read: missing, empty, truncated, corrupt or unsupported."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class OverBudgetError(VideoError):
    """A clip longer than the run's budget allows: a matter of settings, not of the clip."""


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
        Frames per second (the average rate of a variable-rate clip).
    frames : int
        Number of decodable frames.
    width, height : int
        Size of the original frames, in pixels.
    vfr : bool or None
        Whether the frames are unevenly spaced in time (variable frame rate);
        ``None`` when unknown (facts read back from an older cache).
    """

    path: Path
    sha256: str
    fps: float
    frames: int
    width: int
    height: int
    vfr: bool | None = None

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.frames / self.fps

    @property
    def short_hash(self) -> str:
        """The first 10 hex digits of the hash, as shown on the site."""
        return self.sha256[:10]


def file_sha256(path: Path | str) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(_HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()

"""What every encode shares: web-copy size, H.264 settings, and a clip to encode."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["CRF", "H264_FLAGS", "PRESET", "WEB_LONG_SIDE", "MediaItem", "web_size"]

#: Longest side of a web copy, in pixels. Smaller clips are never upscaled.
WEB_LONG_SIDE = 1280
#: x264 constant rate factor (0 lossless ... 51 worst) of every video encoded here.
CRF = 23
#: x264 speed preset of every video encoded here.
PRESET = "veryfast"
#: Flags of every H.264 encode: browsers want yuv420p, and the index (moov) first so that
#: playback starts before the whole file has arrived.
H264_FLAGS = ["-crf", str(CRF), "-pix_fmt", "yuv420p", "-movflags", "+faststart"]


@dataclass(frozen=True)
class MediaItem:
    """One clip to encode.

    Attributes
    ----------
    label : str
        Its name on screen ("Model A"): drawn on composites and montage title cards.
    path : Path
        The source clip.
    sha256 : str
        Hex digest of the source's bytes, computed by the caller; names the outputs.
    """

    label: str
    path: Path
    sha256: str


def web_size(width: int, height: int) -> tuple[int, int]:
    """Size of the web copy of a ``width`` x ``height`` clip, in pixels.

    Scaled to fit :data:`WEB_LONG_SIDE` (never enlarged), each side rounded down to
    an even number as yuv420p requires: the same arithmetic as the ffmpeg filter.
    """
    scale = min(1.0, WEB_LONG_SIDE / max(width, height))
    return max(2, int(width * scale / 2) * 2), max(2, int(height * scale / 2) * 2)

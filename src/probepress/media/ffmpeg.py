"""The bundled ffmpeg, run quietly: one-line errors, all-or-nothing outputs, stream reports.

Shared by :mod:`probepress.media.store` (web copies, posters) and
:mod:`probepress.media.compose` (composites, montages).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

__all__ = [
    "MediaError",
    "StreamReport",
    "atomic_output",
    "error_line",
    "output_exists",
    "run_ffmpeg",
    "stream_report",
]

# A comma that is not inside parentheses: separates the fields of ffmpeg's stream lines,
# "h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 640x360 [SAR 1:1]".
_FIELD = re.compile(r",\s*(?![^()]*\))")


class MediaError(Exception):
    """A clip that could not be encoded: missing, corrupt, or ffmpeg failed on it.

    Parameters
    ----------
    path : Path or str or None
        The file at fault (a source clip, or the output being written); ``None``
        when the request itself is wrong (e.g. too many clips).
    reason : str
        What went wrong, on one line (ffmpeg's last error line where there is one).
    """

    def __init__(self, path: Path | str | None, reason: str) -> None:
        self.path = None if path is None else Path(path)
        self.reason = reason
        super().__init__(reason if path is None else f"{path}: {reason}")


@dataclass(frozen=True)
class StreamReport:
    """What ffmpeg's header report says about a file's first video and audio streams.

    Attributes
    ----------
    codec, profile, pixel_format : str
        E.g. ``"h264"``, ``"High"``, ``"yuv420p"`` (``""`` when not reported).
    width, height : int
        Coded size in pixels, before any rotation.
    rotation : float
        Display rotation in degrees (0 when the file has none).
    audio_codec : str or None
        E.g. ``"aac"``; ``None`` without an audio stream.
    bitrate_kbps : float or None
        Overall bitrate of the file, in kb/s, if known.
    """

    codec: str
    profile: str
    pixel_format: str
    width: int
    height: int
    rotation: float
    audio_codec: str | None
    bitrate_kbps: float | None


def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary bundled by imageio-ffmpeg."""
    return imageio_ffmpeg.get_ffmpeg_exe()


def error_line(stderr: str, path: Path | str | None = None) -> str:
    """The last non-empty line of ffmpeg's stderr, without a leading ``<path>: ``."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    line = lines[-1] if lines else "ffmpeg failed without a message"
    prefix = f"{path}: "
    return line[len(prefix) :] if path is not None and line.startswith(prefix) else line


def run_ffmpeg(subject: Path, what: str, *args: str | Path) -> None:
    """Run ffmpeg with ``args``; a failure raises MediaError naming ``subject``.

    ``what`` says what was being done ("cannot make a web copy") and is followed in
    the message by ffmpeg's last error line.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, errors="replace")
    if result.returncode != 0:
        raise MediaError(subject, f"{what}: {error_line(result.stderr, subject)}")


def stream_report(path: Path) -> StreamReport:
    """Read a file's header with ``ffmpeg -i`` (no decoding, a few milliseconds).

    Raises
    ------
    MediaError
        ffmpeg cannot open the file or finds no video stream in it.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)]
    report = subprocess.run(command, capture_output=True, text=True, errors="replace").stderr
    video = re.search(r"Stream #\d+:\d+.*?: Video: (.*)", report)
    if "Input #0" not in report:  # ffmpeg always exits 1 here: no output was given
        raise MediaError(path, f"cannot read the clip: {error_line(report, path)}")
    if video is None:
        raise MediaError(path, "cannot read the clip: it has no video stream")
    fields = _FIELD.split(video[1])
    codec_field = fields[0].split(" (", 1)
    size = next((m for f in fields[1:] if (m := re.match(r"(\d+)x(\d+)", f))), None)
    if size is None:
        raise MediaError(path, "cannot read the clip: ffmpeg reports no frame size")
    rotation = re.search(r"rotation of (-?[\d.]+) degrees", report)
    audio = re.search(r"Stream #\d+:\d+.*?: Audio: (\w+)", report)
    bitrate = re.search(r"Duration: .*?bitrate: (\d+) kb/s", report)
    return StreamReport(
        codec=codec_field[0].strip(),
        profile=codec_field[1].split(")", 1)[0] if len(codec_field) > 1 else "",
        pixel_format=fields[1].split("(", 1)[0].strip() if len(fields) > 1 else "",
        width=int(size[1]),
        height=int(size[2]),
        rotation=float(rotation[1]) if rotation else 0.0,
        audio_codec=audio[1] if audio else None,
        bitrate_kbps=float(bitrate[1]) if bitrate else None,
    )


def output_exists(path: Path) -> bool:
    """True if ``path`` is a finished output: present and not empty."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


@contextlib.contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``out``; move it to ``out`` only if all went well.

    The temporary file is removed whatever happens, so a failure or an interruption
    leaves nothing behind.
    """
    # Unique per call, so concurrent builds (or threads) never share a file; hidden, and
    # ending in the real suffix so that ffmpeg and moviepy pick the right muxer.
    tmp = out.with_name(f".{out.stem}.{secrets.token_hex(4)}.part{out.suffix}")
    try:
        yield tmp
        if not output_exists(tmp):
            raise MediaError(out, "ffmpeg wrote nothing")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)

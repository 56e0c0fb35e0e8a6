"""The bundled ffmpeg, run quietly: one-line errors, all-or-nothing outputs, stream reports.

Shared by :mod:`probepress.media.store` (web copies, posters) and
:mod:`probepress.media.compose` (composites, montages).

An output is written under a hidden temporary name and renamed into place when whole.
The writer holds an exclusive ``flock`` on its temporary from before it has that name
until it is gone, so the next build can tell a temporary left by a killed build
(unlocked) from one that another build is writing right now, and removes only the former.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

__all__ = [
    "MediaError",
    "OutputVanished",
    "StreamReport",
    "atomic_output",
    "error_line",
    "output_exists",
    "remove_stale_temporaries",
    "run_ffmpeg",
    "stream_report",
]

# A comma that is not inside parentheses: separates the fields of ffmpeg's stream lines,
# "h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), 640x360 [SAR 1:1]".
_FIELD = re.compile(r",\s*(?![^()]*\))")
#: Temporaries are ``.<stem>.<8 hex>.part<suffix>`` (see :func:`atomic_output`) ...
_TEMPORARY = ".*.part.*"
#: ... born as ``.<stem>.<8 hex>.lock`` and renamed once locked.
_UNBORN = ".*.lock"
#: An unborn temporary is unlocked for an instant: only this old (seconds) is it stale.
_UNBORN_STALE_S = 60.0


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


class OutputVanished(MediaError):
    """The output's folder, or the temporary in it, was deleted while it was written."""

    def __init__(self, out: Path) -> None:
        super().__init__(
            out,
            f"{Path(out).parent} was deleted while this was written; "
            "do not delete the cache folder during a build",
        )


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

    The folder is made if it is missing (it may have been deleted since the last
    output). The temporary is locked while the body runs and removed whatever happens,
    so a failure leaves nothing behind and a kill leaves only a stale temporary that
    :func:`remove_stale_temporaries` recognises.

    Raises
    ------
    OutputVanished
        The folder or the temporary was deleted before the output was in place: the
        caller may simply try again.
    MediaError
        The body wrote nothing.
    """
    # Unique per call, so concurrent builds (or threads) never share a file; hidden, and
    # ending in the real suffix so that ffmpeg and moviepy pick the right muxer.
    token = secrets.token_hex(4)
    tmp = out.with_name(f".{out.stem}.{token}.part{out.suffix}")
    unborn = out.with_name(f".{out.stem}.{token}.lock")
    out.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(unborn, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        # Locked before it bears a temporary's name, so that no temporary is ever seen
        # unlocked while its writer lives; writers reopen it by name, the lock stays.
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.rename(unborn, tmp)
        try:
            yield tmp
        except MediaError:
            if not tmp.exists():
                raise OutputVanished(out) from None
            raise
        if not tmp.exists():
            raise OutputVanished(out)
        if not output_exists(tmp):
            raise MediaError(out, "ffmpeg wrote nothing")
        try:
            os.replace(tmp, out)
        except FileNotFoundError:
            raise OutputVanished(out) from None
    finally:
        tmp.unlink(missing_ok=True)
        unborn.unlink(missing_ok=True)
        os.close(handle)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete the temporaries no running writer holds: leftovers of killed builds.

    A temporary of :func:`atomic_output` is locked by its writer for as long as it
    exists, so one whose lock can be taken is abandoned. Returns what was removed.
    """
    now = time.time()
    removed = []
    for tmp in [*Path(folder).glob(_TEMPORARY), *Path(folder).glob(_UNBORN)]:
        try:
            if tmp.suffix == ".lock" and now - tmp.stat().st_mtime < _UNBORN_STALE_S:
                continue
            handle = os.open(tmp, os.O_RDONLY)
        except OSError:
            continue  # gone already
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass  # locked: a build is writing it (or the folder is read-only)
        finally:
            os.close(handle)
    return removed

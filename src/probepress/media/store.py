"""Web copies, posters, side-by-side composites and montages of clips, cached by content.

Every output is named after what it is made from (the clips' hashes, labels, title
and a format version), so a second build finds each file in place and encodes
nothing. Outputs are written under a hidden temporary name in the same folder and
moved into place with :func:`os.replace`: an interrupted build never leaves a
half-written file, and two builds racing for one output both write it and the
last rename wins, harmlessly. Temporaries left by a killed build are removed by the
next one; a folder deleted while a file is written is made again and the file with it.

Web copies and posters come straight from ffmpeg (the binary bundled with
imageio-ffmpeg); a source that is already fit for the web is copied into the web copy
stream for stream, not re-encoded. Composites and montages are composed frame by frame
with moviepy in :mod:`probepress.media.compose`, imported only when one is needed.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from probepress.media.encoding import (
    H264_FLAGS,
    PRESET,
    WEB_LONG_SIDE,
    MediaItem,
    web_size,
)
from probepress.media.ffmpeg import (
    MediaError,
    OutputVanished,
    StreamReport,
    atomic_output,
    output_exists,
    remove_stale_temporaries,
    run_ffmpeg,
    stream_report,
)

__all__ = ["MediaError", "MediaItem", "MediaStore", "web_size"]

#: A web-ready source above this overall bitrate (kb/s) is re-encoded, not copied.
MAX_COPY_KBPS = 5000
#: Bump when composites or montages change look, so that cached ones are remade.
FORMAT_VERSION = 1
#: Number of clips a side-by-side composite accepts.
COMPOSITE_CLIPS = (2, 6)

# ffmpeg's twin of web_size(), evaluated on the frame after auto-rotation. The quotes keep
# the commas inside the expressions from splitting the filter graph.
_FIT = f"min(1,{WEB_LONG_SIDE}/max(iw,ih))"
_WEB_SCALE = f"scale=w='trunc(iw*{_FIT}/2)*2':h='trunc(ih*{_FIT}/2)*2'"
# H.264 profiles that every browser decodes (not High 10, 4:2:2 or 4:4:4).
_PLAIN_PROFILES = {"Constrained Baseline", "Baseline", "Main", "High"}


class MediaStore:
    """A folder of encoded media, each file named by a hash of its inputs.

    Parameters
    ----------
    folder : Path
        Where outputs go (e.g. ``<project>/.cache/probepress/media``); created if missing.
        Temporaries that killed builds left in it are removed.

    Raises
    ------
    MediaError
        The folder cannot be made or written (a read-only disk or cache).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.folder):
                pass  # writable, not just present
        except OSError as error:
            raise MediaError(self.folder, f"cannot write here: {error.strerror}") from None
        remove_stale_temporaries(self.folder)

    def web_copy(self, item: MediaItem) -> Path:
        """The clip as browsers like it: ``<sha256[:16]>.mp4``, made on first request.

        H.264 yuv420p with ``+faststart``, long side at most :data:`WEB_LONG_SIDE` px
        (never upscaled, both sides even); the first audio stream, if any, as AAC. A
        source that already is all that (plain profile, no rotation flag, at most
        :data:`MAX_COPY_KBPS`) is copied stream for stream: same frames, no generation
        loss, a fraction of the time. Anything else is encoded with libx264 at CRF
        :data:`CRF`, preset :data:`PRESET`.

        Raises
        ------
        MediaError
            The source is missing or ffmpeg cannot read or encode it.
        """
        out = self.folder / f"{item.sha256[:16]}.mp4"
        if output_exists(out):
            return out
        _require_file(item.path)
        report = stream_report(item.path)
        if _is_web_ready(report):
            video = ["-c:v", "copy"]
        else:
            video = ["-vf", _WEB_SCALE, "-c:v", "libx264", "-preset", PRESET, *H264_FLAGS]
        audio = ["-c:a", "copy"] if report.audio_codec == "aac" else ["-c:a", "aac", "-b:a", "128k"]
        return _produce(
            out,
            lambda tmp: run_ffmpeg(
                item.path,
                "cannot make a web copy",
                "-i",
                item.path,
                "-map",
                "0:v:0",
                "-map",
                "0:a:0?",  # "?": no audio stream is fine
                *video,
                *audio,
                "-movflags",
                "+faststart",
                "-f",
                "mp4",
                tmp,
            ),
        )

    def poster(self, item: MediaItem) -> Path:
        """A JPEG of the web copy's first frame, at its size: ``<sha256[:16]>.jpg``.

        Raises
        ------
        MediaError
            The source is missing or ffmpeg cannot read it.
        """
        out = self.folder / f"{item.sha256[:16]}.jpg"
        if output_exists(out):
            return out
        video = self.web_copy(item)
        try:
            return _first_frame_jpeg(video, out)
        except MediaError:
            if video.exists():
                raise
            # The cache was deleted between the web copy and its poster (a user
            # clearing it mid-build): make both again, once.
            return _first_frame_jpeg(self.web_copy(item), out)

    def composite(self, items: Sequence[MediaItem], *, title: str | None = None) -> Path:
        """The clips side by side in one row, each labelled: ``compare-<hash>.mp4``.

        Layout, duration and frame rate are those of
        :func:`probepress.media.compose.write_composite`: panes at a common height
        (360 px), the whole at most 1920 px wide, each label in a dark bar under its
        pane, the title in a bar above; as long as the shortest clip, at the first
        clip's frame rate, no audio.

        Parameters
        ----------
        items : sequence of MediaItem
            Two to six clips, left to right.
        title : str, optional
            Drawn in a bar above the panes.

        Raises
        ------
        MediaError
            A clip is missing or unreadable, the count is out of range, or encoding failed.
        """
        low, high = COMPOSITE_CLIPS
        if not low <= len(items) <= high:
            raise MediaError(None, f"a composite takes {low} to {high} clips, got {len(items)}")
        out = self.folder / f"compare-{_key('composite', items, title)}.mp4"
        if output_exists(out):
            return out
        from probepress.media.compose import write_composite

        return _produce(out, lambda tmp: write_composite(items, tmp, title=title, name=out))

    def montage(
        self, items: Sequence[MediaItem], *, title: str | None = None, card_seconds: float = 1.0
    ) -> Path:
        """The clips one after another, each after a title card: ``montage-<hash>.mp4``.

        Every clip is letterboxed into the size of the first clip's web copy; see
        :func:`probepress.media.compose.write_montage`.

        Parameters
        ----------
        items : sequence of MediaItem
            One or more clips, in order.
        title : str, optional
            Shown small above the label on every card.
        card_seconds : float
            Length of each title card, in seconds (0 for none).

        Raises
        ------
        MediaError
            A clip is missing or unreadable, there is none, or encoding failed.
        """
        if not items:
            raise MediaError(None, "a montage needs at least one clip")
        if not card_seconds >= 0:
            raise MediaError(None, f"card_seconds must be >= 0, got {card_seconds}")
        key = _key("montage", items, title, card_seconds)
        out = self.folder / f"montage-{key}.mp4"
        if output_exists(out):
            return out
        from probepress.media.compose import write_montage

        return _produce(
            out,
            lambda tmp: write_montage(items, tmp, title=title, card_seconds=card_seconds, name=out),
        )

    def poster_of(self, video: Path) -> Path:
        """A JPEG of ``video``'s first frame, next to it with the same stem.

        Raises
        ------
        MediaError
            The video is missing or ffmpeg cannot read it.
        """
        video = Path(video)
        out = video.with_suffix(".jpg")
        if output_exists(out):
            return out
        _require_file(video)
        return _first_frame_jpeg(video, out)


# Helper functions -------------------------------------------------------------------------


def _is_web_ready(report: StreamReport) -> bool:
    """True if a stream copy of the source plays everywhere and is small enough."""
    return (
        report.codec == "h264"
        and report.profile in _PLAIN_PROFILES
        and report.pixel_format == "yuv420p"
        and report.rotation == 0  # players disagree on honouring the rotation flag
        and report.width % 2 == 0
        and report.height % 2 == 0
        and max(report.width, report.height) <= WEB_LONG_SIDE
        and (report.bitrate_kbps or 0) <= MAX_COPY_KBPS
        and report.audio_codec in (None, "aac")
    )


def _first_frame_jpeg(video: Path, out: Path) -> Path:
    return _produce(
        out,
        lambda tmp: run_ffmpeg(
            video,
            "cannot make a poster",
            "-i",
            video,
            "-frames:v",
            "1",
            "-q:v",
            "3",
            "-update",
            "1",
            "-f",
            "image2",
            tmp,
        ),
    )


def _produce(out: Path, write: Callable[[Path], object]) -> Path:
    """Write ``out`` through ``write(temporary)``; again if its folder vanished meanwhile.

    Raises
    ------
    MediaError
        ``write`` failed, or the folder vanished on the second try as well.
    """
    try:
        with atomic_output(out) as tmp:
            write(tmp)
    except OutputVanished:
        with atomic_output(out) as tmp:  # made again; a second deletion is an error
            write(tmp)
    return out


def _key(kind: str, items: Sequence[MediaItem], title: str | None, *extra: object) -> str:
    """16 hex digits naming a composite or montage: a hash of all that shapes it."""
    spec = [kind, FORMAT_VERSION, [[i.sha256, i.label] for i in items], title, *extra]
    return hashlib.sha256(json.dumps(spec).encode()).hexdigest()[:16]


def _require_file(path: Path) -> None:
    if not Path(path).is_file():
        raise MediaError(path, "file not found")

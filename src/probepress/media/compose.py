"""Side-by-side composites and montages, composed frame by frame with moviepy.

Each source is decoded once, front to back, by an ffmpeg process that already scales
it to its pane (``VideoFileClip(target_resolution=...)``, far faster than resizing in
Python); frames are pasted into a canvas whose label bars and title cards were drawn
once with Pillow, and the result is encoded by ``VideoClip.write_videofile``.
:class:`probepress.media.store.MediaStore` caches the outputs; call it, not this module.
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from moviepy import VideoClip, VideoFileClip
from moviepy.video.io.ffmpeg_reader import ffmpeg_parse_infos
from PIL import Image, ImageDraw, ImageFont

from probepress.media.encoding import H264_FLAGS, PRESET, MediaItem, web_size
from probepress.media.ffmpeg import MediaError, error_line

__all__ = ["composite_layout", "write_composite", "write_montage"]

#: Height of every pane of a composite, in pixels, unless the row would be too wide.
PANE_HEIGHT = 360
#: Widest composite, in pixels; a wider row is scaled down to fit.
MAX_WIDTH = 1920
#: Dark gap between the panes of a composite, in pixels.
GAP = 4
#: Label bar height as a fraction of the pane height (28 px at 360 px).
LABEL_BAR = 0.08
#: Title bar height as a fraction of the pane height (38 px at 360 px).
TITLE_BAR = 0.11
BACKGROUND = (17, 17, 17)
CARD_BACKGROUND = (18, 20, 24)
TEXT = (240, 240, 240)
TITLE_TEXT = (170, 176, 186)


@dataclass(frozen=True)
class Source:
    """A clip as ffmpeg sees it: displayed size (after rotation), frame rate, length."""

    item: MediaItem
    width: int
    height: int
    fps: float
    duration: float

    def frames_at(self, fps: float) -> int:
        """How many frames the clip lasts when sampled at ``fps``."""
        return max(1, math.floor(self.duration * fps + 1e-6))


@dataclass(frozen=True)
class CompositeLayout:
    """Where everything goes in a composite, in pixels from the top left."""

    width: int
    height: int
    pane_height: int
    pane_top: int
    label_top: int
    label_height: int
    title_height: int
    panes: tuple[tuple[int, int], ...]  # (x, width) of each pane


def composite_layout(sizes: Sequence[tuple[int, int]], *, title: bool) -> CompositeLayout:
    """Lay out panes of the given ``(width, height)`` sizes in one row.

    All panes get :data:`PANE_HEIGHT`, or less if the row would exceed :data:`MAX_WIDTH`;
    each keeps its aspect ratio. A label bar runs under the panes, a title bar above
    them when ``title``; every dimension is even, as yuv420p requires.
    """
    gaps = GAP * (len(sizes) - 1)
    aspects = [w / h for w, h in sizes]
    pane_height = min(PANE_HEIGHT, _even((MAX_WIDTH - gaps) / sum(aspects)))
    widths = [_even(pane_height * a) for a in aspects]
    label_height = _even(max(16, pane_height * LABEL_BAR))
    title_height = _even(max(20, pane_height * TITLE_BAR)) if title else 0
    xs = [sum(widths[:i]) + GAP * i for i in range(len(widths))]
    return CompositeLayout(
        width=sum(widths) + gaps,
        height=title_height + pane_height + label_height,
        pane_height=pane_height,
        pane_top=title_height,
        label_top=title_height + pane_height,
        label_height=label_height,
        title_height=title_height,
        panes=tuple(zip(xs, widths, strict=True)),
    )


def write_composite(
    items: Sequence[MediaItem], dest: Path, *, title: str | None, name: Path
) -> None:
    """Encode the clips side by side into ``dest`` (see :func:`composite_layout`).

    The composite runs at the first clip's frame rate and stops with the shortest
    clip: a comparison is only fair while every model is on screen. No audio.
    ``name`` is the final file, for error messages.
    """
    sources = [probe(item) for item in items]
    layout = composite_layout([(s.width, s.height) for s in sources], title=bool(title))
    fps = sources[0].fps
    frames = min(s.frames_at(fps) for s in sources)

    canvas = Image.new("RGB", (layout.width, layout.height), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    if title:
        _draw_text(draw, title, (0, 0, layout.width, layout.title_height), TITLE_TEXT, 0.55)
    for item, (x, width) in zip(items, layout.panes, strict=True):
        box = (x, layout.label_top, x + width, layout.label_top + layout.label_height)
        _draw_text(draw, item.label, box, TEXT, 0.6)
    template = np.asarray(canvas).copy()

    clips: list[VideoFileClip] = []
    try:
        for source, (_, width) in zip(sources, layout.panes, strict=True):
            clips.append(_open(source, (width, layout.pane_height)))
        top, bottom = layout.pane_top, layout.pane_top + layout.pane_height

        def frame_at(t: float) -> np.ndarray:
            frame = template.copy()
            for clip, (x, width) in zip(clips, layout.panes, strict=True):
                frame[top:bottom, x : x + width] = clip.get_frame(t)
            return frame

        _encode(frame_at, frames, fps, dest, name)
    finally:
        for clip in clips:
            clip.close()


def write_montage(
    items: Sequence[MediaItem], dest: Path, *, title: str | None, card_seconds: float, name: Path
) -> None:
    """Encode the clips in sequence into ``dest``, each preceded by a title card.

    Frames have the size of the first clip's web copy; other clips are scaled to fit
    and letterboxed in black. A card is the clip's label (and ``title`` above it, if
    any) on a dark background for ``card_seconds``. The montage runs at the first
    clip's frame rate; no audio. ``name`` is the final file, for error messages.
    """
    sources = [probe(item) for item in items]
    width, height = web_size(sources[0].width, sources[0].height)
    fps = sources[0].fps
    card_frames = round(card_seconds * fps)

    # Segments in play order: (first frame, kind, source index); a card precedes each clip.
    segments: list[tuple[int, str, int]] = []
    start = 0
    for index, source in enumerate(sources):
        if card_frames:
            segments.append((start, "card", index))
            start += card_frames
        segments.append((start, "clip", index))
        start += source.frames_at(fps)
    starts = [s[0] for s in segments]
    cards = [_card(item.label, title, width, height) for item in items] if card_frames else []
    fits = [_fit(s.width, s.height, width, height) for s in sources]
    black = np.zeros((height, width, 3), np.uint8)
    current: dict[int, VideoFileClip] = {}  # at most one clip open at a time

    def frame_at(t: float) -> np.ndarray:
        index = round(t * fps)
        first, kind, which = segments[bisect.bisect_right(starts, index) - 1]
        if kind == "card":
            return cards[which]
        if which not in current:
            for clip in current.values():
                clip.close()
            current.clear()
            current[which] = _open(sources[which], fits[which])
        picture = current[which].get_frame((index - first) / fps)
        w, h = fits[which]
        if (w, h) == (width, height):
            return picture
        x, y = (width - w) // 2, (height - h) // 2
        frame = black.copy()
        frame[y : y + h, x : x + w] = picture
        return frame

    try:
        _encode(frame_at, start, fps, dest, name)
    finally:
        for clip in current.values():
            clip.close()


def probe(item: MediaItem) -> Source:
    """Read a clip's displayed size, frame rate and duration from its header."""
    path = Path(item.path)
    if not path.is_file():
        raise MediaError(path, "file not found")
    try:
        infos = ffmpeg_parse_infos(str(path))
    except (OSError, ValueError, IndexError, KeyError) as error:
        reason = error_line(str(error), path)
        raise MediaError(path, f"cannot read the clip: {reason}") from None
    if not infos.get("video_found"):
        raise MediaError(path, "no video stream")
    width, height = infos["video_size"]
    if abs(infos.get("video_rotation", 0)) in (90, 270):  # ffmpeg rotates when decoding
        width, height = height, width
    fps = infos.get("video_fps") or 0.0
    duration = infos.get("video_duration") or infos.get("duration") or 0.0
    if fps <= 0 or duration <= 0:
        raise MediaError(path, "cannot read the clip: no frame rate or duration in its header")
    return Source(item, width, height, float(fps), float(duration))


# Helper functions -------------------------------------------------------------------------


def _even(value: float) -> int:
    """``value`` rounded down to an even number (at least 2); the epsilon absorbs 639.9999."""
    return max(2, int((value + 1e-6) / 2) * 2)


def _fit(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """Largest even size with the clip's aspect ratio that fits in the box."""
    scale = min(box_width / width, box_height / height)
    return min(box_width, _even(width * scale)), min(box_height, _even(height * scale))


def _open(source: Source, size: tuple[int, int]) -> VideoFileClip:
    """Open a clip for reading, decoded by ffmpeg straight to ``size`` = (width, height)."""
    # "area" averages the pixels a downscale drops (sharper and cheaper than bicubic).
    shrink = size[0] < source.width
    try:
        return VideoFileClip(
            str(source.item.path),
            audio=False,
            target_resolution=size,
            resize_algorithm="area" if shrink else "bicubic",
        )
    except (OSError, ValueError, IndexError, KeyError) as error:
        reason = error_line(str(error), source.item.path)
        raise MediaError(source.item.path, f"cannot read the clip: {reason}") from None


def _encode(
    frame_at: Callable[[float], np.ndarray], frames: int, fps: float, dest: Path, name: Path
) -> None:
    """Write exactly ``frames`` frames of ``frame_at(t)`` as H.264 yuv420p +faststart."""
    # moviepy writes int(duration * fps) frames; half a frame more keeps 143.9999 from
    # losing the last one.
    video = VideoClip(frame_at, duration=(frames + 0.5) / fps)
    try:
        with warnings.catch_warnings():
            # A header that overstates a clip's length makes moviepy warn and repeat the last
            # frame: the right outcome, and not worth a line per frame.
            warnings.simplefilter("ignore", UserWarning)
            video.write_videofile(
                str(dest),
                fps=fps,
                codec="libx264",
                audio=False,
                preset=PRESET,
                ffmpeg_params=H264_FLAGS,
                logger=None,
            )
    except OSError as error:
        raise MediaError(name, f"encoding failed: {error_line(str(error))}") from None
    finally:
        video.close()


def _card(label: str, title: str | None, width: int, height: int) -> np.ndarray:
    """A title card: the label centred on a dark background, the title small above it."""
    card = Image.new("RGB", (width, height), CARD_BACKGROUND)
    draw = ImageDraw.Draw(card)
    line = height // 8
    middle = height // 2
    _draw_text(draw, label, (0, middle - line // 2, width, middle + line // 2), TEXT, 1.0)
    if title:
        box = (0, middle - 2 * line, width, middle - line)
        _draw_text(draw, title, box, TITLE_TEXT, 0.8)
    return np.asarray(card).copy()


def _draw_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    box: tuple[int, int, int, int],
    fill: tuple[int, int, int],
    scale: float,
) -> None:
    """Centre one line of text in ``box``, shrunk (then cut with "…") to fit its width."""
    left, top, right, bottom = box
    room = max(1, right - left - 12)
    size = max(8, round((bottom - top) * scale))
    font = ImageFont.load_default(size=size)
    length = draw.textlength(text, font=font)
    if length > room:  # shrink in one step, down to a legible minimum
        size = max(8, math.floor(size * room / length))
        font = ImageFont.load_default(size=size)
    while len(text) > 1 and draw.textlength(text, font=font) > room:
        text = text[:-2].rstrip() + "…"
    draw.text(((left + right) / 2, (top + bottom) / 2), text, font=font, fill=fill, anchor="mm")

"""Decode a video file with FFmpeg (PyAV) straight to analysis-size frames on disk.

The decoder runs FFmpeg's own threads, each frame is scaled inside FFmpeg's filter
graph (``scale=W:H:flags=area``) while still in its native pixel format, on a thread
beside the decoder's, and only then converted: to luma (``gray``, the decoder's Y
plane in full range) always, to RGB only when a probe asks for colour. Frames go to
:class:`FrameStore` files as they come, so memory does not grow with the clip.
Whatever FFmpeg decodes (H.264, HEVC, VP9, AV1, 10-bit) probepress decodes.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from probepress.video.budget import ClipBudget
from probepress.video.facts import OverBudgetError, VideoError
from probepress.video.store import FrameStore

if TYPE_CHECKING:
    import av

__all__ = ["MIN_FRAMES", "Decoded", "decode_file", "scale_for", "target_size"]

#: Fewest frames of a video probepress measures: every probe differentiates in time.
MIN_FRAMES = 3
# Containers that hold pictures, not video (a PNG renamed .mp4 opens as image2 or png_pipe).
_IMAGE_FORMATS = ("image2", "image2pipe")
_IMAGE_CODECS = ("png", "bmp", "tiff", "webp", "jpegls", "qoi", "ppm", "pgm", "sgi")


@dataclass
class Decoded:
    """Frames and timestamps of one decoded clip.

    Attributes
    ----------
    width, height : int
        Original frame size (px).
    claimed_fps : float
        The stream's stated average rate (0 when none).
    stamps : np.ndarray
        ``(T,)`` presentation time of each frame, seconds, in display order.
    gray, rgb : FrameStore or None
        Analysis-size frames; ``None`` when not asked for.
    scale : float
        Analysis pixels per original pixel.
    """

    width: int
    height: int
    claimed_fps: float
    stamps: np.ndarray
    gray: FrameStore | None
    rgb: FrameStore | None
    scale: float


def scale_for(width: int, height: int, long_side: int | None) -> float:
    """Analysis pixels per original pixel for a long side of at most ``long_side``."""
    if long_side is None or max(width, height) <= long_side:
        return 1.0
    return long_side / max(width, height)


def target_size(width: int, height: int, scale: float) -> tuple[int, int]:
    """``(w, h)`` of a frame scaled by ``scale``, at least one pixel each way."""
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_file(
    path: Path,
    *,
    long_side: int | None,
    colour: bool = True,
    budget: ClipBudget | None = None,
    frame_dir: Path | None = None,
) -> Decoded:
    """Decode ``path``; ``long_side=None`` only counts frames and reads their times.

    Raises
    ------
    VideoError
        Missing, empty, corrupt, truncated, a still image, too short, or over budget.
    """
    # PyAV is imported here, not with the module: a warm site build, which imports the
    # probes but decodes nothing, is spared its 0.1-0.15 s.
    import av

    budget = budget or ClipBudget()
    if not path.is_file():
        raise VideoError(path, "file not found")
    if path.stat().st_size == 0:
        raise VideoError(path, "file is empty")
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeDecodeError) as error:
        raise VideoError(
            path, f"not a video FFmpeg can open (corrupt or unsupported): {error}"
        ) from None
    with container:
        if not container.streams.video:
            raise VideoError(path, "has no video stream (audio only, or not a video)")
        stream = container.streams.video[0]
        _refuse_still_image(path, container, stream)
        stated = _stated_seconds(container, stream)
        if stated and (why := budget.refusal(stated)):
            raise OverBudgetError(path, why)
        stream.thread_type = "AUTO"  # FFmpeg's frame and slice threads
        decoded = _read(path, container, stream, long_side, colour, budget, frame_dir)
        _check_complete(path, stream, decoded)
    return decoded


def _read(path, container, stream, long_side, colour, budget, frame_dir) -> Decoded:
    import av

    # FFmpeg's best guess (it reads the codec's timing too: a raw H.264 stream has no
    # container rate, and its nominal average_rate is a 25 fps default).
    claimed = float(stream.guessed_rate or stream.average_rate or 0)
    stamps: list[float] = []
    frames: _AnalysisFrames | None = None
    width = height = 0
    scale = 1.0
    failure = None
    try:
        for frame in container.decode(stream):
            if not stamps:
                width, height = frame.width, frame.height
                if long_side is not None:
                    scale = scale_for(width, height, long_side)
                    frames = _AnalysisFrames(
                        frame, stream, target_size(width, height, scale), colour, frame_dir
                    )
            stamps.append(_time_of(frame, len(stamps), claimed))
            if (why := budget.refusal(stamps[-1] - stamps[0])) is not None:
                raise OverBudgetError(path, why)
            if frames is not None:
                if (frame.width, frame.height) != (width, height):
                    raise VideoError(
                        path,
                        f"the frame size changes from {width}x{height} to {frame.width}x"
                        f"{frame.height} at frame {len(stamps) - 1}; re-encode it at one size",
                    )
                frames.add(frame)
    except av.error.FFmpegError as error:
        failure = error
    finally:
        if frames is not None:
            frames.finish()
    if failure is not None and len(stamps) >= MIN_FRAMES:
        raise VideoError(
            path, f"truncated or corrupt: decoding stopped after {len(stamps)} frames ({failure})"
        )
    gray = frames.gray if frames else None
    rgb = frames.rgb if frames else None
    return Decoded(width, height, claimed, np.asarray(stamps), gray, rgb, scale)


class _AnalysisFrames:
    """Scales and converts decoded frames on a thread of its own, into the stores.

    FFmpeg's decoder threads keep decoding while this thread scales the previous
    frames (PyAV releases the GIL inside FFmpeg), so the scaler's cost, as large as
    the decode's own at 720p, overlaps it instead of adding to it. One thread, so
    frames reach the stores in decode order, and the pixels are the same as
    converting in line; a few frames in flight bound the memory.
    """

    _IN_FLIGHT = 4

    def __init__(self, first: av.VideoFrame, stream, size: tuple[int, int], colour, frame_dir):
        from av.video.reformatter import VideoReformatter

        self.scaler = _Scaler(first, stream, size) if size != (first.width, first.height) else None
        self.gray = FrameStore((size[1], size[0]), directory=frame_dir)
        self.rgb = FrameStore((size[1], size[0], 3), directory=frame_dir) if colour else None
        # One converter each, reused: a fresh one per frame costs more than the decode.
        self.to_gray, self.to_rgb = VideoReformatter(), VideoReformatter()
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="probepress-scale")
        self.pending: deque[Future] = deque()

    def add(self, frame: av.VideoFrame) -> None:
        """Queue one frame; waits for the oldest while too many are in flight."""
        if len(self.pending) >= self._IN_FLIGHT:
            self.pending.popleft().result()
        self.pending.append(self.worker.submit(self._convert, frame))

    def finish(self) -> None:
        """Wait for every queued frame (re-raising a conversion's error) and stop."""
        try:
            while self.pending:
                self.pending.popleft().result()
        finally:
            self.worker.shutdown(cancel_futures=True)

    def _convert(self, frame: av.VideoFrame) -> None:
        small = self.scaler(frame) if self.scaler else frame
        self.gray.append(self.to_gray.reformat(small, format="gray").to_ndarray())
        if self.rgb is not None:
            self.rgb.append(self.to_rgb.reformat(small, format="rgb24").to_ndarray())


class _Scaler:
    """One FFmpeg filter graph, ``scale=W:H:flags=area``, fed frame by frame."""

    def __init__(self, first: av.VideoFrame, stream: av.video.stream.VideoStream, size):
        import av

        self.graph = av.filter.Graph()
        source = self.graph.add_buffer(
            width=first.width,
            height=first.height,
            format=first.format.name,
            time_base=stream.time_base or first.time_base,
        )
        scale = self.graph.add("scale", f"{size[0]}:{size[1]}:flags=area")
        sink = self.graph.add("buffersink")
        source.link_to(scale)
        scale.link_to(sink)
        self.graph.configure()

    def __call__(self, frame: av.VideoFrame) -> av.VideoFrame:
        self.graph.push(frame)
        return self.graph.pull()  # scale gives one frame for one frame, at once


def _time_of(frame: av.VideoFrame, index: int, claimed_fps: float) -> float:
    """Presentation time (s); frames without one are placed at the stated rate."""
    if frame.time is not None:
        return float(frame.time)
    return index / claimed_fps if claimed_fps > 0 else float(index)


def _stated_seconds(container: av.container.InputContainer, stream) -> float:
    """The duration the container states for the video, 0.0 when it states none."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        import av

        return container.duration / av.time_base
    return 0.0


def _refuse_still_image(path: Path, container, stream) -> None:
    codec = stream.codec_context.name
    if container.format.name in _IMAGE_FORMATS or container.format.name.endswith("_pipe"):
        kind = codec.upper() if codec else container.format.name
        raise VideoError(
            path,
            f"is a still image ({kind}), not a video: probes need at least {MIN_FRAMES} "
            "frames; give the video file itself",
        )
    if codec in _IMAGE_CODECS and (stream.frames or 0) <= 1:
        raise VideoError(
            path,
            f"holds a single {codec.upper()} picture, not a video: probes need at least "
            f"{MIN_FRAMES} frames",
        )


def _check_complete(path: Path, stream, decoded: Decoded) -> None:
    count = len(decoded.stamps)
    if count == 0:
        raise VideoError(path, "no decodable frames (corrupt, truncated or not a video)")
    listed = stream.frames or 0
    if listed > 0 and count < 0.9 * listed:
        raise VideoError(
            path, f"truncated: the container lists {listed} frames, only {count} decode"
        )
    if count < MIN_FRAMES:
        raise VideoError(
            path,
            f"has {count} frame{'s' if count != 1 else ''}; probepress measures videos of "
            f"at least {MIN_FRAMES} frames (export a longer clip)",
        )

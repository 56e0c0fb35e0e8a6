"""Whatever FFmpeg decodes probepress decodes; stills and too-short clips are refused."""

from __future__ import annotations

import subprocess

import imageio_ffmpeg
import numpy as np
import pytest

from probepress.synth.encode import write_mp4
from probepress.video.decode import VideoError, open_clip, probe_info
from probepress.video.stream import MIN_FRAMES

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def _ffmpeg(*args: str) -> None:
    subprocess.run([FFMPEG, "-v", "error", "-y", *args], check=True)


def _testsrc(path, codec_args: list[str], *, frames: int = 12, size: str = "320x180"):
    source = f"testsrc2=size={size}:rate=24"
    _ffmpeg("-f", "lavfi", "-i", source, "-frames:v", str(frames), *codec_args, str(path))
    return path


@pytest.fixture(scope="module")
def h264(tmp_path_factory):
    folder = tmp_path_factory.mktemp("codecs")
    return _testsrc(folder / "h264.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p"])


@pytest.mark.parametrize(
    ("name", "codec_args"),
    [
        ("av1.webm", ["-c:v", "libaom-av1", "-cpu-used", "8", "-pix_fmt", "yuv420p"]),
        ("vp9.webm", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-pix_fmt", "yuv420p"]),
        ("hevc.mp4", ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=0"]),
        ("h264-10bit.mp4", ["-c:v", "libx264", "-pix_fmt", "yuv420p10le"]),
        ("vp9-10bit.webm", ["-c:v", "libvpx-vp9", "-profile:v", "2", "-pix_fmt", "yuv420p10le"]),
    ],
)
def test_codecs_ffmpeg_decodes_give_the_same_frames_as_h264(tmp_path, h264, name, codec_args):
    clip = open_clip(_testsrc(tmp_path / name, codec_args))
    reference = open_clip(h264)
    assert clip.info.frames == 12
    assert (clip.info.width, clip.info.height) == (320, 180)
    assert clip.info.fps == pytest.approx(24.0)
    # The same test pattern through another lossy codec: the same picture, not noise.
    difference = np.abs(clip.gray[6].astype(int) - reference.gray[6].astype(int))
    assert np.median(difference) <= 3


def test_a_png_renamed_mp4_is_refused_as_a_still_image(tmp_path):
    path = tmp_path / "photo.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x36", "-frames:v", "1", "-f", "image2",
            "-c:v", "png", str(path))  # fmt: skip
    with pytest.raises(VideoError) as caught:
        open_clip(path)
    assert str(path) in str(caught.value)
    assert "still image (PNG)" in caught.value.reason
    assert f"at least {MIN_FRAMES} frames" in caught.value.reason


@pytest.mark.parametrize("frames", [1, MIN_FRAMES - 1])
def test_a_video_too_short_to_measure_says_how_many_frames_are_needed(tmp_path, frames):
    path = _testsrc(tmp_path / "short.mp4", ["-c:v", "libx264"], frames=frames)
    for read in (open_clip, probe_info):
        with pytest.raises(VideoError) as caught:
            read(path)
        assert f"has {frames} frame" in caught.value.reason
        assert f"at least {MIN_FRAMES} frames" in caught.value.reason


def test_luma_only_decoding_keeps_no_colour_frames(h264):
    clip = open_clip(h264, colour=False)
    assert clip.gray.shape == (12, 180, 320)
    with pytest.raises(RuntimeError, match="needs_colour"):
        clip.rgb  # noqa: B018


def test_luma_is_the_same_whether_or_not_colour_is_decoded(h264):
    # Probes of one clip share the cache whichever set of probes decoded it.
    assert np.array_equal(
        np.asarray(open_clip(h264, colour=False).gray), np.asarray(open_clip(h264).gray)
    )


def test_a_clip_whose_frame_size_changes_is_refused_with_where(tmp_path):
    small = _testsrc(tmp_path / "a.ts", ["-c:v", "libx264"], size="160x90")
    large = _testsrc(tmp_path / "b.ts", ["-c:v", "libx264"], size="320x180")
    joined = tmp_path / "joined.ts"  # MPEG-TS streams concatenate byte for byte
    joined.write_bytes(small.read_bytes() + large.read_bytes())
    with pytest.raises(VideoError) as caught:
        open_clip(joined)
    assert "frame size changes from 160x90 to 320x180 at frame 12" in caught.value.reason


def test_frames_scaled_on_the_worker_thread_reach_the_stores_in_decode_order(tmp_path):
    # Each frame a distinct flat grey, so a frame stored out of order or twice shows.
    levels = [40 + 4 * i for i in range(48)]
    path = tmp_path / "ramp.mp4"
    write_mp4(path, (np.full((360, 640, 3), v, np.uint8) for v in levels), fps=24, crf=0)
    clip = open_clip(path, long_side=160)
    assert clip.gray.shape == (48, 90, 160)
    means = [float(np.mean(frame)) for frame in clip.gray]
    rgb_means = [float(np.mean(frame)) for frame in clip.rgb]
    # Full-range luma of a flat frame is its level (give or take the encoder's rounding).
    assert np.allclose(means, levels, atol=1.5)
    assert np.allclose(rgb_means, levels, atol=1.5)

"""Clips decode once, with the right facts, and bad files fail with a clear reason."""

from __future__ import annotations

import numpy as np
import pytest

from probepress.synth.encode import write_mp4
from probepress.video.decode import VideoError, clip_from_array, file_sha256, open_clip, probe_info


def _frames(count: int = 30, height: int = 360, width: int = 640) -> np.ndarray:
    rng = np.random.default_rng(1)
    base = rng.integers(0, 255, (height // 8, width // 8, 3), dtype=np.uint8)
    big = np.kron(base, np.ones((8, 8, 1), dtype=np.uint8))
    return np.stack([np.roll(big, 2 * i, axis=1) for i in range(count)])


@pytest.fixture(scope="module")
def mp4(tmp_path_factory):
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    write_mp4(path, _frames(), fps=24, crf=23)
    return path


def test_open_clip_reports_original_size_fps_frames_and_hash(mp4):
    clip = open_clip(mp4)
    assert (clip.info.width, clip.info.height) == (640, 360)
    assert clip.info.fps == pytest.approx(24.0)
    assert clip.info.frames == 30
    assert clip.info.sha256 == file_sha256(mp4)
    assert clip.info.duration == pytest.approx(30 / 24)


def test_frames_are_downscaled_to_the_analysis_long_side(mp4):
    clip = open_clip(mp4, long_side=320)
    assert clip.rgb.shape == (30, 180, 320, 3)
    assert clip.scale == pytest.approx(0.5)
    assert clip.to_original(100.0) == pytest.approx(200.0)
    assert clip.gray.shape == (30, 180, 320)


def test_small_clips_are_not_upscaled(mp4):
    clip = open_clip(mp4, long_side=1000)
    assert clip.rgb.shape[1:3] == (360, 640)
    assert clip.scale == 1.0


def test_probe_info_matches_open_clip(mp4):
    assert probe_info(mp4) == open_clip(mp4).info


def test_fps_is_read_from_the_stream(tmp_path):
    path = tmp_path / "thirty.mp4"
    write_mp4(path, _frames(60), fps=30, crf=23)
    assert open_clip(path).info.fps == pytest.approx(30.0, rel=0.01)


@pytest.mark.parametrize(
    ("claimed", "last_frame_ms", "expected"),
    [
        (24.0, 59 / 24 * 1000, 24.0),  # claim and timestamps agree
        (24.0, 59 / 30 * 1000, 30.0),  # a 30 fps stream mislabelled 24: timestamps win
        (0.0, 59 / 25 * 1000, 25.0),  # no claim at all
        (90000.0, 59 / 25 * 1000, 25.0),  # a time base reported as a frame rate
        (0.0, 0.0, 0.0),  # nothing usable: the caller reports the clip
    ],
)
def test_frame_rate_falls_back_to_timestamps_when_the_claim_is_wrong(
    claimed, last_frame_ms, expected
):
    from probepress.video.decode import _trusted_fps

    assert _trusted_fps(claimed, 60, last_frame_ms) == pytest.approx(expected, rel=1e-3)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty"),
        (b"this is not a video at all" * 100, "corrupt"),
    ],
)
def test_unreadable_files_raise_video_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.mp4"
    path.write_bytes(content)
    with pytest.raises(VideoError) as caught:
        open_clip(path)
    assert str(path) in str(caught.value)
    assert reason in caught.value.reason


def test_truncated_file_is_reported_not_half_read(tmp_path, mp4):
    path = tmp_path / "truncated.mp4"
    path.write_bytes(mp4.read_bytes()[: mp4.stat().st_size // 3])
    with pytest.raises(VideoError) as caught:
        open_clip(path)
    assert "truncated" in caught.value.reason or "no decodable frames" in caught.value.reason


def test_missing_file_raises_video_error(tmp_path):
    with pytest.raises(VideoError, match="file not found"):
        open_clip(tmp_path / "nope.mp4")


def test_clip_from_array_hashes_pixels_and_keeps_them():
    frames = _frames(5, 90, 160)
    clip = clip_from_array(frames, fps=12)
    assert np.array_equal(clip.rgb, frames)
    assert clip.info.sha256 == clip_from_array(frames.copy(), fps=12).info.sha256
    assert clip.info.sha256 != clip_from_array(frames[::-1], fps=12).info.sha256


def test_clip_from_array_rejects_gray_frames():
    with pytest.raises(VideoError, match=r"expected \(T, H, W, 3\)"):
        clip_from_array(np.zeros((4, 10, 10), np.uint8), fps=24)

"""A clip over the budget is refused by name with what to do; one within it decodes."""

from __future__ import annotations

import subprocess

import imageio_ffmpeg
import pytest

from probepress.video.budget import DEFAULT_MAX_SECONDS, ClipBudget
from probepress.video.decode import VideoError, open_clip, probe_info


def _pattern(path, seconds: float, fmt_args: tuple[str, ...] = ()):
    """A tiny moving test pattern, 4 fps, fast to encode however long."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi"]
    command += ["-i", f"testsrc2=size=64x36:rate=4:duration={seconds}"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", *fmt_args, str(path)]
    subprocess.run(command, check=True)
    return path


@pytest.fixture(scope="module")
def eleven_minutes(tmp_path_factory):
    return _pattern(tmp_path_factory.mktemp("budget") / "long.mp4", 660)


def test_the_default_budget_refuses_a_clip_longer_than_ten_minutes(eleven_minutes):
    assert DEFAULT_MAX_SECONDS == 600
    for read in (open_clip, probe_info):
        with pytest.raises(VideoError) as caught:
            read(eleven_minutes)
        message = str(caught.value)
        assert message.startswith(str(eleven_minutes))
        assert "660.0 s long, over the budget of 600 s per clip" in message
        assert "ffmpeg -i IN -t 600" in message and "max_clip_seconds" in message


def test_a_raised_budget_accepts_the_long_clip(eleven_minutes):
    clip = open_clip(eleven_minutes, budget=ClipBudget(max_seconds=700))
    assert clip.info.frames == 660 * 4
    assert clip.times[-1] == pytest.approx(659.75)


def test_a_clip_without_a_stated_duration_is_stopped_while_decoding(tmp_path):
    # A raw H.264 stream states no duration: the budget is checked frame by frame.
    path = _pattern(tmp_path / "raw.h264", 30, ("-f", "h264"))
    with pytest.raises(VideoError, match=r"over the budget of 10 s"):
        open_clip(path, budget=ClipBudget(max_seconds=10))


def test_no_budget_means_no_limit():
    assert ClipBudget(max_seconds=None).refusal(1e6) is None
    assert ClipBudget(max_seconds=5).refusal(5.0) is None

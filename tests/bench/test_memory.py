"""The memory bench measures a real probepress probe run in a child process."""

from __future__ import annotations

from probepress.bench.memory import peak_rss_of_probe, render_pattern


def test_peak_memory_is_that_of_a_child_that_probed_the_clip(tmp_path):
    clip = render_pattern(tmp_path / "pattern.mp4", 2, size="160x90", fps=12)
    peak_mb, seconds, status = peak_rss_of_probe(clip)
    # 1: some probe finds nothing on a test pattern; 2 would be bad usage or a crash.
    assert status in (0, 1)
    # The child imported numpy, OpenCV and PyAV and decoded frames: tens of MB at least.
    assert 40 < peak_mb < 2000
    assert seconds > 0

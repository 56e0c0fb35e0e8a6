"""The single-clip section of ``probepress bench`` on a short clip: every row, both clocks."""

from __future__ import annotations

import re

from probepress.bench.probes import _single_clip_section, make_bench_clip


def test_single_clip_section_reports_wall_and_cpu_ratios(tmp_path):
    clip = make_bench_clip(tmp_path / "bench.mp4", width=320, height=180, seconds=2)
    lines = _single_clip_section(clip, repeats=1, say=lambda _: None)
    text = "\n".join(lines)
    assert "`ffmpeg -threads 1 -i clip -f null -` (the limit)" in text
    assert re.search(r"All scene probes / ffmpeg: \d+\.\d\dx", text)
    cpu = re.search(r"in CPU time .*: ffmpeg (\d+\.\d+) s, all scene probes (\d+\.\d+) s", text)
    assert cpu, text
    # ffmpeg ran as a child process: its CPU time is counted, not lost.
    assert float(cpu.group(1)) > 0
    assert float(cpu.group(2)) > 0
    # A probe refusing the panning clip is listed with its share of the decode.
    assert "fail-fast: `shadow`" in text
    # Each missed target's gap is split into measured parts, in units of ffmpeg's decode.
    parts = dict(
        re.findall(
            r"\| (decode to 480 px luma \+ RGB|camera path|point tracks)"
            r"[^|]* \| \d+\.\d+ \| (\d+\.\d\d) \|",
            text,
        )
    )
    assert set(parts) == {"decode to 480 px luma + RGB", "camera path", "point tracks"}, text
    assert all(float(ratio) > 0 for ratio in parts.values())
    if re.search(r"All scene probes / ffmpeg: .*misses", text):
        assert "the gap to 1.5x: decoding to analysis size alone is" in text

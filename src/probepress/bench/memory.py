"""Peak memory of ``probepress probe`` against clip length, measured in a child process.

Each length gets a 1920x1080, 30 fps H.264 clip rendered by the bundled ffmpeg: a still
frame of FFmpeg's ``testsrc2`` pattern (a textured background, so the camera reads as
still and the object probes run their full passes) with a small moving ``testsrc2``
swinging across it; ``probepress probe CLIP --no-cache
--workers 1`` runs in a child whose peak resident memory (``ru_maxrss`` from
``wait4``) is the number reported. Targets: the 600 s clip under 1 GB, and within
1.3x of the 20 s clip's peak.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg

__all__ = ["LENGTHS", "memory_section"]

#: Clip lengths measured, in seconds.
LENGTHS = (20, 60, 180, 600)
PEAK_TARGET_MB = 1024.0
GROWTH_TARGET = 1.3

_PROBE = "import sys; from probepress.cli import main; sys.exit(main(sys.argv[1:]))"


def render_pattern(path: Path, seconds: int, *, size: str = "1920x1080", fps: int = 30) -> Path:
    """A still textured scene with a moving patch, ``seconds`` s of H.264 (ultrafast)."""
    width, height = (int(n) for n in size.split("x"))
    patch = f"{width // 4}x{height // 4}"
    scene = (
        f"testsrc2=size={size}:rate={fps},trim=end_frame=1,loop=loop=-1:size=1,"
        f"setpts=N/{fps}/TB,trim=duration={seconds}[still];"
        f"testsrc2=size={patch}:rate={fps}:duration={seconds}[patch];"
        f"[still][patch]overlay=x='{width * 3 // 8}+{width // 6}*sin(t)':y={height * 3 // 8}"
    )
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i"]
    command += [scene]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "28", "-pix_fmt", "yuv420p"]
    subprocess.run([*command, str(path)], check=True)
    return path


def peak_rss_of_probe(clip: Path) -> tuple[float, float, int]:
    """``(peak MB, wall seconds, exit status)`` of ``probepress probe clip`` in a child."""
    command = [sys.executable, "-c", _PROBE, "probe", str(clip), "--no-cache", "--workers", "1"]
    command += ["--max-seconds", "100000"]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss / 1024.0, time.perf_counter() - started, child.returncode


def memory_section(scratch: Path, say: Callable, lengths: tuple[int, ...] = LENGTHS) -> list[str]:
    """The Markdown section: one row per length, peak RSS and its ratio to the shortest."""
    rows, first = [], None
    for seconds in lengths:
        say(f"rendering a {seconds} s 1080p clip and probing it in a child process ...")
        clip = render_pattern(scratch / f"pattern-{seconds}s.mp4", seconds)
        load = os.getloadavg()[0]
        peak, wall, status = peak_rss_of_probe(clip)
        clip.unlink()
        first = first or peak
        rows.append(
            f"| {seconds} | {seconds * 30} | {peak:.0f} | {peak / first:.2f} | {wall:.0f} | "
            f"{status} | {load:.1f} |"
        )
    last_peak = float(rows[-1].split("|")[3]) if rows else 0.0
    ratio = last_peak / first if first else 0.0
    verdict = "meets" if last_peak < PEAK_TARGET_MB and ratio <= GROWTH_TARGET else "misses"
    return [
        "## Peak memory of `probepress probe` against clip length (1920x1080, 30 fps)",
        "",
        "Every probe that needs no reference, `--no-cache --workers 1`, in a child process "
        "(exit status 1 = some probe found nothing on the test pattern, as expected).",
        "",
        "| seconds | frames | peak RSS MB | x shortest | wall s | exit | load (1 min) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Longest clip: **{last_peak:.0f} MB, {ratio:.2f}x the shortest** ({verdict} the "
        f"targets: under {PEAK_TARGET_MB:.0f} MB and within {GROWTH_TARGET}x).",
        "",
    ]

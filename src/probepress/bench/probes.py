"""``probepress bench``: how fast decoding, each probe, the cache and the pool are.

Speed targets live here, not in timed tests. The report is Markdown, so it can be
pasted into an issue note as it is.

Measured, on a 1280x720, 10 s, 30 fps H.264 clip rendered for the purpose:
decode-only time (the ceiling for any probe that reads every frame), each probe's time
on the decoded frames, all probes on one clip and the ratio all / decode-only (target at
most 2.0); then, on the 20 synthetic demo clips, a cold against a warm cache and one
worker against all cores.
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from probepress.measure.cache import ResultCache
from probepress.measure.runner import Job, run_probes
from probepress.probes import PROBES
from probepress.synth.encode import write_mp4
from probepress.video.decode import Clip, open_clip

__all__ = ["make_bench_clip", "run_bench"]

RATIO_TARGET = 2.0


def make_bench_clip(
    path: Path, *, width: int = 1280, height: int = 720, fps: int = 30, seconds: int = 10
) -> Path:
    """Render a busy clip: a panning textured ground, a falling ball, slight flicker."""
    rng = np.random.default_rng(7)
    texture = rng.integers(40, 215, (height // 16 + 1, (width + fps * seconds * 3) // 16 + 1, 3))
    texture = cv2.resize(
        texture.astype(np.uint8), None, fx=16, fy=16, interpolation=cv2.INTER_CUBIC
    )
    count = fps * seconds

    def frames():
        for i in range(count):
            t = i / fps
            frame = texture[:height, 3 * i : 3 * i + width].copy()
            y = int(60 + 0.5 * 900 * (t % 1.2) ** 2)
            cv2.circle(frame, (width // 2 + int(80 * t), y), 28, (250, 90, 40), -1, cv2.LINE_AA)
            gain = 1.0 + 0.01 * np.sin(2 * np.pi * 3 * t)
            yield np.clip(frame * gain, 0, 255).astype(np.uint8)

    write_mp4(path, frames(), fps=fps, crf=23)
    return path


def run_bench(
    out: Path, *, repeats: int = 3, demo_clips: Path | None = None, say: Callable = print
) -> str:
    """Run every measurement, write the Markdown report to ``out`` and return it."""
    with tempfile.TemporaryDirectory(prefix="probepress-bench-") as scratch:
        scratch_dir = Path(scratch)
        say("rendering the 1280x720 benchmark clip ...")
        clip_path = make_bench_clip(scratch_dir / "bench.mp4")
        lines = _header(clip_path)
        lines += _single_clip_section(clip_path, repeats, say)
        lines += _own_scene_section(scratch_dir, repeats, say)
        if demo_clips is None:
            from probepress import synth

            say("rendering the 20 demo clips ...")
            demo_clips = scratch_dir / "demo"
            synth.generate(demo_clips, seed=0)
        lines += _many_clips_section(demo_clips, scratch_dir, say)
    report = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report


def _header(clip_path: Path) -> list[str]:
    return [
        "# probepress benchmark",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, OpenCV {cv2.__version__}, NumPy {np.__version__}",
        f"- clip: 1280x720, 10 s, 30 fps, H.264 CRF 23, {clip_path.stat().st_size / 1e6:.1f} MB",
        "- times are the median of repeated runs, in seconds, one process unless stated;",
        "  each probe alone starts from decoded frames with nothing cached on them",
        "",
    ]


def _median_time(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _single_clip_section(clip_path: Path, repeats: int, say: Callable) -> list[str]:
    say("timing decode ...")
    decode = _median_time(lambda: open_clip(clip_path), repeats)
    raw = _median_time(lambda: _raw_decode(clip_path), repeats)
    clip = open_clip(clip_path)

    def fresh_gray() -> np.ndarray:
        clip.__dict__.pop("gray", None)  # drop the cached_property value to time it again
        return clip.gray

    gray = _median_time(fresh_gray, repeats)
    rows = [
        ("decode only (hash, decode, resize to 480 px)", decode),
        ("raw decode at 1280x720 (OpenCV, no resize)", raw),
        ("luma conversion (shared by all probes)", gray),
    ]
    probe_total = 0.0

    def fresh() -> Clip:
        """The decoded frames without anything a probe cached on them (tracks, masks)."""
        copy = Clip(info=clip.info, rgb=clip.rgb, scale=clip.scale)
        copy.__dict__["gray"] = clip.gray
        return copy

    for name, probe in PROBES.items():
        say(f"timing {name} ...")

        def once(p=probe) -> object:
            target = fresh()
            return p.run(target, reference=fresh() if p.needs_reference else None)

        seconds = _median_time(once, repeats)
        ok = bool(once())
        rows.append((f"probe `{name}`" + ("" if ok else " (failed on this clip)"), seconds))
        probe_total += seconds

    def everything() -> None:
        fresh = open_clip(clip_path)
        for probe in PROBES.values():
            probe.run(fresh, reference=fresh if probe.needs_reference else None)

    say("timing all probes together ...")
    together = _median_time(everything, repeats)
    ratio = together / decode
    verdict = "meets" if ratio <= RATIO_TARGET else "misses"
    rows.append(("all probes on one clip, decode included", together))
    lines = ["## One clip", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| {label} | {seconds:.3f} |" for label, seconds in rows]
    lines += [
        "",
        f"Sum of the probes alone: {probe_total:.3f} s. **Ratio all-probes / decode-only: "
        f"{ratio:.2f}** ({verdict} the target of {RATIO_TARGET:.1f}).",
        "",
    ]
    return lines


#: The synthetic scene each probe is made for (and the variant compared, for motion_mask).
_OWN_SCENE = {
    "rotation": "star-trails",
    "reflection": "train-lake",
    "shadow": "sun-shadows",
    "gravity": "ball-drop",
    "motion": "creature",
    "flicker": "creature",
    "motion_mask": "ball-drop",
}


def _own_scene_section(scratch: Path, repeats: int, say: Callable) -> list[str]:
    """Each probe on a clip it measures: its synth scene upscaled to 1280x720 H.264."""
    from probepress.synth import SCENES, render_frames

    rows, decode_total, probe_total = [], 0.0, 0.0
    for name, scene in _OWN_SCENE.items():
        say(f"timing {name} on {scene} at 1280x720 ...")
        path = scratch / f"{scene}-720p.mp4"
        if not path.exists():
            frames = render_frames(scene, "reference")
            big = (cv2.resize(f, (1280, 720), interpolation=cv2.INTER_CUBIC) for f in frames)
            write_mp4(path, big, fps=SCENES[scene].fps, crf=23)
        decode = _median_time(lambda p=path: open_clip(p), repeats)
        clip = open_clip(path)
        probe = PROBES[name]

        def once(p=probe, c=clip) -> object:
            fresh = Clip(info=c.info, rgb=c.rgb, scale=c.scale)
            return p.run(fresh, reference=fresh if p.needs_reference else None)

        seconds = _median_time(once, repeats)
        measured = "measures" if once() else "fails"
        rows.append(
            f"| `{name}` | {scene} | {clip.info.frames} | {decode:.3f} | {seconds:.3f} | "
            f"{seconds / decode:.2f} | {measured} |"
        )
        decode_total += decode
        probe_total += seconds
    return [
        "## Each probe on the scene it is made for (1280x720 H.264, 24 fps, 6 s)",
        "",
        "| probe | scene | frames | decode s | probe s | probe / decode | result |",
        "|---|---|---:|---:|---:|---:|---|",
        *rows,
        "",
        f"Over the seven: probes {probe_total:.2f} s against decoding {decode_total:.2f} s "
        f"(**{probe_total / decode_total:.2f}x decode**, i.e. decode plus every probe on "
        f"its own clip is {(probe_total + decode_total) / decode_total:.2f}x decode-only).",
        "",
    ]


def _raw_decode(path: Path) -> int:
    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.grab():
        capture.retrieve()
        count += 1
    capture.release()
    return count


def _many_clips_section(demo_clips: Path, scratch: Path, say: Callable) -> list[str]:
    from probepress.synth import SCENES

    clips = sorted(demo_clips.rglob("*.mp4"))
    # Each clip gets its scene's probes, as a site build asks for them.
    jobs = [Job(clip=c, probes=SCENES[c.parent.name].probes) for c in clips]
    probe_count = sum(len(job.probes) for job in jobs)
    cores = os.cpu_count() or 1
    rows = []
    for label, workers in (("1 worker", 1), (f"all cores ({cores} workers)", 0)):
        say(f"cold run, {label} ...")
        with ResultCache(scratch / f"cache-{workers}") as cache:
            cold = run_probes(jobs, cache=cache, workers=workers, progress=False)
            warm = run_probes(jobs, cache=cache, workers=workers, progress=False)
        rows.append((label, cold, warm))
    lines = [
        f"## {len(clips)} demo clips, their scenes' probes ({probe_count} in all)",
        "",
        "| workers | cold cache | warm cache | probes run (cold) | cached (warm) | failed |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, cold, warm in rows:
        lines.append(
            f"| {label} | {cold.seconds:.2f} s | {warm.seconds:.3f} s | {cold.run} | "
            f"{warm.cached} | {cold.failed} |"
        )
    speedup = rows[0][1].seconds / rows[1][1].seconds
    lines += ["", f"Speed-up from the pool: {speedup:.2f}x.", ""]
    return lines

"""``probepress bench``: how fast decoding, each probe, the cache and the pool are.

Speed targets live here, not in timed tests. The report is Markdown, so it can be
pasted into an issue note as it is.

Measured, on a 1280x720, 20 s, 30 fps H.264 clip rendered for the purpose, against
``ffmpeg -threads 1 -i clip -f null -`` (decoding alone, the limit): all scene probes,
decode included (target 1.5x), ``--probe flicker`` (target 1.1x), each probe alone and
how fast a probe that finds nothing gives up (target under 5 % of the decode); each
probe on the synthetic scene it is made for; on the 20 synthetic demo clips, a cold
against a warm cache and one worker against all cores; and the peak memory of
``probepress probe`` against clip length (:mod:`probepress.bench.memory`). The machine
is shared: every section notes the load average it ran under.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import imageio_ffmpeg
import numpy as np

from probepress.bench.memory import memory_section
from probepress.measure.cache import ResultCache
from probepress.measure.runner import Job, run_probes
from probepress.probes import PROBES
from probepress.probes.tracks import clip_tracks
from probepress.synth.encode import write_mp4
from probepress.video.camera import camera_motion
from probepress.video.decode import Clip, open_clip

__all__ = ["make_bench_clip", "run_bench"]

ALL_TARGET = 1.5  # all scene probes, decode included, over ffmpeg's decode
FLICKER_TARGET = 1.1  # flicker alone, decode included, over ffmpeg's decode
FAIL_FAST_TARGET = 0.05  # a probe that finds nothing, over the decode


def make_bench_clip(
    path: Path, *, width: int = 1280, height: int = 720, fps: int = 30, seconds: int = 20
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
        lines += memory_section(scratch_dir, say)
    report = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report


def _header(clip_path: Path) -> list[str]:
    return [
        "# probepress benchmark",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, OpenCV {cv2.__version__}, NumPy {np.__version__}, "
        f"PyAV {av_version()}",
        f"- load average at the start (1, 5, 15 min): {_load()} on {os.cpu_count()} cores "
        "(the machine is shared: times are as measured under that load)",
        f"- clip: 1280x720, 20 s, 30 fps, H.264 CRF 23, {clip_path.stat().st_size / 1e6:.1f} MB",
        "- times are the median of repeated runs, in seconds, one process unless stated;",
        "  each probe alone starts from decoded frames with nothing cached on them",
        "",
    ]


def _median_time(action: Callable[[], object], repeats: int) -> float:
    return _median_cost(action, repeats)[0]


def _median_cost(action: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median wall time and median CPU time (all threads, and child processes), seconds.

    The machine is shared: wall time is what the targets name, CPU time is what the
    work costs whatever else runs beside it.
    """
    walls, cpus = [], []
    for _ in range(repeats):
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        action()
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu_seconds() - cpu_before)
    return statistics.median(walls), statistics.median(cpus)


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _single_clip_section(clip_path: Path, repeats: int, say: Callable) -> list[str]:
    say("timing ffmpeg and decode ...")
    ffmpeg, ffmpeg_cpu = _median_cost(lambda: _ffmpeg_null(clip_path), repeats)
    decode = _median_time(lambda: open_clip(clip_path), repeats)
    luma = _median_time(lambda: open_clip(clip_path, colour=False), repeats)
    clip = open_clip(clip_path)
    rows = [
        ("`ffmpeg -threads 1 -i clip -f null -` (the limit)", ffmpeg),
        ("decode to 480 px luma + RGB on disk (hash included)", decode),
        ("decode to 480 px luma only", luma),
    ]
    scene = [p for p in PROBES.values() if not p.needs_reference]
    failing = []
    for probe in scene:
        say(f"timing {probe.name} ...")
        seconds = _median_time(lambda p=probe: p.run(_fresh(clip)), repeats)
        outcome = probe.run(_fresh(clip))
        ok = bool(outcome)
        rows.append((f"probe `{probe.name}` alone" + ("" if ok else " (finds nothing)"), seconds))
        if not ok:
            failing.append((probe.name, seconds, outcome.error))

    def everything() -> None:
        fresh = open_clip(clip_path)
        for probe in scene:
            probe.run(fresh)

    def flicker_only() -> None:
        PROBES["flicker"].run(open_clip(clip_path, colour=PROBES["flicker"].needs_colour))

    say("timing all scene probes and flicker alone, decode included ...")
    together, together_cpu = _median_cost(everything, repeats)
    flicker, flicker_cpu = _median_cost(flicker_only, repeats)
    say("timing the camera path and the point tracks ...")
    camera_path = _median_time(lambda: camera_motion(_fresh(clip)), repeats)
    point_tracks = _median_time(lambda: clip_tracks(_fresh(clip)), repeats)
    rows += [("all scene probes, decode included", together), ("flicker, decode included", flicker)]
    lines = [f"## One clip (load {_load()})", "", "| step | seconds |", "|---|---:|"]
    lines += [f"| {label} | {seconds:.3f} |" for label, seconds in rows]
    lines += [
        "",
        f"- **All scene probes / ffmpeg: {together / ffmpeg:.2f}x** "
        f"({_verdict(together / ffmpeg, ALL_TARGET)} the target of {ALL_TARGET}x)",
        f"- **flicker / ffmpeg: {flicker / ffmpeg:.2f}x** "
        f"({_verdict(flicker / ffmpeg, FLICKER_TARGET)} the target of {FLICKER_TARGET}x)",
        f"- in CPU time (every thread, whatever else the machine runs): ffmpeg "
        f"{ffmpeg_cpu:.3f} s, all scene probes {together_cpu:.3f} s "
        f"({together_cpu / ffmpeg_cpu:.2f}x), flicker {flicker_cpu:.3f} s "
        f"({flicker_cpu / ffmpeg_cpu:.2f}x)",
    ]
    for name, seconds, refusal in failing:
        share = seconds / decode
        lines.append(
            f"- fail-fast: `{name}` finds nothing in {seconds:.3f} s, **{share:.1%} of the "
            f"decode** ({_verdict(share, FAIL_FAST_TARGET)} the target of "
            f"{FAIL_FAST_TARGET:.0%})" + _fail_fast_cause(name, share, refusal)
        )
    lines += _where_the_time_goes(ffmpeg, together, flicker, decode, camera_path, point_tracks)
    return [*lines, ""]


# Why a probe that refuses the bench clip cannot refuse sooner (the clip pans at 90 px/s).
_SLOW_REFUSALS = {
    "gravity": "it takes a pan out, so it follows the camera path until a pose is beyond "
    "the zoom and roll it can take",
    "rotation": "it chooses its frame lag from pairs spread over the whole clip, so it "
    "needs the point tracks of every frame before any pair is fitted",
}


def _fail_fast_cause(name: str, share: float, refusal: str) -> str:
    if share <= FAIL_FAST_TARGET or name not in _SLOW_REFUSALS:
        return ""
    return f'; the gap: {_SLOW_REFUSALS[name]} (its refusal here: "{refusal}")'


def _where_the_time_goes(
    ffmpeg: float,
    together: float,
    flicker: float,
    decode: float,
    camera_path: float,
    point_tracks: float,
) -> list[str]:
    """Each target's gap split into its measured parts, in units of ffmpeg's decode."""
    rest = together - decode - camera_path - point_tracks
    lines = [
        "",
        "Where the time of all scene probes goes, each part in units of ffmpeg's decode "
        "(each timed alone, so the parts need not add up exactly):",
        "",
        "| part | seconds | x ffmpeg |",
        "|---|---:|---:|",
        f"| decode to 480 px luma + RGB | {decode:.3f} | {decode / ffmpeg:.2f} |",
        f"| camera path (Lucas-Kanade, shared by camera, gravity, motion) | "
        f"{camera_path:.3f} | {camera_path / ffmpeg:.2f} |",
        f"| point tracks (Lucas-Kanade, shared by rotation and motion) | "
        f"{point_tracks:.3f} | {point_tracks / ffmpeg:.2f} |",
        f"| everything else | {rest:.3f} | {rest / ffmpeg:.2f} |",
        "",
    ]
    if together / ffmpeg > ALL_TARGET:
        lines.append(
            f"- the gap to {ALL_TARGET}x: decoding to analysis size alone is "
            f"{decode / ffmpeg:.2f}x (FFmpeg's area scaler and the colour conversion, on "
            f"top of the decode), and the two trackings add "
            f"{(camera_path + point_tracks) / ffmpeg:.2f}x; both already use every core"
        )
    if flicker / ffmpeg > FLICKER_TARGET:
        lines.append(
            f"- the gap to {FLICKER_TARGET}x: flicker reads RGB, and decoding to 480 px "
            f"RGB alone is {decode / ffmpeg:.2f}x; flicker's own work is "
            f"{max(0.0, flicker - decode) / ffmpeg:.2f}x"
        )
    return lines


def _fresh(clip: Clip) -> Clip:
    """The decoded frames without anything a probe cached on them (tracks, masks)."""
    return Clip(clip.info, clip.gray, clip.scale, clip.colour, clip.times)


def _ffmpeg_null(path: Path) -> None:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-threads", "1", "-i", str(path)]
    subprocess.run([*command, "-f", "null", "-"], check=True)


def _verdict(value: float, target: float) -> str:
    return "meets" if value <= target else "misses"


def _load() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())


def av_version() -> str:
    """PyAV's version (imported here only: the bench header is its one reader)."""
    import av

    return av.__version__


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
            fresh = _fresh(c)
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

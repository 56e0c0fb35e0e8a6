"""``probepress bench --scale``: many clips, on this machine's cores and on a Dask cluster.

A corpus of N distinct generated clips (each its own texture, fall and pan, so every
hash differs and nothing is cached by accident) is measured with every probe that needs
no reference, as ``probepress probe`` measures a clip outside a site:

- one worker on a sample of the corpus gives the serial time per clip;
- for each N: a cold run on the local pool (all cores) and through a 2-worker
  ``distributed.LocalCluster``, reported as seconds per clip and parallel efficiency
  (N x serial time per clip / (workers x wall time); 1.0 is perfect scaling);
- a warm run (everything cached) at the largest N.

Then the site builds at two sizes (:mod:`probepress.bench.site_scale`). The machine is
shared: each row notes the load average it ran under.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from probepress.bench.site_scale import site_scale_section
from probepress.measure.cache import ResultCache
from probepress.measure.runner import Job, RunReport, run_probes
from probepress.probes import PROBES
from probepress.synth.encode import write_mp4

__all__ = ["DEFAULT_SIZES", "grow_corpus", "run_scale_bench"]

DEFAULT_SIZES = (40, 400)
#: Clips timed on one worker for the serial baseline (all of a smaller corpus).
SERIAL_SAMPLE = 20
CLUSTER_WORKERS = 2


def grow_corpus(folder: Path, count: int, *, size=(320, 180), fps: int = 24, frames: int = 48):
    """Render ``count`` distinct short clips into ``folder`` (kept if already there).

    Clip ``i`` has its own textured ground panning at its own speed, a ball falling at
    its own acceleration and a slight brightness flicker: every probe finds work, and
    no two clips share a hash.

    Returns
    -------
    list of Path
        The clips, ``clip-0000.mp4`` onwards.
    """
    folder.mkdir(parents=True, exist_ok=True)
    width, height = size
    paths = []
    for index in range(count):
        path = folder / f"clip-{index:04d}.mp4"
        paths.append(path)
        if not path.exists():
            write_mp4(path, _clip_frames(index, width, height, fps, frames), fps=fps, crf=23)
    return paths


def _clip_frames(index: int, width: int, height: int, fps: int, frames: int):
    rng = np.random.default_rng(index)
    coarse = rng.integers(30, 225, (height // 8 + 1, (width + 4 * frames) // 8 + 1, 3))
    ground = cv2.resize(coarse.astype(np.uint8), None, fx=8, fy=8, interpolation=cv2.INTER_CUBIC)
    pan = 1 + index % 4  # pixels per frame
    accel = 300 + 7 * (index % 50)  # px/s^2
    radius, x0 = 6 + index % 5, width // 4 + (index * 13) % (width // 2)
    for i in range(frames):
        t = i / fps
        frame = np.ascontiguousarray(ground[:height, pan * i : pan * i + width])
        y = int(10 + 0.5 * accel * t * t) % height
        cv2.circle(frame, (x0, y), radius, (240, 80, 40), -1, cv2.LINE_AA)
        gain = 1.0 + 0.02 * np.sin(2 * np.pi * 2 * t + index)
        yield np.clip(frame * gain, 0, 255).astype(np.uint8)


def run_scale_bench(
    out: Path,
    *,
    sizes: Sequence[int] = DEFAULT_SIZES,
    site_source: Path | None = None,
    site_factor: int = 10,
    say: Callable[[str], None] = print,
) -> str:
    """Time the corpus runs and the site builds; write the Markdown report to ``out``.

    No ``sizes`` skips the corpus; no ``site_source`` skips the site builds.
    """
    sizes = sorted(set(sizes))
    lines = [
        "# probepress scale benchmark",
        "",
        f"On {os.cpu_count()} cores; load average (1, 5, 15 min) at the start: {_load()}.",
        "",
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="probepress-scale-") as scratch:
        scratch_dir = Path(scratch)
        if sizes:
            say(f"rendering {sizes[-1]} distinct clips ...")
            started = time.perf_counter()
            corpus = grow_corpus(scratch_dir / "corpus", sizes[-1])
            say(f"  {time.perf_counter() - started:.0f} s")
            lines += _corpus_section(corpus, sizes, scratch_dir, say)
            # Written as each section ends: a run stopped during the long site builds
            # keeps what it measured.
            out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if site_source is not None:

            def partial(section: list[str]) -> None:
                out.write_text("\n".join(lines + section) + "\n", encoding="utf-8")

            lines += site_scale_section(site_source, site_factor, scratch_dir, say, partial)
    report = "\n".join(lines) + "\n"
    out.write_text(report, encoding="utf-8")
    return report


def _corpus_section(
    corpus: list[Path], sizes: Sequence[int], scratch: Path, say: Callable
) -> list[str]:
    # What `probepress probe` runs on a clip given alone: no reference, no input image.
    probes = tuple(n for n, p in PROBES.items() if not (p.needs_reference or p.needs_input))
    jobs = [Job(clip=path, probes=probes) for path in corpus]
    sample = jobs[: min(SERIAL_SAMPLE, sizes[0])]
    say(f"serial baseline: {len(sample)} clips on one worker ...")
    serial = run_probes(sample, workers=1, progress=False)
    per_clip = serial.seconds / len(sample)
    cores = os.cpu_count() or 1
    rows = [
        f"| 1 worker (baseline, first {len(sample)} clips) | {len(sample)} | 1 "
        f"| {serial.seconds:.1f} | {per_clip:.3f} | 1.00 | {serial.failed} | {_load()} |"
    ]
    warm_row = ""
    for count in sizes:
        say(f"N={count}: local pool, {cores} workers, cold ...")
        with ResultCache(scratch / f"cache-local-{count}") as cache:
            cold = run_probes(jobs[:count], cache=cache, workers=0, progress=False)
            rows.append(_row("local pool, cold", count, cores, cold, per_clip))
            if count == sizes[-1]:
                say(f"N={count}: local, warm ...")
                warm = run_probes(jobs[:count], cache=cache, workers=0, progress=False)
                warm_row = (
                    f"Warm run of all {count} clips (every result cached): "
                    f"**{warm.seconds:.2f} s**, {1000 * warm.seconds / count:.1f} ms per clip "
                    f"({warm.cached} outcomes read, {warm.run} measured)."
                )
    cluster_rows, startup = _cluster_rows(jobs, sizes, per_clip, scratch, say)
    rows += cluster_rows
    probe_list = ", ".join(probes)
    return [
        f"## {sizes[-1]} distinct clips (320x180, 24 fps, 2 s, H.264), every scene probe",
        "",
        f"Probes: {probe_list}. Efficiency = N x {per_clip:.3f} s (serial time per clip) / "
        "(workers x wall time).",
        "",
        "| run | clips | workers | wall s | s per clip | efficiency | probe failures | load |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        warm_row,
        "",
        f"The LocalCluster ({CLUSTER_WORKERS} worker processes, 1 thread each) took "
        f"{startup:.1f} s to start; not counted above. Cluster runs include connecting "
        "to the scheduler and the workers' first imports.",
        "",
    ]


def _cluster_rows(
    jobs: list[Job], sizes: Sequence[int], per_clip: float, scratch: Path, say: Callable
) -> tuple[list[str], float]:
    try:
        from distributed import LocalCluster
    except ImportError:
        say("dask.distributed is not installed: no cluster rows (pip install 'probepress[dask]')")
        return ["| Dask LocalCluster | - | - | - | - | - | - | not installed |"], 0.0
    started = time.perf_counter()
    rows = []
    with LocalCluster(
        n_workers=CLUSTER_WORKERS,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        startup = time.perf_counter() - started
        for count in sizes:
            say(f"N={count}: Dask LocalCluster, {CLUSTER_WORKERS} workers, cold ...")
            with ResultCache(scratch / f"cache-cluster-{count}") as cache:
                cold = run_probes(
                    jobs[:count], cache=cache, scheduler=cluster.scheduler_address, progress=False
                )
            rows.append(_row("Dask LocalCluster, cold", count, CLUSTER_WORKERS, cold, per_clip))
    return rows, startup


def _row(label: str, count: int, workers: int, report: RunReport, per_clip: float) -> str:
    efficiency = count * per_clip / (workers * report.seconds)
    return (
        f"| {label} | {count} | {workers} | {report.seconds:.1f} | "
        f"{report.seconds / count:.3f} | {efficiency:.2f} | {report.failed} | {_load()} |"
    )


def _load() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())

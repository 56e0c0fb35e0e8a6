"""Run probes over clips: cache first, misses in a process pool, failures isolated.

Work is grouped by clip, so each clip that has anything left to measure is decoded once
and all of its missing probes run on the same frames. A clip that cannot be decoded, or
a probe that crashes, fails alone: the other clips and probes still report.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from probepress.measure.cache import ResultCache, result_key
from probepress.probes import get_probe
from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.video.decode import (
    DECODE_VERSION,
    DEFAULT_LONG_SIDE,
    ClipInfo,
    VideoError,
    file_sha256,
    open_clip,
    probe_info,
)

__all__ = ["ClipReport", "Job", "RunReport", "run_probes"]

log = logging.getLogger("probepress.measure.runner")

Outcome = ProbeResult | ProbeFailure


@dataclass(frozen=True)
class Job:
    """The probes to run on one clip (and the reference clip comparative probes need)."""

    clip: Path
    probes: tuple[str, ...]
    reference: Path | None = None


@dataclass
class ClipReport:
    """Everything measured on one clip."""

    path: Path
    info: ClipInfo | None = None
    results: dict[str, Outcome] = field(default_factory=dict)
    error: str | None = None  # why the clip could not be read at all

    @property
    def failed(self) -> bool:
        """Whether the clip or any of its probes failed."""
        return self.error is not None or any(not r for r in self.results.values())


@dataclass
class RunReport:
    """The outcome of :func:`run_probes`: per-clip reports and counts."""

    clips: list[ClipReport]
    run: int = 0
    cached: int = 0
    failed: int = 0
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        """One line for logs: ``probes: 3 run, 41 cached, 1 failed in 2.1 s``."""
        return (
            f"probes: {self.run} run, {self.cached} cached, {self.failed} failed "
            f"in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _Task:
    """Picklable unit of work for a pool process: one clip, its missing probes."""

    clip: Path
    probes: tuple[str, ...]
    reference: Path | None
    long_side: int


def run_probes(
    jobs: Iterable[Job],
    *,
    cache: ResultCache | None = None,
    workers: int = 0,
    long_side: int = DEFAULT_LONG_SIDE,
    progress: bool | None = None,
) -> RunReport:
    """Measure every (clip, probe) of ``jobs``, using and filling ``cache``.

    Parameters
    ----------
    jobs : iterable of Job
        What to measure. Probe names must be registered (see :func:`get_probe`).
    cache : ResultCache, optional
        Where results are looked up first and stored after; none means always run.
    workers : int
        Processes for the misses; 0 means one per core, 1 runs in this process.
    long_side : int
        Analysis resolution (long side in pixels); part of every cache key.
    progress : bool, optional
        Show a progress bar; by default only when stderr is a terminal.
    """
    started = time.perf_counter()
    reports: list[ClipReport] = []
    tasks: list[tuple[ClipReport, _Task, dict[str, tuple[str, str | None]]]] = []
    report = RunReport(clips=reports)
    for job in jobs:
        clip_report = ClipReport(path=job.clip)
        reports.append(clip_report)
        missing = _lookup(job, clip_report, cache, long_side, report)
        if missing:
            task = _Task(job.clip, tuple(missing), job.reference, long_side)
            tasks.append((clip_report, task, missing))
    for clip_report, _task, keys, outcome in _execute(tasks, workers, progress):
        info, results = outcome
        if info is not None:
            clip_report.info = info
            if cache is not None:
                cache.put_clip_info(info)
        for name, result in results.items():
            clip_report.results[name] = result
            if isinstance(result, ProbeFailure):
                report.failed += 1
                if clip_report.error is None and info is None:
                    clip_report.error = result.reason
                continue
            report.run += 1
            key, reference_sha = keys[name]
            if cache is not None:
                cache.put(key, result, clip_sha256=info.sha256, reference_sha256=reference_sha)
    report.seconds = time.perf_counter() - started
    return report


def _lookup(
    job: Job,
    clip_report: ClipReport,
    cache: ResultCache | None,
    long_side: int,
    report: RunReport,
) -> dict[str, tuple[str, str | None]]:
    """Fill cached results into ``clip_report``; return the probes still to run, by key."""
    try:
        sha = file_sha256(job.clip)
        reference_sha = file_sha256(job.reference) if job.reference else None
    except OSError as error:
        reason = f"cannot read {error.filename}: {error.strerror}"
        clip_report.error = reason
        for name in job.probes:
            probe = get_probe(name)
            clip_report.results[name] = ProbeFailure(name, probe.version, reason)
            report.failed += 1
        return {}
    missing: dict[str, tuple[str, str | None]] = {}
    for name in job.probes:
        probe = get_probe(name)
        ref = reference_sha if probe.needs_reference else None
        params = {**probe.defaults, "long_side": long_side, "decode": DECODE_VERSION}
        key = result_key(sha, name, probe.version, params, ref)
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            clip_report.results[name] = hit
            report.cached += 1
        else:
            missing[name] = (key, ref)
    if cache is not None:
        clip_report.info = cache.clip_info(sha, job.clip)
    if clip_report.info is None and not missing:
        # Every result was cached but not the clip's facts: read them without probing.
        try:
            clip_report.info = probe_info(job.clip)
        except VideoError as error:
            clip_report.error = error.reason
    return missing


def _execute(
    tasks: Sequence[tuple[ClipReport, _Task, dict]], workers: int, progress: bool | None
) -> Iterable[tuple[ClipReport, _Task, dict, tuple[ClipInfo | None, dict[str, Outcome]]]]:
    """Run tasks, in this process when one worker suffices, else in a pool."""
    if not tasks:
        return
    count = min(len(tasks), workers or os.cpu_count() or 1)
    bar = _progress_bar(len(tasks), progress)
    try:
        if count <= 1:
            for clip_report, task, keys in tasks:
                yield clip_report, task, keys, _measure_clip(task)
                bar(task.clip.name)
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["probepress.probes"])
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures: dict[Future, tuple[ClipReport, _Task, dict]] = {
                pool.submit(_measure_clip, task): (clip_report, task, keys)
                for clip_report, task, keys in tasks
            }
            for future in as_completed(futures):
                clip_report, task, keys = futures[future]
                yield clip_report, task, keys, _outcome_of(future, task)
                bar(task.clip.name)
    finally:
        bar(None)


def _outcome_of(future: Future, task: _Task) -> tuple[ClipInfo | None, dict[str, Outcome]]:
    try:
        return future.result()
    except Exception as error:  # a worker that died (e.g. out of memory) fails its clip only
        return None, _fail_all(task, f"worker failed: {type(error).__name__}: {error}")


def _measure_clip(task: _Task) -> tuple[ClipInfo | None, dict[str, Outcome]]:
    """Decode one clip (and its reference) once and run the requested probes on it."""
    try:
        clip = open_clip(task.clip, long_side=task.long_side)
    except VideoError as error:
        return None, _fail_all(task, error.reason)
    reference = None
    results: dict[str, Outcome] = {}
    for name in task.probes:
        probe = get_probe(name)
        try:
            if probe.needs_reference and reference is None and task.reference is not None:
                reference = open_clip(task.reference, long_side=task.long_side)
            results[name] = probe.run(clip, reference=reference)
        except VideoError as error:
            results[name] = ProbeFailure(name, probe.version, f"reference {error}")
        except Exception as error:  # a probe bug must not take the other probes down
            log.debug("probe %s crashed on %s:\n%s", name, task.clip, traceback.format_exc())
            reason = f"probe crashed: {type(error).__name__}: {error}"
            results[name] = ProbeFailure(name, probe.version, reason)
    return clip.info, results


def _fail_all(task: _Task, reason: str) -> dict[str, Outcome]:
    return {name: ProbeFailure(name, get_probe(name).version, reason) for name in task.probes}


def _progress_bar(total: int, enabled: bool | None) -> Callable[[str | None], None]:
    """A callable advancing a tqdm bar per clip (``None`` closes it); a no-op off a TTY."""
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return lambda _name: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="clip", desc="probing", file=sys.stderr, leave=False)

    def advance(name: str | None) -> None:
        if name is None:
            bar.close()
        else:
            bar.set_postfix_str(name, refresh=False)
            bar.update()

    return advance

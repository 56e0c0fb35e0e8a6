"""Run probes over clips: cache first, misses in worker processes (or on a Dask cluster).

Work is grouped by clip, so each clip that has anything left to measure is decoded once
and all of its missing probes run on the same frames. A clip that cannot be decoded, a
probe that crashes, or a worker that is killed mid-clip fails that clip alone: the other
clips and probes still report.

Failures are cached like results when they would come out the same next time (a probe
with nothing to measure, a clip that does not decode), so a warm build decodes nothing;
a failure of the moment (a killed worker, memory or disk trouble) is not.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from probepress.measure.cache import ResultCache, result_key
from probepress.measure.cluster import run_on_cluster
from probepress.measure.pool import WorkerLost, run_in_workers
from probepress.probes import get_probe
from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.video.decode import (
    DECODE_VERSION,
    DEFAULT_LONG_SIDE,
    ClipBudget,
    ClipInfo,
    OverBudgetError,
    VideoError,
    file_sha256,
    open_clip,
    probe_info,
)
from probepress.video.still import StillError, read_still

__all__ = ["ClipReport", "Job", "RunReport", "run_probes"]

log = logging.getLogger("probepress.measure.runner")

Outcome = ProbeResult | ProbeFailure


@dataclass(frozen=True)
class Job:
    """The probes to run on one clip (and the reference clip comparative probes need).

    ``input_image`` is the still the clip was generated from (image-to-video), for
    probes that compare with it (``first_frame``).
    """

    clip: Path
    probes: tuple[str, ...]
    reference: Path | None = None
    input_image: Path | None = None


@dataclass
class ClipReport:
    """Everything measured on one clip."""

    path: Path
    info: ClipInfo | None = None
    results: dict[str, Outcome] = field(default_factory=dict)
    error: str | None = None  # why the clip could not be read at all
    #: The cache key of each probe's outcome: what anything derived from it is named by.
    keys: dict[str, str] = field(default_factory=dict)

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
        """One line for logs: ``probes: 3 run, 41 cached, 1 failed in 2.1 s``.

        ``run`` counts results measured now, ``cached`` outcomes read from the cache
        (failures included) and ``failed`` every failure, measured now or cached.
        """
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
    budget: ClipBudget = field(default_factory=ClipBudget)
    # Hashes taken for the cache lookup, so that decoding need not read the files again.
    sha256: str | None = None
    reference_sha256: str | None = None
    input_image: Path | None = None


@dataclass(frozen=True)
class _Key:
    """Where one probe's outcome on one clip is cached, and the hashes that made the key."""

    key: str
    clip: str
    reference: str | None


@dataclass(frozen=True)
class _Measured:
    """What a worker sends back for one clip."""

    info: ClipInfo | None
    results: dict[str, Outcome]
    #: Probes whose failure is of the moment (memory, disk, a vanished file): not cached.
    transient: frozenset[str] = frozenset()


def run_probes(
    jobs: Iterable[Job],
    *,
    cache: ResultCache | None = None,
    workers: int = 0,
    long_side: int = DEFAULT_LONG_SIDE,
    progress: bool | None = None,
    budget: ClipBudget | None = None,
    scheduler: str | None = None,
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
    budget : ClipBudget, optional
        Longest clip measured (600 s by default); a longer one fails by name.
    scheduler : str, optional
        A Dask scheduler's address (``tcp://host:8786``): the misses run on its workers
        (:mod:`probepress.measure.cluster`) instead of local processes, and ``workers``
        is ignored. Raises :class:`~probepress.measure.cluster.ClusterError` when the
        cluster cannot be used.
    """
    budget = budget or ClipBudget()
    started = time.perf_counter()
    reports: list[ClipReport] = []
    tasks: list[tuple[ClipReport, _Task, dict[str, _Key]]] = []
    report = RunReport(clips=reports)
    for job in jobs:
        clip_report = ClipReport(path=job.clip)
        reports.append(clip_report)
        missing = _lookup(job, clip_report, cache, long_side, report, budget)
        if missing:
            keys = list(missing.values())
            reference_sha = next(
                (k.reference for n, k in missing.items() if get_probe(n).needs_reference), None
            )
            task = _Task(
                job.clip,
                tuple(missing),
                job.reference,
                long_side,
                budget,
                keys[0].clip,
                reference_sha,
                job.input_image,
            )
            tasks.append((clip_report, task, missing))
    for clip_report, keys, measured in _execute(tasks, workers, progress, scheduler):
        info = measured.info
        if info is not None:
            clip_report.info = info
            if cache is not None:
                cache.put_clip_info(info)
        for name, result in measured.results.items():
            clip_report.results[name] = result
            if isinstance(result, ProbeFailure):
                report.failed += 1
                if clip_report.error is None and info is None:
                    clip_report.error = result.reason
            else:
                report.run += 1
            if cache is not None and name not in measured.transient:
                key = keys[name]
                cache.put(key.key, result, clip_sha256=key.clip, reference_sha256=key.reference)
    report.seconds = time.perf_counter() - started
    return report


def _lookup(
    job: Job,
    clip_report: ClipReport,
    cache: ResultCache | None,
    long_side: int,
    report: RunReport,
    budget: ClipBudget,
) -> dict[str, _Key]:
    """Fill cached outcomes into ``clip_report``; return the probes still to run, by key."""
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
    missing: dict[str, _Key] = {}
    input_sha, input_problem = _input_sha256(job.input_image)
    for name in job.probes:
        probe = get_probe(name)
        if probe.needs_input and input_problem:
            # Only the probes that read the image fail; the clip's others go on.
            clip_report.results[name] = ProbeFailure(name, probe.version, input_problem)
            report.failed += 1
            continue
        # What the clip is compared with enters the key: a reference clip, or the input
        # image (stored in the same column: the one other file a result depends on).
        ref = reference_sha if probe.needs_reference else None
        ref = input_sha if probe.needs_input else ref
        params = {**probe.defaults, "long_side": long_side, "decode": DECODE_VERSION}
        key = result_key(sha, name, probe.version, params, ref)
        clip_report.keys[name] = key
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            clip_report.results[name] = hit
            report.cached += 1
            if not hit:
                report.failed += 1
        else:
            missing[name] = _Key(key, sha, ref)
    if cache is not None:
        clip_report.info = cache.clip_info(sha, job.clip)
    if clip_report.info is None and not missing:
        outcomes = list(clip_report.results.values())
        if outcomes and not any(outcomes):
            # Facts never stored and every probe failed: the clip did not decode. Say so
            # as the cold run did, rather than ask a header that may well read fine.
            clip_report.error = outcomes[0].error
            return missing
        # Every result was cached but not the clip's facts: read them without probing.
        try:
            clip_report.info = probe_info(job.clip, budget=budget)
        except VideoError as error:
            clip_report.error = error.reason
    return missing


def _input_sha256(image: Path | None) -> tuple[str | None, str]:
    """The input image's hash, or why it cannot be read (``""`` when it can or is none)."""
    if image is None:
        return None, ""
    try:
        return file_sha256(image), ""
    except OSError as error:
        return None, f"cannot read the input image {image}: {error.strerror}"


def _execute(
    tasks: Sequence[tuple[ClipReport, _Task, dict]],
    workers: int,
    progress: bool | None,
    scheduler: str | None = None,
) -> Iterator[tuple[ClipReport, dict, _Measured]]:
    """Run tasks on the Dask cluster if set, else here (one worker) or in local processes."""
    if not tasks:
        return
    count = min(len(tasks), workers or os.cpu_count() or 1)
    bar = _progress_bar(len(tasks), progress)
    try:
        if count <= 1 and not scheduler:
            for clip_report, task, keys in tasks:
                yield clip_report, keys, _measure_clip(task)
                bar(task.clip.name)
            return
        jobs = [task for _report, task, _keys in tasks]
        if scheduler:  # workers elsewhere, in other folders: paths must not be relative
            jobs = [_absolute(task) for task in jobs]
            answers = run_on_cluster(_measure_clip, jobs, scheduler=scheduler)
        else:
            answers = run_in_workers(_measure_clip, jobs, workers=count)
        for index, answer in answers:
            clip_report, task, keys = tasks[index]
            if isinstance(answer, WorkerLost):  # killed (out of memory?): this clip only
                reason = f"the worker measuring {task.clip.name} {answer.reason}"
                answer = _Measured(None, _fail_all(task, reason), frozenset(task.probes))
            yield clip_report, keys, answer
            bar(task.clip.name)
    finally:
        bar(None)


def _measure_clip(task: _Task) -> _Measured:
    """Decode one clip (and its reference) once and run the requested probes on it."""
    # Colour frames cost three times the luma: decoded only when a probe reads them.
    colour = any(get_probe(name).needs_colour for name in task.probes)
    options = {"long_side": task.long_side, "colour": colour, "budget": task.budget}
    try:
        clip = open_clip(task.clip, sha256=task.sha256, **options)
    except VideoError as error:
        # Undecodable bytes stay undecodable; a file gone since it was hashed may return,
        # and a clip over budget is measured once the budget is raised.
        again = not task.clip.is_file() or isinstance(error, OverBudgetError)
        transient = frozenset(task.probes if again else ())
        return _Measured(None, _fail_all(task, error.reason), transient)
    reference = None
    image = None
    results: dict[str, Outcome] = {}
    transient: set[str] = set()
    for name in task.probes:
        probe = get_probe(name)
        try:
            if probe.needs_reference and reference is None and task.reference is not None:
                reference = open_clip(task.reference, sha256=task.reference_sha256, **options)
            if probe.needs_input and image is None and task.input_image is not None:
                image = read_still(task.input_image)
            results[name] = probe.run(clip, reference=reference, input_image=image)
        except StillError as error:
            results[name] = ProbeFailure(name, probe.version, f"input image {error.reason}")
            if not task.input_image.is_file():  # gone since it was hashed: may return
                transient.add(name)
        except VideoError as error:
            results[name] = ProbeFailure(name, probe.version, f"reference {error}")
            if not task.reference.is_file() or isinstance(error, OverBudgetError):
                transient.add(name)
        except Exception as error:  # a probe bug must not take the other probes down
            log.debug("probe %s crashed on %s:\n%s", name, task.clip, traceback.format_exc())
            reason = f"probe crashed: {type(error).__name__}: {error}"
            results[name] = ProbeFailure(name, probe.version, reason)
            if isinstance(error, MemoryError | OSError):  # the machine's state, not the clip's
                transient.add(name)
    return _Measured(clip.info, results, frozenset(transient))


def _absolute(task: _Task) -> _Task:
    reference = task.reference.absolute() if task.reference else None
    image = task.input_image.absolute() if task.input_image else None
    return replace(task, clip=task.clip.absolute(), reference=reference, input_image=image)


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

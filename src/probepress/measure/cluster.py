"""Run the probe runner's tasks on a Dask distributed cluster instead of local processes.

When one machine is not enough, the clips of a run go to the workers of a Dask
scheduler (``probepress probe --scheduler tcp://host:8786``, or ``scheduler:`` in the
site's settings). The unit of work is the same as in the local pool: one clip with its
missing probes. Workers read the clip from its path, which every worker must reach
(a shared or identical mount), and send the results back; the client alone writes the
cache, so the cache needs no shared filesystem.

Failures behave as in :mod:`probepress.measure.pool`: a worker that dies while measuring
a clip is Dask's to recover (the clip is retried on another worker); a clip that kills
every worker that tries it (Dask's ``KilledWorker``, after the scheduler's
``allowed-failures``) fails that clip alone, reported by name as :class:`WorkerLost`.
Only as many clips as the cluster has threads are in flight at a time, so a clip that
crashes workers takes no innocent clip queued behind it down with it, and results reach
the cache as they come.

``dask.distributed`` is imported here only, when a scheduler is set: the default local
pool and every warm build never pay for it (install it with ``pip install
'probepress[dask]'``).
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from probepress.measure.pool import WorkerLost

__all__ = ["ClusterError", "run_on_cluster", "worker_environment"]

Task = TypeVar("Task")
Result = TypeVar("Result")

#: Seconds to reach the scheduler, and for it to have a worker, before giving up.
CONNECT_TIMEOUT_S = 10.0
WORKERS_TIMEOUT_S = 60.0


class ClusterError(Exception):
    """The Dask cluster cannot be used: not installed, unreachable, no or wrong workers."""


def run_on_cluster(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    scheduler: str,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    workers_timeout: float = WORKERS_TIMEOUT_S,
) -> Iterator[tuple[int, Result | WorkerLost]]:
    """Run ``function`` on every task on the cluster at ``scheduler``; yield as each finishes.

    Parameters
    ----------
    function : callable
        Importable by name on the workers (a module-level function of probepress).
    tasks : sequence
        Picklable arguments, one call each; paths in them must be valid on the workers.
    scheduler : str
        The Dask scheduler's address, e.g. ``tcp://10.0.0.5:8786``.
    connect_timeout, workers_timeout : float
        Seconds to reach the scheduler, and to wait for its first worker.

    Yields
    ------
    (int, result or WorkerLost)
        The task's index in ``tasks`` and what ``function`` returned, or why not.

    Raises
    ------
    ClusterError
        When Dask is not installed, the scheduler cannot be reached, it has no worker,
        or its workers run another probepress (their results would be cached under
        this one's keys).
    """
    distributed = _import_distributed()
    client = _connect(distributed, scheduler, connect_timeout)
    running: dict[Any, int] = {}  # future -> index of its task
    try:
        _check_workers(client, scheduler, workers_timeout)
        pending = deque(enumerate(tasks))
        batch = uuid.uuid4().hex[:8]  # keys unique per run: a retried run recomputes
        finished = distributed.as_completed(loop=client.loop)

        def top_up() -> None:
            # One clip per worker thread; the cluster may grow or shrink during the run.
            capacity = max(1, sum(client.nthreads().values()))
            while pending and len(running) < capacity:
                index, task = pending.popleft()
                key = f"probepress-clip-{batch}-{index}"
                future = client.submit(function, task, key=key, pure=False)
                running[future] = index
                finished.add(future)

        top_up()
        for future in finished:
            index = running.pop(future)
            outcome = _outcome(future, distributed)
            future.release()
            top_up()
            yield index, outcome
    finally:
        if running:  # interrupted: nobody wants the rest
            client.cancel(list(running))
        client.close()


def worker_environment() -> dict[str, Any]:
    """What decides a worker's numbers: probepress's, each probe's and decoding's versions.

    Run on every worker and compared with the client's own, since results come back
    to be cached under keys the client computes from its own versions.
    """
    import probepress
    from probepress.probes import PROBES
    from probepress.video.decode import DECODE_VERSION

    return {
        "probepress": probepress.__version__,
        "decode": DECODE_VERSION,
        "probes": {name: probe.version for name, probe in PROBES.items()},
    }


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            "a Dask scheduler is set but dask.distributed is not installed; "
            "install it with: pip install 'probepress[dask]'"
        ) from None
    return distributed


def _connect(distributed: Any, scheduler: str, timeout: float) -> Any:
    try:
        return distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterError(
            f"cannot reach the Dask scheduler at {scheduler} ({_first_line(error)}); "
            f"start one (`dask scheduler`) with workers (`dask worker {scheduler}`), "
            "or fix the address"
        ) from None


def _check_workers(client: Any, scheduler: str, timeout: float) -> None:
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterError(
            f"the Dask scheduler at {scheduler} has no worker after {timeout:g} s; "
            f"start one with `dask worker {scheduler}`"
        ) from None
    ours = worker_environment()
    try:
        theirs = client.run(worker_environment)
    except Exception as error:  # noqa: BLE001 (anything a worker raises, named below)
        raise ClusterError(
            f"the workers of {scheduler} cannot run probepress ({_first_line(error)}); "
            "install the same probepress on every worker"
        ) from None
    for address, environment in sorted(theirs.items()):
        if environment != ours:
            raise ClusterError(
                f"the Dask worker {address} runs another probepress or other probe "
                f"versions ({_difference(ours, environment)}); install this probepress "
                f"({ours['probepress']}) on every worker"
            )


def _outcome(future: Any, distributed: Any) -> Any:
    """The task's result, or why there is none, as the local pool says it."""
    if future.cancelled():
        return WorkerLost("was cancelled by the Dask scheduler")
    error = future.exception()
    if error is None:
        return future.result()
    if isinstance(error, distributed.KilledWorker):
        tries = error.allowed_failures + 1
        workers = f"{tries} Dask workers in turn" if tries > 1 else "its Dask worker"
        return WorkerLost(
            f"died: the clip killed {workers} (a crash or out of memory; see the workers' logs)"
        )
    return WorkerLost(f"raised {type(error).__name__}: {_first_line(error)}")


def _difference(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    if theirs.get("probepress") != ours["probepress"]:
        return f"probepress {theirs.get('probepress')}, here {ours['probepress']}"
    if theirs.get("decode") != ours["decode"]:
        return f"decode version {theirs.get('decode')}, here {ours['decode']}"
    mine, other = ours["probes"], theirs.get("probes", {})
    names = sorted(n for n in {*mine, *other} if mine.get(n) != other.get(n))
    return ", ".join(f"{n} {other.get(n, 'missing')}, here {mine.get(n, 'missing')}" for n in names)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]

"""Worker processes for the probe runner: one task at a time each, each death on its own.

:class:`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker is
killed (by the OOM killer, say): every pending task then fails, and nobody can tell
which task killed it. Here every worker has its own pipe, so the task a dead worker
held is known, reported as :class:`WorkerLost` with the signal, and the worker is
replaced; the other tasks go on untouched.

Workers come from a forkserver that has preloaded the probes (a fork is cheap and
inherits no threads or locks of the build), and die with the build
(:func:`probepress.measure.lifeline.die_with`).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from probepress.measure.lifeline import die_with

__all__ = ["WorkerLost", "run_in_workers"]

Task = TypeVar("Task")
Result = TypeVar("Result")

#: Seconds a worker gets to exit after it is told to stop, before it is killed.
_GRACE_S = 5.0


@dataclass(frozen=True)
class WorkerLost:
    """A task whose worker died or raised before it answered.

    Attributes
    ----------
    reason : str
        E.g. ``"died (signal 9)"``, ``"exited with status 1"``, ``"raised ValueError: ..."``.
    """

    reason: str


def run_in_workers(
    function: Callable[[Task], Result],
    tasks: Sequence[Task],
    *,
    workers: int,
    preload: Sequence[str] = ("probepress.probes",),
) -> Iterator[tuple[int, Result | WorkerLost]]:
    """Run ``function`` on every task in ``workers`` processes; yield as each finishes.

    Parameters
    ----------
    function : callable
        Importable by name (a module-level function); called with one task.
    tasks : sequence
        Picklable arguments, one call each.
    workers : int
        Processes at most (fewer when there are fewer tasks).
    preload : sequence of str
        Modules the forkserver imports once, so that every worker starts with them.

    Yields
    ------
    (int, result or WorkerLost)
        The task's index in ``tasks`` and what ``function`` returned, or why not.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(preload))
    pending = deque(enumerate(tasks))
    busy: dict[_Worker, int] = {}  # worker -> index of the task it holds
    started: list[_Worker] = []  # every worker, for the clean-up whatever happens

    def give_work(worker: _Worker) -> None:
        if pending:
            index, task = pending.popleft()
            busy[worker] = index
            worker.send(function, task)
        else:
            worker.close()

    try:
        for _ in range(min(workers, len(tasks))):
            started.append(_Worker(context))
            give_work(started[-1])
        while busy:
            ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy]))
            for worker, index in list(busy.items()):
                if worker.connection not in ready and worker.process.sentinel not in ready:
                    continue
                del busy[worker]
                outcome = worker.receive()
                if isinstance(outcome, WorkerLost) and not worker.process.is_alive():
                    worker.close()
                    if pending:  # replace it: the tasks left are not its fault
                        started.append(_Worker(context))
                        give_work(started[-1])
                else:
                    give_work(worker)
                yield index, outcome
    finally:
        for worker in started:
            worker.close(at_once=worker in busy)  # a busy one is abandoned: no grace


class _Worker:
    """One process and the pipe to it."""

    def __init__(self, context: Any) -> None:
        self.connection, theirs = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_serve, args=(theirs, os.getpid()), name="probepress-worker", daemon=True
        )
        self.process.start()
        self.closed = False
        theirs.close()  # the worker holds the only other end: its death is our EOF

    def send(self, function: Callable, task: object) -> None:
        try:
            self.connection.send((function, task))
        except OSError:
            pass  # it died; receive() says so

    def receive(self) -> object:
        """The answer to the task sent, or :class:`WorkerLost` if none came."""
        try:
            kind, value = self.connection.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            self.process.join(_GRACE_S)
            return WorkerLost(_death(self.process.exitcode))
        return value if kind == "ok" else WorkerLost(f"raised {value}")

    def close(self, *, at_once: bool = False) -> None:
        """Ask the worker to stop, and kill it if it does not; later calls do nothing.

        With ``at_once``, kill it without waiting (it is busy with work nobody wants).
        """
        if self.closed:
            return
        self.closed = True
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(0 if at_once else _GRACE_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()
        self.process.close()


def _serve(connection: Connection, build_pid: int) -> None:
    """A worker's life: run each task received, answer, until told to stop (``None``)."""
    die_with(build_pid)
    # Ctrl-C reaches the whole process group: the build stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return  # the build is gone
        if message is None:
            return
        function, task = message
        try:
            answer = ("ok", function(task))
        except Exception as error:  # reported for this task; the worker carries on
            answer = ("error", f"{type(error).__name__}: {error}")
        try:
            connection.send(answer)
        except (OSError, pickle.PicklingError):
            return


def _death(exitcode: int | None) -> str:
    if exitcode is None:
        return "stopped answering"
    if exitcode < 0:
        return f"died (signal {-exitcode})"
    return f"exited with status {exitcode}"

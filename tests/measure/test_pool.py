"""Worker processes: each task answered, a death costs only its own task, none outlive the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from _pool_tasks import mark_and_sleep, square
from _processes import alive, descendants, wait_for

from probepress.measure.pool import WorkerLost, run_in_workers

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"


def test_every_task_is_answered_under_its_index():
    answers = dict(run_in_workers(square, list(range(7)), workers=2))
    assert answers == {i: i * i for i in range(7)}


def test_a_task_that_raises_fails_alone_and_says_why():
    answers = dict(run_in_workers(square, [2, "x", 3], workers=2))
    assert answers[0] == 4 and answers[2] == 9
    assert isinstance(answers[1], WorkerLost)
    assert answers[1].reason.startswith("raised TypeError: ")


def test_a_killed_worker_fails_its_own_task_and_the_others_finish(tmp_path):
    tasks = [(str(tmp_path), "victim", 60.0)] + [(str(tmp_path), f"t{i}", 0.2) for i in range(4)]
    marker = tmp_path / "victim"

    def kill_the_victim() -> None:
        if wait_for(marker.exists, timeout=30):
            os.kill(int(marker.read_text()), signal.SIGKILL)

    killer = threading.Thread(target=kill_the_victim)
    killer.start()
    started = time.monotonic()
    answers = dict(run_in_workers(mark_and_sleep, tasks, workers=2))
    killer.join()
    assert time.monotonic() - started < 30, "the victim's 60 s sleep was waited for"
    assert answers[0] == WorkerLost("died (signal 9)")
    assert {answers[i] for i in range(1, 5)} == {"t0", "t1", "t2", "t3"}


_BUILD = """
import sys
from _pool_tasks import mark_and_sleep
from probepress.measure.pool import run_in_workers
tasks = [(sys.argv[1], "w0", 120.0), (sys.argv[1], "w1", 120.0)]
for _ in run_in_workers(mark_and_sleep, tasks, workers=2):
    pass
"""


def test_workers_and_forkserver_die_with_a_build_killed_by_sigkill(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    build = subprocess.Popen([sys.executable, "-c", _BUILD, str(tmp_path)], env=env)
    try:
        ready = wait_for(
            lambda: all((tmp_path / w).exists() for w in ("w0", "w1")), timeout=60, every=0.05
        )
        assert ready, "the workers never started"
        workers = {int((tmp_path / w).read_text()) for w in ("w0", "w1")}
        family = descendants(build.pid)  # forkserver, workers, resource tracker
        assert workers <= family
        build.kill()  # SIGKILL: no clean-up code of the build runs
        build.wait()
        survivors = wait_for(lambda: not any(alive(p) for p in family), timeout=10, every=0.1)
        left = sorted(p for p in family if alive(p))
        assert survivors and not left, f"still running 10 s after the build died: {left}"
    finally:
        build.kill()
        for pid in descendants(build.pid) | locals().get("family", set()):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

"""Make a worker process die with the build that started it, even after ``kill -9``.

A killed build runs no clean-up, and a pool worker that is busy measuring (or one
that holds the write end of its own task pipe, as multiprocessing's do) never learns
that nobody will read its answer: it and the forkserver that forked it would live on,
holding hundreds of megabytes. Two lines of defence, set up at the worker's start:

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker the
  moment its parent (the forkserver) exits;
- a watchdog thread that waits on the build process itself (a pidfd, or polling
  where there is none) and ends the worker as soon as the build is gone, or its
  parent changes (it was re-parented to init).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time

__all__ = ["die_with"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_POLL_S = 0.5
#: Exit status of a worker that ends because its build is gone (as if killed by SIGKILL).
_ORPHAN_EXIT = 128 + signal.SIGKILL


def die_with(build_pid: int) -> None:
    """End this process when process ``build_pid`` (or this process's parent) ends.

    Parameters
    ----------
    build_pid : int
        The build (the process that owns the pool); must be alive when this is called.
    """
    parent = os.getppid()
    _set_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(_ORPHAN_EXIT)
    watchdog = threading.Thread(
        target=_watch, args=(build_pid, parent), name="probepress-lifeline", daemon=True
    )
    watchdog.start()


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watchdog still covers it


def _watch(build_pid: int, parent: int) -> None:
    """Block until the build is gone, then exit the whole process at once."""
    try:
        handle = os.pidfd_open(build_pid)
    except ProcessLookupError:
        os._exit(_ORPHAN_EXIT)
    except (AttributeError, OSError):
        handle = None  # no pidfd (not Linux, or a kernel before 5.3): poll instead
    if handle is not None:
        select.select([handle], [], [])  # a pidfd turns readable when its process exits
        os._exit(_ORPHAN_EXIT)
    while True:
        time.sleep(_POLL_S)
        if os.getppid() != parent or not _alive(build_pid):
            os._exit(_ORPHAN_EXIT)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else (cannot happen for our own build)
    return True

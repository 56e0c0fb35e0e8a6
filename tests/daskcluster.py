"""A real two-worker Dask cluster on this machine, as the Dask tests run the runner on it.

Worker processes (``processes=True``) with one thread each, as a deployment of
``dask worker`` processes would be: a worker that dies takes its process with it and
its nanny starts a new one. The scheduler allows one retry of a task whose worker died
(``allowed-failures: 1``; Dask's default is 3): the tests see both a retry and a clip
given up on, without waiting for four worker restarts on a loaded 2-core machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

#: Every Dask test runs in this xdist group (``--dist loadgroup``): one cluster at a time.
XDIST_GROUP = "dask-cluster"


@contextmanager
def local_cluster() -> Iterator[object]:
    """Start a ``distributed.LocalCluster`` of 2 single-thread worker processes."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,  # no web server: nothing listens but the scheduler
            host="127.0.0.1",
        )
    with cluster:
        yield cluster

"""The runner on a real Dask cluster: same numbers as the local pool, failures isolated."""

from __future__ import annotations

import json
import os
import signal
import threading

import numpy as np
import pytest
from _processes import descendants, holding, wait_for
from daskcluster import XDIST_GROUP, local_cluster

from probepress.cli import main
from probepress.measure.cache import ResultCache
from probepress.measure.cluster import ClusterError, run_on_cluster
from probepress.measure.runner import Job, run_probes
from probepress.probes import PROBES
from probepress.synth.encode import write_mp4

pytestmark = pytest.mark.xdist_group(XDIST_GROUP)

PROBE_SET = ("flicker", "motion", "reflection", "camera")


def _clip(path, seed: int, frames: int = 24, *, white_first: bool = False):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, (45, 80, 3), dtype=np.uint8)
    big = np.kron(base, np.ones((4, 4, 1), dtype=np.uint8))
    gains = 1 + 0.05 * rng.standard_normal(frames)
    video = np.stack([np.clip(big * g, 0, 255).astype(np.uint8) for g in gains])
    if white_first:
        video[0] = 255
    write_mp4(path, video, fps=24, crf=23)
    return path


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as cluster:
        yield cluster


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cluster")
    return [_clip(folder / f"clip{i}.mp4", seed=i) for i in range(3)]


def _outcomes(report):
    return [{name: r.to_dict() for name, r in clip.results.items()} for clip in report.clips]


def test_the_cluster_gives_the_local_pools_results_and_the_client_fills_the_cache(
    tmp_path, clips, cluster
):
    jobs = [Job(clip=c, probes=PROBE_SET) for c in clips]
    local = run_probes(jobs, workers=2)
    with ResultCache(tmp_path / "cache") as cache:
        remote = run_probes(jobs, cache=cache, scheduler=cluster.scheduler_address)
        warm = run_probes(jobs, cache=cache, workers=1)
    assert _outcomes(remote) == _outcomes(local)
    assert [c.info for c in remote.clips] == [c.info for c in local.clips]
    # Noise has no mirror axis: reflection's failure is the same, and cached the same.
    assert (remote.run, remote.failed) == (local.run, local.failed) == (9, 3)
    assert (warm.run, warm.cached, warm.failed) == (0, 12, 3)


def test_relative_clip_paths_reach_workers_that_run_elsewhere(
    tmp_path, clips, cluster, monkeypatch
):
    monkeypatch.chdir(clips[0].parent)
    report = run_probes(
        [Job(clip=clips[0].relative_to(clips[0].parent), probes=("flicker",))],
        scheduler=cluster.scheduler_address,
    )
    assert report.clips[0].results["flicker"]
    assert not report.clips[0].path.is_absolute()  # reported as given


def test_a_worker_killed_mid_clip_is_retried_and_the_run_completes(tmp_path, clips, cluster):
    # A longer clip, so that its worker is caught with the file open while decoding it.
    victim = _clip(tmp_path / "victim.mp4", seed=7, frames=480)
    jobs = [Job(clip=victim, probes=("flicker", "motion"))]
    jobs += [Job(clip=c, probes=("flicker",)) for c in clips]
    killed: list[int] = []

    def kill_the_victims_worker() -> None:
        pid = wait_for(lambda: holding(victim, descendants(os.getpid())), timeout=90)
        if pid:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    killer = threading.Thread(target=kill_the_victims_worker)
    killer.start()
    with ResultCache(tmp_path / "cache") as cache:
        report = run_probes(jobs, cache=cache, scheduler=cluster.scheduler_address)
        killer.join()
        assert killed, "no worker was caught measuring the victim clip"
        assert (report.run, report.failed) == (5, 0)
        again = run_probes(jobs[:1], cache=cache, workers=1)
    assert (again.run, again.cached) == (0, 2)  # the retried clip's results were cached
    alone = run_probes(jobs[:1], workers=1)
    assert _outcomes(report)[:1] == _outcomes(alone)


@pytest.fixture
def crash_probe(cluster, monkeypatch):
    """The test-only ``crash_on_white`` probe, registered here and in every worker."""
    from _dask_probes import PROBE, RegisterCrashProbe
    from distributed import Client

    monkeypatch.setitem(PROBES, PROBE.name, PROBE)
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(RegisterCrashProbe())
        yield PROBE
        client.unregister_worker_plugin(RegisterCrashProbe.name)


def test_a_clip_that_crashes_every_worker_fails_alone_by_name_and_is_not_cached(
    tmp_path, clips, cluster, crash_probe
):
    crasher = _clip(tmp_path / "crasher.mp4", seed=11, white_first=True)
    jobs = [Job(clip=crasher, probes=("flicker", crash_probe.name))]
    jobs += [Job(clip=c, probes=(crash_probe.name,)) for c in clips]
    with ResultCache(tmp_path / "cache") as cache:
        report = run_probes(jobs, cache=cache, scheduler=cluster.scheduler_address)
        crashed, *others = report.clips
        for name in ("flicker", crash_probe.name):
            error = crashed.results[name].error
            assert error.startswith(
                "the worker measuring crasher.mp4 died: the clip killed 2 Dask workers in turn"
            )
        assert all(other.results[crash_probe.name] for other in others)
        assert (report.run, report.failed) == (3, 2)
        # As with the local pool, a death is no property of the clip: nothing is cached.
        assert all(cache.get(key) is None for key in crashed.keys.values())
        assert all(cache.get(other.keys[crash_probe.name]) for other in others)


def test_workers_with_other_probes_are_refused_by_name(clips, cluster):
    from _dask_probes import PROBE, RegisterCrashProbe
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.register_plugin(RegisterCrashProbe())  # the workers have it, we do not
        try:
            with pytest.raises(ClusterError, match=rf"{PROBE.name} test-1, here missing"):
                run_probes(
                    [Job(clip=clips[0], probes=("flicker",))],
                    scheduler=cluster.scheduler_address,
                )
        finally:
            client.unregister_worker_plugin(RegisterCrashProbe.name)


def test_the_probe_command_runs_on_the_scheduler_it_is_given(clips, cluster, capsys):
    args = ["probe", str(clips[1]), "--probe", "flicker", "--json", "--no-cache"]
    assert main([*args, "--workers", "1"]) == 0
    local = json.loads(capsys.readouterr().out)
    assert main([*args, "--scheduler", cluster.scheduler_address]) == 0
    assert json.loads(capsys.readouterr().out) == local


def test_an_unreachable_scheduler_is_named_with_what_to_do():
    tasks = run_on_cluster(abs, [1], scheduler="tcp://127.0.0.1:9", connect_timeout=0.5)
    with pytest.raises(ClusterError) as error:
        next(tasks)
    message = str(error.value)
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in message
    assert "dask worker tcp://127.0.0.1:9" in message


def test_the_probe_command_names_a_scheduler_it_cannot_reach_and_exits_2(clips, capsys):
    status = main(["probe", str(clips[0]), "--no-cache", "--scheduler", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("probepress: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "Traceback" not in err

"""The runner: cache first, each clip decoded once, failures isolated, one summary line."""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
import pytest
from _processes import descendants, holding, wait_for

from probepress.measure import runner
from probepress.measure.cache import ResultCache
from probepress.measure.runner import Job, run_probes
from probepress.synth.encode import write_mp4
from probepress.video.budget import ClipBudget


def _clip(path, seed: int, frames: int = 24):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, (45, 80, 3), dtype=np.uint8)
    big = np.kron(base, np.ones((4, 4, 1), dtype=np.uint8))
    gains = 1 + 0.05 * rng.standard_normal(frames)
    video = np.stack([np.clip(big * g, 0, 255).astype(np.uint8) for g in gains])
    write_mp4(path, video, fps=24, crf=23)
    return path


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runner")
    return [_clip(folder / f"clip{i}.mp4", seed=i) for i in range(3)]


def test_cold_run_measures_then_warm_run_reads_cache(tmp_path, clips):
    jobs = [Job(clip=c, probes=("flicker",)) for c in clips]
    with ResultCache(tmp_path) as cache:
        cold = run_probes(jobs, cache=cache, workers=1)
        warm = run_probes(jobs, cache=cache, workers=1)
    assert (cold.run, cold.cached, cold.failed) == (3, 0, 0)
    assert (warm.run, warm.cached, warm.failed) == (0, 3, 0)
    for a, b in zip(cold.clips, warm.clips, strict=True):
        assert a.results["flicker"].metrics == b.results["flicker"].metrics
        assert b.info == a.info


def test_pool_and_single_process_give_the_same_numbers(clips):
    jobs = [Job(clip=c, probes=("flicker",)) for c in clips]
    serial = run_probes(jobs, workers=1)
    pooled = run_probes(jobs, workers=2)
    for a, b in zip(serial.clips, pooled.clips, strict=True):
        assert a.results["flicker"].metrics == b.results["flicker"].metrics


def test_one_corrupt_clip_fails_alone(tmp_path, clips):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 5000)
    jobs = [Job(clip=clips[0], probes=("flicker",)), Job(clip=broken, probes=("flicker",))]
    report = run_probes(jobs, workers=2)
    good, bad = report.clips
    assert good.results["flicker"]
    assert not bad.results["flicker"]
    assert bad.failed and not good.failed
    assert (report.run, report.failed) == (1, 1)


def test_missing_clip_is_a_failure_with_the_reason(tmp_path):
    report = run_probes([Job(clip=tmp_path / "gone.mp4", probes=("flicker",))], workers=1)
    assert "cannot read" in report.clips[0].error
    assert report.failed == 1


def test_a_failure_is_cached_so_a_warm_run_decodes_nothing(tmp_path, clips, monkeypatch):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 5000)
    # Noise has no mirror axis and no falling object: reflection and gravity fail on it.
    jobs = [
        Job(clip=broken, probes=("flicker",)),
        Job(clip=clips[0], probes=("reflection", "gravity", "flicker")),
    ]
    with ResultCache(tmp_path / "cache") as cache:
        cold = run_probes(jobs, cache=cache, workers=1)

        def no_decoding(path, **_kwargs):
            raise AssertionError(f"{path} was decoded on a warm run")

        monkeypatch.setattr(runner, "open_clip", no_decoding)
        warm = run_probes(jobs, cache=cache, workers=1)
    assert (cold.run, cold.cached, cold.failed) == (1, 0, 3)
    assert (warm.run, warm.cached, warm.failed) == (0, 4, 3)
    for before, after in zip(cold.clips, warm.clips, strict=True):
        assert after.results == before.results  # the same failures, with their reasons
    assert "no mirror axis" in warm.clips[1].results["reflection"].error
    assert warm.clips[0].error == cold.clips[0].error  # unreadable, warm or cold


def test_a_clip_over_budget_is_not_cached_so_a_raised_budget_measures_it(tmp_path, clips):
    jobs = [Job(clip=clips[0], probes=("flicker",))]
    with ResultCache(tmp_path / "cache") as cache:
        refused = run_probes(jobs, cache=cache, workers=1, budget=ClipBudget(max_seconds=0.5))
        raised = run_probes(jobs, cache=cache, workers=1, budget=ClipBudget(max_seconds=60))
    assert "over the budget of 0.5 s" in refused.clips[0].results["flicker"].error
    assert (raised.run, raised.cached, raised.failed) == (1, 0, 0)


def test_a_worker_killed_mid_clip_fails_that_clip_alone(tmp_path, clips):
    # A longer clip, so that its worker is caught with the file open while decoding it.
    victim = _clip(tmp_path / "victim.mp4", seed=7, frames=480)
    jobs = [Job(clip=victim, probes=("flicker", "motion"))]
    jobs += [Job(clip=c, probes=("flicker",)) for c in clips]

    def kill_the_victims_worker() -> None:
        pid = wait_for(lambda: holding(victim, descendants(os.getpid())), timeout=60)
        if pid:
            os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_the_victims_worker)
    killer.start()
    with ResultCache(tmp_path / "cache") as cache:
        report = run_probes(jobs, cache=cache, workers=2)
        killer.join()
        killed, *others = report.clips
        for name in ("flicker", "motion"):
            assert killed.results[name].error == "the worker measuring victim.mp4 died (signal 9)"
        assert all(other.results["flicker"] for other in others)
        assert (report.run, report.failed) == (3, 2)
        # A death is no property of the clip: the next run measures it, not the cache.
        again = run_probes(jobs[:1], cache=cache, workers=1)
    assert (again.run, again.cached, again.failed) == (2, 0, 0)


def test_replacing_a_clip_reprobes_only_that_clip(tmp_path, clips):
    copies = []
    for i, clip in enumerate(clips):
        copies.append(tmp_path / f"c{i}.mp4")
        copies[-1].write_bytes(clip.read_bytes())
    jobs = [Job(clip=c, probes=("flicker",)) for c in copies]
    with ResultCache(tmp_path / "cache") as cache:
        run_probes(jobs, cache=cache, workers=1)
        _clip(copies[1], seed=99)
        again = run_probes(jobs, cache=cache, workers=1)
    assert (again.run, again.cached) == (1, 2)


def test_summary_line_counts_everything(clips):
    report = run_probes([Job(clip=clips[0], probes=("flicker",))], workers=1)
    assert report.summary.startswith("probes: 1 run, 0 cached, 0 failed in ")
    assert report.summary.endswith(" s")

"""The result cache: keyed by content, tolerant of corruption and of concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from probepress.measure.cache import ResultCache, result_key
from probepress.probes.base import ProbeResult
from probepress.video.decode import ClipInfo


def _result(value: float = 1.5) -> ProbeResult:
    return ProbeResult(
        probe="flicker",
        version="1",
        metrics={"flicker_index": value, "temporal_flickering": float("nan")},
        series={"brightness": [1.0, None, 2.0]},
        overlay={"static": [{"kind": "point", "xy": [1, 2]}]},
        params={"window": 9},
    )


def test_key_changes_with_every_input():
    base = result_key("abc", "flicker", "1", {"w": 9})
    assert result_key("abc", "flicker", "1", {"w": 9}) == base
    assert result_key("abd", "flicker", "1", {"w": 9}) != base
    assert result_key("abc", "motion", "1", {"w": 9}) != base
    assert result_key("abc", "flicker", "2", {"w": 9}) != base
    assert result_key("abc", "flicker", "1", {"w": 10}) != base
    assert result_key("abc", "flicker", "1", {"w": 9}, "ref") != base


def test_stored_result_round_trips(tmp_path):
    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
        got = cache.get("k")
    assert got is not None
    assert got.metrics["flicker_index"] == 1.5
    assert got.series == {"brightness": [1.0, None, 2.0]}
    assert got.overlay["static"][0]["xy"] == [1, 2]
    assert got.params == {"window": 9}


def test_missing_key_is_a_miss(tmp_path):
    with ResultCache(tmp_path) as cache:
        assert cache.get("nothing") is None


def test_results_persist_across_instances(tmp_path):
    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
    with ResultCache(tmp_path) as cache:
        assert cache.get("k") is not None
        assert len(cache) == 1


def test_clip_info_round_trips(tmp_path):
    info = ClipInfo(Path("a.mp4"), "abc", 24.0, 144, 640, 360)
    with ResultCache(tmp_path) as cache:
        cache.put_clip_info(info)
        assert cache.clip_info("abc", Path("a.mp4")) == info
        assert cache.clip_info("other", Path("a.mp4")) is None


def test_failures_are_never_stored(tmp_path):
    from probepress.probes.base import ProbeFailure

    with ResultCache(tmp_path) as cache, pytest.raises(ValueError):
        cache.put("k", ProbeFailure("flicker", "1", "no light"), clip_sha256="abc")


def test_corrupt_cache_file_is_set_aside_with_a_warning(tmp_path, caplog):
    (tmp_path / ResultCache.FILENAME).write_bytes(b"garbage, not sqlite" * 500)
    with ResultCache(tmp_path) as cache:
        assert cache.get("k") is None
        cache.put("k", _result(), clip_sha256="abc")
        assert cache.get("k") is not None
    assert "unreadable" in caplog.text
    assert list(tmp_path.glob("results.corrupt-*"))


def test_unreadable_entry_is_recomputed_not_fatal(tmp_path, caplog):
    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
    with sqlite3.connect(tmp_path / ResultCache.FILENAME) as db:
        db.execute("UPDATE results SET result = '{broken' WHERE key = 'k'")
    with ResultCache(tmp_path) as cache:
        assert cache.get("k") is None
        assert len(cache) == 0
    assert "unreadable entry" in caplog.text


def _writer(folder: str, worker: int) -> None:
    with ResultCache(Path(folder)) as cache:
        for i in range(100):
            cache.put(f"{worker}-{i}", _result(i), clip_sha256=str(worker))


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(str(tmp_path), w)) for w in range(2)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(timeout=120)
        assert process.exitcode == 0
    with ResultCache(tmp_path) as cache:
        assert len(cache) == 200
        assert cache.get("1-99").metrics["flicker_index"] == 99

"""The result cache: keyed by content, tolerant of corruption and of concurrent writers."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from probepress.measure import cache as cache_module
from probepress.measure.cache import ResultCache, result_key
from probepress.probes.base import ProbeFailure, ProbeResult
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


def test_an_overlay_is_parsed_only_when_read(tmp_path, monkeypatch):
    # Overlays are most of a result's bytes and few are drawn: a warm build must not
    # parse them all. Count what json.loads parses while the entry is read, then used.
    from probepress.measure import lazy_json

    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
        cache.put("bare", replace(_result(), overlay={}), clip_sha256="abc")
        parsed: list[str] = []
        real_loads = cache_module.json.loads

        def counting_loads(text, *args, **kwargs):
            parsed.append(text)
            return real_loads(text, *args, **kwargs)

        monkeypatch.setattr(cache_module.json, "loads", counting_loads)
        got = cache.get("k")
        assert got is not None and got.metrics["flicker_index"] == 1.5
        assert not any('"xy"' in text for text in parsed)
        assert got.overlay  # true without parsing: an empty overlay is stored as none
        assert not any('"xy"' in text for text in parsed)
        assert got.overlay["static"][0]["xy"] == [1, 2]
        assert any('"xy"' in text for text in parsed)
        assert isinstance(got.overlay, lazy_json.LazyJsonObject)
        assert dict(got.overlay) == {"static": [{"kind": "point", "xy": [1, 2]}]}
        assert got.overlay == _result().overlay and _result().overlay == got.overlay
        bare = cache.get("bare")
        assert bare is not None and not bare.overlay and dict(bare.overlay) == {}


def test_an_unreadable_overlay_is_left_off_with_a_warning(tmp_path, caplog):
    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
    with sqlite3.connect(tmp_path / ResultCache.FILENAME) as db:
        db.execute("UPDATE overlays SET overlay = '{broken' WHERE key = 'k'")
    with ResultCache(tmp_path) as cache:
        got = cache.get("k")
    assert got is not None and got.metrics["flicker_index"] == 1.5
    assert dict(got.overlay) == {}
    assert "unreadable overlay of entry k" in caplog.text


def test_a_failure_replacing_a_result_leaves_no_overlay(tmp_path):
    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
        cache.put("k", ProbeFailure("flicker", "1", "no frames"), clip_sha256="abc")
        got = cache.get("k")
    assert isinstance(got, ProbeFailure)
    with sqlite3.connect(tmp_path / ResultCache.FILENAME) as db:
        assert db.execute("SELECT COUNT(*) FROM overlays").fetchone() == (0,)


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


def test_a_failure_round_trips_with_its_reason(tmp_path):
    failure = ProbeFailure("reflection", "2", "no mirror axis found")
    with ResultCache(tmp_path) as cache:
        cache.put("k", failure, clip_sha256="abc")
    with ResultCache(tmp_path) as cache:
        got = cache.get("k")
    assert got == failure and not got


@pytest.mark.parametrize("vfr", [True, False])
def test_variable_frame_rate_fact_round_trips(tmp_path, vfr):
    info = ClipInfo(Path("a.mp4"), "abc", 24.0, 144, 640, 360, vfr)
    with ResultCache(tmp_path) as cache:
        cache.put_clip_info(info)
    with ResultCache(tmp_path) as cache:
        assert cache.clip_info("abc", Path("a.mp4")).vfr is vfr


def test_key_changes_with_the_entry_format(monkeypatch):
    # Format 1 caches held no failures: a probepress of that era must never find one.
    base = result_key("abc", "flicker", "1", {"w": 9})
    monkeypatch.setattr(cache_module, "CACHE_FORMAT", cache_module.CACHE_FORMAT + 1)
    assert result_key("abc", "flicker", "1", {"w": 9}) != base


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


# A read-only cache, as a build without write access sees it. Root writes anywhere, so as
# root the build runs without the capabilities that let it ignore file permissions.
_UNPRIVILEGED = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    if os.geteuid() == 0
    else []
)
_USE_CACHE = """
import sys
from dataclasses import replace
from pathlib import Path
from probepress.measure.cache import ResultCache
from probepress.probes.base import ProbeResult
with ResultCache(Path(sys.argv[1])) as cache:
    print("enabled" if cache.enabled else "disabled")
    print("hit" if cache.get("k") is not None else "miss")
    cache.put("new", ProbeResult("flicker", "1", {"flicker_index": 2.0}), clip_sha256="abc")
    print(len(cache))
"""


def _use_cache_unprivileged(folder: Path) -> subprocess.CompletedProcess[str]:
    if _UNPRIVILEGED and shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv (util-linux) is missing")
    return subprocess.run(
        [*_UNPRIVILEGED, sys.executable, "-c", _USE_CACHE, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)


def test_a_read_only_cache_means_no_cache_and_one_warning(tmp_path):
    with ResultCache(tmp_path) as cache:
        cache.put("k", _result(), clip_sha256="abc")
    _read_only(tmp_path)
    try:
        run = _use_cache_unprivileged(tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["disabled", "miss", "0"]
    assert "Traceback" not in run.stderr
    assert run.stderr.count("probepress cache: cannot use") == 1
    assert "measuring without a cache" in run.stderr
    assert "moved it" not in run.stderr  # nothing was moved, so nothing claims it was
    assert (tmp_path / ResultCache.FILENAME).exists()


def test_a_cache_folder_that_cannot_be_made_means_no_cache(tmp_path):
    parent = tmp_path / "locked"
    parent.mkdir()
    _read_only(parent)
    try:
        run = _use_cache_unprivileged(parent / "cache")
    finally:
        parent.chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["disabled", "miss", "0"]
    assert run.stderr.count("probepress cache: cannot use") == 1

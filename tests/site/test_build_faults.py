"""Builds that are killed, lose their cache, cannot write it, or change what results mean.

Each case builds the small site (tests/site/_small_site.py) with the real mkdocs and
compares the output, file by file, with a clean build's: nothing half-written, nothing
stale, nothing left running.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from _small_site import render_clips, site_digest, small_site
from sitebuild import BIN, build_site

pytestmark = pytest.mark.slow

MEASURE_TESTS = Path(__file__).resolve().parents[1] / "measure"
sys.path.insert(0, str(MEASURE_TESTS))
from _processes import alive, descendants, wait_for  # noqa: E402

CACHE = Path(".cache/probepress")
# Root writes anywhere: as root, a read-only cache is only read-only without these.
_UNPRIVILEGED = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
    if os.geteuid() == 0
    else []
)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    return render_clips(tmp_path_factory.mktemp("small-clips"))


@pytest.fixture(scope="module")
def clean(tmp_path_factory, clips) -> tuple[Path, dict[str, str]]:
    """The small site built once from scratch: its root and its output's digest."""
    root = small_site(tmp_path_factory.mktemp("clean"), clips)
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    return root, site_digest(root / "site")


def _with_cache_of(built: Path, folder: Path, clips: Path) -> Path:
    """A fresh copy of the small site in ``folder``, with the cache of the site ``built``."""
    root = small_site(folder / "site-root", clips)
    shutil.copytree(built / ".cache", root / ".cache")
    return root


def _start_build(root: Path, *command: str, to_be_killed: bool = False) -> subprocess.Popen:
    """Start ``mkdocs build --strict``; a build to be killed gets no pipe (orphans would
    hold it open, and reading it would wait for them rather than fail)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen(
        [*command, str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(root / "site")],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL if to_be_killed else subprocess.PIPE,
        text=True,
    )


def _stored_results(root: Path) -> int:
    """How many probe outcomes the build has stored so far (0 if it cannot tell yet)."""
    path = root / CACHE / "results.sqlite"
    if not path.is_file():
        return 0
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)) as db:
            return db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.Error:
        return 0


def _temporaries(root: Path) -> list[Path]:
    media = root / CACHE / "media"
    return [*media.glob(".*.part.*"), *media.glob(".*.lock")] if media.is_dir() else []


def _kill_when(build: subprocess.Popen, evidence) -> set[int]:
    """SIGKILL ``build`` as soon as ``evidence()`` holds; returns its processes then."""
    seen = wait_for(lambda: evidence() or build.poll() is not None, timeout=300, every=0.002)
    family = descendants(build.pid)
    assert seen and build.poll() is None, "the build ended before the phase was reached"
    build.send_signal(signal.SIGKILL)
    assert build.wait() == -signal.SIGKILL
    return family


def test_a_build_killed_in_each_phase_rebuilds_to_the_clean_output(tmp_path, clips, clean):
    root = small_site(tmp_path, clips)

    # Probing: a first clip's results are stored, the other clips are in workers.
    build = _start_build(root, to_be_killed=True)
    family = _kill_when(build, lambda: _stored_results(root) > 0)
    assert len(family) >= 3, "expected a forkserver and workers"
    wait_for(lambda: not any(alive(p) for p in family), timeout=15, every=0.1)
    left = [p for p in family if alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)  # do not leave them to the next test either
    assert not left, f"processes outlived the killed build by 15 s: {left}"

    # Encoding: a temporary is being written in the media cache.
    _kill_when(_start_build(root, to_be_killed=True), lambda: _temporaries(root))
    assert _temporaries(root), "the kill left no temporary (the phase was missed)"

    # Writing open data: the data folder has appeared in the site.
    _kill_when(_start_build(root, to_be_killed=True), lambda: (root / "site" / "data").is_dir())

    rebuilt = build_site(root)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Traceback" not in rebuilt.stderr
    assert not _temporaries(root), "stale temporaries were left in the media cache"
    assert site_digest(root / "site") == clean[1]


def test_deleting_the_cache_while_media_are_encoded_changes_nothing(tmp_path, clips, clean):
    root = small_site(tmp_path, clips)
    build = _start_build(root)

    def delete_once_encoding() -> bool:
        if not _temporaries(root):
            return False
        shutil.rmtree(root / ".cache", ignore_errors=True)  # files come and go meanwhile
        return True

    deleted = wait_for(
        lambda: delete_once_encoding() or build.poll() is not None, timeout=300, every=0.002
    )
    _out, stderr = build.communicate(timeout=600)
    assert deleted and not (root / CACHE / "results.sqlite").exists(), "nothing was deleted"
    assert build.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert site_digest(root / "site") == clean[1]


def test_a_read_only_cache_builds_the_same_site_with_one_warning(tmp_path, clips, clean):
    if _UNPRIVILEGED and shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv (util-linux) is missing")
    root = _with_cache_of(clean[0], tmp_path, clips)
    cache = root / ".cache"
    for path in [cache, *cache.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        build = _start_build(root, *_UNPRIVILEGED)
        _out, stderr = build.communicate(timeout=600)
    finally:
        for path in [cache, *cache.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    assert build.returncode == 0, stderr
    assert "Traceback" not in stderr
    warnings = [line for line in stderr.splitlines() if "cannot use" in line or "WARNING" in line]
    assert len(warnings) == 1 and "measuring without a cache" in warnings[0], warnings
    assert site_digest(root / "site") == clean[1]


def test_changing_the_analysis_size_serves_overlays_of_the_new_results(tmp_path, clips, clean):
    root = _with_cache_of(clean[0], tmp_path, clips)
    before = {p.name for p in (clean[0] / "site" / "media" / "overlays").iterdir()}
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("analysis_long_side: 480", "analysis_long_side: 240")
    )
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    after = {p.name for p in (root / "site" / "media" / "overlays").iterdir()}
    assert after and not after & before, "an overlay of the 480 px results is still served"
    post = next((root / "site" / "blog").rglob("one-falling-ball/index.html")).read_text()
    served = {Path(uri).name for uri in re.findall(r'data-pp-overlay="([^"]+)"', post)}
    assert served and served <= after


def test_a_warm_build_serves_kept_overlay_files_without_parsing_results(tmp_path, clips, clean):
    # Overlay files are kept with the media, named by their result's key: a warm build
    # serves them as they are. Spoil every stored overlay: a build that parsed them
    # would warn and serve empty ones; this one must serve the clean build's files.
    root = _with_cache_of(clean[0], tmp_path, clips)
    kept = root / CACHE / "media" / "overlays"
    assert sorted(p.name for p in kept.iterdir()) == sorted(
        p.name for p in (clean[0] / "site" / "media" / "overlays").iterdir()
    )
    with closing(sqlite3.connect(root / CACHE / "results.sqlite")) as db, db:
        assert db.execute("UPDATE overlays SET overlay = '{spoilt'").rowcount > 0
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    assert "unreadable overlay" not in result.stderr
    assert site_digest(root / "site") == clean[1]

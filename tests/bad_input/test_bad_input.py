"""Every bad input fails ``mkdocs build -q --strict`` and ``probepress check`` alike.

Each case of ``_cases.CASES`` changes one thing in a copy of the minimal site; both tools
must fail (or, for tricky valid input, both succeed), name the same file and line with
the expected message, print no traceback, print a bounded number of lines, and leave
posts/, docs/ and assets/ as they were. ``-q`` on purpose: quiet mode hides warnings
from MkDocs' strict counter, so anything that must fail the build is an error.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from _cases import CASES, Case
from _minimal_site import Media, make_media, make_site, source_digest
from sitebuild import BIN, run_mkdocs

# The most lines a failing run may print: the capped list (50) and a few more.
MAX_OUTPUT_LINES = 60


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    """The test media, rendered once per test process."""
    return make_media(tmp_path_factory.mktemp("bad-input-media"))


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One probe and media cache for every case (results are keyed by content hash)."""
    return tmp_path_factory.mktemp("bad-input-cache")


def _check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "probepress"), "check"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_build_and_check_agree(case: Case, tmp_path: Path, media: Media, shared_cache: Path):
    root = make_site(tmp_path / "site", media, shared_cache)
    case.change(root, media)
    before = source_digest(root)
    build = run_mkdocs(root, "build", "-q", "--strict", "--site-dir", str(tmp_path / "out"))
    check = _check(root)
    assert source_digest(root) == before, "a tool wrote into posts/, docs/ or assets/"
    for tool, result in (("mkdocs build", build), ("probepress check", check)):
        output = result.stdout + result.stderr
        assert "Traceback" not in output, f"{tool}:\n{output}"
        if case.works:
            assert result.returncode == 0, f"{tool}:\n{output}"
            continue
        assert result.returncode != 0, f"{tool} passed:\n{output}"
        named = [line for line in output.splitlines() if case.where in line]
        assert any(case.fragment in line for line in named), (
            f"{tool} did not say {case.fragment!r} at {case.where}:\n{output}"
        )
        assert case.also in output, f"{tool} did not say {case.also!r}:\n{output}"
        assert len(output.splitlines()) <= MAX_OUTPUT_LINES, f"{tool}:\n{output}"
    if not case.works:
        assert check.returncode == 1, check.stderr
        assert case.check_says in check.stdout, check.stdout

"""A new user's path: install probepress from its wheel, ``probepress init``, build strict.

Runs in a fresh virtual environment that sees nothing of this checkout: the package is
installed from a wheel built from the sources (no editable install), with the
dependencies pyproject.toml declares, so a missing dependency, an unbounded range that
resolves to an untested release, a file left out of the package data, or a plugin entry
point that is not registered fails here. Downloaded wheels are kept in
``.cache/test-wheelhouse`` so that a second run installs offline, and nothing is
byte-compiled (``--no-compile``): on a busy machine that halves the install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import REPO

pytestmark = pytest.mark.slow

WHEELHOUSE = REPO / ".cache" / "test-wheelhouse"


def _run(args: list[str], *, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout may leak in: no PYTHONPATH, no virtual environment.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _check(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (
        f"{result.args}\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    )
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The probepress wheel, built from a copy of the sources (the checkout stays clean)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "src", source / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    out = tmp_path_factory.mktemp("wheel")
    _check(
        _run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(source), "-w", str(out)],
            cwd=source,
        )
    )
    (built,) = out.glob("probepress-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    """A fresh virtual environment with probepress installed from ``wheel``; its bin/."""
    root = tmp_path_factory.mktemp("venv")
    _check(_run([sys.executable, "-m", "venv", str(root)], cwd=root))
    pip = [str(root / "bin" / "python"), "-m", "pip", "install", "-q", "--no-compile"]
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    offline = _run([*pip, "--no-index", "--find-links", str(WHEELHOUSE), str(wheel)], cwd=root)
    if offline.returncode != 0:  # first run on this machine: fetch into the wheelhouse
        download = [str(root / "bin" / "python"), "-m", "pip", "download", "-q"]
        _check(_run([*download, "-d", str(WHEELHOUSE), str(wheel)], cwd=root))
        for ours in WHEELHOUSE.glob("probepress-*.whl"):  # always the one just built
            ours.unlink()
        _check(_run([*pip, "--no-index", "--find-links", str(WHEELHOUSE), str(wheel)], cwd=root))
    return root / "bin"


def test_a_fresh_install_runs_init_and_new_and_the_site_builds_strict(venv, tmp_path):
    site = tmp_path / "my-evals"
    _check(_run([str(venv / "probepress"), "init", str(site)], cwd=tmp_path))
    _check(
        _run([str(venv / "probepress"), "new", "A second look", "--date", "2026-12-01"], cwd=site)
    )
    build = _check(_run([str(venv / "mkdocs"), "build", "--strict"], cwd=site))
    assert "1 of 1 claims hold" in build.stderr
    assert (site / "site" / "leaderboard" / "index.html").is_file()
    assert (
        site / "site" / "blog" / "2026" / "12" / "01" / "a-second-look" / "index.html"
    ).is_file()
    # probepress check, the CI guard, agrees.
    _check(_run([str(venv / "probepress"), "check"], cwd=site))


def test_a_fresh_install_resolves_to_the_pinned_releases(venv):
    """pyproject's ranges install what requirements.txt pins (the tests run against those)."""
    listed = _check(_run([str(venv / "python"), "-m", "pip", "list", "--format=freeze"], cwd=venv))
    installed = dict(
        line.lower().split("==") for line in listed.stdout.splitlines() if "==" in line
    )
    for line in (REPO / "requirements.txt").read_text().splitlines():
        # The demo's notebook and social cards only (the latter: probepress[social]).
        if "==" not in line or line.startswith(("mkdocs-jupyter", "cairosvg")):
            continue
        name, pinned = line.lower().split("==")
        minor = ".".join(pinned.split(".")[:2])
        assert installed.get(name, "").startswith(minor + "."), (name, pinned, installed.get(name))


def test_the_wheel_ships_the_social_card_font_and_its_licence(venv):
    script = (
        "from probepress.site.social_cards import card_font_files\n"
        "files = card_font_files()\n"
        "assert [p.name for p in files] == ['Regular.ttf', 'Bold.ttf'], files\n"
        "assert all(p.stat().st_size > 100_000 for p in files), files\n"
        "assert (files[0].parent / 'LICENSE').is_file()\n"
    )
    _check(_run([str(venv / "python"), "-c", script], cwd=venv))

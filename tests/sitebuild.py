"""Helpers for tests that build real sites: copy the demo site, run the real mkdocs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_SOURCES = ("mkdocs.yml", "docs", "posts", "hooks")
BIN = Path(sys.executable).parent


def copy_site(dest: Path, *, with_clips_from: Path | None = None) -> Path:
    """Copy the demo site's sources (not its build output or cache) into ``dest``."""
    for name in SITE_SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    # The copy reads the repository's validation corpus in place (builds never write it).
    config = (dest / "mkdocs.yml").read_text(encoding="utf-8")
    corpus = REPO / "tests" / "validation"
    config = config.replace("validation: tests/validation", f"validation: {corpus}")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    clips = dest / "assets" / "clips"
    clips.mkdir(parents=True)
    shutil.copy2(REPO / "assets" / "clips" / "clips.yml", clips / "clips.yml")
    if with_clips_from is not None:
        for scene in with_clips_from.iterdir():
            if scene.is_dir():
                shutil.copytree(scene, clips / scene.name)
    return dest


def site_with_posts(root: Path, demo_clips: Path, cache: Path, posts: dict[str, str]) -> Path:
    """The demo site in ``root`` with only ``posts`` (name -> text), probing into ``cache``.

    A shared cache lets every site of a session reuse results (they are keyed by hash).
    """
    copy_site(root, with_clips_from=demo_clips)
    shutil.rmtree(root / "posts")
    (root / "posts").mkdir()
    for name, text in posts.items():
        (root / "posts" / name).write_text(text, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "cache_dir: .cache/probepress" in config, "the demo's cache_dir setting moved"
    (root / "mkdocs.yml").write_text(
        config.replace("cache_dir: .cache/probepress", f"cache_dir: {cache}"), encoding="utf-8"
    )
    return root


def run_mkdocs(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``mkdocs`` command in ``root``; returns the finished process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(BIN / "mkdocs"), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def build_site(root: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the site in ``root`` into ``root/site``."""
    return run_mkdocs(root, "build", "--strict", "--site-dir", str(root / "site"))

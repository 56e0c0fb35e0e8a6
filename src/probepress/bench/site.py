"""``probepress bench --site``: what a build of a whole site costs, cold and warm.

On a copy of the site (sources only), with a fresh cache, it times a cold build, a warm
rebuild, a rebuild after editing one post's text and one after replacing one clip, and a
plain Material build of the same pages (posts moved into the blog by hand, no probepress
hooks) as the yardstick. Probe runs are read from the build log; encodes are the files
the media cache gained. Page weights are measured on the built site.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from probepress.bench.page_weight import PageWeight, page_weights
from probepress.bench.warm_gap import warm_gap_lines

__all__ = ["run_site_bench"]

WARM_TARGET = 1.2  # issue 10: warm rebuild / plain Material build
PAGE_LIMIT_BYTES = 300_000
_SOURCES = ("mkdocs.yml", "docs", "posts", "hooks", "assets")
_RUN = re.compile(r"probes: (\d+) run, (\d+) cached, (\d+) failed")
# Pages the plugin generates (leaderboard.md, claims.md), by their built folder.
_GENERATED_PAGES = ("leaderboard", "claims")
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)


def _mkdocs(root: Path, site: str = "site") -> tuple[float, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--site-dir", site],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed in {root}:\n{result.stderr[-2000:]}")
    return seconds, result.stderr


def _probes_run(log: str) -> str:
    match = _RUN.search(log)
    return f"{match.group(1)} run, {match.group(2)} cached" if match else "n/a"


def _media_files(root: Path) -> set[str]:
    folder = root / ".cache" / "probepress" / "media"
    return (
        {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
        if folder.exists()
        else set()
    )


def _reencode(path: Path) -> None:
    """Replace a clip by a new encoding of its own frames: new bytes, same scene."""
    from probepress.synth.encode import write_mp4
    from probepress.video.decode import open_clip

    clip = open_clip(path, long_side=max(1, 10_000))
    write_mp4(path, clip.rgb, fps=clip.fps, crf=20)


def _plain_copy(source: Path, dest: Path) -> Path:
    """The same pages as a plain Material site: posts in docs/blog/posts, no hooks.

    The clips and the probe cache come along: the methodology notebook reads them
    when it executes, in this build as in the real one. The pages the plugin generates
    (leaderboard, claims; the 10x leaderboard is 0.6 MB) come as their built content
    from ``source/site``, raw HTML in a Markdown page, so the yardstick renders and
    indexes them too.
    """
    shutil.copytree(source / "docs", dest / "docs")
    shutil.copytree(source / "posts", dest / "docs" / "blog" / "posts", dirs_exist_ok=True)
    shutil.copytree(source / "assets", dest / "assets")
    (dest / ".cache" / "probepress").mkdir(parents=True)
    for part in (source / ".cache" / "probepress").glob("results.sqlite*"):  # with its WAL
        shutil.copy2(part, dest / ".cache" / "probepress" / part.name)
    # Material's social cards draw with the font probepress seeded; without it, the
    # plain site would download one.
    fonts = Path(".cache", "plugin", "social", "fonts")
    if (source / fonts).is_dir():
        shutil.copytree(source / fonts, dest / fonts)
    config = (source / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n(?:hooks|watch):\n(?:  - .*\n)+", "\n", config)
    # The plugin's entry under plugins:, with its comment and settings.
    config = re.sub(r"\n(?:  # .*\n)*  - probepress(?::\n(?:      .*\n)+|\n)", "\n", config)
    # Pages the plugin serves from the package: the plain site gets them as files.
    methods = resources.files("probepress") / "site" / "methods"
    (dest / "docs" / "probes").mkdir(exist_ok=True)
    for page in methods.iterdir():
        if page.name.endswith(".md") and not (dest / "docs" / "probes" / page.name).exists():
            (dest / "docs" / "probes" / page.name).write_text(
                page.read_text(encoding="utf-8"), encoding="utf-8"
            )
    for name in _GENERATED_PAGES:
        built = source / "site" / name / "index.html"
        page = dest / "docs" / f"{name}.md"
        match = _ARTICLE.search(built.read_text(encoding="utf-8")) if built.is_file() else None
        if match and not page.exists():
            page.write_text(f"{match.group(1).strip()}\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


def _weights_table(weights: list[PageWeight]) -> list[str]:
    """Markdown: what a first visit to each page downloads, heaviest first."""
    lines = [
        "## Page weights",
        "",
        "What a first visit downloads before the reader interacts (files as stored), and",
        "what loads on demand: clips when played, overlays and plotly.js (pages with a",
        "chart; cached after the first) when near the viewport. Heaviest first:",
        "",
        "| page | HTML KB | scripts and styles KB | media KB | first visit MB | on demand MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for w in weights:
        page = w.page.removesuffix("index.html") or "/"
        lines.append(
            f"| {page} | {w.html / 1e3:.0f} | {w.code / 1e3:.0f} | {w.media / 1e3:.0f} "
            f"| {w.total / 1e6:.2f} | {w.on_demand / 1e6:.2f} |"
        )
    return [*lines, ""]


#: Warm and plain builds timed in turn: one of each varied by 15 % on a quiet 2-core
#: machine (the 10x site's plain build took 5.9 s in one run and 7.7 s in another).
PAIRS = 3


def warm_against_plain(root: Path, plain_root: Path) -> tuple[float, float, str]:
    """Median warm rebuild of ``root`` and plain build of ``plain_root``, in turn.

    Taken in turn so that a slow spell of a shared machine falls on both. Returns the
    two medians (seconds) and the first warm build's log.
    """
    _mkdocs(plain_root)  # the first plain build pays imports and the theme's copy
    warms, plains, logs = [], [], []
    for _ in range(PAIRS):
        seconds, log = _mkdocs(root)
        warms.append(seconds)
        logs.append(log)
        plains.append(_mkdocs(plain_root)[0])
    return statistics.median(warms), statistics.median(plains), logs[0]


def run_site_bench(source: Path, out: Path, *, say: Callable = print) -> str:
    """Benchmark builds of the site at ``source``; write a Markdown report to ``out``."""
    with tempfile.TemporaryDirectory(prefix="probepress-site-bench-") as scratch:
        root = Path(scratch) / "site"
        root.mkdir()
        for name in _SOURCES:
            path = source / name
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, root / name)
        say("cold build (fresh cache) ...")
        cold, cold_log = _mkdocs(root)
        media_after_cold = _media_files(root)
        say(f"warm rebuilds and plain Material builds of the same pages ({PAIRS} pairs) ...")
        plain_root = _plain_copy(root, Path(scratch) / "plain")
        warm, plain, warm_log = warm_against_plain(root, plain_root)
        gap: list[str] = []
        if warm / plain > WARM_TARGET:
            say("one more warm build, profiled, for where the gap goes ...")
            gap = warm_gap_lines(root, plain_root, warm, plain)
        warm_encodes = len(_media_files(root) - media_after_cold)
        say("rebuild after editing one post ...")
        post = sorted((root / "posts").glob("*.md"))[0]
        post.write_text(
            post.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8"
        )
        edited, edited_log = _mkdocs(root)
        edit_encodes = len(_media_files(root) - media_after_cold)
        say("rebuild after replacing one clip ...")
        clips = sorted((root / "assets" / "clips").rglob("*.mp4"))
        replaced = clips[-1]
        _reencode(replaced)
        before = _media_files(root)
        swapped, swapped_log = _mkdocs(root)
        swap_encodes = len(_media_files(root) - before)
        weights = page_weights(root / "site")
        heaviest = max(weights, key=lambda w: w.html)
        plotly_copies = len(list((root / "site").rglob("plotly*.js")))
    ratio = warm / plain
    lines = [
        "# probepress site build benchmark",
        "",
        f"Site: {source} ({len(clips)} clips), on {os.cpu_count()} cores.",
        "",
        "| build | seconds | probes | new media files |",
        "|---|---:|---|---:|",
        f"| cold (empty cache) | {cold:.1f} | {_probes_run(cold_log)} | {len(media_after_cold)} |",
        f"| warm rebuild | {warm:.1f} | {_probes_run(warm_log)} | {warm_encodes} |",
        f"| after editing one post's text | {edited:.1f} | {_probes_run(edited_log)} "
        f"| {edit_encodes} |",
        f"| after replacing one clip ({replaced.relative_to(root / 'assets' / 'clips')}) "
        f"| {swapped:.1f} | {_probes_run(swapped_log)} | {swap_encodes} |",
        f"| plain Material build of the same pages | {plain:.1f} | - | - |",
        "",
        f"**Warm rebuild / plain build: {ratio:.2f}** (target at most {WARM_TARGET}; "
        f"medians of {PAIRS} warm and plain builds, taken in turn).",
        *(["", *gap, ""] if gap else []),
        f"Heaviest HTML: {heaviest.page} at {heaviest.html / 1000:.0f} KB "
        f"(limit {PAGE_LIMIT_BYTES / 1000:.0f} KB). plotly.js files in the site: {plotly_copies}.",
        "",
        *_weights_table(weights),
    ]
    report = "\n".join(lines)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    return report

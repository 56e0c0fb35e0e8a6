"""Where a warm rebuild's time over a plain Material build goes, when it misses its target.

One more warm build runs under cProfile, and the cumulative time of each of
probepress's build hooks is read from it as a share of the whole profiled build. Only
shares are used: profiling slows Python code (more so than FFmpeg or libyaml), so its
seconds are not the build's. Each share is applied to the measured warm time. What
the hooks leave of the gap is MkDocs and Material working through bigger pages: the
HTML each build wrote is weighed, so the report can say how much bigger.
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["warm_gap_lines"]

# (what it is, module file, its functions): the plugin's hooks and the fence
# formatter, which runs inside MkDocs' Markdown conversion. None calls another.
_PARTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("review: manifest, clips, cached results, claims", "site/build_review.py", ("review_build",)),
    ("fences: clips, comparisons, charts, claims", "site/fences.py", ("format",)),
    (
        "generated pages: leaderboard, claims, validation",
        "site/plugin.py",
        ("_add_generated_pages",),
    ),
    ("media: posters and web copies", "site/plugin.py", ("_prepare_media",)),
    ("open data and chart data files", "site/plugin.py", ("on_post_build",)),
    (
        "page hooks: inline values, citations, meta tags, posters",
        "site/plugin.py",
        ("on_page_markdown", "on_page_content", "on_page_context", "on_post_page"),
    ),
    ("importing probepress", "site/plugin.py", ("<module>",)),
)


def warm_gap_lines(root: Path, plain_root: Path, warm: float, plain: float) -> list[str]:
    """Markdown: the parts of a warm build of ``root`` beyond the plain build of ``plain_root``.

    Both sites must have been built (``site/`` in each) and ``root``'s cache be warm.
    """
    shares = _hook_shares(root)
    gap = warm - plain
    lines = [
        f"Where the {gap:.1f} s the warm build takes beyond the plain build go: each "
        "part's share of one more warm build run under cProfile, applied to the warm median.",
        "",
        "| part | share of the warm build | about seconds |",
        "|---|---:|---:|",
    ]
    for label, share in shares.items():
        lines.append(f"| {label} | {share:.1%} | {share * warm:.2f} |")
    hooks = sum(shares.values()) * warm
    lines.append(f"| probepress, all parts | {sum(shares.values()):.1%} | {hooks:.2f} |")
    ours, theirs = _html_bytes(root / "site"), _html_bytes(plain_root / "site")
    pages = (
        f"MkDocs' Markdown, Material's search index and its templates work through the "
        f"{ours / 1e6:.1f} MB of HTML the warm build writes, against the plain build's "
        f"{theirs / 1e6:.1f} MB (videos, comparisons, charts with their data)"
    )
    largest = max(shares, key=shares.get)
    rest = f"the remaining {gap - hooks:.1f} s: {pages}" if hooks < gap else f"besides, {pages}"
    lines += [
        "",
        f"- the gap: probepress's own work is about {hooks:.1f} s, no part over "
        f"{shares[largest] * warm:.2f} s ({largest}); {rest}",
    ]
    return lines


def _hook_shares(root: Path) -> dict[str, float]:
    """Each part's cumulative time as a share of one profiled warm build of ``root``."""
    with tempfile.TemporaryDirectory(prefix="probepress-warm-profile-") as scratch:
        profile = Path(scratch) / "warm.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(profile)]
        command += ["-m", "mkdocs", "build", "--site-dir", "site"]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, timeout=1800
        )
        if result.returncode != 0:
            raise RuntimeError(f"profiled build failed in {root}:\n{result.stderr[-2000:]}")
        stats = pstats.Stats(str(profile))
    total = stats.total_tt  # type: ignore[attr-defined]  # set by pstats, not typed
    cumulative: dict[tuple[str, str], float] = {}
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        key = (Path(filename).as_posix(), function)
        cumulative[key] = cumulative.get(key, 0.0) + row[3]
    shares = {}
    for label, module, functions in _PARTS:
        seconds = sum(
            time
            for (filename, function), time in cumulative.items()
            if filename.endswith(f"probepress/{module}") and function in functions
        )
        shares[label] = seconds / total if total else 0.0
    return shares


def _html_bytes(site: Path) -> int:
    return sum(path.stat().st_size for path in site.rglob("*.html"))

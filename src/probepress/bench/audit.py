"""``make audit``: Lighthouse on the built demo site against a plain Material page.

The site is built into a scratch folder, with a plain Material page of the flagship
post's content beside it (the same text, posters and videos as plain ``<video controls
preload="metadata">`` tags, no probepress front end, no charts), and served by a local
stand-in for a static host (``static_host``: HTTP Range, gzip for text). Lighthouse
12.2.3 (npm, run with Debian's Chromium as ``CHROME_PATH``) audits the home page, the
flagship post, the leaderboard and the plain page, on its mobile and desktop presets,
and the report gives the performance score, what a first visit transfers before any
interaction, the clip bytes among it, and the notebook page's HTML size.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from probepress.bench.page_weight import page_weights
from probepress.bench.static_host import static_host

__all__ = ["LighthouseNotFoundError", "run_audit"]

LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_CLI = Path(".cache/audit/node_modules/lighthouse/cli/index.js")
FLAGSHIP = "blog/2026/11/25/second-impressions-physics-you-can-measure/"
NOTEBOOK = "methodology/reproduce/index.html"
PAGES = {"home": "", "flagship": FLAGSHIP, "leaderboard": "leaderboard/", "plain": "plain/"}
TRANSFER_TARGET = 1_500_000
SCORE_TARGET = 90
NOTEBOOK_TARGET = 300_000
PRESETS = {"mobile": [], "desktop": ["--preset=desktop"]}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


class LighthouseNotFoundError(FileNotFoundError):
    """Lighthouse is not installed where the audit looks for it."""


@dataclass(frozen=True)
class Audit:
    """What Lighthouse measured on one page with one preset."""

    score: int
    transfer: int  # bytes a first visit transferred, before any interaction
    clip_bytes: int  # of which clips (media requests)
    plotly: bool  # plotly.min.js among the requests
    metrics: dict[str, float]  # FCP, LCP, TBT (ms), CLS
    heaviest: list[tuple[str, int]]  # the largest transfers
    lcp_element: str  # what the largest contentful paint painted


def run_audit(
    source: Path, out: Path, *, lighthouse: Path | None = None, say: Callable = print
) -> str:
    """Build the site at ``source``, audit it, write a Markdown report to ``out``."""
    cli = (lighthouse or source / LIGHTHOUSE_CLI).resolve()
    if not cli.is_file():
        raise LighthouseNotFoundError(
            f"no Lighthouse at {cli}; install it with: "
            f"npm install --prefix {source / '.cache' / 'audit'} lighthouse@{LIGHTHOUSE_VERSION}"
        )
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="probepress-audit-") as scratch:
        site = Path(scratch) / "site"
        say("building the site ...")
        _mkdocs(source, ["--config-file", str(source / "mkdocs.yml"), "--site-dir", str(site)])
        say("building the plain Material page ...")
        _plain_page(site, Path(scratch) / "plain")
        weights = {w.page: w for w in page_weights(site)}
        notebook = site / NOTEBOOK
        notebook_bytes = notebook.stat().st_size if notebook.is_file() else None
        notebook_gzip = len(gzip.compress(notebook.read_bytes())) if notebook_bytes else None
        results: dict[str, dict[str, Audit]] = {}
        with static_host(site) as base:
            for preset, flags in PRESETS.items():
                for name, path in PAGES.items():
                    say(f"lighthouse {preset}: {name} ...")
                    report = out.parent / "audit" / f"{preset}-{name}.json"  # kept, to dig in
                    report.parent.mkdir(parents=True, exist_ok=True)
                    _lighthouse(cli, base + path, report, flags)
                    results.setdefault(preset, {})[name] = _read(report)
    lines = _report(results, weights, notebook_bytes, notebook_gzip, load_before, _load())
    text = "\n".join(lines)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def _mkdocs(cwd: Path, args: list[str]) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed in {cwd}:\n{result.stderr[-2000:]}")


# The flagship's article, and what of it is probepress's own front end.
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.S)
_VIDEO = re.compile(r"<video\b([^>]*)>\s*</video>")
_ATTR = re.compile(r'\b(src|poster)="([^"]*)"')
_IMG = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)"')
_DROPPED = (
    re.compile(r"<canvas\b[^>]*></canvas>"),  # overlays
    re.compile(r'<div class="pp-chart[^"]*" data-pp-figure="[^"]*"></div>'),  # charts
)


def _plain_page(site: Path, scratch: Path) -> None:
    """A plain Material site of one page, the flagship's content, built into site/plain/."""
    html = (site / FLAGSHIP / "index.html").read_text(encoding="utf-8")
    match = _ARTICLE.search(html)
    if not match:
        raise RuntimeError(f"no article in {FLAGSHIP}index.html")
    page_url = "/" + FLAGSHIP

    def plain_video(video: re.Match[str]) -> str:
        urls = dict(_ATTR.findall(video.group(1)))
        poster = urljoin(page_url, urls.get("poster", ""))
        src = urljoin(page_url, urls.get("src", ""))
        return (
            f'<video controls muted playsinline preload="metadata" poster="{poster}" '
            f'src="{src}"></video>'
        )

    article = _VIDEO.sub(plain_video, match.group(1))
    for pattern in _DROPPED:
        article = pattern.sub("", article)
    article = _IMG.sub(lambda m: m[1] + urljoin(page_url, m[2]) + '"', article)
    (scratch / "docs").mkdir(parents=True)
    (scratch / "docs" / "index.md").write_text(
        f'<div class="plain-copy" markdown="0">\n{article}\n</div>\n', encoding="utf-8"
    )
    (scratch / "mkdocs.yml").write_text(
        "site_name: Plain Material page\n"
        "theme:\n  name: material\n  font: false\n"
        "markdown_extensions: [md_in_html]\n",
        encoding="utf-8",
    )
    _mkdocs(scratch, ["--site-dir", str(site / "plain")])


def _lighthouse(cli: Path, url: str, report: Path, flags: list[str]) -> None:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        "node",
        str(cli),
        url,
        "--quiet",
        "--only-categories=performance",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        *flags,
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0 or not report.is_file():
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")


def _read(report: Path) -> Audit:
    data = json.loads(report.read_text(encoding="utf-8"))
    audits = data["audits"]
    requests = audits["network-requests"]["details"]["items"]
    clips = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") == "Media")
    heaviest = sorted(
        ((r["url"], r.get("transferSize", 0)) for r in requests), key=lambda r: -r[1]
    )[:4]
    metrics = {
        key: audits[name]["numericValue"]
        for key, name in (
            ("FCP", "first-contentful-paint"),
            ("LCP", "largest-contentful-paint"),
            ("TBT", "total-blocking-time"),
            ("CLS", "cumulative-layout-shift"),
        )
    }
    return Audit(
        lcp_element=_lcp_element(audits),
        score=round((data["categories"]["performance"]["score"] or 0) * 100),
        transfer=int(audits["total-byte-weight"]["numericValue"]),
        clip_bytes=int(clips),
        plotly=any("plotly" in r["url"] for r in requests),
        metrics=metrics,
        heaviest=heaviest,
    )


def _lcp_element(audits: dict) -> str:
    """The LCP element's selector, as Lighthouse 12 lists it ("?" if it has none)."""
    audit = audits.get("largest-contentful-paint-element", {})
    if audit.get("errorMessage"):  # Lighthouse 12.2.3 with a newer Chromium may fail here
        return "n/a (Lighthouse: " + audit["errorMessage"][:60] + ")"
    details = audit.get("details") or {}
    for table in details.get("items", []):
        for row in table.get("items", []):
            node = row.get("node") if isinstance(row, dict) else None
            if node:
                return node.get("selector") or node.get("snippet") or "?"
    return "?"


def _report(
    results: dict[str, dict[str, Audit]],
    weights: dict,
    notebook_bytes: int | None,
    notebook_gzip: int | None,
    load_before: str,
    load_after: str,
) -> list[str]:
    lines = [
        "# probepress page audit (Lighthouse)",
        "",
        f"Lighthouse {LIGHTHOUSE_VERSION}, Debian Chromium (`{CHROME_FLAGS}`), simulated "
        "throttling; the site served by a local static host with HTTP Range and gzip for "
        "text, as GitHub Pages serves it. Transfer is Lighthouse's total byte weight: "
        "everything a first visit fetched before any interaction.",
        "",
        f"Machine load: {load_before} before, {load_after} after (TBT, and so the score, "
        "rise with the load).",
        "",
    ]
    for preset, pages in results.items():
        lines += [
            f"## {preset}",
            "",
            "| page | performance | transfer KB | clips KB | plotly.js | FCP ms | LCP ms "
            "| TBT ms | CLS |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|",
        ]
        for name, audit in pages.items():
            m = audit.metrics
            lines.append(
                f"| {name} | {audit.score} | {audit.transfer / 1e3:.0f} | "
                f"{audit.clip_bytes / 1e3:.0f} | {'loaded' if audit.plotly else 'no'} | "
                f"{m['FCP']:.0f} | {m['LCP']:.0f} | {m['TBT']:.0f} | {m['CLS']:.3f} |"
            )
        lines.append("")
    lines += ["## Targets", "", *_targets(results, notebook_bytes, notebook_gzip), ""]
    lines += ["## Largest transfers and the LCP element", ""]
    for preset, pages in results.items():
        for name, audit in pages.items():
            heavy = ", ".join(
                f"{url.rsplit('/', 1)[-1] or '/'} {size / 1e3:.0f} KB"
                for url, size in audit.heaviest
            )
            lines.append(f"- {preset} {name}: {heavy}; LCP element `{audit.lcp_element}`")
    lines += ["", "## Page weights from the files (uncompressed)", ""]
    lines += [
        "| page | first visit KB | on demand KB (clips, overlays, plotly) |",
        "|---|---:|---:|",
    ]
    for name, path in PAGES.items():
        weight = weights.get(path + "index.html")
        if weight:
            lines.append(f"| {name} | {weight.total / 1e3:.0f} | {weight.on_demand / 1e3:.0f} |")
    return [*lines, ""]


def _targets(
    results: dict[str, dict[str, Audit]], notebook_bytes: int | None, notebook_gzip: int | None
) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = []
    for preset, pages in results.items():
        flagship = pages["flagship"].transfer
        lines.append(
            f"- {preset}: flagship first-visit transfer {flagship / 1e6:.2f} MB "
            f"(under {TRANSFER_TARGET / 1e6:.1f} MB): {mark(flagship < TRANSFER_TARGET)}"
        )
        plain = pages["plain"].score
        for name in ("home", "flagship", "leaderboard"):
            score = pages[name].score
            ok = score >= SCORE_TARGET and score >= plain
            lines.append(
                f"- {preset}: {name} performance {score} (at least {SCORE_TARGET} and the "
                f"plain page's {plain}): {mark(ok)}"
            )
    if notebook_bytes is None:
        lines.append(f"- notebook page: {NOTEBOOK} not built")
    else:
        lines.append(
            f"- notebook page HTML {notebook_bytes / 1e3:.0f} KB ({notebook_gzip / 1e3:.0f} KB "
            f"gzipped; under {NOTEBOOK_TARGET / 1e3:.0f} KB): "
            f"{mark(notebook_bytes < NOTEBOOK_TARGET)}"
        )
    return lines

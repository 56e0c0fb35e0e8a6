"""The claims ledger as a page: every claim of the site, whether it holds, and where.

Generated before pages render (claims are evaluated from the page sources with the
build's results, as ``probepress check`` does), so the page itself is built like any
other and can link to each post at the line of its claim.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url

from .check import CheckReport, check_page
from .manifest import Manifest
from .results import ResultSet

__all__ = ["CLAIMS_URI", "claims_page_markdown"]

CLAIMS_URI = "claims.md"
_CLAIMS_URL = "claims/"


def claims_page_markdown(files: Files, manifest: Manifest, results: ResultSet, root: Path) -> str:
    """Markdown (with an HTML table) listing every claim of every page."""
    report = CheckReport()
    urls: list[str] = []
    for file in files.documentation_pages(inclusion=lambda _level: True):
        if not file.src_uri.endswith(".md") or file.src_uri == CLAIMS_URI:
            continue
        before = len(report.claims)
        check_page(file.content_string, _shown(file.abs_src_path, root), manifest, results, report)
        urls += [file.url] * (len(report.claims) - before)
    rows = []
    for claim, url in zip(report.claims, urls, strict=True):
        state = "holds" if claim.holds else "fails"
        link = get_relative_url(url, _CLAIMS_URL)
        rows.append(
            f'<tr class="pp-ledger--{state}"><td>{"✓ holds" if claim.holds else "✗ fails"}</td>'
            f"<td>{escape(claim.statement)}</td>"
            f'<td><a href="{escape(link)}">{escape(claim.page)}:{claim.line}</a></td>'
            f"<td><code>{escape(claim.check)}</code></td></tr>"
        )
    holding = sum(c.holds for c in report.claims)
    return "\n".join(
        [
            "# Claims",
            "",
            f"Every claim made on this site, checked against the clips at this build: "
            f"**{holding} of {len(report.claims)} hold.** A claim that fails stops "
            "`mkdocs build --strict`, so a published site shows only claims that hold. "
            'The same list, with the measured values, is in <a href="../data/claims.json">'
            "data/claims.json</a>.",
            "",
            '<table class="pp-ledger"><thead><tr><th>status</th><th>claim</th>'
            "<th>where</th><th>check</th></tr></thead><tbody>",
            *rows,
            "</tbody></table>",
            "",
        ]
    )


def _shown(path: str | None, root: Path) -> str:
    try:
        return Path(path or "").resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)

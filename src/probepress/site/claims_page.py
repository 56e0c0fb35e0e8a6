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

from probepress.site.page_check import CheckReport, check_page
from probepress.measure.manifest import Manifest
from probepress.measure.results import ResultSet

__all__ = ["CLAIMS_URI", "claims_page_markdown"]

CLAIMS_URI = "claims.md"
_CLAIMS_URL = "claims/"


def claims_page_markdown(files: Files, manifest: Manifest, results: ResultSet, root: Path) -> str:
    """Markdown (with an HTML table) listing every claim of every page."""
    report = CheckReport()
    pages: list[tuple[str, str]] = []  # (url, title) of each claim's page
    for file in files.documentation_pages(inclusion=lambda _level: True):
        if not file.src_uri.endswith(".md") or file.src_uri == CLAIMS_URI:
            continue
        before = len(report.claims)
        text = file.content_string
        check_page(text, _shown(file.abs_src_path, root), manifest, results, report)
        pages += [(file.url, _title(text, file.src_uri))] * (len(report.claims) - before)
    rows = []
    for claim, (url, title) in zip(report.claims, pages, strict=True):
        state = "holds" if claim.holds else "fails"
        link = f"{get_relative_url(url, _CLAIMS_URL)}#claim-{claim.line}"
        # Three columns, the check under its claim: four were too narrow on a phone.
        rows.append(
            f'<tr class="pp-ledger--{state}"><td>{"✓ holds" if claim.holds else "✗ fails"}</td>'
            f"<td>{escape(claim.statement)}"
            f'<br><code class="pp-ledger__check">{escape(claim.check)}</code></td>'
            f'<td><a href="{escape(link)}" title="{escape(claim.page)}:{claim.line}">'
            f"{escape(title)}</a><br><small>line {claim.line}</small></td></tr>"
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
            '<table class="pp-ledger"><thead><tr><th>status</th><th>claim and check</th>'
            "<th>where</th></tr></thead><tbody>",
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


def _title(markdown: str, fallback: str) -> str:
    """The page's ``# `` heading, as readers know it; else its file name."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback

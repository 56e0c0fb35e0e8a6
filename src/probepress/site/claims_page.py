"""The claims ledger as a page: every claim of the site, whether it holds, and where.

Generated before pages render (claims are evaluated from the page sources with the
build's results, as ``probepress check`` does; a page the build's review checked is
not checked twice), so the page itself is built like any other and can link to each
post at the line of its claim.

Drafts (``draft: true``) are not built, but the build's review checks their claims
(labelled ``(draft)``, see page_check); here they are counted in the log and left off
the page (their text is not published).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from mkdocs.structure.files import Files
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from probepress.authoring.escaping import markdown_text
from probepress.authoring.parse_memo import FenceParses
from probepress.measure.manifest import Manifest
from probepress.measure.results import ResultSet
from probepress.site.page_check import CheckedPage, CheckReport, check_page

__all__ = ["CLAIMS_URI", "claims_page_markdown"]

log = logging.getLogger("mkdocs.plugins.probepress")

CLAIMS_URI = "claims.md"
_CLAIMS_URL = "claims/"


def claims_page_markdown(
    files: Files,
    manifest: Manifest,
    results: ResultSet,
    root: Path,
    parses: FenceParses | None = None,
    *,
    checked: Mapping[str, CheckedPage] | None = None,
) -> str:
    """Markdown (with an HTML table) listing every published claim; drafts are checked.

    ``parses``: the build's fences parsed once (see :class:`FenceParses`). ``checked``:
    the claims the build's review found on each page (by shown path), reused for a page
    whose text is the one the review read; any other page is checked here.
    """
    checked = checked or {}
    report = CheckReport()
    parses = FenceParses(manifest) if parses is None else parses
    pages: list[tuple[str, str]] = []  # (url, title) of each claim's page
    for file in files.documentation_pages(inclusion=lambda _level: True):
        if not file.src_uri.endswith(".md") or file.src_uri == CLAIMS_URI:
            continue
        before = len(report.claims)
        text = file.content_string
        shown = _shown(file.abs_src_path, root)
        reviewed = checked.get(shown)
        if reviewed is not None and reviewed.text == text:
            report.claims += reviewed.claims
        else:
            check_page(text, shown, manifest, results, report, parses)
        pages += [(file.url, _title(text, file.src_uri))] * (len(report.claims) - before)
    _report_drafts(report)
    rows = []
    published = [(c, where) for c, where in zip(report.claims, pages, strict=True) if not c.draft]
    for claim, (url, title) in published:
        state = "holds" if claim.holds else "fails"
        link = f"{get_relative_url(url, _CLAIMS_URL)}#claim-{claim.line}"
        # A Markdown page with raw HTML: text escaped for both (see authoring.escaping).
        # Three columns, the check under its claim: four were too narrow on a phone.
        rows.append(
            f'<tr class="pp-ledger--{state}"><td>{"✓ holds" if claim.holds else "✗ fails"}</td>'
            f"<td>{markdown_text(claim.statement)}"
            f'<br><code class="pp-ledger__check">{markdown_text(claim.check)}</code></td>'
            f'<td><a href="{markdown_text(link)}" title="{markdown_text(claim.page)}:{claim.line}">'
            f"{markdown_text(title)}</a><br><small>line {claim.line}</small></td></tr>"
        )
    holding = sum(c.holds for c, _where in published)
    return "\n".join(
        [
            "# Claims",
            "",
            f"Every claim made on this site, checked against the clips at this build: "
            f"**{holding} of {len(published)} hold.** A claim that fails stops "
            "`mkdocs build --strict`, so a published site shows only claims that hold. "
            'The same list, with the measured values, is in <a href="../data/claims.json">'
            "data/claims.json</a>.",
            "",
            '<table class="pp-ledger"><thead><tr><th scope="col">status</th>'
            '<th scope="col">claim and check</th><th scope="col">where</th></tr></thead><tbody>',
            *rows,
            "</tbody></table>",
            "",
        ]
    )


def _report_drafts(report: CheckReport) -> None:
    """Say how many of the drafts' claims hold (their failures fail the build's review)."""
    drafts = [c for c in report.claims if c.draft]
    if drafts:
        log.info(
            "probepress: drafts: %d of %d claims hold (checked, not published)",
            sum(c.holds for c in drafts),
            len(drafts),
        )


def _shown(path: str | None, root: Path) -> str:
    try:
        return Path(path or "").resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _title(markdown: str, fallback: str) -> str:
    """The page's title as readers know it (front matter, else ``# `` heading, else file)."""
    body, meta = get_data(markdown)
    if isinstance(meta.get("title"), str) and meta["title"].strip():
        return meta["title"].strip()
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback

"""Expand inline values and mark fence lines, page by page, before Markdown runs."""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from probepress.authoring.markdown_scan import annotate_fences, line_offset, replace_inline
from probepress.claims.callout import inline_value_html
from probepress.measure.results import LookupProblem
from probepress.site.build import current
from probepress.site.fences import PageContext

log = logging.getLogger("mkdocs.plugins.probepress")

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    build = current(config)
    renderer = build.renderer
    shown = _shown_path(page, build.settings.root)
    renderer.page = PageContext(shown_path=shown, url=page.url)
    if "```" not in markdown and "~~~" not in markdown and "{{" not in markdown:
        return markdown + _open_data_footer(page) if _is_post(page) else None

    def render_value(value) -> str:
        try:
            if renderer.results is None:
                raise LookupProblem("the clips could not be measured (see the errors above)")
            return inline_value_html(value.text, renderer.results)
        except LookupProblem as problem:
            renderer.report(f"{shown}:{value.line}: {problem}")
            return f'<span class="pp-value pp-value--error">[{escape(str(problem))}]</span>'

    offset = line_offset(page.file.content_string, markdown)
    rendered = replace_inline(annotate_fences(markdown, shown, offset), render_value, offset)
    return rendered + _open_data_footer(page) if _is_post(page) else rendered


# -----------------------------------------------------------------------------
# Helper functions
# -----------------------------------------------------------------------------


def _is_post(page: Page) -> bool:
    return page.file.src_uri.startswith("blog/posts/")


def _open_data_footer(page: Page) -> str:
    """Links to the data behind a post (raw HTML: the files appear only after the build)."""
    links = " · ".join(
        f'<a href="{get_relative_url(uri, page.url)}">{label}</a>'
        for uri, label in (
            ("data/results.json", "results.json"),
            ("data/results.csv", "results.csv"),
            ("claims/", "every claim of the site"),
        )
    )
    return (
        '\n\n<p class="pp-open-data">Every number on this page was measured from the clips '
        f"when the site was built. Data: {links}.</p>\n"
    )


def _shown_path(page: Page, root: Path) -> str:
    """The page's source as the author knows it: posts/x.md, docs/guide.md."""
    source = Path(page.file.abs_src_path or page.file.src_path)
    try:
        return source.resolve().relative_to(root).as_posix()
    except ValueError:
        return page.file.src_uri

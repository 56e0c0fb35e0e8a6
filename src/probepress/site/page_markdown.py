"""Each page's Markdown before it renders: inline values expanded, fence lines marked.

Fences carry their source page and line (``pp_page``, ``pp_line``) into the formatters,
so a problem is reported at ``path:line`` of the file as the author wrote it; posts
end with links to the open data behind their numbers.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path

from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from probepress.authoring.markdown_scan import annotate_fences, line_offset, replace_inline
from probepress.claims.callout import inline_value_html
from probepress.measure.results import LookupProblem
from probepress.site.build import SiteBuild
from probepress.site.fences import PageContext
from probepress.site.posts import BLOG_POSTS_URI

__all__ = ["enter_page", "expand_page"]

log = logging.getLogger("mkdocs.plugins.probepress")


def enter_page(page: Page, build: SiteBuild) -> None:
    """Make ``page`` the one fences render for: their media URLs are relative to it."""
    shown = _shown_path(page, build.settings.root)
    build.renderer.page = PageContext(shown_path=shown, url=page.url)


def expand_page(markdown: str, page: Page, build: SiteBuild) -> str | None:
    """The page's Markdown with values expanded, or ``None`` to leave it as it is."""
    renderer = build.renderer
    enter_page(page, build)
    shown = renderer.page.shown_path
    footer = _open_data_footer(page) if _is_post(page) else ""
    if "```" not in markdown and "~~~" not in markdown and "{{" not in markdown:
        return markdown + footer if footer else None

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
    return rendered + footer


def _is_post(page: Page) -> bool:
    return page.file.src_uri.startswith(f"{BLOG_POSTS_URI}/")


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

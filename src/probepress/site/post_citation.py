"""The citation block at the end of every blog post, from the page and the site's config.

It is added to the rendered HTML (``on_page_content``), when the post's title is known
and after everything its Markdown produced: the block closes the post, and the blog's
index pages, which render excerpts from the Markdown on their own, never show it.
"""

from __future__ import annotations

import html as html_text
from datetime import date, datetime
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_datetime

from probepress.site.citation import Citation, citation_html
from probepress.site.posts import BLOG_POSTS_URI

__all__ = ["add_post_citation", "post_citation"]


def _published(meta: dict[str, Any]) -> date | None:
    """The front matter's ``date``: a date, a datetime, or Material's ``created:``."""
    value = meta.get("date")
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _authors(page: Page, config: MkDocsConfig) -> tuple[str, ...]:
    """The post's authors by name, else the site's author, else the site's name.

    Material's blog resolves front matter ``authors`` (ids) through its .authors.yml
    into the post's ``authors`` (what its templates print); with the blog's authors
    off, the ids are the names.
    """
    resolved = [str(getattr(author, "name", "") or "") for author in getattr(page, "authors", [])]
    names = tuple(name for name in resolved if name.strip())
    if names:
        return names
    ids = page.meta.get("authors")
    ids = [ids] if isinstance(ids, str) else ids
    if isinstance(ids, list) and any(str(i).strip() for i in ids):
        return tuple(str(i) for i in ids if str(i).strip())
    return (config.site_author or config.site_name,)


def _title(page: Page, config: MkDocsConfig) -> str:
    """The post's title as plain text.

    A front matter ``title`` is text as written; a title MkDocs took from the rendered
    ``# heading`` is HTML text (``&amp;``, ``&lt;``), unescaped here so that the
    citation is escaped once, for where it goes.
    """
    if "title" in page.meta:
        return str(page.meta["title"])
    return html_text.unescape(page.title) if page.title else config.site_name


def post_citation(page: Page, config: MkDocsConfig) -> Citation:
    """The citation of the post ``page``, accessed today (the build's date)."""
    return Citation(
        title=_title(page, config),
        authors=_authors(page, config),
        site_name=config.site_name,
        published=_published(page.meta),
        # SOURCE_DATE_EPOCH, when set, as for the rest of a reproducible build.
        accessed=get_build_datetime().date(),
        url=page.canonical_url if config.site_url else None,
    )


def add_post_citation(html: str, page: Page, config: MkDocsConfig) -> str:
    """``html`` with the citation block at its end when ``page`` is a blog post."""
    if not page.file.src_uri.startswith(f"{BLOG_POSTS_URI}/"):
        return html
    return html + citation_html(post_citation(page, config))

"""Escaping for each place a manifest or front-matter string lands in a page.

A manifest is often written by someone other than the site's owner (a model vendor
sending its clips), so none of its strings may carry markup into a page. Each output
context has its own rule:

- HTML text and attributes: :func:`html.escape` (quotes included).
- Markdown that the site's Markdown extensions will read (generated pages are written
  as Markdown, with raw HTML in places): :func:`markdown_text`, every ASCII punctuation
  mark as a numeric character reference, so neither HTML nor any Markdown syntax
  (links, attribute lists, ``{{ inline values }}``, tables) can start. The same text
  is valid HTML text or attribute value, so raw HTML in such pages uses it too.
- plotly labels (titles, trace names, category ticks, hover text): plotly renders a
  subset of HTML there (``<a href>``, ``<span style>``...); :func:`plotly_text` turns
  ``& < >`` into the entities plotly shows as plain characters.
- Links: :func:`link_html` makes a link only of an ``http://`` or ``https://`` URL and
  shows anything else as text.
"""

from __future__ import annotations

import re

__all__ = ["LINK_SCHEMES", "is_link", "link_html", "markdown_text", "plotly_text"]

#: The URL schemes a manifest value may link to (see the authoring guide).
LINK_SCHEMES = ("http", "https")

_LINK = re.compile(r"^(?:https?)://[^\s<>\"']+$", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")


def markdown_text(text: str) -> str:
    """``text`` as literal characters inside Markdown, whatever it contains.

    Line breaks become spaces (a table cell or heading is one line); ASCII letters,
    digits, spaces and non-ASCII characters stay as they are.
    """
    flat = _WHITESPACE.sub(" ", str(text)).strip()
    return "".join(
        f"&#{ord(ch)};" if ch.isascii() and not (ch.isalnum() or ch == " ") else ch for ch in flat
    )


def plotly_text(text: str) -> str:
    """``text`` as plain characters in a plotly label (no tags, no links, no styles)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def is_link(value: str) -> bool:
    """Whether ``value`` is one ``http(s)://`` URL, the only kind a page links to."""
    return bool(_LINK.match(value.strip()))


def link_html(value: str) -> str:
    """An HTML link if ``value`` is an http(s) URL, else the text (both Markdown-safe)."""
    if not is_link(value):
        return markdown_text(value)
    url = markdown_text(value.strip())
    return f'<a href="{url}" rel="nofollow noopener noreferrer">{url}</a>'

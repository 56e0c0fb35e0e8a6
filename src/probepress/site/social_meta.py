"""OpenGraph and description meta for each page, so a shared link shows a card.

Material writes ``<meta name="description">`` from the page's front matter
``description`` or else the site's. A post without one gets its first paragraph
instead, and every page gets OpenGraph and Twitter tags. The image is the page's
social card when Material's social plugin drew one (a card shows the title, which is
what a shared link should show), else, for a post, the poster of its first clip. The
social plugin writes its own OpenGraph and Twitter tags, unescaped: they are replaced
by ours, so each tag is there once. Everything is escaped for an attribute value.
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import urljoin

__all__ = ["add_social_meta", "first_paragraph", "poster_url", "take_card_tags"]

# Material writes the description unescaped: match up to the tag's end, quotes and all.
_DESCRIPTION_TAG = re.compile(r'<meta name="description" content="[^\n]*?">\n?')
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_POSTER = re.compile(r'<video[^>]*\sposter="([^"]+)"')
_MAX_DESCRIPTION = 200
# The social plugin puts its tags in one block just before </head>, one per line,
# self-closing, their content not escaped: a title may itself hold `" />` and markup,
# so no tag's end can be trusted. The block is cut whole, from its first tag to
# </head> (neither the theme nor MkDocs writes og: or twitter: tags of its own).
_CARD_BLOCK_START = re.compile(r'\n?<meta property="(?:og|twitter):')
# Only the card's own tags are read back: Material makes them from the site's URL, the
# page's path and the layout's size, never from what an author wrote.
_CARD_IMAGE_TAG = re.compile(
    r'^<meta property="(og:image(?::type|:width|:height)?)" content="([^"<>]*)" />$', re.M
)
_CARD_IMAGE_KEYS = ("og:image", "og:image:type", "og:image:width", "og:image:height")


def first_paragraph(content_html: str) -> str:
    """The plain text of the first non-empty paragraph, cut to about 200 characters."""
    for match in _PARAGRAPH.finditer(content_html):
        text = " ".join(unescape(_TAG.sub("", match.group(1))).split())
        if text:
            if len(text) > _MAX_DESCRIPTION:
                text = text[: _MAX_DESCRIPTION - 1].rsplit(" ", 1)[0] + "…"
            return text
    return ""


def poster_url(output: str, page_url: str | None) -> str | None:
    """The absolute URL of the page's first clip poster, if it shows a clip."""
    poster = _POSTER.search(output)
    if poster is None or not page_url:
        return None
    return urljoin(page_url, unescape(poster.group(1)))


def take_card_tags(output: str) -> tuple[str, list[tuple[str, str]]]:
    """The page without the social plugin's tags, and its card image's tags, if any.

    Returns the ``og:image`` tags (URL, type, width, height) of the card the social
    plugin linked, in that order; an empty list when it drew none for this page. Only
    the head is read: the body may quote such a tag.
    """
    head, end, body = output.partition("</head>")
    start = _CARD_BLOCK_START.search(head)
    if start is None:
        return output, []
    block = head[start.start() :]
    found = dict(_CARD_IMAGE_TAG.findall(block))
    card = [(key, found[key]) for key in _CARD_IMAGE_KEYS if found.get(key)]
    return head[: start.start()] + "\n" + end + body, card if found.get("og:image") else []


def add_social_meta(
    output: str,
    *,
    title: str,
    description: str,
    page_url: str | None,
    site_name: str,
    is_post: bool,
) -> str:
    """The page's HTML with its description meta set and OpenGraph tags in its head.

    ``page_url`` is the page's absolute URL (``None`` without ``site_url``); relative
    poster URLs are resolved against it, as OpenGraph wants absolute ones.
    """
    if "</head>" not in output:
        return output
    tags = [("og:type", "article" if is_post else "website"), ("og:site_name", site_name)]
    tags += [("og:title", title), ("og:description", description)]
    if page_url:
        tags.append(("og:url", page_url))
    output, card = take_card_tags(output)
    poster = None if card else poster_url(output, page_url)
    tags += card or ([("og:image", poster)] if poster else [])
    twitter_card = "summary_large_image" if any(k == "og:image" for k, _ in tags) else "summary"
    head = [f'<meta name="description" content="{escape(description)}">'] if description else []
    head += [f'<meta property="{k}" content="{escape(v)}">' for k, v in tags if v]
    head.append(f'<meta name="twitter:card" content="{twitter_card}">')
    output = _DESCRIPTION_TAG.sub("", output, count=1) if description else output
    return output.replace("</head>", "\n".join(head) + "\n</head>", 1)

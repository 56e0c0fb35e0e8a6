"""Posters as enclosures in the blog's RSS feeds (mkdocs-rss-plugin's files).

mkdocs-rss-plugin adds an ``<enclosure>`` only for a front-matter image it can find
beside the post's source; a post's poster is made in the cache at build time, so it
cannot be named there without writing into ``posts/``. Instead, once the feeds are
written, each item whose link is a post that shows a clip gets its first clip's poster
(the image its link preview shows) with the URL, length in bytes and MIME type that
RSS 2.0 requires. An item that already has an enclosure keeps it.
"""

from __future__ import annotations

import mimetypes
import re
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from probepress.site.open_data import write_whole

__all__ = ["FEED_FILES", "add_poster_enclosures"]

# mkdocs-rss-plugin's default file names (feeds by creation and by update date).
FEED_FILES = ("feed_rss_created.xml", "feed_rss_updated.xml")
_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_LINK = re.compile(r"<link>([^<]*)</link>")


def add_poster_enclosures(site_dir: Path, site_url: str, posters: dict[str, str]) -> int:
    """Give every feed item of a post with a clip its poster as an enclosure.

    Parameters
    ----------
    site_dir : Path
        The built site, holding the feeds and the posters.
    site_url : str
        The site's absolute URL, which every poster URL starts with.
    posters : dict
        Absolute page URL of a post -> absolute URL of its first clip's poster.

    Returns
    -------
    int
        How many enclosures were added, over all feeds.
    """
    added = 0
    for name in FEED_FILES:
        feed = site_dir / name
        if not feed.is_file():
            continue
        text = feed.read_text(encoding="utf-8")
        count = 0

        def enclose(match: re.Match[str]) -> str:
            nonlocal count
            item = match.group(0)
            link = _LINK.search(item)
            if link is None or "<enclosure" in item:
                return item
            poster = posters.get(unescape(link.group(1)).strip())
            enclosure = _enclosure(site_dir, site_url, poster) if poster else None
            if enclosure is None:
                return item
            count += 1
            return item.replace("</item>", f"{enclosure} </item>")

        text = _ITEM.sub(enclose, text)
        if count:
            write_whole(feed, text)
            added += count
    return added


def _enclosure(site_dir: Path, site_url: str, poster_url: str) -> str | None:
    """The ``<enclosure>`` tag of a poster that is a file of this site, else ``None``."""
    site_path = urlsplit(site_url).path.rstrip("/") + "/"
    path = urlsplit(poster_url).path
    if not poster_url.startswith(site_url.rstrip("/") + "/") or not path.startswith(site_path):
        return None
    file = site_dir / unquote(path[len(site_path) :])
    if not file.is_file():
        return None
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    url = escape(poster_url, quote=True)
    return f'<enclosure url="{url}" type="{kind}" length="{file.stat().st_size}" />'

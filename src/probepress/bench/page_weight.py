"""What a reader downloads to see a page of a built site, read from its files.

A page's first-visit weight is its HTML plus every file of the site it loads before
the reader does anything: styles, scripts, images and posters. What loads only on
demand is counted apart: the clips (``preload="none"``: fetched when played), the
posters far down a page (``data-pp-poster``), probe overlays and, on pages with a
chart, plotly.js (fetched when a chart or a player nears the viewport). Files from other
hosts are not counted (the site loads none). Sizes are of the files as stored; a server
that compresses sends less of the text ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

__all__ = ["PageWeight", "page_weights"]

_PLOTLY = "assets/probepress/plotly.min.js"
# What the front end fetches only when the reader plays a clip or scrolls near it.
_ON_DEMAND = {
    ("video", "src"),
    ("video", "data-pp-poster"),  # a poster far down the page: fetched when scrolled near
    ("source", "src"),
    ("canvas", "data-pp-overlay"),
}
_LOADED = {
    ("link", "href"),  # stylesheets and icons; anchors are navigation, not load
    ("script", "src"),
    ("img", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("video", "data-pp-poster"),
    ("source", "src"),
    ("canvas", "data-pp-overlay"),
}


@dataclass(frozen=True)
class PageWeight:
    """Bytes a page costs a first-time reader, by kind."""

    page: str  # path of the page's HTML file inside the site
    html: int
    code: int  # scripts and styles loaded with the page
    media: int  # posters and images loaded with the page
    on_demand: int = 0  # clips, overlays and plotly.js: loaded when played or scrolled near

    @property
    def total(self) -> int:
        """What a first visit loads before the reader interacts."""
        return self.html + self.code + self.media


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.on_demand: list[str] = []
        self.has_chart = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "pp-chart" in (values.get("class") or "").split():
            self.has_chart = True
        relations = (values.get("rel") or "").split()
        if tag == "link" and not {"stylesheet", "icon"} & set(relations):
            return  # rel=alternate, canonical, prev/next: not downloaded
        for wanted_tag, attribute in _LOADED:
            value = values.get(attribute)
            if tag == wanted_tag and value:
                later = (wanted_tag, attribute) in _ON_DEMAND
                (self.on_demand if later else self.urls).append(value)


def _local_file(site: Path, page_url: str, url: str) -> Path | None:
    parts = urlsplit(urljoin(page_url, url))
    if parts.scheme not in ("", "file") or parts.netloc:
        return None
    path = site / unquote(parts.path).lstrip("/")
    return path if path.is_file() else None


def page_weights(site: Path) -> list[PageWeight]:
    """The weight of every HTML page of the built ``site``, heaviest first."""
    weights = []
    for html_file in sorted(site.rglob("*.html")):
        relative = html_file.relative_to(site).as_posix()
        parser = _Loads()
        parser.feed(html_file.read_text(encoding="utf-8", errors="replace"))
        page_url = "/" + relative
        files = {_local_file(site, page_url, url) for url in parser.urls}
        later = {_local_file(site, page_url, url) for url in parser.on_demand} - files
        if parser.has_chart and (site / _PLOTLY).is_file():
            later.add(site / _PLOTLY)
        files.discard(None)
        later.discard(None)
        code = sum(f.stat().st_size for f in files if f.suffix in (".js", ".css"))
        media = sum(f.stat().st_size for f in files if f.suffix not in (".js", ".css"))
        on_demand = sum(f.stat().st_size for f in later)
        weights.append(PageWeight(relative, html_file.stat().st_size, code, media, on_demand))
    return sorted(weights, key=lambda w: w.total, reverse=True)

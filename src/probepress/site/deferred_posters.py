"""Posters of the clips far down a page wait until the reader scrolls near them.

A ``<video poster>`` is fetched as the HTML is parsed: browsers have no
``loading="lazy"`` for posters. The leaderboard shows 24 clips (about 440 KB of
posters) and a long post about 17; on a phone they compete with the first screen
for bandwidth, and Lighthouse's simulated slow 4G counts every image that finished
before the largest paint, so they pushed the leaderboard's LCP to 4.4 s. The first
videos of a page keep their ``poster``; later ones carry it as ``data-pp-poster``,
which ``probepress-posters.js`` turns back into ``poster`` when the video nears
the viewport. The first poster of a page stays a real attribute, so a post's link
preview and RSS enclosure (read from it) are unchanged.
"""

from __future__ import annotations

import re

__all__ = ["EAGER_POSTERS", "defer_posters"]

# The first screen of a post rarely holds more than one clip block; two posters
# cover a clip and the first pair of a comparison.
EAGER_POSTERS = 2

# Our videos only (class pp-video, written by authoring/html.py), poster last-but-src.
_VIDEO_POSTER = re.compile(r'(<video\b[^>]*\bclass="pp-video"[^>]*?\s)poster="')


def defer_posters(html: str, *, eager: int = EAGER_POSTERS) -> tuple[str, int]:
    """Move the ``poster`` of each probepress video after the first ``eager`` to ``data-pp-poster``.

    Parameters
    ----------
    html : str
        A rendered page.
    eager : int
        How many videos, from the top of the page, keep a poster loaded with it.

    Returns
    -------
    tuple of (str, int)
        The page, and how many posters now wait for the reader.
    """
    seen = 0

    def defer(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return match.group(0) if seen <= eager else match.group(1) + 'data-pp-poster="'

    page = _VIDEO_POSTER.sub(defer, html)
    return page, max(0, seen - eager)

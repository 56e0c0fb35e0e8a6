"""Pages that never fetch code from another host: remote script loaders are taken out.

mkdocs-jupyter's notebook template carries a module script that imports mermaid (and
its ELK layout) from a CDN as soon as a notebook shows a diagram. A published page of
probepress requests nothing from another host, so such loaders are removed: a mermaid
diagram in a notebook then stays as its source text.
"""

from __future__ import annotations

import re

__all__ = ["strip_remote_scripts"]

# A whole <script> element; its attributes and body are examined separately.
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
# Code that loads from an absolute URL: a src attribute, import(), or import ... from.
_REMOTE_SRC = re.compile(r"""\bsrc\s*=\s*["']?\s*(?:https?:)?//""", re.I)
_REMOTE_IMPORT = re.compile(
    r"""\bimport\s*\(\s*["'](?:https?:)?//|\bfrom\s*["'](?:https?:)?//|\bimport\s*["'](?:https?:)?//""",
    re.I,
)


def strip_remote_scripts(html: str) -> tuple[str, int]:
    """``html`` without script elements that load code from another host, and their count."""
    removed = 0

    def keep_or_drop(match: re.Match[str]) -> str:
        nonlocal removed
        if _REMOTE_SRC.search(match.group("attrs")) or _REMOTE_IMPORT.search(match.group("body")):
            removed += 1
            return "<!-- probepress: a script loading code from another host was removed -->"
        return match.group(0)

    return _SCRIPT.sub(keep_or_drop, html), removed

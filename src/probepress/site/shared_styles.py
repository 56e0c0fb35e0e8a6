"""Large inline stylesheets become shared files: light HTML, styles cached once a visit.

mkdocs-jupyter writes JupyterLab's whole theme (about 575 KB of CSS) into a
``<style>`` element of every notebook page, which made the methodology notebook's HTML
650 KB. A ``<style>`` element above :data:`MIN_SHARED_BYTES` is written once, under a
name made from its content's hash, to ``assets/probepress/styles/`` in the built site,
and replaced in place (the cascade keeps its order) by a ``<link>`` to that file. Only
styles whose ``url(...)`` references are all ``data:`` URIs move: a relative URL would
resolve against the new file's folder.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import tempfile
from pathlib import Path

__all__ = ["MIN_SHARED_BYTES", "STYLES_URI", "share_large_styles"]

MIN_SHARED_BYTES = 20_000
STYLES_URI = "assets/probepress/styles"

# A whole <style> element without a media or scoped attribute that would change its meaning.
_STYLE = re.compile(r"<style(?P<attrs>[^>]*)>(?P<css>.*?)</style\s*>", re.S | re.I)
_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]*)""", re.I)


def share_large_styles(html: str, *, page_uri: str, site_dir: Path) -> tuple[str, int]:
    """``html`` with its large inline styles moved to files; and how many moved.

    Parameters
    ----------
    html : str
        The page as MkDocs will write it.
    page_uri : str
        The page's output path inside the site (``methodology/reproduce/index.html``),
        for the relative link.
    site_dir : Path
        The built site's folder, where the style files are written.
    """
    moved = 0

    def share(match: re.Match[str]) -> str:
        nonlocal moved
        css = match.group("css")
        attrs = match.group("attrs").strip()
        if len(css.encode("utf-8")) < MIN_SHARED_BYTES or re.search(r"\b(media|scoped)\b", attrs):
            return match.group(0)
        if any(not m.group("url").strip().startswith("data:") for m in _URL.finditer(css)):
            return match.group(0)
        name = hashlib.sha256(css.encode("utf-8")).hexdigest()[:16] + ".css"
        _write_once(site_dir / STYLES_URI / name, css)
        href = posixpath.relpath(f"{STYLES_URI}/{name}", posixpath.dirname(page_uri) or ".")
        moved += 1
        return f'<link rel="stylesheet" href="{href}">'

    return _STYLE.sub(share, html), moved


def _write_once(path: Path, css: str) -> None:
    """Write ``css`` to ``path`` unless it is there (same name, same content), atomically."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".css.tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(css)
    os.replace(temporary, path)

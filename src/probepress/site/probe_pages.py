"""The probes' method pages, shipped with the package and served at ``probes/NAME.md``.

Generated pages (the leaderboard, claims) link each probe to its method page, so every
site has them: a page the site writes itself under ``docs/probes/`` wins, and the
package's page fills in for any probe the site does not describe.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

__all__ = ["PROBE_PAGES_URI", "add_probe_pages", "probe_page_uri"]

PROBE_PAGES_URI = "probes"


def probe_page_uri(probe: str) -> str:
    """Where the method page of ``probe`` lives in every site, relative to docs_dir."""
    return f"{PROBE_PAGES_URI}/{probe}.md"


def _shipped_pages() -> list[Path]:
    folder = resources.files("probepress") / "site" / "methods"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".md"))


def add_probe_pages(files: Files, config: MkDocsConfig) -> list[File]:
    """Add the package's method page of each probe that the site lacks.

    Returns
    -------
    list of File
        The pages added (none when the site has its own for every probe).
    """
    added = []
    for path in _shipped_pages():
        uri = probe_page_uri(path.stem)
        if files.get_file_from_path(uri) is None:
            file = File.generated(config, uri, abs_src_path=str(path))
            files.append(file)
            added.append(file)
    return added

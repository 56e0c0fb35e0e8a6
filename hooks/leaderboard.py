"""Generate the leaderboard page from the build's probe results."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from probepress.site.build import current
from probepress.site.leaderboard import page_markdown

log = logging.getLogger("mkdocs.plugins.probepress")

PAGE = "leaderboard.md"

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# After the probe phase (hooks/probes.py, -40): the page is made from its results.
@event_priority(-110)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    results = current(config).renderer.results
    if results is None:
        return files
    if files.get_file_from_path(PAGE) is not None:
        log.warning("probepress: docs/%s exists; remove it to get the generated leaderboard", PAGE)
        return files
    files.append(File.generated(config, PAGE, content=page_markdown(results)))
    return files

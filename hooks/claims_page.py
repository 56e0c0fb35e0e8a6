"""Publish the claims ledger as a page (claims/), generated before pages render."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from probepress.site.build import current
from probepress.site.claims_page import CLAIMS_URI, claims_page_markdown

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# After the probe phase (-40): the claims are evaluated with its results.
@event_priority(-110)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    build = current(config)
    renderer = build.renderer
    if renderer.results is None or files.get_file_from_path(CLAIMS_URI) is not None:
        return files
    markdown = claims_page_markdown(files, renderer.manifest, renderer.results, build.settings.root)
    files.append(File.generated(config, CLAIMS_URI, content=markdown))
    return files

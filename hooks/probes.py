"""Measure the clips once per build, before any page renders (media: hooks/media.py)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from probepress.site.asset_files import add_asset_files
from probepress.site.build import current
from probepress.site.build_review import review_build

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# Before the blog plugin (-50) reads the posts (mapped at 0), so that a post it would
# reject is first reported with its file and line.
@event_priority(-40)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    add_asset_files(files, config)
    review_build(files, config, current(config))  # measure, report every problem
    return files

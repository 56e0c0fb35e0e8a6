"""Feed Material's blog from the top-level posts/ folder (authors never touch docs/blog/)."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from probepress.site.build import current
from probepress.site.posts import add_posts

log = logging.getLogger("mkdocs.hooks.probepress.site.posts")

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# Above the blog plugin's -50, so that it sees the posts as its own.
@event_priority(0)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    posts_dir = current(config).settings.posts_dir
    added = add_posts(files, config, posts_dir)
    log.debug("mapped %d files from %s into the blog", len(added), posts_dir)
    return files

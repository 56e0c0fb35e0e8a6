"""Publish every probe result and the claims ledger with the site (data/)."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from probepress.site.build import current
from probepress.site.open_data import write_open_data

log = logging.getLogger("mkdocs.plugins.probepress")

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


def on_post_build(*, config: MkDocsConfig) -> None:
    renderer = current(config).renderer
    if renderer.results is None:
        return
    written = write_open_data(Path(config.site_dir), renderer.results, renderer.claims)
    holding = sum(c.holds for c in renderer.claims)
    log.info(
        "probepress: %d of %d claims hold; open data in %s",
        holding,
        len(renderer.claims),
        ", ".join(p.name for p in written),
    )

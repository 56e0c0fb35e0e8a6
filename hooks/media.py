"""Prepare the media every page shows: web copies, posters, side-by-sides, overlays."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from probepress.site.build import current
from probepress.site.media import SiteMedia
from probepress.site.plan import plan_site

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# After the probe phase (-40) and the pages made from its results (leaderboard and
# claims, -110), so their clips get media like any post's.
@event_priority(-120)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    build = current(config)
    renderer = build.renderer
    if renderer.results is None:
        return files
    media = SiteMedia(build.settings.cache_dir / "media", renderer.results)
    media.prepare(plan_site(files, renderer.manifest))
    media.add_to(files, config)
    renderer.media = media
    return files

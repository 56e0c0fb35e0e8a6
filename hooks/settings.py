"""Read probepress's settings, start this build's state and register the fences (first)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from probepress.site.asset_files import register_asset_urls
from probepress.site.build import SiteBuild, attach
from probepress.site.fences import register_fences
from probepress.site.settings import load_settings

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# Highest priority: every other probepress hook reads what this one attaches.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    settings = load_settings(config.extra, config.config_file_path)
    build = attach(config, SiteBuild(settings=settings))
    # From Python: YAML's !!python/name cannot reach objects that live in this build.
    register_fences(config, build.renderer)
    register_asset_urls(config)
    return config

"""Read probepress's settings and start this build's shared state (runs first)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from probepress.build import SiteBuild, attach
from probepress.settings import load_settings

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# Highest priority: every other probepress hook reads what this one attaches.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    settings = load_settings(config.extra, config.config_file_path)
    attach(config, SiteBuild(settings=settings))
    return config

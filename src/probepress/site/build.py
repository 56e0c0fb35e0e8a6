"""State of one site build, shared by the hooks through the MkDocs config.

MkDocs does not reload hooks on ``mkdocs serve`` rebuilds, so nothing is kept in module
globals: each build's ``on_config`` attaches a fresh :class:`SiteBuild` to the config
object of that build, and later events read it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from probepress.site.fences import FenceRenderer
from probepress.site.settings import Settings

__all__ = ["SiteBuild", "attach", "current"]

_KEY = "_probepress_build"


@dataclass
class SiteBuild:
    """Everything the hooks of one build share."""

    settings: Settings
    renderer: FenceRenderer = field(default_factory=FenceRenderer)


def attach(config: MkDocsConfig, build: SiteBuild) -> SiteBuild:
    """Attach ``build`` to this build's config and return it."""
    config[_KEY] = build
    return build


def current(config: MkDocsConfig) -> SiteBuild:
    """The :class:`SiteBuild` of this config.

    Raises
    ------
    PluginError
        If the settings hook is missing from mkdocs.yml (it must come first).
    """
    build = config.get(_KEY)
    if build is None:
        raise PluginError(
            "probepress: hooks/settings.py must be listed first under `hooks:` in mkdocs.yml"
        )
    return build

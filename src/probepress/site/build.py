"""State of one site build, kept by the plugin and attached to the MkDocs config.

MkDocs reuses plugin instances (and does not reload hooks) across ``mkdocs serve``
rebuilds, so nothing is kept in module globals: each build's ``on_config`` makes a
fresh :class:`SiteBuild` and attaches it to the config object of that build, where a
site's own hooks can read it back with :func:`current`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from probepress.site.fences import FenceRenderer
from probepress.site.page_check import CheckedPage
from probepress.site.settings import Settings

__all__ = ["SiteBuild", "attach", "current"]

_KEY = "_probepress_build"


@dataclass
class SiteBuild:
    """Everything the phases of one build share."""

    settings: Settings
    renderer: FenceRenderer = field(default_factory=FenceRenderer)
    # The Validation page's rows (a ValidationOutcome), when the site shows one.
    validation: Any = None
    # Absolute URL of each post -> its first clip's poster, for the RSS enclosures.
    post_posters: dict[str, str] = field(default_factory=dict)
    # Each page's claims as the review checked them, by shown path.
    page_claims: dict[str, CheckedPage] = field(default_factory=dict)


def attach(config: MkDocsConfig, build: SiteBuild) -> SiteBuild:
    """Attach ``build`` to this build's config and return it."""
    config[_KEY] = build
    return build


def current(config: MkDocsConfig) -> SiteBuild:
    """The :class:`SiteBuild` of this config.

    Raises
    ------
    PluginError
        If the probepress plugin is not enabled in mkdocs.yml.
    """
    build = config.get(_KEY)
    if build is None:
        raise PluginError(
            "probepress: the plugin is not enabled; add `- probepress` under `plugins:` in "
            "mkdocs.yml"
        )
    return build

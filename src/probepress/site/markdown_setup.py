"""The Markdown extensions probepress's pages need, added when a site lacks them.

The generated pages use admonitions (notes), attribute lists (scene anchors), tables
and content tabs (a radar per model); the fences need superfences. A site that
forgets one would otherwise get raw ``!!!`` or ``===`` text on its leaderboard.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

__all__ = ["REQUIRED_EXTENSIONS", "require_markdown_extensions"]

#: Extension -> the settings it gets when probepress adds it.
REQUIRED_EXTENSIONS: dict[str, dict] = {
    "admonition": {},
    "attr_list": {},
    "tables": {},
    "pymdownx.superfences": {},
    # Material's tabs need the alternate style.
    "pymdownx.tabbed": {"alternate_style": True},
}


def require_markdown_extensions(config: MkDocsConfig) -> list[str]:
    """Add each required extension the site does not list; returns those added."""
    added = []
    for name, settings in REQUIRED_EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            config.mdx_configs.setdefault(name, dict(settings))
            added.append(name)
    return added

"""Material's social cards drawn with the font probepress ships: no request at build time.

Material's social plugin (``plugins: - social``) draws a 1200x630 PNG card per page in
its ``on_page_markdown`` and takes the font from ``<its cache_dir>/fonts/<family>/``,
downloading the family from Google Fonts when that folder is missing. Its default
layout asks for ``cards_layout_options.font_family``, else the theme's text font, else
Roboto. A probepress site has ``theme: font: false`` (no Google Fonts for readers), so
unless the site names a family, the cards use the vendored DejaVu Sans: this module
names it in the social plugin's options and copies its files into that folder in
``on_config``, before any card is drawn.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

__all__ = ["CARD_FONT_FAMILY", "card_font_files", "seed_card_fonts", "social_plugins"]

#: The family name the social plugin's layout asks for, and its folder in the cache.
CARD_FONT_FAMILY = "DejaVu Sans"
#: The styles Material's default layout draws with, one ``<style>.ttf`` each.
_STYLES = ("Regular", "Bold")
_SOCIAL_MODULE = "material.plugins.social."


def card_font_files() -> list[Path]:
    """The vendored font's files (``Regular.ttf``, ``Bold.ttf``) inside the package."""
    folder = resources.files("probepress") / "assets" / "fonts" / "DejaVuSans"
    return [Path(str(folder / f"{style}.ttf")) for style in _STYLES]


def social_plugins(config: MkDocsConfig) -> Iterator[BasePlugin]:
    """Every enabled instance of Material's social plugin that draws cards."""
    for plugin in config.plugins.values():
        # By module, not by name: `social` and `material/social` are the same plugin,
        # and importing its class would import cairosvg on sites that do not use it.
        if not type(plugin).__module__.startswith(_SOCIAL_MODULE):
            continue
        if plugin.config.get("enabled", True) and plugin.config.get("cards", True):
            yield plugin


def seed_card_fonts(config: MkDocsConfig) -> list[Path]:
    """Make each social plugin draw with the vendored font, already in its cache.

    Runs before the social plugin's own ``on_config``; resolves its ``cache_dir`` the
    way it does (relative to mkdocs.yml). A site that names another family keeps it.

    Parameters
    ----------
    config
        The site's configuration, with its plugins loaded.

    Returns
    -------
    list of Path
        The font folders seeded (empty when no social plugin draws with the vendored
        font).
    """
    seeded = []
    for plugin in social_plugins(config):
        family = _card_font_family(plugin, config)
        if family != CARD_FONT_FAMILY:
            continue
        cache_dir = Path(plugin.config["cache_dir"])
        if not cache_dir.is_absolute():
            cache_dir = Path(config.config_file_path).parent / cache_dir
        folder = cache_dir / "fonts" / CARD_FONT_FAMILY
        _copy_if_changed(card_font_files(), folder)
        seeded.append(folder)
    return seeded


def _card_font_family(plugin: BasePlugin, config: MkDocsConfig) -> str:
    """The family the default layout will ask for; the vendored one if none is named."""
    options: dict[str, Any] = dict(plugin.config.get("cards_layout_options") or {})
    if options.get("font_family"):
        return str(options["font_family"])
    theme_font = config.theme.get("font")
    if isinstance(theme_font, dict) and theme_font.get("text"):
        return str(theme_font["text"])  # the site loads it from Google Fonts anyway
    # A new dict: the option's default may be shared between plugin instances.
    plugin.config["cards_layout_options"] = {**options, "font_family": CARD_FONT_FAMILY}
    return CARD_FONT_FAMILY


def _copy_if_changed(sources: list[Path], folder: Path) -> None:
    # The social plugin picks a style by file name among everything in the folder:
    # stray files from another font would be drawn with, so the folder holds ours only.
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {source.name for source in sources}
    for stray in folder.iterdir():
        if stray.name not in wanted:
            stray.unlink() if stray.is_file() else shutil.rmtree(stray)
    for source in sources:
        target = folder / source.name
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)

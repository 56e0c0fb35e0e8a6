"""Find the probepress site a command runs in, from any folder inside it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from probepress.site.settings import Settings

__all__ = ["ProjectNotFoundError", "find_config_file", "find_settings"]

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml")


class ProjectNotFoundError(Exception):
    """No mkdocs.yml in the folder or any folder above it."""


def find_config_file(start: Path | None = None) -> Path:
    """The nearest mkdocs.yml at or above ``start`` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    raise ProjectNotFoundError(
        f"no mkdocs.yml in {here} or above; run this inside a probepress site or pass --config PATH"
    )


def find_settings(config_file: Path | None = None, *, require_plugin: bool = False) -> Settings:
    """The probepress settings of the site whose mkdocs.yml is ``config_file`` (or found).

    A site that does not enable the plugin gets the defaults (a notebook or a plain
    Material build may still read its clips), unless ``require_plugin``.

    Raises
    ------
    PluginNotEnabledError
        With ``require_plugin``, when mkdocs.yml does not list the plugin.
    """
    path = config_file or find_config_file()
    # MkDocs is imported here, once a config is found: `probepress probe` outside a
    # site should not pay MkDocs' import (about 0.1 s of every command's start).
    from mkdocs.utils.yaml import yaml_load

    from probepress.site.settings import PluginNotEnabledError, load_settings, plugin_options

    with open(path, encoding="utf-8") as stream:
        config = yaml_load(stream) or {}
    try:
        options = plugin_options(config, path)
    except PluginNotEnabledError:
        if require_plugin:
            raise
        options = {}
    return load_settings(options, path)

"""Find the probepress site a command runs in, from any folder inside it."""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from probepress.site.settings import Settings, load_settings

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


def find_settings(config_file: Path | None = None) -> Settings:
    """The probepress settings of the site whose mkdocs.yml is ``config_file`` (or found)."""
    path = config_file or find_config_file()
    with open(path, encoding="utf-8") as stream:
        config = yaml_load(stream) or {}
    return load_settings(config.get("extra"), path)

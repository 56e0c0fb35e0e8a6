"""The site's probepress settings with absolute paths, from the plugin's config.

Paths are resolved against the folder holding mkdocs.yml, never the working directory,
so a build started from anywhere reads and caches the same files. The build gets them
from the plugin's validated config; commands that do not build (``probepress check``)
read the same keys from mkdocs.yml with :func:`load_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError

from probepress.site.config import ProbepressConfig

__all__ = [
    "PluginNotEnabledError",
    "Settings",
    "load_settings",
    "plugin_options",
    "settings_from_config",
]

PLUGIN_NAME = "probepress"


class PluginNotEnabledError(ConfigurationError):
    """mkdocs.yml does not list the probepress plugin (a site that is not ours)."""


@dataclass(frozen=True)
class Settings:
    """Validated settings with absolute paths."""

    root: Path
    posts_dir: Path
    clips_dir: Path
    manifest: Path
    cache_dir: Path
    analysis_long_side: int
    workers: int
    max_clip_seconds: float = 600.0
    validation_dir: Path | None = None  # the validation corpus, if the site shows one
    scheduler: str | None = None


def settings_from_config(config: ProbepressConfig, config_file: str | Path) -> Settings:
    """Resolve a validated plugin config's paths against mkdocs.yml's folder."""
    root = Path(config_file).resolve().parent
    return Settings(
        root=root,
        posts_dir=root / config.posts_dir,
        clips_dir=root / config.clips_dir,
        manifest=root / config.manifest,
        cache_dir=root / config.cache_dir,
        analysis_long_side=config.analysis_long_side,
        workers=config.workers,
        max_clip_seconds=float(config.max_clip_seconds),
        validation_dir=root / config.validation if config.validation else None,
        scheduler=config.scheduler,
    )


def plugin_options(mkdocs_yml: dict[str, Any], config_file: str | Path) -> dict[str, Any]:
    """The options given to the probepress plugin in a parsed mkdocs.yml.

    ``plugins`` may be a list of names and one-key mappings, or a mapping (both are
    MkDocs syntax).

    Raises
    ------
    ConfigurationError
        If the plugin is not listed, or its options are not a mapping.
    """
    if (mkdocs_yml.get("extra") or {}).get(PLUGIN_NAME) is not None:
        raise ConfigurationError(
            f"{config_file}: probepress's settings moved from `extra.probepress` to the "
            "plugin: list `- probepress:` under `plugins:` and move the keys there"
        )
    plugins = mkdocs_yml.get("plugins") or []
    entries = list(plugins.items()) if isinstance(plugins, dict) else plugins
    for entry in entries:
        if isinstance(entry, str) and entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, tuple | dict):
            name, options = entry if isinstance(entry, tuple) else next(iter(entry.items()))
            if name == PLUGIN_NAME:
                if options is not None and not isinstance(options, dict):
                    raise ConfigurationError(
                        f"{config_file}: plugins: probepress: expected a mapping of "
                        f"settings, got {options!r}"
                    )
                return options or {}
    raise PluginNotEnabledError(
        f"{config_file}: the probepress plugin is not enabled; add `- probepress` under "
        "`plugins:` (after `blog`)"
    )


def load_settings(options: dict[str, Any], config_file: str | Path) -> Settings:
    """Validate the plugin's options as the build does, outside a build.

    Raises
    ------
    ConfigurationError
        Naming mkdocs.yml, the bad key and what it expects.
    """
    schema = ProbepressConfig(config_file_path=str(config_file))
    schema.load_dict(options)
    errors, warnings = schema.validate()
    problems = [f"plugins: probepress: {key}: {err}" for key, err in errors + warnings]
    if problems:
        raise ConfigurationError(f"{config_file}: " + "; ".join(problems))
    return settings_from_config(schema, config_file)

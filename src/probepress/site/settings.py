"""The site's probepress settings, read from ``extra.probepress`` in mkdocs.yml.

Paths are resolved against the folder holding mkdocs.yml, never the working directory,
so a build started from anywhere reads and caches the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.exceptions import ConfigurationError

__all__ = ["ProbepressConfig", "Settings", "load_settings"]


class ProbepressConfig(base.Config):
    """Schema of ``extra.probepress``; every key optional, defaults in one place."""

    posts_dir = opt.Type(str, default="posts")
    clips_dir = opt.Type(str, default="assets/clips")
    manifest = opt.Type(str, default="assets/clips/clips.yml")
    cache_dir = opt.Type(str, default=".cache/probepress")
    # Long side of the frames probes analyse, in pixels.
    analysis_long_side = opt.Type(int, default=480)
    # Processes for probing; 0 means one per core.
    workers = opt.Type(int, default=0)
    # Longest clip probed, in seconds; a longer clip fails the build by name.
    max_clip_seconds = opt.Type((int, float), default=600)


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


def load_settings(extra: dict[str, Any] | None, config_file: str | Path) -> Settings:
    """Validate ``extra.probepress`` and resolve its paths against mkdocs.yml's folder.

    Raises
    ------
    ConfigurationError
        Naming the bad key and what it expects.
    """
    raw = (extra or {}).get("probepress") or {}
    if not isinstance(raw, dict):
        raise ConfigurationError(
            f"{config_file}: extra.probepress must be a mapping of settings, got {raw!r}"
        )
    schema = ProbepressConfig(config_file_path=str(config_file))
    schema.load_dict(raw)
    errors, warnings = schema.validate()
    problems = [f"extra.probepress.{key}: {err}" for key, err in errors + warnings]
    if problems:
        raise ConfigurationError(f"{config_file}: " + "; ".join(problems))
    if schema.analysis_long_side < 64:
        raise ConfigurationError(
            f"{config_file}: extra.probepress.analysis_long_side must be at least 64 pixels"
        )
    if schema.max_clip_seconds <= 0:
        raise ConfigurationError(
            f"{config_file}: extra.probepress.max_clip_seconds must be a positive number "
            "of seconds"
        )
    root = Path(config_file).resolve().parent
    return Settings(
        root=root,
        posts_dir=root / schema.posts_dir,
        clips_dir=root / schema.clips_dir,
        manifest=root / schema.manifest,
        cache_dir=root / schema.cache_dir,
        analysis_long_side=schema.analysis_long_side,
        workers=schema.workers,
        max_clip_seconds=float(schema.max_clip_seconds),
    )

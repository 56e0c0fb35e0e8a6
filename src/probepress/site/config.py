"""The probepress plugin's settings: the keys under ``plugins: - probepress:`` in mkdocs.yml.

Every key is optional and its default lives here, in one place. A wrong value stops the
build with MkDocs' own message, which names the plugin and the key; the options below
add where to fix it (mkdocs.yml) and what is expected.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as opt

__all__ = ["ProbepressConfig", "SETTINGS_HOME"]

#: Where a site writes these settings, as error messages name it.
SETTINGS_HOME = "under `plugins: - probepress:` in mkdocs.yml"


class _Path(opt.Type):
    """A folder or file path relative to mkdocs.yml."""

    def __init__(self, default: str | None) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> Any:
        if not isinstance(value, str) or not value.strip():
            raise base.ValidationError(
                f"expected a path relative to mkdocs.yml, got {value!r}; fix it {SETTINGS_HOME}"
            )
        return value


class _Count(opt.Type):
    """A whole number no smaller than ``minimum``."""

    def __init__(self, default: int, minimum: int, unit: str) -> None:
        super().__init__(int, default=default)
        self.minimum, self.unit = minimum, unit

    def run_validation(self, value: object) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or value < self.minimum:
            raise base.ValidationError(
                f"expected a whole number of {self.unit}, at least {self.minimum}, "
                f"got {value!r}; fix it {SETTINGS_HOME}"
            )
        return value


class _Seconds(opt.Type):
    """A positive number of seconds."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise base.ValidationError(
                f"expected a positive number of seconds, got {value!r}; fix it {SETTINGS_HOME}"
            )
        return value


class _SchedulerAddress(opt.Type):
    """A Dask scheduler's address, as ``dask worker`` takes it."""

    def __init__(self) -> None:
        super().__init__(str)

    def run_validation(self, value: object) -> Any:
        if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
            raise base.ValidationError(
                "expected a Dask scheduler address such as tcp://10.0.0.5:8786, "
                f"got {value!r}; fix it {SETTINGS_HOME}"
            )
        return value


class ProbepressConfig(base.Config):
    """Schema of the plugin's settings (paths relative to the folder of mkdocs.yml)."""

    # The blog posts, mapped into Material's blog (authors never touch docs/blog/).
    posts_dir = _Path("posts")
    # The clips, one folder per scene, and the manifest describing them.
    clips_dir = _Path("assets/clips")
    manifest = _Path("assets/clips/clips.yml")
    # Probe results and media (web copies, posters) by content hash; safe to delete.
    cache_dir = _Path(".cache/probepress")
    # Long side of the frames probes analyse, in pixels.
    analysis_long_side = _Count(480, 64, "pixels")
    # Processes for probing; 0 means one per core.
    workers = _Count(0, 0, "processes")
    # Longest clip probed, in seconds; a longer clip fails the build by name.
    max_clip_seconds = _Seconds(600)
    # A validation corpus (folder with corpus.yml and clips/): when set, the build
    # measures it and generates the Validation page. Off by default: no site needs one.
    validation = opt.Optional(_Path(None))
    # A Dask scheduler (tcp://host:8786): probe on its workers instead of local
    # processes (`workers` is then ignored); needs `pip install 'probepress[dask]'`.
    scheduler = opt.Optional(_SchedulerAddress())

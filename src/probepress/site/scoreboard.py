"""The leaderboard's numbers: every clip's score, grouped by model, version and sample.

No clip is dropped: a scene may hold several samples (takes) of one model version and
several versions of one model. A model version's score in a scene is the mean of its
samples' defined scores; its score on a probe is the mean over the scenes that use the
probe. "The model" without a version means, in each scene, its latest version that has
clips there (versions ordered by release date, see ``measure.model_versions``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Cell", "Leaderboard"]


@dataclass(frozen=True)
class Cell:
    """A model version's score in one scene, and the samples behind it."""

    scene: str
    version: str
    score: float | None  # mean of the defined sample scores
    samples: int  # clips behind the score, defined or not


@dataclass
class Leaderboard:
    """Scores by model (and version) and probe, with the per-clip scores behind each mean."""

    models: list[str]
    probes: list[str]
    # scene -> clip id -> probe -> the clip's score (None: undefined)
    scenes: dict[str, dict[str, dict[str, float | None]]]
    # clip id -> (model, version)
    clips: Mapping[str, tuple[str, str]]
    # model -> its versions, oldest first
    versions: Mapping[str, list[str]]

    def rows(self) -> list[tuple[str, str]]:
        """Every (model, version), models in manifest order, versions oldest first."""
        return [(model, version) for model in self.models for version in self.versions[model]]

    def _version_in(self, scene: str, model: str, version: str | None) -> str | None:
        present = {self.clips[c][1] for c in self.scenes[scene] if self.clips[c][0] == model}
        if version is not None:
            return version if version in present else None
        latest = [v for v in self.versions[model] if v in present]
        return latest[-1] if latest else None

    def cell(self, scene: str, model: str, probe: str, version: str | None = None) -> Cell | None:
        """The model's (latest, or ``version``'s) score in ``scene``; None if no clip."""
        chosen = self._version_in(scene, model, version)
        if chosen is None:
            return None
        scores = [
            by_probe[probe]
            for clip, by_probe in self.scenes[scene].items()
            if self.clips[clip] == (model, chosen) and probe in by_probe
        ]
        if not scores:
            return None
        defined = [s for s in scores if s is not None]
        mean = sum(defined) / len(defined) if defined else None
        return Cell(scene, chosen, mean, len(scores))

    def cells(self, model: str, probe: str, version: str | None = None) -> list[Cell]:
        """The model's cells on ``probe``, one per scene that uses it and has its clips."""
        found = (self.cell(scene, model, probe, version) for scene in self.scenes)
        return [cell for cell in found if cell is not None]

    def per_scene(self, model: str, probe: str, version: str | None = None) -> dict:
        """The model's score on ``probe`` in each scene that uses the probe."""
        return {cell.scene: cell.score for cell in self.cells(model, probe, version)}

    def score(self, model: str, probe: str, version: str | None = None) -> float | None:
        """Mean over the scenes where the score is defined; None when none is."""
        defined = [s for s in self.per_scene(model, probe, version).values() if s is not None]
        return sum(defined) / len(defined) if defined else None

"""The build's probe phase: decide what to measure, measure it once, hand back results.

Every clip of the manifest is measured with its scene's probes (the leaderboard and the
open data cover every clip), plus whatever else the pages name. Comparative probes
compare each clip with its scene's reference clip. Results come from the cache when the
clip's bytes, the probe's version and its parameters are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from probepress.measure.cache import ResultCache
from probepress.measure.manifest import Manifest
from probepress.measure.results import ResultSet
from probepress.measure.runner import Job, RunReport, run_probes
from probepress.probes import PROBES
from probepress.video.budget import ClipBudget

__all__ = [
    "EVERY_CLIP_PROBES",
    "INPUT_IMAGE_PROBES",
    "MeasureSettings",
    "clip_probes",
    "plan_jobs",
    "run_probe_phase",
]

#: Probes run on every clip whatever its scene: the camera's motion is a fact of each
#: clip (provenance, open data), and the object probes' own check of it is paid anyway.
EVERY_CLIP_PROBES = ("camera",)
#: Probes run on every clip of a scene that has an input image (image-to-video).
INPUT_IMAGE_PROBES = tuple(name for name, probe in PROBES.items() if probe.needs_input)


class MeasureSettings(Protocol):
    """What the probe phase reads of a site's settings (``probepress.site.settings``)."""

    cache_dir: Path
    workers: int
    analysis_long_side: int
    max_clip_seconds: float
    scheduler: str | None


def clip_probes(scene_probes: Iterable[str], *, input_image: bool = False) -> tuple[str, ...]:
    """A clip's probes: its scene's, the every-clip ones, and the input image's if it has one.

    Each once: :data:`EVERY_CLIP_PROBES`, and :data:`INPUT_IMAGE_PROBES` when
    ``input_image`` (a scene need not list either).
    """
    extra = INPUT_IMAGE_PROBES if input_image else ()
    return tuple(dict.fromkeys([*scene_probes, *EVERY_CLIP_PROBES, *extra]))


def plan_jobs(manifest: Manifest, wanted: Iterable[tuple[str, str]] = ()) -> list[Job]:
    """One job per clip: its scene's probes, ``camera``, and the ``(clip id, probe)`` pairs wanted.

    Pairs naming an unknown clip or probe are ignored here; the pages report them.
    """
    extra: dict[str, set[str]] = {}
    for clip_id, probe in wanted:
        if clip_id in manifest.clips and probe in PROBES:
            extra.setdefault(clip_id, set()).add(probe)
    jobs = []
    for clip in manifest.clips.values():
        scene = manifest.scenes.get(clip.scene)
        image = scene.input_image if scene is not None else None
        names = list(clip_probes(scene.probes if scene else (), input_image=image is not None))
        names += sorted(extra.get(clip.id, set()) - set(names))
        reference = None
        if scene is not None and scene.reference and scene.reference != clip.id:
            reference = manifest.clips[scene.reference].path
        # A comparative probe needs a reference; the reference itself has none to compare.
        names = [n for n in names if reference is not None or not PROBES[n].needs_reference]
        # A probe of the input image is skipped in a scene without one.
        names = [n for n in names if image is not None or not PROBES[n].needs_input]
        if names:
            path = image.path if image is not None else None
            jobs.append(Job(clip.path, tuple(names), reference=reference, input_image=path))
    return jobs


def run_probe_phase(
    manifest: Manifest, settings: MeasureSettings, wanted: Iterable[tuple[str, str]] = ()
) -> tuple[ResultSet, RunReport]:
    """Measure everything :func:`plan_jobs` asks for, cache first."""
    jobs = plan_jobs(manifest, wanted)
    with ResultCache(settings.cache_dir) as cache:
        report = run_probes(
            jobs,
            cache=cache,
            workers=settings.workers,
            long_side=settings.analysis_long_side,
            budget=ClipBudget(settings.max_clip_seconds),
            scheduler=settings.scheduler,
        )
    by_path = {clip.path: clip.id for clip in manifest.clips.values()}
    reports = {by_path[r.path]: r for r in report.clips}
    return ResultSet(manifest=manifest, reports=reports), report

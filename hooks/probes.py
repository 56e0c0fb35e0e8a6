"""Measure the clips once per build, before any page renders (media: hooks/media.py)."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from probepress.measure.manifest import ManifestError, load_manifest
from probepress.measure.probe_phase import run_probe_phase
from probepress.site.asset_files import add_asset_files
from probepress.site.build import current
from probepress.site.plan import plan_site

log = logging.getLogger("mkdocs.plugins.probepress")

# -----------------------------------------------------------------------------
# Hooks
# -----------------------------------------------------------------------------


# Last: after the blog plugin (-50) has taken the posts, so every page is known.
@event_priority(-100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    build = current(config)
    settings = build.settings
    add_asset_files(files, config)
    try:
        manifest = load_manifest(settings.manifest, settings.clips_dir)
    except ManifestError as error:
        for problem in error.problems:
            log.error("%s", problem)
        raise PluginError(
            f"probepress: {len(error.problems)} problem(s) in the clip manifest (listed above)"
        ) from None
    plan = plan_site(files, manifest)
    results, report = run_probe_phase(manifest, settings, plan.probes)
    log.info("probepress %s", report.summary)
    _report_unreadable_clips(results)
    renderer = build.renderer
    renderer.manifest, renderer.results = manifest, results
    return files


# -----------------------------------------------------------------------------
# Helper functions
# -----------------------------------------------------------------------------


def _report_unreadable_clips(results) -> None:
    manifest = results.manifest
    for clip_id, report in results.reports.items():
        if report.error is not None:
            entry = manifest.clips[clip_id]
            log.warning(
                "%s:%d: clip %r cannot be read: %s; replace the file or remove the entry",
                manifest.path.name,
                entry.line,
                entry.file,
                report.error,
            )
            continue
        for probe, outcome in report.results.items():
            if not outcome:
                log.info("probepress: %s could not measure %s: %s", probe, clip_id, outcome.error)

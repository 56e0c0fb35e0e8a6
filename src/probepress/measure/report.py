"""Probe results as the stable JSON other tools parse, and as a table people read."""

from __future__ import annotations

import math
from typing import Any

from probepress.measure.runner import ClipReport, RunReport
from probepress.probes import get_probe
from probepress.probes.base import ProbeFailure, ProbeResult

__all__ = ["clip_facts_json", "report_json", "report_table"]


def report_json(report: RunReport) -> dict[str, Any]:
    """The documented JSON shape of ``probepress probe --json``.

    ``{"clips": [{"path", "sha256", "fps", "frames", "width", "height", "vfr", "probes":
    {NAME: {"version", "metrics": {...}, "error": null}}}]}``; facts of a clip that
    could not be read are ``null`` and each of its probes carries the ``error``.
    """
    return {"clips": [_clip_json(clip) for clip in report.clips]}


def _clip_json(clip: ClipReport) -> dict[str, Any]:
    return {"path": str(clip.path), **clip_facts_json(clip)}


def clip_facts_json(clip: ClipReport | None) -> dict[str, Any]:
    """A clip's hash, fps, frames, size, VFR flag and probe outcomes (``null`` where unknown).

    The shape every probepress JSON shares: ``probepress probe --json`` and the site's
    open data both print it.
    """
    info = clip.info if clip else None
    return {
        "sha256": info.sha256 if info else None,
        "fps": info.fps if info else None,
        "frames": info.frames if info else None,
        "width": info.width if info else None,
        "height": info.height if info else None,
        "vfr": info.vfr if info else None,
        "probes": {
            name: {
                "version": result.version,
                "metrics": _metrics_json(result),
                "error": result.error,
            }
            for name, result in (clip.results.items() if clip else ())
        },
    }


def _metrics_json(result: ProbeResult | ProbeFailure) -> dict[str, float | None]:
    """A result's metrics as :meth:`ProbeResult.to_dict` gives them (NaN as ``None``).

    Not through ``to_dict``: that also copies the series and the overlay, which a
    result read from the cache would parse for nothing (see ``LazyJsonObject``).
    """
    if not result:
        return {}
    return {k: _finite_or_none(float(v)) for k, v in result.metrics.items()}


def report_table(report: RunReport) -> str:
    """A plain-text table per clip: probe, metric, value, unit; failures with reasons."""
    blocks = []
    for clip in report.clips:
        lines = [_clip_heading(clip)]
        rows = []
        for name, result in clip.results.items():
            if not result:
                rows.append((name, "FAILED", result.error or "", ""))
                continue
            units = {m.name: m.unit for m in get_probe(name).metrics}
            for metric, value in result.metrics.items():
                rows.append((name, metric, _number(value), units.get(metric, "")))
        measured = [row for row in rows if row[1] != "FAILED"]
        widths = [max((len(row[i]) for row in measured), default=0) for i in range(3)]
        for row in rows:
            if row[1] == "FAILED":  # the reason runs on; padding others to it helps no one
                lines.append(f"  {row[0].ljust(widths[0])}  FAILED  {row[2]}")
                continue
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2])]
            lines.append("  " + "  ".join(cells) + ("  " + row[3] if row[3] else ""))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _clip_heading(clip: ClipReport) -> str:
    info = clip.info
    if info is None:
        return f"{clip.path}: {clip.error or 'not read'}"
    return (
        f"{clip.path}  [{info.short_hash}]  {info.width}x{info.height}  "
        f"{info.fps:g} fps{' (variable)' if info.vfr else ''}  {info.frames} frames"
    )


def _number(value: float) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        return f"{value:.3e}"
    return f"{value:.4g}"


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None

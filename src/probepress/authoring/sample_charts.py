"""Charts over samples and versions: the spread of a model's takes, and its history.

A chart's clips fall into groups of one scene, model and version; a group of several
samples is drawn as its mean with an error bar of one standard deviation and each sample
as a point, so one lucky take cannot pass for the model. ``history`` follows a model
across its versions: x is the release date when the manifest dates every version shown
(else the versions in release order), one line per scene and model.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from probepress.authoring.escaping import plotly_text
from probepress.measure.ref import Ref
from probepress.measure.results import ResultSet

__all__ = ["SampleGroup", "bars_with_spread", "history", "sample_groups"]

_LAYOUT = {"margin": {"l": 56, "r": 16, "t": 40, "b": 48}, "height": 340}


@dataclass(frozen=True)
class SampleGroup:
    """The clips of one scene, model and version, samples in manifest order."""

    scene: str
    model: str
    version: str
    clips: tuple[str, ...]


def sample_groups(results: ResultSet, clips: Sequence[str]) -> list[SampleGroup]:
    """``clips`` grouped by scene, model and version, in the order first met."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for clip_id in clips:
        entry = results.clip(clip_id)
        found.setdefault((entry.scene, entry.model, entry.model_version), []).append(clip_id)
    return [SampleGroup(*key, tuple(ids)) for key, ids in found.items()]


def _values(results: ResultSet, group: SampleGroup, probe: str, name: str) -> list[float]:
    return [results.value(Ref(c, probe, name)) for c in group.clips]


def _spread(values: list[float]) -> tuple[float | None, float]:
    """Mean and sample standard deviation of the finite values (0 for one sample)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return None, 0.0
    return statistics.fmean(finite), statistics.stdev(finite) if len(finite) > 1 else 0.0


def _label(group: SampleGroup, groups: Sequence[SampleGroup]) -> str:
    """Model, with version when the chart shows two of the model, scene when two scenes."""
    label = group.model
    if sum(g.model == group.model and g.scene == group.scene for g in groups) > 1:
        label += f" {group.version}"
    if len({g.scene for g in groups}) > 1:
        label += f" ({group.scene})"
    if len(group.clips) > 1:
        label += f", n={len(group.clips)}"
    return plotly_text(label)


def bars_with_spread(
    results: ResultSet, probe: str, name: str, groups: list[SampleGroup], unit: str, title: str
) -> dict[str, Any]:
    """A bar per group at its mean, error bars of one sd, and every sample as a point."""
    labels = [_label(g, groups) for g in groups]
    values = [_values(results, g, probe, name) for g in groups]
    spreads = [_spread(v) for v in values]
    suffix = f" {unit}" if unit else ""
    bars = {
        "type": "bar",
        "name": "mean of the samples",
        "x": labels,
        "y": [mean for mean, _sd in spreads],
        "error_y": {"type": "data", "array": [sd for _mean, sd in spreads], "visible": True},
        "hovertemplate": "%{x}<br>mean %{y:.4g}"
        + suffix
        + " ± %{error_y.array:.3g}<extra></extra>",
    }
    points = {
        "type": "scatter",
        "mode": "markers",
        "name": "each sample",
        "x": [label for label, v in zip(labels, values, strict=True) for _ in v],
        "y": [x if math.isfinite(x) else None for v in values for x in v],
        "customdata": [plotly_text(c) for g in groups for c in g.clips],
        "marker": {"size": 8, "symbol": "circle-open", "line": {"width": 2}},
        "hovertemplate": "%{y:.4g}" + suffix + "<extra>%{customdata}</extra>",
    }
    return {
        "data": [bars, points],
        "layout": {
            **_LAYOUT,
            "title": {"text": plotly_text(title or f"{probe}.{name}")},
            "yaxis": {"title": {"text": f"{name} ({unit})" if unit else name}, "automargin": True},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        },
    }


def history(
    results: ResultSet, probe: str, name: str, clips: Sequence[str], unit: str, title: str
) -> dict[str, Any]:
    """One line per scene and model across its versions: mean ± sd, and every sample."""
    manifest = results.manifest
    groups = sample_groups(results, clips)
    dated = all(g.version in getattr(manifest.models.get(g.model), "versions", {}) for g in groups)
    suffix = f" {unit}" if unit else ""
    traces = []
    lines: dict[tuple[str, str], list[SampleGroup]] = {}
    for group in groups:
        lines.setdefault((group.scene, group.model), []).append(group)
    several_scenes = len({scene for scene, _model in lines}) > 1
    for (scene, model), versions in lines.items():
        order = manifest.versions_of(model)
        versions.sort(key=lambda g: order.index(g.version))
        xs = [_x(manifest, g, dated) for g in versions]
        spreads = [_spread(_values(results, g, probe, name)) for g in versions]
        label = plotly_text(f"{model} ({scene})" if several_scenes else model)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "x": xs,
                "y": [mean for mean, _sd in spreads],
                "error_y": {"type": "data", "array": [sd for _m, sd in spreads], "visible": True},
                "text": [plotly_text(f"{g.version}, n={len(g.clips)}") for g in versions],
                "hovertemplate": "%{text}<br>mean %{y:.4g}"
                + suffix
                + "<extra>%{fullData.name}</extra>",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": plotly_text(f"{model}: each sample"),
                "showlegend": False,
                "x": [x for x, g in zip(xs, versions, strict=True) for _ in g.clips],
                "y": [
                    v if math.isfinite(v) else None
                    for g in versions
                    for v in _values(results, g, probe, name)
                ],
                "customdata": [plotly_text(c) for g in versions for c in g.clips],
                "marker": {"size": 7, "symbol": "circle-open"},
                "hovertemplate": "%{y:.4g}" + suffix + "<extra>%{customdata}</extra>",
            }
        )
    traces += _references(results, probe, name, lines, several_scenes, dated)
    xaxis = {"title": {"text": "release date" if dated else "version (oldest first)"}}
    if not dated:
        xaxis["type"] = "category"
    return {
        "data": traces,
        "layout": {
            **_LAYOUT,
            "title": {"text": plotly_text(title or f"{probe}.{name} across versions")},
            "xaxis": xaxis,
            "yaxis": {"title": {"text": f"{name} ({unit})" if unit else name}, "automargin": True},
        },
    }


def _references(
    results: ResultSet,
    probe: str,
    name: str,
    lines: dict[tuple[str, str], list[SampleGroup]],
    several_scenes: bool,
    dated: bool,
) -> list[dict[str, Any]]:
    """A dashed level per scene at its reference clip's value, across the versions shown.

    What a version should reach; left out for a scene whose reference is plotted as a
    model of its own, or whose reference has no finite value.
    """
    manifest = results.manifest
    levels = []
    for scene in dict.fromkeys(scene for scene, _model in lines):
        reference = manifest.scenes[scene].reference if scene in manifest.scenes else None
        plotted = {
            c for (s, _m), groups in lines.items() if s == scene for g in groups for c in g.clips
        }
        if reference is None or reference not in manifest.clips or reference in plotted:
            continue
        value = results.value(Ref(reference, probe, name))
        if not math.isfinite(value):
            continue
        xs = sorted(
            {
                _x(manifest, g, dated)
                for (s, _m), groups in lines.items()
                if s == scene
                for g in groups
            }
        )
        label = f"reference ({scene})" if several_scenes else "reference"
        levels.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": plotly_text(label),
                "x": [xs[0], xs[-1]] if dated else xs,
                "y": [value] * (2 if dated else len(xs)),
                "line": {"dash": "dash", "width": 1},
                "hovertemplate": "%{y:.4g}<extra>" + plotly_text(reference) + "</extra>",
            }
        )
    return levels


def _x(manifest, group: SampleGroup, dated: bool) -> str:
    if dated:
        return manifest.models[group.model].versions[group.version].released.isoformat()
    return plotly_text(group.version or "(no version)")

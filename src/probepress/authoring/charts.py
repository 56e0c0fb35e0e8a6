"""Plotly figures built from probe results: bars, series, radar and heatmap.

Figures are plain dicts (``{"data": [...], "layout": {...}}``) so they serialise into a
page as they are; colours are left to the front end, which follows the light/dark
palette. Every figure names its clips by the manifest's model labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Any

from probepress.measure.ref import Ref
from probepress.measure.results import LookupProblem, ResultSet
from probepress.probes import PROBES

__all__ = ["CHART_KINDS", "bars", "expand_clips", "heatmap", "radar", "series", "timeline"]

CHART_KINDS = ("bars", "series", "radar", "heatmap")
_LAYOUT = {"margin": {"l": 56, "r": 16, "t": 40, "b": 48}, "height": 340}


def expand_clips(results: ResultSet, patterns: Sequence[str]) -> list[str]:
    """Clip ids matching ``patterns`` (globs over ids, e.g. ``train-lake/*``), in order.

    Raises
    ------
    LookupProblem
        When a pattern matches no clip.
    """
    ids = list(results.manifest.clips)
    chosen: list[str] = []
    for pattern in patterns:
        pattern = pattern.removesuffix(".mp4")
        matched = [i for i in ids if fnmatchcase(i, pattern)]
        if not matched:
            results.clip(pattern)  # raises with a did-you-mean
        chosen += [i for i in matched if i not in chosen]
    return chosen


def _metric_ref(metric: str) -> tuple[str, str]:
    probe, dot, name = metric.partition(".")
    if not dot:
        raise LookupProblem(
            f"write the metric as probe.metric, e.g. reflection.symmetry, not {metric!r}"
        )
    return probe, name


def _label(results: ResultSet, clip_id: str, clips: Sequence[str] = ()) -> str:
    """The clip's model, with its scene when another clip of the chart has that model."""
    model = results.clip(clip_id).model
    if sum(results.clip(c).model == model for c in clips) > 1:
        return f"{model} ({results.clip(clip_id).scene})"
    return model


def _unit(probe: str, metric: str) -> str:
    units = {m.name: m.unit for m in PROBES[probe].metrics} if probe in PROBES else {}
    return units.get(metric, "")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def bars(
    results: ResultSet, metric: str, clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """One bar per clip for a scalar metric."""
    probe, name = _metric_ref(metric)
    values = [_finite(results.value(Ref(c, probe, name))) for c in clips]
    unit = _unit(probe, name)
    return {
        "data": [
            {
                "type": "bar",
                "x": [_label(results, c, clips) for c in clips],
                "y": values,
                "customdata": list(clips),
                "hovertemplate": "%{x}<br>%{y:.4g}"
                + (f" {unit}" if unit else "")
                + "<extra>%{customdata}</extra>",
            }
        ],
        "layout": {
            **_LAYOUT,
            "title": {"text": title or metric},
            # Grow the left margin to fit the ticks and the title instead of overlapping.
            "yaxis": {"title": {"text": f"{name} ({unit})" if unit else name}, "automargin": True},
        },
    }


def series(
    results: ResultSet, metric: str, clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """A per-frame series of each clip against time in seconds."""
    probe, name = _metric_ref(metric)
    traces = []
    for clip_id in clips:
        result = results.result(clip_id, probe)
        if name not in result.series:
            known = ", ".join(result.series) or "none"
            raise LookupProblem(f"{probe} has no per-frame series {name!r} (it has: {known})")
        fps = results.info(clip_id).fps
        values = result.series[name]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                # Some probes measure every k-th frame (None between): draw across the gaps.
                "connectgaps": True,
                "name": _label(results, clip_id, clips),
                "meta": clip_id,
                "x": [round(i / fps, 4) for i in range(len(values))],
                "y": values,
            }
        )
    layout = {
        **_LAYOUT,
        "title": {"text": title or metric},
        "xaxis": {"title": {"text": "time (s)"}},
        "yaxis": {"title": {"text": name}, "automargin": True},
        "hovermode": "x unified",
    }
    return {"data": traces, "layout": layout}


def timeline(results: ResultSet, metric: str, clips: Sequence[str]) -> dict[str, Any]:
    """A compact :func:`series` figure to sit under a compare player."""
    figure = series(results, metric, clips, title="")
    figure["layout"].update(
        {
            "height": 220,
            "title": None,
            "margin": {"l": 48, "r": 12, "t": 8, "b": 40},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        }
    )
    return figure


def radar(
    results: ResultSet, metrics: Sequence[str], clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """Each clip's metrics, each scaled to 0..1 by the largest magnitude among the clips."""
    refs = [_metric_ref(m) for m in metrics]
    table = [[results.value(Ref(c, p, n)) for p, n in refs] for c in clips]
    scale = [
        max((abs(row[i]) for row in table if math.isfinite(row[i])), default=1.0) or 1.0
        for i in range(len(refs))
    ]
    traces = []
    for clip_id, row in zip(clips, table, strict=True):
        scaled = [_finite(v / s) for v, s in zip(row, scale, strict=True)]
        traces.append(
            {
                "type": "scatterpolar",
                "fill": "toself",
                "name": _label(results, clip_id, clips),
                "r": [*scaled, scaled[0]],
                "theta": [*metrics, metrics[0]],
                "customdata": [*row, row[0]],
                "hovertemplate": "%{theta}: %{customdata:.4g}<extra>%{fullData.name}</extra>",
            }
        )
    return {
        "data": traces,
        "layout": {
            **_LAYOUT,
            "height": 400,
            "title": {"text": title or "metrics, scaled to the largest"},
            "polar": {"radialaxis": {"range": [0, 1]}},
        },
    }


def heatmap(
    results: ResultSet, metrics: Sequence[str], clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """Clips x metrics, coloured by each metric's value relative to its column."""
    refs = [_metric_ref(m) for m in metrics]
    raw = [[results.value(Ref(c, p, n)) for p, n in refs] for c in clips]
    columns = list(zip(*raw, strict=True))
    spans = [
        (min(col), max(col))
        for col in ([v for v in column if math.isfinite(v)] or [0.0] for column in columns)
    ]
    z = [
        [
            _finite((v - lo) / (hi - lo)) if hi > lo and math.isfinite(v) else 0.5
            for v, (lo, hi) in zip(row, spans, strict=True)
        ]
        for row in raw
    ]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": list(metrics),
                "y": [_label(results, c, clips) for c in clips],
                "customdata": raw,
                "hovertemplate": "%{y}<br>%{x}: %{customdata:.4g}<extra></extra>",
                "colorscale": "Viridis",
                "showscale": False,
            }
        ],
        "layout": {
            **_LAYOUT,
            "height": 120 + 36 * len(clips),
            "title": {"text": title or "metrics by clip"},
            # Model labels sit left of the rows: let plotly make room for the longest.
            "yaxis": {"automargin": True},
            "xaxis": {"automargin": True},
        },
    }

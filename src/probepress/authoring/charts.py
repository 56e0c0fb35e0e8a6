"""Plotly figures built from probe results: bars, series, radar and heatmap.

Figures are plain dicts (``{"data": [...], "layout": {...}}``) so they serialise into a
page as they are; colours are left to the front end, which follows the light/dark
palette. Every figure names its clips by the manifest's model labels, which plotly would
read as HTML: every label and title goes through :func:`plotly_text`. A series of an
image y coordinate (``centroid_y``) keeps the frame's orientation, down on screen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Any

from probepress.authoring import sample_charts
from probepress.authoring.escaping import plotly_text
from probepress.measure.ref import Ref
from probepress.measure.results import LookupProblem, ResultSet
from probepress.probes import PROBES

__all__ = [
    "CHART_KINDS",
    "bars",
    "expand_clips",
    "heatmap",
    "history",
    "is_image_y",
    "radar",
    "series",
    "timeline",
]

CHART_KINDS = ("bars", "series", "radar", "heatmap", "history")
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
        return plotly_text(f"{model} ({results.clip(clip_id).scene})")
    return plotly_text(model)


def is_image_y(name: str) -> bool:
    """Whether a series is an image row coordinate (y grows downwards in the frame)."""
    return name == "y" or name.endswith("_y")


def _unit(probe: str, metric: str) -> str:
    units = {m.name: m.unit for m in PROBES[probe].metrics} if probe in PROBES else {}
    return units.get(metric, "")


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def bars(
    results: ResultSet, metric: str, clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """One bar per clip for a scalar metric; several samples of a model: mean, sd, points."""
    probe, name = _metric_ref(metric)
    groups = sample_charts.sample_groups(results, clips)
    if len(groups) < len(clips):
        return sample_charts.bars_with_spread(
            results, probe, name, groups, _unit(probe, name), title
        )
    values = [_finite(results.value(Ref(c, probe, name))) for c in clips]
    unit = _unit(probe, name)
    return {
        "data": [
            {
                "type": "bar",
                "x": [_label(results, c, clips) for c in clips],
                "y": values,
                "customdata": [plotly_text(c) for c in clips],
                "hovertemplate": "%{x}<br>%{y:.4g}"
                + (f" {unit}" if unit else "")
                + "<extra>%{customdata}</extra>",
            }
        ],
        "layout": {
            **_LAYOUT,
            "title": {"text": plotly_text(title or metric)},
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
                "meta": plotly_text(clip_id),
                "x": [round(i / fps, 4) for i in range(len(values))],
                "y": values,
            }
        )
    yaxis: dict[str, Any] = {"title": {"text": name}, "automargin": True}
    if is_image_y(name):
        # A falling ball's row grows: plotted y-up it would rise on the chart.
        yaxis.update(autorange="reversed", title={"text": f"{name} (y down, as in the frame)"})
    layout = {
        **_LAYOUT,
        "title": {"text": plotly_text(title or metric)},
        "xaxis": {"title": {"text": "time (s)"}},
        "yaxis": yaxis,
        "hovermode": "x unified",
    }
    return {"data": traces, "layout": layout}


def timeline(results: ResultSet, metric: str, clips: Sequence[str]) -> dict[str, Any]:
    """A compact :func:`series` figure to sit under a compare player."""
    figure = series(results, metric, clips, title="")
    if is_image_y(_metric_ref(metric)[1]):
        # The short chart has room for a short axis title only.
        figure["layout"]["yaxis"]["title"]["text"] = f"{_metric_ref(metric)[1]} (y down)"
    figure["layout"].update(
        {
            "height": 220,
            "title": None,
            "margin": {"l": 48, "r": 12, "t": 8, "b": 40},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        }
    )
    return figure


def history(
    results: ResultSet, metric: str, clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """A model's metric across its versions (see :func:`sample_charts.history`)."""
    probe, name = _metric_ref(metric)
    return sample_charts.history(results, probe, name, clips, _unit(probe, name), title)


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
            "title": {"text": plotly_text(title or "metrics, scaled to the largest")},
            "polar": {"radialaxis": {"range": [0, 1]}},
        },
    }


def heatmap(
    results: ResultSet, metrics: Sequence[str], clips: Sequence[str], *, title: str = ""
) -> dict[str, Any]:
    """Clips x metrics, each cell showing its value, coloured by its rank in its column.

    Colour says only where a value sits between its column's lowest (0) and highest (1)
    value, not whether it is good; the colour bar says so and every cell prints its value.
    """
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
                "text": [[f"{v:.3g}" if math.isfinite(v) else "n/a" for v in row] for row in raw],
                "texttemplate": "%{text}",
                "hovertemplate": "%{y}<br>%{x}: %{customdata:.4g}<extra></extra>",
                "colorscale": "Viridis",
                "zmin": 0,
                "zmax": 1,
                "showscale": True,
                "colorbar": {
                    "title": {"text": "in its column", "side": "right"},
                    "tickvals": [0, 1],
                    "ticktext": ["lowest", "highest"],
                    "thickness": 12,
                },
            }
        ],
        "layout": {
            **_LAYOUT,
            "height": 120 + 36 * len(clips),
            "title": {"text": plotly_text(title or "metrics by clip, coloured within each column")},
            # Model labels sit left of the rows: let plotly make room for the longest.
            "yaxis": {"automargin": True},
            "xaxis": {"automargin": True},
        },
    }

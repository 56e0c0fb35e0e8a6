"""The Validation page's charts: measured against truth, one per check with a truth.

Each point is a corpus clip (green when its row holds, red when not); the grey bar at
the diagonal is the truth with its tolerance, so a point outside its bar is out of
tolerance at a glance.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from probepress.authoring.escaping import plotly_text
from probepress.authoring.html import figure_div
from probepress.measure.validation_checks import Row

__all__ = ["charts", "figure"]


def charts(rows: Sequence[Row], figure_html: Callable[[dict], str] = figure_div) -> list[str]:
    """Measured against truth for each check comparing a number with its truth.

    ``figure_html`` makes a chart's HTML (a page's, which links each chart's data).
    """
    charts = []
    for check in dict.fromkeys(r.check for r in rows):
        points = [r for r in rows if r.check == check and r.truth_value is not None]
        if not points:
            continue
        charts.append(figure_html(figure(check, points)))
    return charts


def figure(check: str, points: Sequence[Row]) -> dict:
    """A plotly figure of ``points`` (rows of one check): measured against truth."""
    truths = [r.truth_value for r in points]
    low, high = min(truths), max(truths)
    pad = max(1.0, 0.1 * (high - low))
    measured = [r for r in points if r.measured_value is not None]
    unit = points[0].truth.partition(" ")[2]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": "measured = truth",
                "x": [low - pad, high + pad],
                "y": [low - pad, high + pad],
                "line": {"dash": "dot", "color": "#888"},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "truth ± tolerance",
                "x": truths,
                "y": truths,
                "error_y": {"type": "data", "array": [r.tolerance_value for r in points]},
                "marker": {"symbol": "line-ew", "size": 1, "color": "#888"},
                "text": [plotly_text(r.case) for r in points],
                "hovertemplate": "%{text}<br>truth %{x:.4g} ± %{error_y.array:.3g}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "measured",
                "x": [r.truth_value for r in measured],
                "y": [r.measured_value for r in measured],
                "marker": {
                    "size": 9,
                    "color": ["#2e7d32" if r.holds else "#c62828" for r in measured],
                },
                "text": [plotly_text(f"{r.case}: {r.status}") for r in measured],
                "hovertemplate": "%{text}<br>truth %{x:.4g}, measured %{y:.4g}<extra></extra>",
            },
        ],
        "layout": {
            "title": {"text": plotly_text(f"{check}: measured against truth")},
            "height": 320,
            "xaxis": {"title": {"text": plotly_text(f"truth ({unit})" if unit else "truth")}},
            "yaxis": {"title": {"text": plotly_text(f"measured ({unit})" if unit else "measured")}},
            # Top left: the points run from bottom left to top right, and a legend
            # under the plot ran into the axis title on a phone.
            "legend": {"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top"},
        },
    }

"""A chart in words: its accessible name and a one-line summary made from its data.

A plotly chart is a picture to a screen reader, and a picture with no words is
nothing. Every chart gets a name (its kind and title) and one sentence saying what it
shows, computed from the figure's own numbers, so the words cannot drift from the
picture: ``Bars of g error (%): lowest Reference 0.4, highest Model C 66 (4 bars).``

Labels in a figure are plotly text (entities, and for an author's own figure a few
tags such as ``<br>``); they come out here as plain text, for the caller to escape.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from html import unescape
from typing import Any

__all__ = ["chart_label", "chart_summary", "listed", "plain_text", "positions"]

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_KIND_NAMES = {
    "bar": "Bar chart",
    "scatter": "Line chart",
    "scatterpolar": "Radar chart",
    "heatmap": "Heatmap",
}
# Beyond this many series a summary names the first ones and counts the rest.
_NAMED_SERIES = 4


def plain_text(text: object) -> str:
    """Plotly label text as plain characters: tags dropped (a break is a space), entities read."""
    if not isinstance(text, str):
        return "" if text is None else str(text)
    return _SPACE.sub(" ", unescape(_TAG.sub(" ", text))).strip()


def chart_label(figure: dict[str, Any]) -> str:
    """The chart's accessible name: its kind, and its title when it has one.

    Parameters
    ----------
    figure : dict
        A plotly figure (``{"data": [...], "layout": {...}}``).

    Returns
    -------
    str
        Plain text such as ``"Bar chart: gravity.acceleration_px_s2"``.
    """
    kind = _KIND_NAMES.get(_kind(figure), "Chart")
    layout = _layout(figure)
    # An untitled chart (a player's timeline) is named by what it plots.
    title = _title(layout) or _axis_title(layout, "yaxis")
    return f"{kind}: {title}" if title else kind


def chart_summary(figure: dict[str, Any]) -> str:
    """One sentence, from the figure's numbers, saying what the chart shows.

    Parameters
    ----------
    figure : dict
        A plotly figure (``{"data": [...], "layout": {...}}``).

    Returns
    -------
    str
        Plain text: for bars the lowest and highest bar, for lines each series' range,
        for a radar each series' mean, for a heatmap its rows and columns.
    """
    traces = _traces(figure)
    layout = _layout(figure)
    kind = _kind(figure)
    if not traces:
        return "An empty chart."
    if kind == "bar":
        return _bars(traces, layout)
    if kind == "scatter":
        return _lines(traces, layout)
    if kind == "scatterpolar":
        return _radar(traces)
    if kind == "heatmap":
        return _heatmap(traces[0])
    kinds = sorted({str(t.get("type") or "scatter") for t in traces})
    return f"A chart of {len(traces)} series ({', '.join(kinds)})."


# ---------------------------------------------------------------------------------------
# Kinds


def _bars(traces: list[dict[str, Any]], layout: dict[str, Any]) -> str:
    several = len(traces) > 1
    points = [
        (f"{_name(t, i)} {plain_text(x)}" if several else plain_text(x), y)
        for i, t in enumerate(traces)
        for x, y in zip(positions(t, listed(t.get("y"))), listed(t.get("y")), strict=False)
        if _number(y) is not None
    ]
    what = _axis_title(layout, "yaxis") or _title(layout) or "values"
    if not points:
        return f"Bars of {what}: no value was measured."
    low = min(points, key=lambda p: p[1])
    high = max(points, key=lambda p: p[1])
    return (
        f"Bars of {what}: lowest {low[0]} {_shown(low[1])}, "
        f"highest {high[0]} {_shown(high[1])} ({_count(len(points), 'bar')})."
    )


def _lines(traces: list[dict[str, Any]], layout: dict[str, Any]) -> str:
    what = _axis_title(layout, "yaxis") or _title(layout) or "values"
    against = _axis_title(layout, "xaxis") or "x"
    ranges = []
    for i, trace in enumerate(traces):
        values = [v for v in (_number(y) for y in listed(trace.get("y"))) if v is not None]
        span = f"{_shown(min(values))} to {_shown(max(values))}" if values else "no values"
        unnamed = len(traces) == 1 and not plain_text(trace.get("name"))
        ranges.append(f"from {span}" if unnamed else f"{_name(trace, i)} {span}")
    return (
        f"Lines of {what} against {against} for {_count(len(traces), 'series')}: {_some(ranges)}."
    )


def _radar(traces: list[dict[str, Any]]) -> str:
    axes: list[str] = []
    means = []
    for i, trace in enumerate(traces):
        theta = [plain_text(t) for t in listed(trace.get("theta"))]
        r = listed(trace.get("r"))
        if len(theta) > 1 and theta[0] == theta[-1]:  # the closing point repeats the first
            theta, r = theta[:-1], r[:-1]
        axes += [a for a in theta if a not in axes]
        values = [v for v in (_number(x) for x in r) if v is not None]
        if values:
            means.append((_name(trace, i), sum(values) / len(values)))
    head = f"Radar over {_some(axes)} for {_count(len(traces), 'series')}"
    if not means:
        return f"{head}: no value was measured."
    high = max(means, key=lambda m: m[1])
    low = min(means, key=lambda m: m[1])
    if len(means) == 1:
        return f"{head}: mean {high[0]} {_shown(high[1])}."
    return f"{head}: highest mean {high[0]} {_shown(high[1])}, lowest {low[0]} {_shown(low[1])}."


def _heatmap(trace: dict[str, Any]) -> str:
    rows = [plain_text(y) for y in listed(trace.get("y"))]
    columns = [plain_text(x) for x in listed(trace.get("x"))]
    prints = trace.get("texttemplate") or trace.get("text")
    printed = "; each cell prints its value" if prints else ""
    return (
        f"Heatmap of {_count(len(rows), 'row')} ({_some(rows)}) by "
        f"{_count(len(columns), 'column')} ({_some(columns)}){printed}."
    )


# ---------------------------------------------------------------------------------------
# Helpers


# An author's plotly fence is any JSON with a data list: every other shape is possible.


def listed(value: object) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def positions(trace: dict[str, Any], values: list[Any], key: str = "x") -> list[Any]:
    """A trace's x (or ``key``) values; plotly numbers the points 0, 1, ... without them."""
    return listed(trace.get(key)) or list(range(len(values)))


def _traces(figure: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for t in listed(figure.get("data")) if isinstance(t, dict)]


def _layout(figure: dict[str, Any]) -> dict[str, Any]:
    layout = figure.get("layout")
    return layout if isinstance(layout, dict) else {}


def _kind(figure: dict[str, Any]) -> str:
    """The type shared by every trace, or ``"mixed"``."""
    kinds = {str(t.get("type") or "scatter") for t in _traces(figure)}
    return kinds.pop() if len(kinds) == 1 else "mixed"


def _title(layout: dict[str, Any]) -> str:
    title = layout.get("title")
    return plain_text(title.get("text") if isinstance(title, dict) else title)


def _axis_title(layout: dict[str, Any], axis: str) -> str:
    settings = layout.get(axis)
    return _title(settings) if isinstance(settings, dict) else ""


def _name(trace: dict[str, Any], index: int) -> str:
    return plain_text(trace.get("name")) or f"series {index + 1}"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _shown(value: float) -> str:
    """A number as a reader takes it in: three significant digits, no exponent below 10^6."""
    if value != 0 and 1e3 <= abs(value) < 1e6:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 or noun.endswith("s") else f"{n} {noun}s"


def _some(items: Sequence[str]) -> str:
    """The first few items, and how many more."""
    shown = ", ".join(items[:_NAMED_SERIES])
    rest = len(items) - _NAMED_SERIES
    return f"{shown} and {rest} more" if rest > 0 else shown

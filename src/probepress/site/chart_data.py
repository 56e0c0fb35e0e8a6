"""Each chart's own numbers as a CSV file in the site, linked under the chart.

A chart shows its data only as a picture; the file beside it gives the same numbers
to anyone who cannot see it, or wants to check it. One row per plotted point, long
format: ``series`` (a trace, or a heatmap's row), ``category`` (a bar's label, a
time, a radar axis or a heatmap's column) and ``value``. A heatmap coloured by rank
lists the measured values it prints, not the colours. Files are named by the hash of
their text, so a chart rendered again (in a blog index) links to the same file and a
changed chart never to yesterday's. Cells go through :func:`csv_safe` like the open
data's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from probepress.authoring.chart_text import listed, plain_text, positions
from probepress.site.open_data import DATA_DIR, csv_safe

__all__ = ["CHARTS_DIR", "ChartDataFiles", "figure_csv"]

CHARTS_DIR = f"{DATA_DIR}/charts"


def figure_csv(figure: dict[str, Any]) -> str:
    """The plotted points of a plotly figure as CSV text (``series,category,value``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("series", "category", "value"))
    for index, trace in enumerate(t for t in listed(figure.get("data")) if isinstance(t, dict)):
        name = plain_text(trace.get("name")) or f"series {index + 1}"
        for row in _points(trace, name):
            writer.writerow(csv_safe(cell) for cell in row)
    return buffer.getvalue()


def _points(trace: dict[str, Any], name: str) -> Iterator[tuple[object, object, object]]:
    kind = trace.get("type") or "scatter"
    if kind == "heatmap":
        # customdata holds the measured values when z holds ranks (see charts.heatmap).
        table = listed(trace.get("customdata")) or listed(trace.get("z"))
        for row, values in zip(listed(trace.get("y")), table, strict=False):
            for column, value in zip(listed(trace.get("x")), listed(values), strict=False):
                yield plain_text(row), plain_text(column), _cell(value)
        return
    if kind == "scatterpolar":
        categories, values = listed(trace.get("theta")), listed(trace.get("r"))
        if len(categories) > 1 and categories[0] == categories[-1]:
            categories, values = categories[:-1], values[:-1]  # the closing point
    else:
        values = listed(trace.get("y"))
        categories = positions(trace, values)
    for category, value in zip(categories, values, strict=False):
        yield name, plain_text(category) if isinstance(category, str) else category, _cell(value)


def _cell(value: object) -> object:
    """A number as written, a missing value as an empty cell."""
    return "" if value is None else value


@dataclass
class ChartDataFiles:
    """The data files of one build's charts: site URI -> CSV text."""

    tables: dict[str, str] = field(default_factory=dict)

    def add(self, figure: dict[str, Any]) -> str:
        """Keep the figure's CSV for this build; returns its site URI."""
        text = figure_csv(figure)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        uri = f"{CHARTS_DIR}/{digest}.csv"
        self.tables[uri] = text
        return uri

    def write(self, site_dir: Path) -> list[Path]:
        """Write every kept file under ``site_dir``; returns their paths."""
        written = []
        for uri, text in sorted(self.tables.items()):
            path = site_dir / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.{os.getpid()}.part")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, path)
            written.append(path)
        return written

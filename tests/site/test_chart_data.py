"""Each chart's numbers as a CSV file of the site: one row per plotted point."""

from __future__ import annotations

import csv
import io

from probepress.site.chart_data import CHARTS_DIR, ChartDataFiles, figure_csv


def _rows(figure: dict) -> list[list[str]]:
    return list(csv.reader(io.StringIO(figure_csv(figure))))


def test_bars_and_lines_are_one_row_per_point():
    figure = {
        "data": [{"type": "bar", "name": "g", "x": ["Reference", "Model A"], "y": [9.8, None]}]
    }
    assert _rows(figure) == [
        ["series", "category", "value"],
        ["g", "Reference", "9.8"],
        ["g", "Model A", ""],
    ]


def test_a_radar_drops_its_closing_point():
    figure = {
        "data": [{"type": "scatterpolar", "name": "A", "r": [1, 0.5, 1], "theta": ["x", "y", "x"]}]
    }
    assert _rows(figure)[1:] == [["A", "x", "1"], ["A", "y", "0.5"]]


def test_a_heatmap_lists_the_measured_values_not_the_colour_ranks():
    figure = {"data": [{"type": "heatmap", "x": ["m"], "y": ["A", "B"], "z": [[0], [1]],
                        "customdata": [[3.5], [7.25]]}]}  # fmt: skip
    assert _rows(figure)[1:] == [["A", "m", "3.5"], ["B", "m", "7.25"]]


def test_a_label_a_spreadsheet_would_run_is_written_as_text():
    figure = {"data": [{"type": "bar", "name": "=HYPERLINK(1)", "x": ["@cmd"], "y": [1]}]}
    assert _rows(figure)[1] == ["'=HYPERLINK(1)", "'@cmd", "1"]


def test_files_are_named_by_their_text_and_written_into_the_site(tmp_path):
    files = ChartDataFiles()
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}]}
    first = files.add(figure)
    assert files.add(figure) == first  # the same chart in a blog index: the same file
    other = files.add({"data": [{"type": "bar", "x": ["a"], "y": [2]}]})
    assert other != first and first.startswith(f"{CHARTS_DIR}/") and first.endswith(".csv")
    written = files.write(tmp_path)
    assert sorted(written) == sorted([tmp_path / first, tmp_path / other])
    assert (tmp_path / first).read_text(encoding="utf-8") == figure_csv(figure)


def test_points_without_x_are_numbered_as_plotly_numbers_them():
    assert _rows({"data": [{"type": "scatter", "name": "s", "y": [5, 6]}]})[1:] == [
        ["s", "0", "5"],
        ["s", "1", "6"],
    ]

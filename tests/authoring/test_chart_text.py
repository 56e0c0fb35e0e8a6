"""A chart in words: its name and one-line summary come from the figure's own numbers."""

from __future__ import annotations

from probepress.authoring.chart_text import chart_label, chart_summary, plain_text
from probepress.authoring.html import figure_div

BARS = {
    "data": [
        {
            "type": "bar",
            "x": ["Reference", "Model A", "Model C"],
            "y": [0.4, 12.5, 66.0],
        }
    ],
    "layout": {"title": {"text": "g error"}, "yaxis": {"title": {"text": "error (%)"}}},
}


def test_bars_name_the_lowest_and_the_highest_bar():
    assert chart_label(BARS) == "Bar chart: g error"
    assert chart_summary(BARS) == (
        "Bars of error (%): lowest Reference 0.4, highest Model C 66 (3 bars)."
    )


def test_a_missing_bar_is_left_out_not_counted_as_zero():
    figure = {"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [None, 3.0, 2.0]}]}
    assert chart_summary(figure) == "Bars of values: lowest c 2, highest b 3 (2 bars)."


def test_lines_give_each_series_its_range_against_the_x_axis():
    figure = {
        "data": [
            {"type": "scatter", "name": "Reference", "x": [0, 1, 2], "y": [0.98, 0.979, 0.982]},
            {"type": "scatter", "name": "Model A", "x": [0, 1, 2], "y": [0.6, None, 0.523]},
        ],
        "layout": {"xaxis": {"title": {"text": "time (s)"}}, "yaxis": {"title": {"text": "sym"}}},
    }
    # An untitled chart (a timeline) is named by what it plots.
    assert chart_label(figure) == "Line chart: sym"
    assert chart_summary(figure) == (
        "Lines of sym against time (s) for 2 series: Reference 0.979 to 0.982, "
        "Model A 0.523 to 0.6."
    )


def test_a_radar_ignores_its_closing_point_and_compares_means():
    figure = {
        "data": [
            {"type": "scatterpolar", "name": "Reference", "r": [1, 1, 1], "theta": ["a", "b", "a"]},
            {
                "type": "scatterpolar",
                "name": "Model B",
                "r": [0.2, 0.6, 0.2],
                "theta": ["a", "b", "a"],
            },
        ],
        "layout": {"title": "Agreement"},
    }
    assert chart_label(figure) == "Radar chart: Agreement"
    assert chart_summary(figure) == (
        "Radar over a, b for 2 series: highest mean Reference 1, lowest Model B 0.4."
    )


def test_a_heatmap_names_its_rows_and_columns():
    figure = {"data": [{"type": "heatmap", "x": ["m1", "m2"], "y": ["A", "B", "C"],
                        "z": [[0, 1], [1, 0], [0.5, 0.5]], "texttemplate": "%{text}"}]}  # fmt: skip
    assert chart_summary(figure) == (
        "Heatmap of 3 rows (A, B, C) by 2 columns (m1, m2); each cell prints its value."
    )


def test_many_series_are_counted_not_all_named():
    figure = {"data": [{"type": "scatter", "name": f"s{i}", "y": [i]} for i in range(7)]}
    assert "s3 3 to 3 and 3 more" in chart_summary(figure)


def test_plotly_markup_in_labels_becomes_plain_text():
    assert plain_text("Model &lt;C&gt;<br>second line &amp; more") == "Model <C> second line & more"
    figure = {"data": [{"type": "bar", "x": ["<b>x</b>"], "y": [1]}], "layout": {"title": "a<br>b"}}
    assert chart_label(figure) == "Bar chart: a b"


def test_the_figure_html_escapes_its_name_and_summary_and_links_the_data():
    figure = {
        "data": [{"type": "bar", "x": ['Evil"><script>x()</script>'], "y": [1.0]}],
        # As the chart builders write labels (plotly_text): entities, read as characters.
        "layout": {"title": {"text": '"&gt;&lt;img src=x onerror=alert(1)&gt;'}},
    }
    html = figure_div(figure, data_url="../data/charts/abc.csv")
    assert "<script>" not in html and "<img" not in html
    assert 'aria-label="Bar chart: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    assert '<a href="../data/charts/abc.csv" download>Data (CSV)</a>' in html
    assert html.startswith('<figure class="pp-figure"') and html.endswith("</figure>")


def test_without_a_data_url_there_is_no_link():
    assert "<a " not in figure_div(BARS)


def test_an_author_figure_of_any_shape_gets_words_never_an_error():
    odd = [
        {"data": []},
        {"data": [{"type": "bar", "y": [3, 1]}]},  # no x: plotly numbers the bars
        {"data": [{"y": 5, "x": "a"}], "layout": ["not", "a", "dict"]},
        {"data": [{"type": "bar", "x": [1], "y": ["text"]}], "layout": {"yaxis": 7}},
        {"data": [{"type": "surface", "z": [[1, 2], [3, 4]]}], "layout": {"title": None}},
        {"data": [{"type": "heatmap", "x": 1, "y": None}]},
        {"data": [{"type": "scatterpolar", "r": "x", "theta": [1]}, "not a trace"]},
    ]
    for figure in odd:
        assert chart_label(figure)
        assert chart_summary(figure).endswith(".")
    assert chart_summary(odd[1]) == "Bars of values: lowest 1 1, highest 0 3 (2 bars)."

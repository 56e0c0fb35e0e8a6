"""Accessibility of every demo page: axe-core finds nothing probepress owns; charts in words.

axe-core runs in Debian's Chromium over every page of the real demo site. Each chart
is a named figure whose caption says what it shows and links to its numbers, and its
plotly toolbar is one tab stop, not seven to nine.
"""

from __future__ import annotations

import csv
import io

from _axe import NOT_OURS, axe_violations, described
from browserkit import CHARTS_DRAWN

# True once every drawn chart's toolbar was made one tab stop by the front end.
TOOLBARS_READY = """() => [...document.querySelectorAll('.pp-chart')]
    .every(el => el.querySelector('.modebar[role=toolbar]'))"""

# Each chart: its figure's name, its caption, and where its data link points.
CHARTS_IN_WORDS = """() => [...document.querySelectorAll('.pp-chart')].map(el => {
    const figure = el.closest('figure.pp-figure');
    const caption = figure && figure.querySelector(':scope > figcaption');
    const link = caption && caption.querySelector('a[href]');
    return {label: figure ? figure.getAttribute('aria-label') : null,
            caption: caption ? caption.textContent.trim() : '',
            data: link ? link.href : null};
})"""

KINDS = ("Bar chart", "Line chart", "Radar chart", "Heatmap", "Chart")


def _pages_with_charts(demo_site, page):
    for path in demo_site.pages:
        page.goto(path)
        if page.locator(".pp-chart").count():
            page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
            yield path


def test_axe_finds_no_violation_probepress_owns_on_any_page(demo_site, page):
    found = []
    for path in demo_site.pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
        found.append(described(path, axe_violations(page)))
    report = "\n".join(line for line in found if line)
    excluded = "\n".join(f"  {n.rule} at {n.selector}: {n.why}" for n in NOT_OURS)
    assert not report, f"axe violations:\n{report}\n(not ours, excluded:\n{excluded})"


def test_every_chart_is_named_summarised_and_links_its_data(demo_site, page):
    charts = 0
    for path in _pages_with_charts(demo_site, page):
        for number, chart in enumerate(page.evaluate(CHARTS_IN_WORDS), 1):
            where = f"{path} chart {number}"
            charts += 1
            assert chart["label"], f"{where}: the chart's figure has no name (aria-label)"
            assert chart["label"].startswith(KINDS), f"{where}: {chart['label']!r}"
            assert len(chart["caption"]) > 30, f"{where}: no summary: {chart['caption']!r}"
            assert chart["data"], f"{where}: no link to the chart's data"
            response = page.request.get(chart["data"])
            assert response.ok, f"{where}: {chart['data']} answers {response.status}"
            rows = list(csv.reader(io.StringIO(response.text())))
            assert len(rows) > 1, f"{where}: {chart['data']} holds no data"
            if "/data/charts/" in chart["data"]:  # the chart's own file, else the open data
                assert rows[0] == ["series", "category", "value"], f"{where}: {rows[:2]}"
    assert charts >= 10, charts


def test_each_chart_toolbar_is_one_tab_stop_and_arrow_keys_move_inside(demo_site, page):
    for path in ("guide/", "leaderboard/"):
        page.goto(path)
        # Charts draw as they near the viewport: CHARTS_DRAWN scrolls to each in turn.
        page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
        page.wait_for_function(TOOLBARS_READY, timeout=120_000)
        stops = page.evaluate(
            """() => [...document.querySelectorAll('.pp-chart')].map(el =>
                [...el.querySelectorAll('button, a[href], input, select, [tabindex]')]
                    .filter(e => e.tabIndex >= 0 && !e.disabled).length)"""
        )
        assert stops and all(n == 1 for n in stops), f"{path}: tab stops per chart {stops}"
    # Keyboard: Tab lands on the toolbar's first button, an arrow key on the next.
    first = page.locator(".pp-chart .modebar-btn").first
    first.focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate(
        """() => { const bar = document.activeElement.closest('.modebar');
                   return bar && [...bar.querySelectorAll('.modebar-btn')]
                       .indexOf(document.activeElement); }"""
    )
    assert focused == 1
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.modebar') !== null")

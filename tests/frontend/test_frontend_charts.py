"""Charts: rendering, palette, instant navigation and hidden tabs, in headless Chromium."""

from __future__ import annotations

import pytest
from browserkit import LOAD_PLAYERS, MODEBAR_STYLED, wait_for_instant_navigation

pytestmark = pytest.mark.browser

SVG_FILL = "(sel) => document.querySelector(sel).style.fill"


def open_charts(page) -> None:
    page.goto("./")
    page.wait_for_selector("#bars .main-svg")


def test_every_chart_renders_without_errors_or_outside_requests(page):
    open_charts(page)
    page.wait_for_selector("#tabbed .main-svg", state="attached")
    charts = page.evaluate("""() => [...document.querySelectorAll('.pp-chart')]
        .map(el => [el.id, !!el.querySelector('.main-svg')])""")
    assert charts == [["bars", True], ["tabbed", True]]
    # The page fixture asserts no console error and no request off 127.0.0.1.


def test_charts_have_transparent_backgrounds(page):
    open_charts(page)
    layout = page.evaluate("""() => {
        const layout = document.getElementById('bars')._fullLayout;
        return [layout.paper_bgcolor, layout.plot_bgcolor];
    }""")
    assert [color.replace(" ", "") for color in layout] == ["rgba(0,0,0,0)"] * 2


def test_dark_palette_recolours_chart_text(page):
    open_charts(page)
    tick = "#bars .xtick text"
    light = page.evaluate(SVG_FILL, tick)
    page.click("label[for=__palette_1]")
    page.wait_for_function(f"() => document.querySelector('{tick}').style.fill !== '{light}'")
    dark = page.evaluate(SVG_FILL, tick)
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    assert light == "rgb(0, 0, 0)"
    red = int(dark.removeprefix("rgb(").split(",")[0])
    assert red > 180, dark  # light text on the dark palette


def test_instant_navigation_redraws_charts_with_a_styled_modebar(page):
    open_charts(page)
    wait_for_instant_navigation(page)
    page.evaluate("() => { window.ppSamePage = true }")
    page.click("a:has-text('compare page')")
    page.wait_for_selector("#wipe-player-timeline .main-svg")
    assert page.evaluate("() => window.ppSamePage") is True  # no full reload happened
    page.wait_for_function(MODEBAR_STYLED)

    page.click("article a:has-text('charts')")
    page.wait_for_selector("#bars .main-svg")
    assert page.evaluate("() => window.ppSamePage") is True
    page.wait_for_function(MODEBAR_STYLED)


def test_chart_in_an_inactive_tab_takes_its_width_when_shown(page):
    open_charts(page)
    page.wait_for_selector("#tabbed .main-svg", state="attached")
    assert page.evaluate("() => document.getElementById('tabbed').clientWidth") == 0
    page.click("label[for=__tabbed_1_2]")
    page.wait_for_function("""() => {
        const el = document.getElementById('tabbed');
        const svg = el.querySelector('.main-svg');
        return el.clientWidth > 0 && Number(svg.getAttribute('width')) === el.clientWidth;
    }""")
    assert page.evaluate("() => document.getElementById('tabbed').clientWidth") > 300


def test_initialising_twice_is_harmless(page):
    page.goto("compare/")
    page.evaluate(LOAD_PLAYERS)
    page.wait_for_selector("#grid-player-timeline .main-svg")
    count = """() => ({
        controls: document.querySelectorAll('#grid-player .pp-controls').length,
        plots: document.querySelectorAll('#grid-player-timeline .svg-container').length,
        shapes: document.getElementById('grid-player-timeline').layout.shapes.length,
    })"""
    once = page.evaluate(count)
    page.evaluate("() => window.document$.next(document)")  # what a navigation emits
    page.wait_for_timeout(100)
    # One control bar, one plot, the author's shape and one cursor.
    assert once == page.evaluate(count) == {"controls": 1, "plots": 1, "shapes": 2}


def test_charts_render_on_a_page_without_material(page):
    page.goto("plain.html")
    page.wait_for_selector("#plain-chart .main-svg")
    assert page.evaluate("() => typeof window.document$") == "undefined"

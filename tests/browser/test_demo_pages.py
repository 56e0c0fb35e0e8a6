"""Every page of the real demo site: loads clean, charts render in both palettes, fits a phone."""

from __future__ import annotations

import pytest
from browserkit import CHARTS_DRAWN, PHONE, horizontal_overflow, open_page

# Per chart: its text colour as drawn (title or first tick), and whether its
# background is see-through, so it sits on the page's own colour.
CHART_COLOURS = """() => [...document.querySelectorAll('.pp-chart')].map(el => {
    const text = el.querySelector('.gtitle, .xtick text, .angularaxistick text, .legendtext');
    const layout = el._fullLayout;
    return {text: text ? getComputedStyle(text).fill : null,
            clear: [layout.paper_bgcolor, layout.plot_bgcolor, layout.polar?.bgcolor]
                .every(c => c === undefined || c.replace(/ /g, '') === 'rgba(0,0,0,0)')};
})"""

# Chart titles whose text runs past the screen's edges (an SVG clips them, so the
# page's scroll width would not show it).
TITLES_OFF_SCREEN = """() => [...document.querySelectorAll('.pp-chart .gtitle')]
    .filter(t => { const b = t.getBoundingClientRect();
                   return b.left < 0 || b.right > document.documentElement.clientWidth; })
    .map(t => `chart title "${t.textContent}" is cut off`)"""


def _lightness(rgb: str) -> float:
    """The mean channel of ``rgb(r, g, b)``, 0 (black) to 255 (white)."""
    channels = rgb.removeprefix("rgb(").removeprefix("rgba(").rstrip(")").split(",")[:3]
    return sum(float(c) for c in channels) / 3


def test_the_site_has_every_kind_of_page(demo_site):
    pages = demo_site.pages
    assert len(demo_site.posts) == 6
    for expected in ("", "blog/", "leaderboard/", "claims/", "guide/",
                     "methodology/reproduce/", "probes/shadow/", "about/"):  # fmt: skip
        assert expected in pages


def test_every_page_loads_clean_and_stays_on_the_site(demo_site, browser_context):
    page, log = open_page(browser_context)
    for path in demo_site.pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        try:
            log.assert_clean()
        except AssertionError as error:
            raise AssertionError(f"{path}: {error}") from None
    page.close()


def test_every_chart_renders_and_follows_the_dark_palette(demo_site, page, artifacts):
    with_charts = []
    for path in demo_site.pages:
        page.goto(path)
        if not page.locator(".pp-chart").count():
            continue
        with_charts.append(path)
        page.wait_for_function(CHARTS_DRAWN)
        light = page.evaluate(CHART_COLOURS)
        if not page.evaluate("() => document.body.dataset.mdColorScheme === 'slate'"):
            page.click("label[for=__palette_1]")  # Material keeps the choice for later pages
        page.wait_for_function(
            """() => [...document.querySelectorAll('.pp-chart .gtitle, .pp-chart .xtick text')]
                .every(t => getComputedStyle(t).fill !== 'rgb(0, 0, 0)')"""
        )
        dark = page.evaluate(CHART_COLOURS)
        for number, (before, after) in enumerate(zip(light, dark, strict=True), 1):
            where = f"{path} chart {number}"
            assert before["clear"] and after["clear"], f"{where}: opaque background"
            assert after["text"] is not None, f"{where}: no text drawn"
            assert _lightness(after["text"]) > 150, f"{where}: dark text {after['text']}"
        page.click("label[for=__palette_0]")  # back to light for the next page
    page.goto("leaderboard/")
    page.click("label[for=__palette_1]")
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_timeout(200)
    page.screenshot(path=artifacts / "leaderboard-dark.png", full_page=True)
    assert {"guide/", "leaderboard/", "methodology/reproduce/"} <= set(with_charts)
    assert len(with_charts) >= 7, with_charts  # and the four posts with charts


@pytest.mark.parametrize("viewport", [PHONE])
def test_nothing_overflows_a_phone_screen_on_any_page(demo_site, page, artifacts):
    overflowing = {}
    for path in demo_site.pages:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(CHARTS_DRAWN)
        found = horizontal_overflow(page) + page.evaluate(TITLES_OFF_SCREEN)
        if found:
            overflowing[path] = found
        if path in demo_site.posts or path in ("leaderboard/", "claims/", ""):
            name = (path.rstrip("/").rsplit("/", 1)[-1] or "home") + "-phone.png"
            page.screenshot(path=artifacts / name, full_page=True)
    assert overflowing == {}


def test_search_finds_the_probe_pages(page):
    page.goto("blog/")
    page.click("input.md-search__input")
    page.keyboard.type("reflection")
    page.wait_for_selector(".md-search-result__item")
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert "Reflection" in titles

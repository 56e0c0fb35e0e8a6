"""Layout, palette styling, clean-up on navigation, and screenshots to look at."""

from __future__ import annotations

import pytest
from browserkit import LOAD_PLAYERS, wait_for_instant_navigation

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
BORDER = "(sel) => getComputedStyle(document.querySelector(sel)).borderLeftColor"


@pytest.mark.parametrize("viewport", [PHONE])
@pytest.mark.parametrize("path", ["./", "compare/"])
def test_nothing_overflows_a_phone_screen(page, path):
    page.goto(path)
    page.wait_for_selector(".pp-chart .main-svg")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE])
def test_compare_panes_wrap_to_one_column_on_a_phone(page, artifacts):
    page.goto("compare/")
    page.evaluate(LOAD_PLAYERS)
    lefts = page.evaluate("""() => [...document.querySelectorAll('#grid-player .pp-pane')]
        .map(pane => Math.round(pane.getBoundingClientRect().left))""")
    assert len(set(lefts)) == 1
    page.click("#wipe-player button:has-text('Wipe')")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#grid-player").screenshot(path=artifacts / "compare-phone.png")


def test_claims_are_green_when_holding_and_red_when_failing(page):
    page.goto("./")
    holds = page.evaluate(BORDER, ".pp-claim--holds")
    fails = page.evaluate(BORDER, ".pp-claim--fails")
    assert holds == "rgb(46, 125, 50)"
    assert fails == "rgb(198, 40, 40)"
    page.click("label[for=__palette_1]")
    assert page.evaluate(BORDER, ".pp-claim--holds") == "rgb(102, 187, 106)"


def test_object_urls_are_revoked_after_navigating_away(page):
    page.add_init_script("""
        window.ppRevoked = [];
        const revoke = URL.revokeObjectURL;
        URL.revokeObjectURL = (url) => { window.ppRevoked.push(url); revoke(url); };
    """)
    page.goto("compare/")
    page.evaluate(LOAD_PLAYERS)  # on this server (no Range support) the clips become Blobs
    urls = page.evaluate("() => [...document.querySelectorAll('video')].map(v => v.src)")
    wait_for_instant_navigation(page)
    page.click("article a:has-text('charts')")
    page.wait_for_selector("#bars .main-svg")
    assert sorted(page.evaluate("() => window.ppRevoked")) == sorted(urls)
    # and the player is rebuilt on the way back
    page.click("article a:has-text('compare page')")
    page.wait_for_function("() => document.getElementById('grid-player')?.ppPlayer")
    page.evaluate(LOAD_PLAYERS)
    page.evaluate("() => document.getElementById('grid-player').ppPlayer.seekFrame(5)")
    assert (
        page.evaluate("() => document.getElementById('grid-player').ppPlayer.currentFrame()") == 5
    )


def test_screenshots_of_the_compare_player_in_both_palettes(page, artifacts):
    page.goto("compare/")
    page.evaluate(LOAD_PLAYERS)
    page.evaluate("() => document.getElementById('wipe-player').ppPlayer.seekFrame(20)")
    page.wait_for_timeout(300)
    page.locator("#wipe-player").screenshot(path=artifacts / "compare-light.png")
    page.click("label[for=__palette_1]")
    page.click("#wipe-player button:has-text('Wipe')")
    page.locator("#wipe-player .pp-wipe").fill("40")
    page.wait_for_timeout(300)
    page.locator("#wipe-player").screenshot(path=artifacts / "compare-dark-wipe.png")
    page.locator("#grid-player").screenshot(path=artifacts / "compare-dark-grid.png")
    wait_for_instant_navigation(page)
    page.click("article a:has-text('charts')")  # instant: the palette stays dark
    page.wait_for_selector("#bars .main-svg")
    page.screenshot(path=artifacts / "charts-dark.png", full_page=True)
    assert (artifacts / "compare-light.png").stat().st_size > 0

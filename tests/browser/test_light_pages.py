"""Light pages on the real demo site: clips load when played, plotly when a chart nears.

What a first visit may fetch before the reader interacts: the page, its styles and
scripts, posters and, as the reader scrolls, overlay geometry, and plotly.min.js once
a chart comes within a quarter screen. Not allowed: any request for a clip (``.mp4`` or
``.webm``), not even a Range request for its metadata, since every video is
``preload="none"`` with a poster.
"""

from __future__ import annotations

from browserkit import CHARTS_DRAWN, MODEBAR_STYLED, follow_instantly, wait_for_instant_navigation

FLAGSHIP = "blog/2026/11/25/second-impressions-physics-you-can-measure/"
CLIP_SUFFIXES = (".mp4", ".webm")

# Scrolls the page to its end a screen at a time, waiting two frames at each stop so
# the IntersectionObservers see every part of it; resolves with the stops made.
SCROLL_THROUGH = """async () => {
  let stops = 0;
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
    window.scrollTo(0, y);
    stops++;
    await new Promise(requestAnimationFrame);
    await new Promise(requestAnimationFrame);
  }
  return stops;
}"""


def record_requests(page, suffixes: tuple[str, ...]) -> list[str]:
    """A live list of the URLs the page requests that end with one of ``suffixes``."""
    seen: list[str] = []
    page.on(
        "request",
        lambda request: request.url.split("?")[0].endswith(suffixes) and seen.append(request.url),
    )
    return seen


def test_flagship_fetches_no_clip_until_a_player_is_played(demo_site, page):
    clips = record_requests(page, CLIP_SUFFIXES)
    page.goto(FLAGSHIP, wait_until="networkidle")
    assert page.locator("video").count() == 17
    assert page.evaluate(SCROLL_THROUGH) > 4
    page.wait_for_function(CHARTS_DRAWN)  # every chart drawn, every overlay fetched ...
    page.wait_for_load_state("networkidle")
    assert clips == []  # ... and not one byte of a clip asked for
    # The reader presses Play on the first comparison: its four clips load, no others.
    page.locator(".pp-compare").first.scroll_into_view_if_needed()
    page.click(".pp-compare >> nth=0 >> button[aria-label=Play]")
    page.wait_for_function("() => document.querySelector('.pp-compare').dataset.ppReady")
    first = page.evaluate(
        "() => [...document.querySelector('.pp-compare').querySelectorAll('video')]"
        ".map(v => v.dataset.ppSrc || v.src)"
    )
    assert {url.rsplit("/", 1)[1] for url in clips} == {url.rsplit("/", 1)[1] for url in first}


def test_plotly_loads_when_a_chart_nears_and_once_per_visit(demo_site, page):
    plotly = record_requests(page, ("plotly.min.js",))
    page.goto(FLAGSHIP, wait_until="networkidle")
    chart_top, screen = page.evaluate(
        "() => [document.querySelector('.pp-chart').getBoundingClientRect().top, innerHeight]"
    )
    assert chart_top > 1.5 * screen, "the first chart must start far below the first screen"
    assert plotly == []
    assert page.evaluate("() => typeof window.Plotly") == "undefined"

    page.locator(".pp-chart").first.scroll_into_view_if_needed()
    page.wait_for_selector(".pp-chart .main-svg")
    page.wait_for_function(MODEBAR_STYLED)
    assert len(plotly) == 1

    # Instant navigation keeps window.Plotly: the next page's charts need no new fetch.
    wait_for_instant_navigation(page)
    page.evaluate("() => { window.ppSamePage = true }")
    follow_instantly(page, lambda: page.click(".md-tabs a:has-text('Leaderboard')"))
    assert page.evaluate("() => location.pathname").endswith("/leaderboard/")
    page.wait_for_function(CHARTS_DRAWN)
    assert page.evaluate("() => window.ppSamePage") is True
    page.wait_for_function(MODEBAR_STYLED)
    assert len(plotly) == 1, plotly


def test_leaderboard_fetches_the_posters_far_below_only_as_the_reader_nears_them(demo_site, page):
    posters = record_requests(page, (".jpg",))
    page.goto("leaderboard/", wait_until="networkidle")
    videos = page.locator("video.pp-video")
    waiting = page.locator("video[data-pp-poster]")
    assert videos.count() > 20 and waiting.count() == videos.count() - 2
    # Only the two eager posters (on the first screen or near it) were fetched.
    assert len(set(posters)) <= 2, posters

    last = waiting.last
    expected = last.get_attribute("data-pp-poster").rsplit("/", 1)[1]
    last.scroll_into_view_if_needed()
    page.wait_for_function(
        "v => v.getAttribute('poster') && !v.hasAttribute('data-pp-poster')",
        arg=last.element_handle(),
        timeout=30_000,
    )
    page.wait_for_load_state("networkidle")
    assert any(url.endswith(expected) for url in posters)

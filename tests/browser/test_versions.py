"""Model versions and samples in the browser: the history chart and the leaderboard's tables."""

from __future__ import annotations

from browserkit import CHARTS_DRAWN

POST = "blog/2026/11/26/floaty-falls/"

# The history chart as plotly drew it: the points of its line (x on the date axis) and
# how many error bars it drew.
HISTORY = """() => {
    const chart = [...document.querySelectorAll('.pp-chart')]
        .find(el => (el._fullLayout?.title?.text || '').includes('by release'));
    if (!chart) return null;
    const line = chart._fullData[0];
    return {type: chart._fullLayout.xaxis.type, x: line.x, n: line.text,
            bars: chart.querySelectorAll('g.errorbar').length,
            points: chart._fullData[1].y.length,
            title: chart.querySelector('.gtitle')?.textContent};
}"""


def test_the_history_chart_draws_model_a_through_its_releases(page, artifacts):
    page.goto(POST)
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    history = page.evaluate(HISTORY)
    assert history is not None, "no history chart on the post"
    assert history["type"] == "date"
    assert history["x"] == ["2026-06-01", "2026-11-01"]
    assert history["n"] == ["v1, n=1", "v2, n=3"]
    assert history["bars"] >= 2  # an error bar at each version, drawn
    assert history["points"] == 4  # every take is a point of its own
    chart = page.locator(".pp-chart", has_text="by release")
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=artifacts / "history-chart.png")


def test_the_leaderboard_counts_samples_and_lists_every_version(page, artifacts):
    page.goto("leaderboard/")
    page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
    counts = page.locator("table.pp-leaderboard:not(.pp-leaderboard-versions) .pp-samples")
    assert counts.count() >= 1
    assert counts.first.is_visible()
    versions = page.locator("table.pp-leaderboard-versions tbody th")
    labels = [versions.nth(i).inner_text() for i in range(versions.count())]
    assert "Model A v1" in labels and "Model A v2" in labels
    # A click on a score takes the reader to the scene whose clips are behind it.
    page.locator("table.pp-leaderboard-versions tbody tr", has_text="Model A v2").locator(
        "a"
    ).first.click()
    page.wait_for_function("() => location.hash === '#scene-ball-drop'", timeout=30_000)
    page.locator("table.pp-leaderboard-versions").screenshot(path=artifacts / "versions.png")

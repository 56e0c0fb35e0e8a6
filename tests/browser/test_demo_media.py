"""Videos on the real demo site: every one on every post plays; instant navigation keeps charts."""

from __future__ import annotations

from browserkit import CHARTS_DRAWN, MODEBAR_STYLED, wait_for_instant_navigation

# Plays every video of the page for a moment (compare panes through their
# player's one clock, the others directly) and reports how far each one got.
PLAY_EVERY_VIDEO = """async () => {
    const players = [...document.querySelectorAll('.pp-compare')];
    await Promise.all(players.map(el => el.ppPlayer.ready));
    const loose = [...document.querySelectorAll('video')]
        .filter(video => !video.closest('.pp-compare'));
    await Promise.all(loose.map(video => video.readyState >= 1 ? null
        : new Promise(resolve => video.addEventListener('loadedmetadata', resolve, {once: true}))));
    const from = [...document.querySelectorAll('video')].map(video => video.currentTime);
    for (const el of players) el.ppPlayer.play();
    for (const video of loose) { video.muted = true; await video.play(); }
    // Until every video got 0.5 s further (a loaded machine may take a while).
    const asked = performance.now();
    while (![...document.querySelectorAll('video')].every((v, i) => v.currentTime > from[i] + 0.5)
           && performance.now() - asked < 10000) {
        await new Promise(resolve => setTimeout(resolve, 50));
    }
    for (const el of players) el.ppPlayer.pause();
    for (const video of loose) video.pause();
    return [...document.querySelectorAll('video')].map(video => ({
        where: (video.closest('figure')?.querySelector('figcaption')?.textContent || '?').trim(),
        time: video.currentTime, blob: video.src.startsWith('blob:'),
        width: video.videoWidth, error: video.error && video.error.message}));
}"""


def test_every_video_on_every_post_plays(demo_site, page):
    played = {}
    for path in demo_site.posts:
        page.goto(path)
        videos = page.evaluate(PLAY_EVERY_VIDEO)
        played[path] = len(videos)
        for video in videos:
            where = f"{path} {video['where']!r}"
            assert video["error"] is None, f"{where}: {video['error']}"
            assert video["width"] > 0, f"{where}: nothing decoded"
            assert video["time"] > 0.3, f"{where}: stuck at {video['time']:.2f} s"
    # The flagship alone has four comparisons of four clips and a montage; only the
    # welcome post has no clip at all.
    assert played[next(p for p in played if "second-impressions" in p)] == 17
    assert [p for p, count in played.items() if count == 0] == [demo_site.posts[0]], played


def test_instant_navigation_redraws_charts_with_a_styled_modebar(demo_site, page):
    page.goto("blog/")
    wait_for_instant_navigation(page)
    # A page without charts does not pay for plotly.js ...
    assert page.evaluate("() => typeof window.Plotly") == "undefined"
    page.evaluate("() => { window.ppSamePage = true }")
    page.click("article a:has-text('Second impressions')")
    page.wait_for_selector(".pp-chart .main-svg")
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_function("() => document.querySelector('.pp-compare')?.dataset.ppReady")
    assert page.evaluate("() => window.ppSamePage") is True  # no full reload happened
    assert page.evaluate(MODEBAR_STYLED)  # ... the first page with charts fetches it

    page.click(".md-tabs a:has-text('Leaderboard')")
    page.wait_for_function("() => location.pathname.endsWith('/leaderboard/')")
    page.wait_for_selector(".pp-chart .main-svg")
    page.wait_for_function(CHARTS_DRAWN)
    assert page.evaluate("() => window.ppSamePage") is True
    assert page.evaluate(MODEBAR_STYLED)

    page.go_back()
    page.wait_for_function("() => location.pathname.includes('second-impressions')")
    page.wait_for_selector(".pp-chart .main-svg")
    page.wait_for_function(CHARTS_DRAWN)
    page.wait_for_function("() => document.querySelector('.pp-compare')?.dataset.ppReady")
    assert page.evaluate("() => window.ppSamePage") is True
    assert page.evaluate(MODEBAR_STYLED)

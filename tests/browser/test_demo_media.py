"""Videos on the real demo site: every one on every post plays; instant navigation keeps charts."""

from __future__ import annotations

from browserkit import (
    CHARTS_DRAWN,
    LOAD_PLAYERS,
    MODEBAR_STYLED,
    follow_instantly,
    wait_for_instant_navigation,
)

# Plays every video of the page, one player at a time (compare panes through
# their player's one clock, the others directly), and reports how far each got.
# One at a time because a page of 17 software-decoded videos on a loaded 2-core
# machine can starve some of them; what is tested is that each one plays.
PLAY_EVERY_VIDEO = """async () => {
    const players = [...document.querySelectorAll('.pp-compare')];
    await Promise.all(players.map(el => el.ppPlayer.load()));
    const loose = [...document.querySelectorAll('video')]
        .filter(video => !video.closest('.pp-compare'));
    const units = [
        ...players.map(el => ({videos: [...el.querySelectorAll('video')],
            play: () => el.ppPlayer.play(), pause: () => el.ppPlayer.pause(),
            state: () => el.ppPlayer.waiting() ? 'waiting' : 'clock ok'})),
        ...loose.map(video => ({videos: [video],
            play: async () => { video.muted = true; await video.play(); },
            pause: () => video.pause(), state: () => `readyState ${video.readyState}`})),
    ];
    const report = [];
    for (const unit of units) {
        const from = unit.videos.map(video => video.currentTime);
        // The furthest each got: a short clip may end or loop before the others move.
        const furthest = from.map(() => 0);
        const note = () => unit.videos.forEach((video, i) => {
            furthest[i] = Math.max(furthest[i], video.currentTime - from[i]); });
        await unit.play();
        // Until every video got 0.5 s further (a loaded machine may take a while).
        const asked = performance.now();
        while (note(), !furthest.every(advance => advance > 0.5)
               && performance.now() - asked < 30000) {
            await new Promise(resolve => setTimeout(resolve, 50));
        }
        const state = unit.state();
        unit.pause();
        unit.videos.forEach((video, i) => report.push({
            where: (video.closest('figure')?.querySelector('figcaption')?.textContent || '?').trim(),
            advance: furthest[i], state,
            width: video.videoWidth, error: video.error && video.error.message}));
    }
    return report;
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
            assert video["advance"] > 0.5, (
                f"{where}: got only {video['advance']:.2f} s further in 30 s ({video['state']})"
            )
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
    follow_instantly(page, lambda: page.click("article a:has-text('Second impressions')"))
    page.wait_for_function(CHARTS_DRAWN)  # scrolling to each, as they draw near the viewport
    page.evaluate(LOAD_PLAYERS)
    assert page.evaluate("() => window.ppSamePage") is True  # no full reload happened
    page.wait_for_function(MODEBAR_STYLED)  # ... the first page with charts fetches it

    follow_instantly(page, lambda: page.click(".md-tabs a:has-text('Leaderboard')"))
    assert page.evaluate("() => location.pathname").endswith("/leaderboard/")
    page.wait_for_function(CHARTS_DRAWN)  # scrolling to each, as they draw near the viewport
    assert page.evaluate("() => window.ppSamePage") is True
    page.wait_for_function(MODEBAR_STYLED)

    follow_instantly(page, page.go_back)
    assert "second-impressions" in page.evaluate("() => location.pathname")
    page.wait_for_function(CHARTS_DRAWN)  # scrolling to each, as they draw near the viewport
    page.evaluate(LOAD_PLAYERS)
    assert page.evaluate("() => window.ppSamePage") is True
    page.wait_for_function(MODEBAR_STYLED)

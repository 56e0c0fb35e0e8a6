"""The flagship post's four compare players, driven like a reader would, on the real site."""

from __future__ import annotations

import pytest
from browserkit import CHARTS_DRAWN, LOAD_PLAYERS, open_page
from playerclock import out_of_step, sample_playback, table

FLAGSHIP = "blog/2026/11/25/second-impressions-physics-you-can-measure/"
FPS = 24
FRAMES = 144
SCENES = ["sun-shadows", "creature", "train-lake", "star-trails"]  # in the post's order

# Resolves once no video of player `index` is seeking.
SETTLE = """async (index) => {
  const videos = document.querySelectorAll('.pp-compare')[index].ppPlayer.videos;
  for (let i = 0; i < 200 && videos.some(v => v.seeking); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  await new Promise(requestAnimationFrame);
}"""

# The opaque pixels of every overlay canvas of player `index`.
OVERLAY_PIXELS = """(index) => [...document.querySelectorAll('.pp-compare')[index]
    .querySelectorAll('canvas.pp-overlay')].map(canvas => {
  if (canvas.hidden || !canvas.width) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) count++;
  return count;
})"""

# Puts every player back: paused on frame 0, overlays on, nothing focused, page top.
RESET = """() => {
  for (const el of document.querySelectorAll('.pp-compare')) {
    el.ppPlayer.pause();
    el.ppPlayer.seekFrame(0);
    const overlay = [...el.querySelectorAll('.pp-toggle')].find(b => b.textContent === 'Overlay');
    if (overlay && overlay.getAttribute('aria-pressed') !== 'true') overlay.click();
  }
  document.activeElement.blur();
  window.scrollTo(0, 0);
}"""

PLAYERS = pytest.mark.parametrize("index", range(len(SCENES)), ids=SCENES)


def call(page, index: int, method: str, *args):
    """``ppPlayer.<method>(*args)`` on the flagship's player number ``index``."""
    return page.evaluate(
        "([i, method, args]) => document.querySelectorAll('.pp-compare')[i].ppPlayer[method](...args)",
        [index, method, list(args)],
    )


def times(page, index: int) -> list[float]:
    return page.evaluate(
        "(i) => document.querySelectorAll('.pp-compare')[i].ppPlayer.videos.map(v => v.currentTime)",
        index,
    )


@pytest.fixture(scope="module")
def shared_flagship(browser_context):
    """The flagship post, loaded once for the module (four players, four timelines)."""
    page, log = open_page(browser_context)
    page.goto(FLAGSHIP)
    page.evaluate(LOAD_PLAYERS)
    page.wait_for_function(CHARTS_DRAWN)  # the timelines among them
    yield page, log
    page.close()


@pytest.fixture
def flagship(shared_flagship):
    """The shared flagship page, reset; the test fails on any console error meanwhile."""
    page, log = shared_flagship
    page.evaluate(RESET)
    for index in range(len(SCENES)):
        page.evaluate(SETTLE, index)
    log.assert_clean()
    yield page
    log.assert_clean()


def test_four_players_of_four_clips_with_a_timeline_and_overlays(flagship):
    players = flagship.evaluate("""() => [...document.querySelectorAll('.pp-compare')].map(el => ({
        clips: [...el.querySelectorAll('.pp-pane')].map(pane => pane.dataset.ppClip),
        overlays: el.querySelectorAll('canvas.pp-overlay').length,
        timeline: [...el.querySelectorAll('.pp-timeline')].filter(t => t.querySelector('.main-svg')).length,
        frames: Number(el.dataset.ppFrames), fps: Number(el.dataset.ppFps)}))""")
    assert [p["clips"][0].split("/")[0] for p in players] == SCENES
    for player in players:
        assert [c.split("/")[1] for c in player["clips"]] == [
            "reference", "model-a", "model-b", "model-c"
        ]  # fmt: skip
        assert (player["overlays"], player["timeline"]) == (4, 1)
        assert (player["frames"], player["fps"]) == (FRAMES, FPS)


def test_four_panes_make_two_rows_of_two(flagship):
    boxes = flagship.evaluate("""() => [...document.querySelectorAll('.pp-compare')[0]
        .querySelectorAll('.pp-pane')].map(pane => {
            const box = pane.getBoundingClientRect();
            return [Math.round(box.left), Math.round(box.top)];
        })""")
    lefts = sorted({left for left, _top in boxes})
    tops = sorted({top for _left, top in boxes})
    assert len(lefts) == 2 and len(tops) == 2, boxes


@PLAYERS
def test_play_keeps_every_pane_within_one_frame(flagship, index):
    flagship.locator(".pp-compare").nth(index).scroll_into_view_if_needed()
    # From the press of Play: Chromium suspends the decoders of paused, long-idle
    # videos, and waking them is a wait like any other (every pane paused).
    result = sample_playback(flagship, ".pp-compare", nth=index)
    samples = result["samples"]
    bad = out_of_step(samples)
    assert not bad, f"{len(bad)} samples out of step:\n{table(samples)}"
    assert result["clockAdvance"] >= 2.0, table(samples)  # it really played
    flagship.evaluate(SETTLE, index)
    lead = times(flagship, index)[0]
    assert all(abs(t - lead) < 0.5 / FPS for t in times(flagship, index))  # aligned on pause


def test_play_keeps_one_clock_on_a_six_times_slower_cpu(flagship):
    # The first player (sun shadows) with its overlays and timeline, the page's main
    # thread six times slower, as on a slow or busy machine.
    flagship.locator(".pp-compare").first.scroll_into_view_if_needed()
    session = flagship.context.new_cdp_session(flagship)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 6})
    try:
        result = sample_playback(flagship, ".pp-compare", seconds=2.5)
    finally:
        session.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        session.detach()
    samples = result["samples"]
    bad = out_of_step(samples)
    assert not bad, f"{len(bad)} samples out of step:\n{table(samples)}"
    assert result["clockAdvance"] >= 2.5, table(samples)
    # A throttled page on a busy machine runs as few as ~6 callbacks a second.
    during_play = [s for s in samples if s["clock"] < FRAMES - 1]
    assert len(during_play) >= 20, f"{len(during_play)} samples while playing:\n{table(samples)}"


@PLAYERS
def test_scrubbing_moves_every_pane_to_that_frame(flagship, index):
    player = flagship.locator(".pp-compare").nth(index)
    player.locator(".pp-scrub").fill("72")
    flagship.evaluate(SETTLE, index)
    assert call(flagship, index, "currentFrame") == 72
    for seconds in times(flagship, index):
        assert seconds == pytest.approx(72.5 / FPS, abs=0.5 / FPS)
    assert player.locator(".pp-readout").text_content() == f"frame 73 / {FRAMES}"


def test_arrow_keys_step_exactly_one_frame(flagship):
    index = 2
    call(flagship, index, "seekFrame", 40)
    flagship.evaluate(SETTLE, index)
    flagship.locator(".pp-compare").nth(index).focus()
    flagship.keyboard.press("ArrowRight")
    assert call(flagship, index, "currentFrame") == 41
    flagship.evaluate(SETTLE, index)
    for seconds in times(flagship, index):
        assert seconds == pytest.approx(41.5 / FPS, abs=0.5 / FPS)
    flagship.keyboard.press("ArrowLeft")
    flagship.keyboard.press("ArrowLeft")
    assert call(flagship, index, "currentFrame") == 39
    # The step buttons do the same.
    flagship.locator(".pp-compare").nth(index).locator("button[aria-label='Next frame']").click()
    assert call(flagship, index, "currentFrame") == 40


@PLAYERS
def test_a_click_on_the_timeline_seeks_there(flagship, index):
    timeline = flagship.locator(".pp-compare").nth(index).locator(".pp-timeline")
    timeline.scroll_into_view_if_needed()
    seconds = 3.0
    point = timeline.evaluate(
        """(el, t) => {
        const layout = el._fullLayout;
        const box = el.querySelector('.main-svg').getBoundingClientRect();
        return {x: box.left + layout._size.l + layout.xaxis.l2p(t),
                y: box.top + layout._size.t + layout._size.h * 0.97};
    }""",
        seconds,
    )
    flagship.mouse.click(point["x"], point["y"])
    flagship.wait_for_function(
        "(i) => document.querySelectorAll('.pp-compare')[i].ppPlayer.currentFrame() > 0", arg=index
    )
    assert abs(call(flagship, index, "currentFrame") - seconds * FPS) <= 1


@PLAYERS
def test_overlays_draw_on_every_pane_and_toggle_off(flagship, index, artifacts):
    player = flagship.locator(".pp-compare").nth(index)
    player.scroll_into_view_if_needed()
    call(flagship, index, "seekFrame", 60)
    flagship.evaluate(SETTLE, index)
    flagship.wait_for_function(f"(i) => ({OVERLAY_PIXELS})(i).every(count => count > 0)", arg=index)
    player.screenshot(path=artifacts / f"flagship-{SCENES[index]}.png")
    toggle = player.locator("button.pp-toggle:has-text('Overlay')")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert flagship.evaluate(OVERLAY_PIXELS, index) == [0, 0, 0, 0]
    toggle.click()
    assert all(count > 0 for count in flagship.evaluate(OVERLAY_PIXELS, index))


def test_claims_all_hold_and_name_their_clips(flagship):
    claims = flagship.evaluate("""() => [...document.querySelectorAll('.pp-claim')].map(el => ({
        holds: el.classList.contains('pp-claim--holds'),
        checks: [...el.querySelectorAll('tbody tr th[scope=row]')].map(th => th.textContent)}))""")
    assert len(claims) >= 8
    assert all(claim["holds"] for claim in claims)
    # A check across clips names the clip of every term, the first one too.
    across = [c for c in claims if any("sun-shadows/reference:" in t for t in c["checks"])]
    assert across[0]["checks"][0].startswith("sun-shadows/model-a:shadow.direction_spread_deg")

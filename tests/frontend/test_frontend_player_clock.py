"""The compare player's one clock under load: four panes stay in step or wait together.

The four-pane page (_four_pane_page.py) has the flagship's shape: four 6-second clips,
an overlay on each pane and a timeline. Chromium's CPU throttle slows the page's main
thread (where the player, the overlays and plotly run) six times, as on a slow or busy
machine; a pane stopped from outside stands in for one whose decoder stalls.
"""

from __future__ import annotations

import pytest
from _four_pane_page import FRAMES, PLAYER_ID
from _frontend_site import FPS
from browserkit import LOAD_PLAYERS
from playerclock import SAMPLE, out_of_step, sample_playback, table

pytestmark = pytest.mark.browser

PLAYER = f"#{PLAYER_ID}"

# Holds pane `index` of the player stopped from outside for `ms` milliseconds, from
# when the player's clock is half a second in: it is paused, and paused again
# whenever anything starts it. Records on the element when the hold began and ended.
HOLD_A_PANE = """([selector, index, ms]) => {
  const el = document.querySelector(selector);
  const player = el.ppPlayer;
  const video = player.videos[index];
  const from = player.clock();
  const again = () => video.pause();
  const poll = setInterval(() => {
    if (player.clock() < from + 0.5) return;
    clearInterval(poll);
    el.holdFrom = performance.now();
    video.addEventListener('play', again);
    video.pause();
    setTimeout(() => {
      video.removeEventListener('play', again);
      el.holdUntil = performance.now();
    }, ms);
  }, 10);
}"""


@pytest.fixture
def four_panes(page):
    """The four-pane page, every pane loaded and the timeline drawn, on frame 0."""
    page.goto("four/")
    page.evaluate(LOAD_PLAYERS)
    page.wait_for_selector(f"{PLAYER}-timeline .main-svg")
    page.evaluate(f"() => document.querySelector('{PLAYER}').ppPlayer.seekFrame(0)")
    return page


def throttle_cpu(page, rate: float) -> None:
    """Run the page's main thread ``rate`` times slower (Chromium DevTools emulation)."""
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": rate})


def test_four_panes_keep_one_clock_on_a_six_times_slower_cpu(four_panes):
    throttle_cpu(four_panes, 6)
    result = sample_playback(four_panes, PLAYER, seconds=2.5, minimum=40)
    samples = result["samples"]
    bad = out_of_step(samples)
    assert not bad, f"{len(bad)} samples out of step:\n{table(samples)}"
    # It played 2.5 s of clock and was sampled throughout; a throttled page on a
    # busy machine runs as few as ~6 callbacks a second.
    assert result["clockAdvance"] >= 2.5, table(samples)
    during_play = [s for s in samples if s["clock"] < FRAMES - 1]
    assert len(during_play) >= 20, f"{len(during_play)} samples while playing:\n{table(samples)}"


def test_a_pane_stopped_from_outside_makes_the_player_wait(four_panes):
    page = four_panes
    page.evaluate(HOLD_A_PANE, [PLAYER, 2, 1000])
    result = sample_playback(page, PLAYER, seconds=2.0, minimum=40)
    samples = result["samples"]
    hold = page.evaluate(
        f"() => {{ const el = document.querySelector('{PLAYER}');"
        " return [el.holdFrom, el.holdUntil]; }"
    )
    assert all(hold), "the pane was never held"
    bad = out_of_step(samples)
    assert not bad, f"{len(bad)} samples out of step:\n{table(samples)}"
    # The player waited, with its spinner, rather than letting three panes run on ...
    waited = [s for s in samples if s["waiting"]]
    assert waited and all(s["spinner"] for s in waited), table(samples)
    assert all(not s["spinner"] for s in samples if not s["waiting"]), table(samples)
    # ... and played on together once the pane was free: 2 s of clock, 1 s of it held.
    assert result["clockAdvance"] >= 2.0, table(samples)
    assert result["playing"], table(samples)


def test_pause_after_a_throttled_play_shows_one_frame_in_every_pane(four_panes):
    page = four_panes
    throttle_cpu(page, 6)
    sample_playback(page, PLAYER, seconds=1.0, minimum=1)
    page.wait_for_function(
        f"() => document.querySelector('{PLAYER}').ppPlayer.videos.every(v => !v.seeking)"
    )
    state = page.evaluate(SAMPLE, page.query_selector(PLAYER))
    frame = page.evaluate(f"() => document.querySelector('{PLAYER}').ppPlayer.currentFrame()")
    assert FPS <= frame < FRAMES
    assert state["allPaused"] and not state["waiting"]
    assert [round(p["frame"] - 0.5, 3) for p in state["panes"]] == [frame] * 4

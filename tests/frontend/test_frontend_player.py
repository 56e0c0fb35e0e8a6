"""The compare player: one clock, scrubbing, keys, timeline, overlays and wipe."""

from __future__ import annotations

import json

import pytest
from _frontend_site import CODE_BITS, CODE_SIZE, CODE_X, CODE_Y, FPS, FRAMES
from browserkit import LOAD_PLAYERS, open_page

pytestmark = pytest.mark.browser

# The frame index each video presents, read from its drawn 8-bit code.
READ_FRAMES = f"""(id) => document.getElementById(id).ppPlayer.videos.map(video => {{
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const context = canvas.getContext('2d', {{willReadFrequently: true}});
  context.drawImage(video, 0, 0);
  let frame = 0;
  for (const [bit, x] of {json.dumps(list(enumerate(CODE_X)))}) {{
    const [r, g, b] = context.getImageData(x + {CODE_SIZE // 2}, {CODE_Y + CODE_SIZE // 2}, 1, 1).data;
    if ((r + g + b) / 3 > 128) frame |= 1 << bit;
  }}
  return frame % {1 << CODE_BITS};
}})"""

# Resolves once no video of the player is seeking.
SETTLE = """async (id) => {
  const videos = document.getElementById(id).ppPlayer.videos;
  for (let i = 0; i < 100 && videos.some(v => v.seeking); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  await new Promise(requestAnimationFrame);
}"""

OPAQUE_PIXELS = """(selector) => {
  const canvas = document.querySelector(selector);
  if (!canvas.width || !canvas.height) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) count++;
  return count;
}"""

OVERLAY = "#wipe-player .pp-pane:nth-child(1) canvas"


def call(page, player: str, method: str, *args):
    """Call ``ppPlayer.<method>(*args)`` on the player with id ``player``."""
    return page.evaluate(
        "([id, method, args]) => document.getElementById(id).ppPlayer[method](...args)",
        [player, method, list(args)],
    )


def seek_and_settle(page, player: str, frame: int) -> None:
    call(page, player, "seekFrame", frame)
    page.evaluate(SETTLE, player)


# Puts both players back to their first state: paused on frame 0, 1x, overlay on,
# wipe off.
RESET = """() => {
  for (const el of document.querySelectorAll('.pp-compare')) {
    el.ppPlayer.pause();
    el.ppPlayer.seekFrame(0);
    const speed = el.querySelector('.pp-speed');
    if (speed.value !== '1') { speed.value = '1'; speed.dispatchEvent(new Event('change')); }
    for (const button of el.querySelectorAll('.pp-toggle')) {
      const wanted = button.textContent === 'Overlay' ? 'true' : 'false';
      if (button.getAttribute('aria-pressed') !== wanted) button.click();
    }
  }
  document.activeElement.blur();
  window.scrollTo(0, 0);
}"""


@pytest.fixture(scope="module")
def shared_compare_page(browser_context):
    """The compare page, loaded once for this module (plotly takes a while to compile)."""
    page, log = open_page(browser_context)
    page.goto("compare/")
    page.evaluate(LOAD_PLAYERS)
    page.wait_for_selector("#wipe-player-timeline .main-svg")
    yield page, log
    page.close()


@pytest.fixture
def compare_page(shared_compare_page):
    """The shared compare page, reset; the test fails on any console error meanwhile."""
    page, log = shared_compare_page
    page.evaluate(RESET)
    page.evaluate(SETTLE, "wipe-player")
    page.evaluate(SETTLE, "grid-player")
    log.assert_clean()
    yield page
    log.assert_clean()


def test_loaded_players_play_blobs_without_range_support_and_keep_their_posters(compare_page):
    # This suite's server ignores Range requests (like a plain `mkdocs serve`): a loaded
    # player's clips are fetched whole and played from Blob URLs, which always seek.
    videos = compare_page.evaluate("""() => [...document.querySelectorAll('video.pp-video')]
        .map(v => [v.src.slice(0, 5), v.getAttribute('poster').endsWith('.jpg'), v.controls])""")
    assert len(videos) == 5
    assert all(video == ["blob:", True, False] for video in videos), videos


def test_single_clip_is_fetched_only_when_played_and_seeks_as_a_blob_without_range(page):
    clips = []
    page.on("request", lambda request: request.url.endswith(".mp4") and clips.append(request.url))
    page.goto("./", wait_until="networkidle")
    video = "document.querySelector('.pp-clip video')"
    assert clips == []  # the poster shows; nothing of the clip is loaded
    assert page.evaluate(f"() => {video}.controls") is True
    page.evaluate(f"() => {video}.play()")
    assert clips, "playing the clip fetched it"
    assert page.evaluate(f"() => {video}.src.startsWith('blob:')") is False  # streamed
    # The first seek, on this server without Range support, swaps in a Blob (which
    # seeks anywhere), keeping the position asked for.
    page.evaluate(f"() => {{ {video}.currentTime = 1.0; }}")
    page.wait_for_function(f"() => {video}.src.startsWith('blob:') && {video}.currentTime >= 1.0")


def test_play_advances_and_pause_aligns_all_panes(compare_page):
    page = compare_page
    page.click("#grid-player button[aria-label=Play]")
    page.wait_for_function(
        "() => document.getElementById('grid-player').ppPlayer.videos[0].currentTime > 0.4"
    )
    page.click("#grid-player button[aria-label=Pause]")
    page.evaluate(SETTLE, "grid-player")
    assert page.evaluate(
        "() => document.getElementById('grid-player').ppPlayer.videos.every(v => v.paused)"
    )
    frame = call(page, "grid-player", "currentFrame")
    assert frame >= 0.4 * FPS
    assert call(page, "grid-player", "drift") < 0.01
    assert page.evaluate(READ_FRAMES, "grid-player") == [frame] * 3
    readout = page.text_content("#grid-player .pp-readout")
    assert readout == f"frame {frame + 1} / {FRAMES}"


def test_scrub_slider_shows_that_frame_in_every_pane(compare_page):
    page = compare_page
    page.locator("#grid-player .pp-scrub").fill("37")
    page.evaluate(SETTLE, "grid-player")
    assert call(page, "grid-player", "currentFrame") == 37
    assert page.evaluate(READ_FRAMES, "grid-player") == [37, 37, 37]
    assert page.text_content("#grid-player .pp-readout") == f"frame 38 / {FRAMES}"


def test_arrow_keys_step_one_frame_and_space_toggles_play(compare_page):
    page = compare_page
    seek_and_settle(page, "wipe-player", 10)
    page.focus("#wipe-player")
    page.keyboard.press("ArrowRight")
    assert call(page, "wipe-player", "currentFrame") == 11
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert call(page, "wipe-player", "currentFrame") == 9
    page.evaluate(SETTLE, "wipe-player")
    assert page.evaluate(READ_FRAMES, "wipe-player") == [9, 9]

    page.keyboard.press(" ")
    page.wait_for_function(
        "() => document.getElementById('wipe-player').ppPlayer.videos.every(v => !v.paused)"
    )
    page.keyboard.press(" ")
    assert page.evaluate(
        "() => document.getElementById('wipe-player').ppPlayer.videos.every(v => v.paused)"
    )
    assert page.evaluate("() => window.scrollY") == 0  # Space did not scroll the page


def test_panes_stay_within_one_frame_during_playback(compare_page):
    page = compare_page
    seek_and_settle(page, "grid-player", 0)
    call(page, "grid-player", "play")
    samples = page.evaluate("""async () => {
        const player = document.getElementById('grid-player').ppPlayer;
        const samples = [];
        const start = performance.now();
        while (performance.now() - start < 2000) {
            samples.push(player.drift());
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        return {samples, time: player.videos[0].currentTime};
    }""")
    # Playback really ran and drift was sampled throughout; a loaded machine runs
    # fewer timer callbacks, so the sample count only has to show sampling happened.
    assert samples["time"] > 1.0
    assert len(samples["samples"]) > 20
    assert max(samples["samples"]) < 1, samples["samples"]


def test_a_seek_during_playback_keeps_panes_together(compare_page):
    page = compare_page
    call(page, "grid-player", "play")
    result = page.evaluate("""async () => {
        const player = document.getElementById('grid-player').ppPlayer;
        await new Promise(resolve => setTimeout(resolve, 300));
        player.seekFrame(12);
        const samples = [];
        const start = performance.now();
        while (performance.now() - start < 1000) {
            samples.push(player.drift());
            await new Promise(resolve => setTimeout(resolve, 20));
        }
        return {samples, playing: player.videos.every(v => !v.paused),
                frame: player.currentFrame()};
    }""")
    assert result["playing"]
    assert result["frame"] > 12 + 0.5 * FPS
    assert max(result["samples"]) < 1, result["samples"]


def test_speed_selector_sets_every_rate(compare_page):
    compare_page.select_option("#grid-player .pp-speed", "0.5")
    rates = compare_page.evaluate(
        "() => document.getElementById('grid-player').ppPlayer.videos.map(v => v.playbackRate)"
    )
    assert rates == [0.5, 0.5, 0.5]


def test_click_on_the_timeline_seeks_to_that_time(compare_page):
    page = compare_page
    seconds = 1.0
    point = page.evaluate(
        """([id, t]) => {
        const el = document.getElementById(id);
        const layout = el._fullLayout;
        const box = el.querySelector('.main-svg').getBoundingClientRect();
        return {x: box.left + layout._size.l + layout.xaxis.l2p(t),
                y: box.top + layout._size.t + layout._size.h * 0.97};
    }""",
        ["wipe-player-timeline", seconds],
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(
        "() => document.getElementById('wipe-player').ppPlayer.currentFrame() > 0"
    )
    assert abs(call(page, "wipe-player", "currentFrame") - seconds * FPS) <= 1
    cursor = page.evaluate("""() => {
        const shapes = document.getElementById('wipe-player-timeline').layout.shapes;
        return shapes[shapes.length - 1].x0;
    }""")
    assert abs(cursor - seconds) <= 1.5 / FPS


def test_timeline_cursor_follows_seeks(compare_page):
    seek_and_settle(compare_page, "grid-player", 30)
    cursor = compare_page.evaluate("""() => {
        const shapes = document.getElementById('grid-player-timeline').layout.shapes;
        return [shapes.length, shapes[1].x0, shapes[0].xref];
    }""")
    assert cursor == [2, pytest.approx(30.5 / FPS), "paper"]  # the author's shape is kept


def test_overlay_draws_current_frame_and_hides_when_toggled_off(compare_page):
    page = compare_page
    seek_and_settle(page, "wipe-player", 10)
    page.wait_for_function(f"() => ({OPAQUE_PIXELS})('{OVERLAY}') > 0")
    with_shapes = page.evaluate(OPAQUE_PIXELS, OVERLAY)
    # The reference's overlay has per-frame shapes for frames 0-39 only.
    seek_and_settle(page, "wipe-player", 50)
    page.wait_for_function(f"() => ({OPAQUE_PIXELS})('{OVERLAY}') < {with_shapes}")
    assert page.evaluate(OPAQUE_PIXELS, OVERLAY) > 0  # the static axis stays

    page.click("#wipe-player button:has-text('Overlay')")
    assert page.get_attribute("#wipe-player button:has-text('Overlay')", "aria-pressed") == "false"
    assert page.evaluate(OPAQUE_PIXELS, OVERLAY) == 0
    assert not page.is_visible(OVERLAY)
    page.click("#wipe-player button:has-text('Overlay')")
    assert page.evaluate(OPAQUE_PIXELS, OVERLAY) > 0


def test_overlay_canvas_covers_its_video(compare_page):
    boxes = compare_page.evaluate(f"""() => {{
        const canvas = document.querySelector('{OVERLAY}');
        const video = canvas.parentElement.querySelector('video');
        return [canvas.getBoundingClientRect().toJSON(), video.getBoundingClientRect().toJSON()];
    }}""")
    canvas, video = boxes
    for key in ("x", "y", "width", "height"):
        assert canvas[key] == pytest.approx(video[key], abs=1)


def test_wipe_stacks_the_clips_and_its_slider_moves_the_cut(compare_page):
    page = compare_page
    second = "#wipe-player .pp-pane:nth-child(2) video"
    clip_path = f"() => getComputedStyle(document.querySelector('{second}')).clipPath"
    assert page.evaluate(clip_path) == "none"
    assert not page.is_visible("#wipe-player .pp-wipe")
    page.click("#wipe-player button:has-text('Wipe')")
    assert page.evaluate(clip_path) == "inset(0px 0px 0px 50%)"
    page.locator("#wipe-player .pp-wipe").fill("30")
    assert page.evaluate(clip_path) == "inset(0px 0px 0px 30%)"
    first = page.locator("#wipe-player .pp-pane:nth-child(1) video").bounding_box()
    assert page.locator(second).bounding_box() == first  # stacked


def test_controls_are_labelled_and_the_player_is_focusable(compare_page):
    labels = compare_page.evaluate("""() => [...document.querySelectorAll(
        '#wipe-player .pp-controls button, #wipe-player .pp-controls input,'
        + ' #wipe-player .pp-controls select')].map(el => el.getAttribute('aria-label'))""")
    assert all(labels) and len(labels) == 8
    assert compare_page.get_attribute("#wipe-player", "tabindex") == "0"

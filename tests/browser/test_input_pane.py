"""In Chromium: a comparison opens with the scene's input image, and its clips keep one clock."""

from __future__ import annotations

import re

import pytest
from browserkit import LOAD_PLAYERS, local_server, open_page
from browserkit import browser_context as open_context
from input_site import input_site, render_input_clips
from playerclock import out_of_step, sample_playback, table
from sitebuild import REPO, build_site

POST = "blog/2026/11/24/where-does-each-clip-start/"
FPS = 24


@pytest.fixture(scope="module")
def input_page(tmp_path_factory, chromium):
    clips = render_input_clips(tmp_path_factory.mktemp("input-browser-clips"))
    root = input_site(tmp_path_factory.mktemp("input-browser-site"), clips, clips.parent / "cache")
    with local_server(root / "site") as (url, _folder):
        config = root / "mkdocs.yml"
        text = re.sub(r"^site_url: .*$", f"site_url: {url}", config.read_text(), flags=re.M)
        config.write_text(text)
        result = build_site(root)
        assert result.returncode == 0, result.stderr[-3000:]
        with open_context(chromium, url) as context:
            page, log = open_page(context)
            page.goto(POST)
            page.evaluate(LOAD_PLAYERS)  # what a first play does: no clip loads before
            yield page, log
            page.close()


def test_the_input_pane_shows_its_image_first_labelled_input(input_page):
    page, log = input_page
    player = page.locator(".pp-compare").first
    player.scroll_into_view_if_needed()
    pane = player.locator(".pp-compare__grid > :first-child")
    assert pane.get_attribute("class") == "pp-input"
    image = pane.locator("img")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=60_000
    )
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [640, 360]
    assert pane.locator("figcaption").inner_text().startswith("Input")
    # Shown at a clip's size, above the four clips, which make two rows of two.
    box = image.bounding_box()
    videos = [v.bounding_box() for v in player.locator("video").all()]
    assert box["height"] > 50 and all(box["y"] + box["height"] <= v["y"] + 1 for v in videos)
    assert len({round(v["x"]) for v in videos}) == 2 and len({round(v["y"]) for v in videos}) == 2
    assert abs(box["width"] - videos[0]["width"]) < 2
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    player.screenshot(path=str(artifacts / "input-pane.png"))
    log.assert_clean()


def test_the_player_drives_the_clips_only_and_keeps_them_in_step(input_page):
    page, log = input_page
    player = page.locator(".pp-compare").first
    player.scroll_into_view_if_needed()
    assert player.evaluate("el => el.ppPlayer.videos.length") == 4
    result = sample_playback(page, ".pp-compare", nth=0, seconds=1.5, timeout_ms=60_000)
    samples = result["samples"]
    bad = out_of_step(samples)
    assert not bad, f"{len(bad)} samples out of step:\n{table(samples)}"
    assert result["clockAdvance"] >= 1.5, table(samples)
    # A click on the input image is not a click on a clip: it does not start playback.
    player.locator(".pp-input img").click()
    page.wait_for_timeout(300)
    assert player.evaluate("el => el.ppPlayer.videos.every(v => v.paused)")
    log.assert_clean()


def test_wipe_mode_steps_the_input_aside_and_cuts_the_second_clip(input_page):
    page, log = input_page
    player = page.locator(".pp-compare").nth(2)  # two clips and the input
    player.scroll_into_view_if_needed()
    assert player.locator(".pp-input").is_visible()
    player.locator("button", has_text="Wipe").click()
    page.wait_for_function(
        "(el) => el.classList.contains('pp-compare--wipe')", arg=player.element_handle()
    )
    assert not player.locator(".pp-input").is_visible()
    cuts = player.evaluate("""el => [...el.querySelectorAll('.pp-pane video')]
        .map(v => getComputedStyle(v).clipPath)""")
    assert cuts[0] == "none" and cuts[1].startswith("inset("), cuts
    # Both clips in one cell: the second lies on top of the first.
    first, second = (v.bounding_box() for v in player.locator("video").all())
    assert abs(first["x"] - second["x"]) < 1 and abs(first["y"] - second["y"]) < 1
    player.locator("button", has_text="Wipe").click()
    log.assert_clean()

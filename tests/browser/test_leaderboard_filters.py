"""The leaderboard's filters and a post's citation, in Chromium, on a small real site.

The site (``_board_site.py``) has two scenes with a model missing from each, so every
filter has rows to hide. Expected scores come from the page's own hover texts (every
scene's score, written by the Python side), not from the data the script reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _board_site import FOX_TITLE, POST_URL, board_site, render_clips
from browserkit import DESKTOP, PHONE, horizontal_overflow, local_server
from browserkit import browser_context as open_context
from sitebuild import build_site

FILTERS = ".pp-board-filters"
SCENE = "select[data-pp-filter=scene]"
PROBE = "select[data-pp-filter=probe]"

VISIBLE_ROWS = """() => [...document.querySelectorAll('table.pp-leaderboard tbody tr')]
    .filter(row => !row.hidden).map(row => row.cells[0].textContent.trim()).sort()"""
VISIBLE_COLUMNS = """() => [...document.querySelectorAll('table.pp-leaderboard thead th')]
    .filter(th => !th.hidden && th.dataset.ppProbe).map(th => th.dataset.ppProbe)"""
# Every shown cell: model, probe, text, link, and whether any cell of a hidden column shows.
SHOWN_CELLS = """() => {
  const table = document.querySelector('table.pp-leaderboard');
  const heads = [...table.tHead.rows[0].cells];
  const out = [];
  for (const row of table.tBodies[0].rows) {
    if (row.hidden) continue;
    heads.forEach((th, i) => {
      if (!th.dataset.ppProbe) return;
      const cell = row.cells[i];
      if (th.hidden !== cell.hidden) out.push({mismatch: th.dataset.ppProbe});
      if (cell.hidden) return;
      const link = cell.querySelector('a');
      out.push({model: row.cells[0].textContent.trim(), probe: th.dataset.ppProbe,
                text: cell.textContent.trim(), href: link && link.getAttribute('href')});
    });
  }
  return out;
}"""
# Before any filter: each cell's hover text, "scene: 0.12 · other: 0.34", by model and probe.
HOVER_TEXTS = """() => {
  const table = document.querySelector('table.pp-leaderboard');
  const heads = [...table.tHead.rows[0].cells].map(th => th.dataset.ppProbe);
  const out = {};
  for (const row of table.tBodies[0].rows) {
    const model = row.cells[0].textContent.trim();
    heads.forEach((probe, i) => {
      const link = probe && row.cells[i].querySelector('a');
      if (link) out[model + '|' + probe] = link.title;
    });
  }
  return out;
}"""


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory):
    """The small site, built with --strict for a local port and served; yields its URL."""
    clips = render_clips(tmp_path_factory.mktemp("board-clips"))
    root = tmp_path_factory.mktemp("board")
    with local_server(root / "site") as (url, _folder):
        board_site(root, clips, site_url=url, cache_dir=tmp_path_factory.mktemp("board-cache"))
        result = build_site(root)
        assert result.returncode == 0, result.stderr[-3000:]
        yield url


@pytest.fixture(scope="module")
def browser_context(chromium, board: str):
    """This module's own context (the suite's other one serves the whole demo)."""
    with open_context(chromium, board) as context:
        yield context


def _open(page, path: str = "leaderboard/") -> None:
    page.goto(path)
    page.wait_for_selector(FILTERS, timeout=30_000)


def _score_in(hover: str, scene: str) -> str:
    """The score the hover text gives ``scene`` ("–" when undefined)."""
    found = re.search(rf"(?:^|· ){re.escape(scene)}: (\S+)", hover)
    assert found, f"{scene} not in {hover!r}"
    return found.group(1)


def test_without_javascript_the_full_table_shows_and_no_controls(chromium, board):
    context = chromium.new_context(java_script_enabled=False, base_url=board)
    try:
        page = context.new_page()
        page.goto("leaderboard/")
        assert page.locator(FILTERS).count() == 0
        assert page.evaluate(VISIBLE_ROWS) == ["Model A", "Model B", "Model C", "Reference"]
    finally:
        context.close()


def test_choosing_a_scene_shows_its_models_and_scores_linked_to_its_clips(page):
    _open(page)
    hovers = page.evaluate(HOVER_TEXTS)
    page.select_option(SCENE, "creature")
    page.wait_for_function(f"() => ({VISIBLE_ROWS})().length === 3", timeout=30_000)
    assert page.evaluate(VISIBLE_ROWS) == ["Model A", "Model B", "Reference"]  # no fox of C
    assert page.evaluate(VISIBLE_COLUMNS) == ["motion", "flicker"]  # the fox has no gravity
    cells = page.evaluate(SHOWN_CELLS)
    assert not [c for c in cells if "mismatch" in c], "a header and its cells disagree"
    assert len(cells) == 6
    for cell in cells:
        expected = _score_in(hovers[f"{cell['model']}|{cell['probe']}"], "creature")
        assert cell["text"] == expected, cell
        assert cell["href"] == "#scene-creature", cell
    assert page.locator("#scene-creature").count() == 1, "the link's target exists"
    assert page.evaluate("location.hash") == "#scene=creature"
    status = page.text_content(".pp-board-status")
    assert status.startswith("Showing 3 of 4 models and 2 of 3 probes")


def test_choosing_a_probe_shows_its_column_and_the_models_measured_on_it(page):
    _open(page)
    page.select_option(PROBE, "gravity")
    page.wait_for_function(f"() => ({VISIBLE_COLUMNS})().join() === 'gravity'", timeout=30_000)
    assert page.evaluate(VISIBLE_ROWS) == ["Model A", "Model C", "Reference"]  # B dropped no ball
    assert page.locator("input[data-pp-column]:disabled").count() == 3
    page.click("text=Show all")
    page.wait_for_function(f"() => ({VISIBLE_COLUMNS})().length === 3", timeout=30_000)
    assert page.evaluate(VISIBLE_ROWS) == ["Model A", "Model B", "Model C", "Reference"]
    assert page.evaluate("location.hash") == ""


def test_columns_toggle_from_the_keyboard(page):
    _open(page)
    page.focus(SCENE)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.ppFilter") == "probe"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")  # opens the column boxes
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.ppColumn") == "flicker"
    page.keyboard.press("Space")
    page.wait_for_function(f"() => ({VISIBLE_COLUMNS})().join() === 'gravity,motion'")
    assert not [c for c in page.evaluate(SHOWN_CELLS) if "mismatch" in c]
    assert page.text_content(".pp-board-columns summary") == "Columns (2 of 3)"
    assert page.evaluate("location.hash") == "#hide=flicker"
    page.keyboard.press("Space")
    page.wait_for_function(f"() => ({VISIBLE_COLUMNS})().length === 3")


def test_a_filtered_view_is_restored_from_its_link_and_on_reload(page):
    _open(page)
    page.select_option(SCENE, "creature")
    page.click(".pp-board-columns summary")
    page.uncheck("input[data-pp-column=flicker]")
    link = page.url
    assert link.endswith("leaderboard/#scene=creature&hide=flicker"), link
    for visit in (page.reload, lambda: page.goto(link)):
        visit()
        page.wait_for_selector(FILTERS, timeout=30_000)
        assert page.eval_on_selector(SCENE, "select => select.value") == "creature"
        assert page.evaluate(VISIBLE_COLUMNS) == ["motion"]
        assert page.evaluate(VISIBLE_ROWS) == ["Model A", "Model B", "Reference"]


def test_a_manifest_title_reaches_the_scene_choices_as_text(page):
    _open(page)
    option = page.locator(f"{SCENE} option[value=creature]")
    assert option.text_content() == FOX_TITLE
    assert page.locator(f"{FILTERS} b").count() == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_filters_fit_the_screen_in_both_palettes(page, viewport, artifacts):
    _open(page, "leaderboard/#scene=creature")
    size = "phone" if viewport == PHONE else "desktop"
    for scheme, toggle in (("light", None), ("dark", "label[for=__palette_1]")):
        if toggle:
            page.click(toggle)
            page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
        page.eval_on_selector(FILTERS, "bar => bar.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -70)")  # below Material's header
        page.wait_for_timeout(200)
        assert horizontal_overflow(page) == [], f"{size} {scheme}"
        right = page.eval_on_selector(FILTERS, "bar => bar.getBoundingClientRect().right")
        assert right <= viewport["width"], f"{size} {scheme}: the controls stick out"
        page.screenshot(path=Path(artifacts) / f"leaderboard-filters-{size}-{scheme}.png")


def test_a_post_ends_with_its_citation_and_copy_buttons(page, artifacts):
    page.goto(POST_URL)
    block = page.locator("details.pp-citation")
    assert block.count() == 1 and block.get_attribute("open") is None
    block.locator("summary").click()
    # Material's code copy is off on this site: the block asks for its buttons itself.
    copy = "details.pp-citation button[data-md-type=copy]"
    page.wait_for_function(f"document.querySelectorAll('{copy}').length === 2", timeout=30_000)
    bibtex = block.locator("code").first.text_content()
    assert bibtex.startswith("@misc{board2026scenes,")
    assert f"url          = {{{page.url}}}" in bibtex
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator(copy).first.click()
    page.wait_for_function(
        "text => navigator.clipboard.readText().then(got => got === text)", arg=bibtex
    )
    block.scroll_into_view_if_needed()
    page.screenshot(path=Path(artifacts) / "post-citation.png")

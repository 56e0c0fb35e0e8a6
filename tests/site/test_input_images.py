"""An image-to-video site built for real: the input shown with its scene, measured, claimed."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from input_site import TITLE, input_site, render_input_clips, sources_digest
from sitebuild import build_site

POST_PAGE = Path("blog/2026/11/24/where-does-each-clip-start/index.html")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict, dict]:
    clips = render_input_clips(tmp_path_factory.mktemp("input-clips"))
    root = input_site(tmp_path_factory.mktemp("input-site"), clips, clips.parent / "cache")
    before = sources_digest(root)
    result = build_site(root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sources_digest(root) == before, "the build wrote into posts/, docs/ or assets/"
    return root, before, json.loads((root / "site" / "data" / "results.json").read_text())


def _page(root: Path, page: Path) -> str:
    return (root / "site" / page).read_text(encoding="utf-8")


def _grids(page: str) -> list[str]:
    return re.findall(r'<div class="pp-compare__grid".*?</figure></div>', page, flags=re.S)


def _metric(results: dict, clip: str, probe: str, metric: str) -> float:
    entry = next(c for c in results["clips"] if c["id"] == clip)
    return entry["probes"][probe]["metrics"][metric]


def test_first_frame_runs_on_every_clip_of_a_scene_with_an_input(built):
    _root, _before, results = built
    measured = {c["id"]: c["probes"].get("first_frame") for c in results["clips"]}
    assert all(outcome and outcome["error"] is None for outcome in measured.values()), measured
    assert _metric(results, "ball-drop/reference", "first_frame", "ssim") > 0.95
    assert _metric(results, "ball-drop/shifted", "first_frame", "ssim") < 0.9


def test_a_comparison_opens_with_the_input_as_a_still_pane(built):
    root, _before, _results = built
    first, without = _grids(_page(root, POST_PAGE))[:2]
    # The input pane first, then the four clips; panes counted for the layout.
    assert first.startswith(
        '<div class="pp-compare__grid" data-pp-panes="5"><figure class="pp-input"'
    )
    assert first.count('<figure class="pp-pane"') == 4
    assert "<figcaption>Input " in first and "<video" not in first.split("</figure>")[0]
    src = re.search(r'<img src="([^"]+)"', first).group(1)
    served = (root / "site" / POST_PAGE).parent / html.unescape(src)
    assert served.resolve().is_file()
    assert served.read_bytes() == (root / "assets/clips/ball-drop/input.png").read_bytes()
    # `input: false` leaves it out.
    assert "pp-input" not in without and 'data-pp-panes="2"' in without


def test_the_input_s_alt_text_and_hover_escape_the_manifest_s_title(built):
    root, _before, _results = built
    page = _page(root, POST_PAGE)
    alt = re.search(
        r'<figure class="pp-input"[^>]*><div class="pp-still"><img [^>]*alt="([^"]*)"', page
    )
    assert alt is not None
    assert "<b>" not in alt.group(1) and "&lt;b&gt;here&lt;/b&gt;" in alt.group(1)
    assert html.unescape(alt.group(1)).startswith(f"Input image of the scene “{TITLE}”")
    assert "<b>here</b>" not in page


def test_a_first_frame_claim_and_inline_value_are_measured(built):
    root, _before, results = built
    page = _page(root, POST_PAGE)
    shifted = _metric(results, "ball-drop/shifted", "first_frame", "ssim")
    assert f"opens at an SSIM of {shifted:.3f} to" in page
    claims = json.loads((root / "site" / "data" / "claims.json").read_text())
    claim = next(c for c in claims["claims"] if "shifted clip does not" in c["statement"])
    assert claim["holds"] is True


def test_each_clip_s_provenance_names_the_input_and_its_start(built):
    root, _before, results = built
    page = _page(root, POST_PAGE)
    ssim = _metric(results, "ball-drop/shifted", "first_frame", "ssim")
    assert f"made from input image ball-drop/input.png (first frame SSIM {ssim:.2f})" in page


def test_the_leaderboard_shows_each_scene_s_input(built):
    root, _before, _results = built
    page = _page(root, Path("leaderboard/index.html"))
    grids = _grids(page)
    assert any('<figure class="pp-input" data-pp-input="ball-drop">' in g for g in grids)
    # A one-clip scene has no comparison: its input stands on its own.
    solo = re.search(r'<figure class="pp-input" data-pp-input="solo">.*?<img src="([^"]+)"', page)
    assert solo is not None and (root / "site" / "leaderboard" / solo.group(1)).resolve().is_file()
    assert page.count("<th>Input</th>") == 2
    assert "image <code>ball&#45;drop&#47;input&#46;png</code> + prompt" in page
    assert "first_frame.ssim</code>" in page and "first_frame.holds_s</code>" in page


def test_the_method_page_ships_with_the_package(built):
    root, _before, _results = built
    page = _page(root, Path("probes/first_frame/index.html"))
    assert "Why 0.75" in page and "doi:10.1109/TIP.2003.819861" in page

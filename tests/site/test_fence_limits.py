"""Hostile or mistaken fences, claims, values and drafts fail --strict by file:line, never silently."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sitebuild import build_site, site_with_posts

FENCE = "```"


def _post(title: str, body: str, *, draft: bool = False) -> str:
    # The fence (or value) opens on line 7 (8 in a draft); its body line k is 7 + k.
    front = "draft: true\n" if draft else ""
    return f"---\ndate: 2026-11-20\n{front}---\n\n# {title}\n\n{body}"


def _fence(name: str, body: str) -> str:
    return f"{FENCE}{name}\n{body}\n{FENCE}\n"


IMAGES = """{"data": [{"type": "scatter", "y": [1, 2]}],
 "layout": {"images": [{"source": "https://example.com/map.png", "x": 0, "y": 0}]}}"""

BAD_POSTS = {
    "plotly-nan.md": _fence("plotly", '{"data": [{"y": [NaN, 1]}]}'),
    "plotly-geo.md": _fence("plotly", '{"data": [{"type": "scattergeo", "lat": [1], "lon": [2]}]}'),
    "plotly-map.md": _fence("plotly", '{"data": [], "layout": {"mapbox": {"style": "dark"}}}'),
    "plotly-image.md": _fence("plotly", IMAGES),
    "claim-root-clip.md": _fence("claim", "It falls.\nclip: /\ncheck: gravity.fit_rms_px < 1"),
    "claim-empty-clip.md": _fence("claim", "It falls.\nclip:\ncheck: gravity.fit_rms_px < 1"),
    "claim-deep.md": _fence("claim", "Deep.\ncheck: " + "(" * 10_000 + "x:a.b > 1" + ")" * 10_000),
    "claim-infinite.md": _fence(
        "claim",
        "It falls.\ncheck: ball-drop/reference : gravity.acceleration_px_s2 == 1200 ± 1e999",
    ),
    "claim-no-water.md": _fence(
        "claim", "A lake.\ncheck: ball-drop/reference : reflection.axis_y == 101.5 ± 1"
    ),
    "long-title.md": _fence(
        "compare",
        "title: " + "T" * 5_000 + "\nclips: [ball-drop/reference.mp4, ball-drop/model-a.mp4]",
    ),
    "inline-width.md": "{{ ball-drop/reference : gravity.acceleration_px_s2 | 100000000 }}\n",
}
DRAFT_CLAIM = _fence(
    "claim", "A secret draft claim.\ncheck: ball-drop/model-a : gravity.acceleration_px_s2 >= 1100"
)

EXPECTED = [
    ("plotly-nan.md", 8, "the plotly fence holds NaN, which is not JSON; write null"),
    ("plotly-geo.md", 8, "a scattergeo trace draws on a base map fetched from another host"),
    ("plotly-map.md", 8, "layout.mapbox is a map subplot"),
    ("plotly-image.md", 9, "layout.images[].source 'https://example.com/map.png' would be fetched"),
    ("claim-root-clip.md", 9, "clip path '/' escapes assets/clips/"),
    ("claim-empty-clip.md", 9, "`clip:` names no clip"),
    ("claim-deep.md", 9, "more than 1000; split it into several claims"),
    ("claim-infinite.md", 9, "number 1e999 is too large (not a finite number)"),
    (
        "claim-no-water.md",
        9,
        "reflection could not measure 'ball-drop/reference': no reflection found",
    ),
    ("long-title.md", 8, "title is 5000 characters long, more than 300"),
    ("inline-width.md", 7, "width 100000000 in '100000000' is more than 40"),
    ("draft.md", 8, "(draft): claim does not hold: 'A secret draft claim.'"),
]


@pytest.fixture(scope="module")
def probe_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("limits-cache")


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory, demo_clips, probe_cache):
    posts = {name: _post(name, body) for name, body in BAD_POSTS.items()}
    posts["draft.md"] = _post("draft", DRAFT_CLAIM, draft=True)
    root = site_with_posts(tmp_path_factory.mktemp("limits"), demo_clips, probe_cache, posts)
    return root, build_site(root)


@pytest.mark.parametrize(("post", "line", "message"), EXPECTED)
def test_bad_input_fails_strict_with_file_line_and_message(bad_site, post, line, message):
    _root, result = bad_site
    assert result.returncode != 0
    where = f"posts/{post}:{line}"
    entries = [entry for entry in result.stderr.splitlines() if where in entry]
    assert any(message in entry for entry in entries), (where, entries or result.stderr[-3000:])


def test_no_traceback_and_no_fence_shown_as_code(bad_site):
    root, result = bad_site
    assert "Traceback" not in result.stderr
    pages = list((root / "site" / "blog").rglob("index.html"))
    assert pages, "the build wrote no blog pages"
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "pp_line" not in html and "pp_page" not in html, page


def test_no_page_is_huge(bad_site):
    root, _result = bad_site
    sizes = {p: p.stat().st_size for p in (root / "site").rglob("*.html")}
    assert sizes and max(sizes.values()) < 2_000_000


def test_probepress_check_labels_the_failing_draft_claim(bad_site):
    root, _result = bad_site
    result = subprocess.run(
        [str(Path(sys.executable).parent / "probepress"), "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    assert "posts/draft.md:8 (draft): claim does not hold: 'A secret draft claim.'" in (
        result.stderr
    )
    assert "posts/plotly-geo.md:8: a scattergeo trace" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_draft_is_checked_but_never_published(tmp_path, demo_clips, probe_cache):
    holding = _fence(
        "claim",
        "A secret holding claim.\ncheck: ball-drop/reference : gravity.acceleration_px_s2 > 1000",
    )
    posts = {"draft.md": _post("draft", holding, draft=True), "fine.md": _post("fine", "Text.\n")}
    root = site_with_posts(tmp_path, demo_clips, probe_cache, posts)
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    assert "drafts: 1 of 1 claims hold (checked, not published)" in result.stderr
    site = root / "site"
    claims_page = (site / "claims" / "index.html").read_text(encoding="utf-8")
    assert "A secret holding claim" not in claims_page
    assert "posts/draft.md" not in claims_page
    ledger = json.loads((site / "data" / "claims.json").read_text(encoding="utf-8"))
    assert all(c["page"] != "posts/draft.md" for c in ledger["claims"])
    published = [p for p in site.rglob("*.html") if "A secret holding claim" in p.read_text()]
    assert published == []

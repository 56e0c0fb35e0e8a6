"""Posts with every fence build into measured pages; bad input fails --strict by file:line."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from sitebuild import build_site, site_with_posts

GOOD_POST = """\
---
date: 2026-11-24
categories:
  - Physics
---

# Every fence at work

The reference ball falls at {{ ball-drop/reference : gravity.acceleration_px_s2 | .0f }} px/s².

```clip
src: ball-drop/reference.mp4
caption: A <script>alert(1)</script> ball
```

```compare
title: Does the ball fall <i>right</i>?
clips:
  Reference: ball-drop/reference.mp4
  Model A: ball-drop/model-a.mp4
timeline: gravity.centroid_y
overlay: gravity
```

```chart
kind: bars
metric: gravity.acceleration_px_s2
clips: ball-drop/*
```

```chart
kind: heatmap
metrics: [flicker.flicker_index, flicker.temporal_flickering]
clips: [ball-drop/reference, ball-drop/model-a]
```

```plotly
{"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]}], "layout": {"title": {"text": "raw"}}}
```

```claim
The reference ball falls at the true rate.
check: ball-drop/reference : gravity.acceleration_px_s2 == 1200 ± 3%
```

```montage
title: Two falls
clips: [ball-drop/reference.mp4, ball-drop/model-a.mp4]
```
"""

FAILING_CLAIM = """\
---
date: 2026-11-23
---

# A claim that the data refutes

```claim
Model A falls as fast as the reference.
check: ball-drop/model-a : gravity.acceleration_px_s2 >= 1100
```
"""

BAD_POSTS = {
    "missing-clip.md": "```clip\nsrc: ball-drop/model-z.mp4\n```\n",
    "escape.md": "```clip\nsrc: ../../etc/passwd\n```\n",
    "unknown-metric.md": "```chart\nkind: bars\nmetric: gravity.acceleraton_px_s2\nclips: ball-drop/*\n```\n",
    "unknown-probe.md": "```claim\nIt falls.\ncheck: ball-drop/reference : gravty.acceleration_px_s2 > 1\n```\n",
    "unknown-key.md": "```clip\nsrc: ball-drop/reference.mp4\ncaptoin: typo\n```\n",
    "malformed.md": "```compare\nclips: [ball-drop/reference.mp4\n```\n",
    "bad-claim.md": "```claim\nIt falls.\ncheck: ball-drop/reference : gravity.acceleration_px_s2 >> 3\n```\n",
    "bad-inline.md": "Value {{ ball-drop/reference : gravity.nothing | .2f }}.\n",
}


def _post(title: str, body: str) -> str:
    return f"---\ndate: 2026-11-20\n---\n\n# {title}\n\n{body}"


# A clip above the excerpt separator shows on the blog's index and archive pages too,
# each at another depth than the post.
EXCERPT_POST = _post(
    "A clip in the excerpt",
    """```clip
src: ball-drop/model-a.mp4
caption: Shown in every list of posts
```

<!-- more -->

The rest of the post.
""",
)


@pytest.fixture(scope="session")
def probe_cache(tmp_path_factory):
    """One probe and media cache for every site of the session (results are by hash)."""
    return tmp_path_factory.mktemp("probe-cache")


@pytest.fixture(scope="module")
def good_site(tmp_path_factory, demo_clips, probe_cache):
    posts = {"good.md": GOOD_POST, "excerpt.md": EXCERPT_POST}
    root = site_with_posts(tmp_path_factory.mktemp("good"), demo_clips, probe_cache, posts)
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    page = next((root / "site" / "blog").rglob("every-fence-at-work/index.html"))
    return root, page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory, demo_clips, probe_cache):
    posts = {name: _post(name, body) for name, body in BAD_POSTS.items()}
    root = site_with_posts(tmp_path_factory.mktemp("bad"), demo_clips, probe_cache, posts)
    return build_site(root)


def test_inline_value_prints_the_measured_number(good_site):
    _root, html = good_site
    match = re.search(r'<span class="pp-value" title="([^"]+)">(\d+)</span>', html)
    assert match, "no inline value"
    assert abs(int(match.group(2)) - 1200) <= 36
    assert "gravity v" in match.group(1)


def test_caption_and_title_html_is_escaped(good_site):
    _root, html = good_site
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;right&lt;/i&gt;" in html


def test_clip_renders_a_video_with_poster_and_provenance(good_site):
    root, html = good_site
    videos = re.findall(r'<video class="pp-video"[^>]*src="([^"]+)"', html)
    assert len(videos) >= 3
    # No clip is downloaded before the reader plays it: every video waits, showing its poster.
    tags = re.findall(r"<video [^>]*>", html)
    assert tags and all('preload="none"' in tag and "poster=" in tag for tag in tags), tags
    # Each clip's box is reserved by its web copy's size (16:9 for the synthetic clips).
    sizes = [m.groups() for tag in tags if (m := re.search(r'width="(\d+)" height="(\d+)"', tag))]
    assert len(sizes) >= 3 and all(int(w) * 9 == int(h) * 16 for w, h in sizes), sizes
    assert "muted" in html and "playsinline" in html
    assert 'class="pp-provenance" title="Reference · probepress-synth 1' in html
    page_dir = next((root / "site" / "blog").rglob("every-fence-at-work"))
    for src in videos:
        assert (page_dir / src).resolve().is_file(), src


def test_media_of_an_excerpt_resolve_from_every_page_that_lists_the_post(good_site):
    root, _html = good_site
    listed = 0
    for page in (root / "site" / "blog").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if "Shown in every list of posts" not in html:
            continue
        listed += 1
        videos = re.findall(r'<video class="pp-video"[^>]*>', html)
        assert videos, page
        for url in re.findall(r'(?:src|poster)="([^"]+)"', "".join(videos)):
            assert (page.parent / url).resolve().is_file(), f"{page.relative_to(root)}: {url}"
    assert listed >= 3  # the post itself, the blog's index, the archive


def test_compare_has_panes_timeline_overlay_and_download(good_site):
    root, html = good_site
    compare = html[html.index('<div class="pp-compare"') :]
    assert 'data-pp-fps="24"' in compare and 'data-pp-frames="144"' in compare
    assert compare.count('<figure class="pp-pane"') >= 2
    assert "data-pp-wipe" in compare
    assert 'class="pp-chart pp-timeline"' in compare
    overlays = re.findall(r'data-pp-overlay="([^"]+)"', compare)
    assert len(overlays) == 2
    page_dir = next((root / "site" / "blog").rglob("every-fence-at-work"))
    overlay = json.loads((page_dir / overlays[0]).resolve().read_text())
    assert overlay["probe"] == "gravity" and overlay["width"] == 640
    assert "Download the side-by-side video" in compare


def test_charts_carry_their_figure_in_a_data_attribute(good_site):
    _root, html = good_site
    figures = re.findall(r'class="pp-chart[^"]*" data-pp-figure="([^"]+)"', html)
    assert len(figures) >= 4  # timeline, bars, heatmap, plotly
    article = html.split('<article class="md-content__inner')[1].split("</article>")[0]
    assert "<script" not in article


def _figures(html: str) -> list[dict]:
    return [
        json.loads(unescape(figure))
        for figure in re.findall(r'class="pp-chart[^"]*" data-pp-figure="([^"]+)"', html)
    ]


def test_image_y_timeline_runs_downwards_and_says_so(good_site):
    root, html = good_site
    timeline = html[html.index('class="pp-chart pp-timeline"') :]
    figure = _figures(timeline)[0]
    axis = figure["layout"]["yaxis"]
    assert axis["autorange"] == "reversed"
    assert axis["title"]["text"] == "centroid_y (y down)"
    # The ball falls: its row grows, so the reversed axis draws the line going down.
    ys = [y for y in figure["data"][0]["y"] if y is not None]
    assert ys[len(ys) // 4] > ys[0]


def test_heatmap_shows_a_colour_bar_and_each_cells_value(good_site):
    root, html = good_site
    (heatmap,) = [f for f in _figures(html) if f["data"][0]["type"] == "heatmap"]
    trace = heatmap["data"][0]
    assert trace["showscale"] is True
    assert trace["colorbar"]["ticktext"] == ["lowest", "highest"]
    assert trace["texttemplate"] == "%{text}"
    data = json.loads((root / "site" / "data" / "results.json").read_text())
    measured = {c["id"]: c["probes"]["flicker"]["metrics"] for c in data["clips"]}
    expected = [
        [f"{measured[clip][metric]:.3g}" for metric in ("flicker_index", "temporal_flickering")]
        for clip in ("ball-drop/reference", "ball-drop/model-a")
    ]
    assert trace["text"] == expected


def test_claim_that_holds_renders_as_holds_with_values(good_site):
    _root, html = good_site
    claim = html[html.index("pp-claim--") :]
    assert claim.startswith("pp-claim--holds")
    assert "Measured on ball-drop/reference (gravity v" in claim


def test_open_data_and_claims_ledger_are_published(good_site):
    root, _html = good_site
    data = json.loads((root / "site" / "data" / "results.json").read_text())
    assert len(data["clips"]) == 23  # 4 a scene, and 3 takes of Model A v2 in ball-drop
    ledger = json.loads((root / "site" / "data" / "claims.json").read_text())
    ours = [c for c in ledger["claims"] if c["page"] == "posts/good.md"]
    assert [(c["line"], c["holds"]) for c in ours] == [(41, True)]
    assert ledger["failing"] == 0 and ledger["holding"] == len(ledger["claims"])
    csv_text = (root / "site" / "data" / "results.csv").read_text()
    assert csv_text.splitlines()[0].startswith("clip,scene,model")


def test_plotly_js_ships_once_with_the_site_but_no_page_lists_it(good_site):
    root, html = good_site
    assert len(list((root / "site").rglob("plotly*.js"))) == 1
    assert (root / "site" / "assets" / "probepress" / "plotly.min.js").is_file()
    # probepress-charts.js fetches it from beside itself, on pages with charts only.
    assert "probepress-charts.js" in html
    assert "plotly.min.js" not in html


def test_failing_claim_fails_strict_naming_post_line_and_numbers(tmp_path, demo_clips, probe_cache):
    root = site_with_posts(tmp_path, demo_clips, probe_cache, {"refuted.md": FAILING_CLAIM})
    result = build_site(root)
    assert result.returncode != 0
    assert "posts/refuted.md:7: claim does not hold: 'Model A falls as fast" in result.stderr
    assert "expected >= 1100, measured 4" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("post", "line", "message"),
    [
        ("missing-clip.md", 8, "unknown clip 'ball-drop/model-z.mp4'; did you mean"),
        ("escape.md", 8, "escapes assets/clips/"),
        ("unknown-metric.md", 9, "gravity has no metric 'acceleraton_px_s2'"),
        ("unknown-probe.md", 9, "unknown probe 'gravty'; did you mean 'gravity'?"),
        ("unknown-key.md", 9, "unknown key 'captoin' in `clip`; did you mean 'caption'?"),
        ("malformed.md", 8, "malformed `compare` fence"),
        ("bad-claim.md", 9, "claim check does not parse"),
        ("bad-inline.md", 7, "gravity has no metric 'nothing'"),
    ],
)
def test_bad_input_is_reported_with_file_and_line(bad_build, post, line, message):
    assert bad_build.returncode != 0
    expected = f"posts/{post}:{line}"
    lines = [entry for entry in bad_build.stderr.splitlines() if expected in entry]
    assert lines, f"no error for {expected} in:\n{bad_build.stderr}"
    assert any(message in entry for entry in lines), lines
    assert "Traceback" not in bad_build.stderr


def test_probepress_check_reports_failing_claims_without_building(
    tmp_path, demo_clips, probe_cache
):
    import subprocess
    import sys

    posts = {"refuted.md": FAILING_CLAIM, "bad.md": _post("bad", BAD_POSTS["unknown-key.md"])}
    root = site_with_posts(tmp_path, demo_clips, probe_cache, posts)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "probepress"), "check"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1
    assert "posts/refuted.md:7: claim does not hold: 'Model A falls as fast" in result.stderr
    assert "posts/bad.md:9: unknown key 'captoin'" in result.stderr
    holding, total = map(
        int, re.search(r"(\d+) of (\d+) claims hold, 1 fail; 1 problem", result.stdout).groups()
    )
    assert total - holding == 1  # the refuted claim; the guide's own claims hold
    assert not (root / "site").exists()


SWAP_POST = """\
---
date: 2026-11-22
---

# The reflection keeps pace

```claim
The reference train's reflection follows it without delay.
check: train-lake/reference : reflection.lag_frames == 0 and reflection.symmetry >= 0.9
```
"""


def _swap(a: Path, b: Path) -> None:
    temporary = a.with_suffix(".swap")
    a.rename(temporary)
    b.rename(a)
    temporary.rename(b)


def test_swapping_two_clips_breaks_the_claim_and_swapping_back_mends_it(
    tmp_path, demo_clips, probe_cache
):
    root = site_with_posts(tmp_path, demo_clips, probe_cache, {"swap.md": SWAP_POST})
    clips = root / "assets" / "clips" / "train-lake"
    assert build_site(root).returncode == 0
    _swap(clips / "reference.mp4", clips / "model-a.mp4")
    broken = build_site(root)
    assert broken.returncode != 0
    assert (
        "posts/swap.md:7: claim does not hold: \"The reference train's reflection" in broken.stderr
    )
    assert "reflection.lag_frames == 0: expected == 0, measured 3" in broken.stderr
    _swap(clips / "reference.mp4", clips / "model-a.mp4")
    assert build_site(root).returncode == 0


def test_corrupt_clip_fails_strict_naming_the_manifest_entry(tmp_path, demo_clips, probe_cache):
    root = site_with_posts(
        tmp_path, demo_clips, probe_cache, {"fine.md": _post("fine", "Nothing here.\n")}
    )
    clip = root / "assets" / "clips" / "creature" / "model-c.mp4"
    clip.write_bytes(clip.read_bytes()[:2000])
    result = build_site(root)
    assert result.returncode != 0
    assert "clips.yml:" in result.stderr
    assert "clip 'creature/model-c.mp4' cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_clip_file_fails_with_the_manifest_line(tmp_path, demo_clips, probe_cache):
    root = site_with_posts(
        tmp_path, demo_clips, probe_cache, {"fine.md": _post("fine", "Nothing here.\n")}
    )
    (root / "assets" / "clips" / "creature" / "model-b.mp4").unlink()
    result = build_site(root)
    assert result.returncode != 0
    assert "clip 'creature/model-b.mp4': file not found" in result.stderr
    assert "probepress synth" in result.stderr
    assert "Traceback" not in result.stderr

"""Page weights: a first visit costs the HTML plus what loads with it; clips, overlays and
plotly (with charts) load on demand and are counted apart."""

from __future__ import annotations

from pathlib import Path

from probepress.bench.page_weight import page_weights


def _write(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)


def test_a_page_counts_what_it_loads_and_nothing_it_only_links(tmp_path):
    site = tmp_path
    _write(site / "assets" / "style.css", 1_000)
    _write(site / "assets" / "app.js", 2_000)
    _write(site / "assets" / "probepress" / "plotly.min.js", 50_000)
    _write(site / "media" / "clip.mp4", 300_000)
    _write(site / "media" / "clip.jpg", 20_000)
    _write(site / "media" / "clip.overlay.json", 4_000)
    _write(site / "other.pdf", 9_999_999)
    page = site / "post" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<link rel="stylesheet" href="../assets/style.css">'
        '<link rel="alternate" href="../feed.xml"><link rel="next" href="../other/">'
        '<script src="../assets/app.js"></script><script src="https://cdn.example/x.js"></script>'
        '<a href="../other.pdf">a download is not loaded</a>'
        '<video src="../media/clip.mp4" poster="../media/clip.jpg"></video>'
        '<canvas class="pp-overlay" data-pp-overlay="../media/clip.overlay.json"></canvas>'
        '<div class="pp-chart" data-pp-figure="{}"></div>',
        encoding="utf-8",
    )
    plain = site / "index.html"
    plain.write_text('<link rel="stylesheet" href="assets/style.css"><p>text</p>')

    heavy, light = page_weights(site)
    assert heavy.page == "post/index.html"
    assert heavy.html == page.stat().st_size
    assert heavy.code == 1_000 + 2_000
    assert heavy.media == 20_000  # the poster; the clip waits until it is played
    assert heavy.on_demand == 300_000 + 4_000 + 50_000  # clip, overlay, plotly.js for the chart
    assert heavy.total == heavy.html + heavy.code + heavy.media
    assert (light.page, light.code, light.media, light.on_demand) == ("index.html", 1_000, 0, 0)


def test_a_poster_far_down_the_page_counts_as_loaded_on_demand(tmp_path):
    site = tmp_path / "site"
    _write(site / "media" / "near.jpg", 20_000)
    _write(site / "media" / "far.jpg", 30_000)
    page = site / "index.html"
    page.write_text(
        '<video class="pp-video" poster="media/near.jpg" src="media/a.mp4"></video>'
        '<video class="pp-video" data-pp-poster="media/far.jpg" src="media/b.mp4"></video>',
        encoding="utf-8",
    )
    (weight,) = page_weights(site)
    assert weight.media == 20_000
    assert weight.on_demand == 30_000

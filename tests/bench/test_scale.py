"""The scale benchmark's inputs: a corpus of distinct clips, and a site made N times larger."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from sitebuild import build_site

from probepress.bench.scale import grow_corpus
from probepress.bench.site_scale import scale_site
from probepress.measure.manifest import load_manifest
from probepress.video.decode import file_sha256, open_clip

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "site"))
from _small_site import SCENE, render_clips, small_site  # noqa: E402


def test_a_grown_corpus_is_distinct_clips_that_decode(tmp_path):
    clips = grow_corpus(tmp_path, 3)
    assert [c.name for c in clips] == ["clip-0000.mp4", "clip-0001.mp4", "clip-0002.mp4"]
    assert len({file_sha256(c) for c in clips}) == 3
    first, second = (open_clip(c, long_side=320) for c in clips[:2])
    assert first.info.frames == second.info.frames == 48
    assert not np.array_equal(np.asarray(first.gray[0]), np.asarray(second.gray[0]))


def test_growing_a_corpus_keeps_the_clips_it_has(tmp_path):
    first = grow_corpus(tmp_path, 2)
    before = {c: c.stat().st_mtime_ns for c in first}
    grown = grow_corpus(tmp_path, 3)
    assert grown[:2] == first
    assert {c: c.stat().st_mtime_ns for c in first} == before


@pytest.mark.slow
def test_a_site_scaled_twice_has_its_own_clips_and_posts_and_builds_strict(tmp_path):
    source = small_site(tmp_path / "small", render_clips(tmp_path / "clips"))
    scaled = scale_site(source, tmp_path / "scaled", 2)
    manifest = load_manifest(scaled / "assets" / "clips" / "clips.yml", scaled / "assets" / "clips")
    in_source = len(list((source / "assets" / "clips" / SCENE).glob("*.mp4")))
    assert len(manifest.clips) == 2 * in_source
    assert len({file_sha256(clip.path) for clip in manifest.clips.values()}) == 2 * in_source
    original = manifest.clips[f"{SCENE}/reference"].path
    copy = manifest.clips[f"{SCENE}-2/reference"].path
    # Remuxed, not re-encoded: other bytes, the same pictures (every claim still holds).
    assert np.array_equal(
        np.asarray(open_clip(original).gray[5]), np.asarray(open_clip(copy).gray[5])
    )
    raw = yaml.safe_load((scaled / "assets" / "clips" / "clips.yml").read_text())
    assert raw["scenes"][f"{SCENE}-2"]["reference"] == f"{SCENE}-2/reference.mp4"
    post = (scaled / "posts" / "fall-copy-2.md").read_text()
    assert "# One falling ball (copy 2)" in post
    assert f"{SCENE}/" not in post.replace(f"{SCENE}-2/", "")
    result = build_site(scaled)
    assert result.returncode == 0, result.stderr
    assert re.search(r"probes: \d+ run, 0 cached, 0 failed", result.stderr)
    pages = [p.parent.name for p in (scaled / "site").rglob("index.html")]
    assert "one-falling-ball" in pages and "one-falling-ball-copy-2" in pages

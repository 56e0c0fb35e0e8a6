"""Property test: any fence body gives a parsed fence or a FenceError, never another exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probepress.authoring.markdown_scan import FENCE_NAMES
from probepress.authoring.options import FenceSpec, parse_fence_body
from probepress.authoring.parse import parse_fence
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest, load_manifest

REPO = Path(__file__).resolve().parents[2]

# Lines that look like what authors write, including the audits' findings.
LINES = st.sampled_from(
    [
        "src: ball-drop/reference.mp4", "src: /", "src: ''", "src: .", "src: a/..",
        "clip: /", "clip:", "clip: ball-drop/reference", "clip: x/.mp4",
        "check: gravity.fit_rms_px < 1", "check: " + "(" * 50, "It falls.",
        "title: " + "T" * 400, "caption: [1, 2]", "clips: [ball-drop/reference.mp4]",
        "clips:", "  A: ball-drop/reference.mp4", "  B: ball-drop/model-a.mp4", "  1: [x]",
        "kind: bars", "kind: radar", "metric: gravity.acceleration_px_s2", "metric: x",
        "metrics: [gravity.fit_rms_px, 3]", "clips: ball-drop/*", "timeline: gravity",
        "overlay: gravity.x", "{", '{"data": [{"y": [NaN, 1]}]}', '{"data": []}',
        '{"data": [{"type": "scattergeo"}]}', '{"data": [], "layout": {"images": [{"source": "//x"}]}}',
        '{"data": [{"type": [1]}], "layout": {"images": {"source": 1}, "geo": 2}}',
        '{"data": [7, null, {"type": {"a": 1}, "geojson": ["//x"]}], "layout": []}',
        "- a", "? b", "&a [*a]", "!!python/name:os.system", "\t", "key: !!binary AAAA",
    ]
)  # fmt: skip
BODIES = st.one_of(
    st.text(max_size=120),
    st.lists(st.one_of(LINES, st.text(max_size=20)), max_size=8).map("\n".join),
)


@pytest.fixture(scope="module")
def manifest(demo_clips: Path) -> Manifest:
    # The demo's manifest over clips rendered for the session: a fresh clone has none.
    return load_manifest(REPO / "assets" / "clips" / "clips.yml", demo_clips)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(FENCE_NAMES), body=BODIES)
def test_any_fence_body_parses_or_raises_a_fence_error(manifest, name, body):
    try:
        parse_fence(name, body, manifest)
    except FenceError as error:
        assert error.message and error.line >= 0


@settings(max_examples=200, deadline=None)
@given(body=BODIES)
def test_any_options_body_gives_options_or_a_fence_error(body):
    spec = FenceSpec("clip", {"src": ((str,), True), "caption": ((str,), False)})
    try:
        options = parse_fence_body(body, spec)
    except FenceError as error:
        assert error.message
        return
    assert isinstance(options["src"], str)

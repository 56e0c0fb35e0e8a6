"""Fence texts are bounded and claim clips checked, each with the body line at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from probepress.authoring.parse import MAX_STATEMENT, MAX_TEXT, parse_fence
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest, load_manifest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manifest(demo_clips: Path) -> Manifest:
    # The demo's manifest over clips rendered for the session: a fresh clone has none.
    return load_manifest(REPO / "assets" / "clips" / "clips.yml", demo_clips)


def _error(name: str, body: str, manifest: Manifest) -> FenceError:
    with pytest.raises(FenceError) as caught:
        parse_fence(name, body, manifest)
    return caught.value


@pytest.mark.parametrize(
    ("name", "body", "line", "fragment"),
    [
        ("compare", "clips: [a, b]\ntitle: " + "T" * 5_000_000, 1, "is 5000021 characters long"),
        ("compare", "clips: [a, b]\ntitle: " + "T" * 5_000, 2, "title is 5000 characters"),
        ("clip", "src: ball-drop/reference.mp4\ncaption: " + "c" * 301, 2, "caption is 301"),
        (
            "compare",
            "clips:\n  " + "L" * 400 + ": ball-drop/reference.mp4",
            2,
            "a clip label is 400",
        ),
        (
            "montage",
            "title: " + "t" * 301 + "\nclips: [ball-drop/reference.mp4]",
            1,
            "title is 301",
        ),
        ("claim", "S" * (MAX_STATEMENT + 1) + "\ncheck: a.b < 1", 1, "the claim's sentence is"),
        ("claim", "It falls.\nclip: /\ncheck: gravity.fit_rms_px < 1", 2, "escapes assets/clips/"),
        ("claim", "It falls.\nclip:\ncheck: gravity.fit_rms_px < 1", 2, "`clip:` names no clip"),
        ("claim", "It falls.\nclip: .\ncheck: gravity.fit_rms_px < 1", 2, "names no clip"),
        (
            "claim",
            "It falls.\nclip: ball-drop/nope\ncheck: gravity.fit_rms_px < 1",
            2,
            "unknown clip",
        ),
    ],
    ids=[
        "5MB-body",
        "long-title",
        "long-caption",
        "long-label",
        "montage-title",
        "long-statement",
        "clip-root",
        "clip-empty",
        "clip-dot",
        "clip-unknown",
    ],  # fmt: skip
)
def test_bad_texts_and_clips_name_their_line(manifest, name, body, line, fragment):
    error = _error(name, body, manifest)
    assert fragment in error.message
    assert error.line == line


def test_texts_at_the_limit_parse(manifest):
    fence = parse_fence(
        "clip", f"src: ball-drop/reference.mp4\ncaption: {'c' * MAX_TEXT}", manifest
    )
    assert len(fence.caption) == MAX_TEXT
    claim = parse_fence(
        "claim", "It falls.\nclip: ball-drop/reference\ncheck: gravity.fit_rms_px < 1", manifest
    )
    assert claim.check.refs[0].clip == "ball-drop/reference"


@pytest.mark.parametrize(
    ("body", "line"),
    [
        # A fence body ends without a newline: libyaml names the line after the last
        # (one past the fence); the pure-Python loader the line of the open bracket.
        ("clips: [ball-drop/reference.mp4", 1),
        ("title: x\nclips: [a, b", 2),
        ("clips: {a: b", 1),
    ],
)
def test_malformed_yaml_names_the_line_an_author_must_fix(body, line, manifest):
    error = _error("compare", body, manifest)
    assert error.line == line, error
    assert error.message.startswith("malformed `compare` fence: expected ',' or ")

"""A build parses each fence once: later readings get the same fence, or the same error."""

from __future__ import annotations

from pathlib import Path

import pytest

import probepress.authoring.parse_memo as parse_memo
from probepress.authoring.parse import parse_fence
from probepress.authoring.parse_memo import FenceParses
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest, load_manifest
from probepress.measure.results import LookupProblem

REPO = Path(__file__).resolve().parents[2]
CLAIM = "It falls.\nclip: ball-drop/reference.mp4\ncheck: gravity.fit_rms_px < 3"


@pytest.fixture(scope="module")
def manifest(demo_clips: Path) -> Manifest:
    return load_manifest(REPO / "assets" / "clips" / "clips.yml", demo_clips)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every call that reaches the real parser, recorded (the parser still runs)."""
    calls: list[tuple[str, str]] = []

    def counting(name: str, body: str, manifest: Manifest) -> object:
        calls.append((name, body))
        return parse_fence(name, body, manifest)

    monkeypatch.setattr(parse_memo, "parse_fence", counting)
    return calls


def test_a_fence_read_again_is_the_first_parse(manifest: Manifest, counted: list) -> None:
    parses = FenceParses(manifest)
    first = parses.parse("claim", CLAIM)
    assert parses.parse("claim", CLAIM) is first
    assert first == parse_fence("claim", CLAIM, manifest)
    assert counted == [("claim", CLAIM)]
    parses.parse("clip", "src: ball-drop/reference.mp4")
    parses.parse("clip", "src: ball-drop/reference.mp4")
    assert len(counted) == 2


def test_an_error_is_raised_again_with_its_line(manifest: Manifest, counted: list) -> None:
    parses = FenceParses(manifest)
    body = "src: ball-drop/reference.mp4\ncolour: red"
    errors = []
    for _reading in range(3):
        with pytest.raises(FenceError) as caught:
            parses.parse("clip", body)
        errors.append(caught.value)
    assert {(e.message, e.line) for e in errors} == {(errors[0].message, 2)}
    assert "unknown key 'colour'" in errors[0].message
    assert len({id(e) for e in errors}) == 3  # a fresh exception each time
    assert counted == [("clip", body)]


def test_a_lookup_problem_is_raised_again(manifest: Manifest, counted: list) -> None:
    parses = FenceParses(manifest)
    body = "src: no-such-scene/nothing.mp4"
    messages = []
    for _reading in range(2):
        with pytest.raises((FenceError, LookupProblem)) as caught:
            parses.parse("clip", body)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and messages[0]
    assert len(counted) == 1


def test_each_manifest_has_its_own_parses(manifest: Manifest, counted: list) -> None:
    FenceParses(manifest).parse("claim", CLAIM)
    FenceParses(manifest).parse("claim", CLAIM)
    assert len(counted) == 2


def test_the_review_and_the_plans_share_one_parse_per_fence(
    manifest: Manifest, counted: list
) -> None:
    # The phases of a build as they read a page: planned, checked, planned again
    # (media), each handed the build's one FenceParses.
    from probepress.measure.results import ResultSet
    from probepress.site.page_check import CheckReport, check_page
    from probepress.site.plan import SitePlan, plan_markdown

    fence = "```clip\nsrc: ball-drop/reference.mp4\n```\n"
    other = "```clip\nsrc: ball-drop/reference.mp4\ncaption: Again\n```\n"
    page = f"# A page\n\n{fence}\n{other}\n{fence}"
    parses = FenceParses(manifest)
    results = ResultSet(manifest=manifest, reports={})
    plan = SitePlan()
    plan_markdown(page, manifest, plan, parses)
    check_page(page, "posts/a.md", manifest, results, CheckReport(), parses)
    plan_markdown(page, manifest, SitePlan(), parses)
    assert len(counted) == 2
    assert plan.clips == {"ball-drop/reference"}

"""References to one sample, one version, or an aggregate over samples, on real measurements.

The clips of ``sampleset``: Model A v1 in three samples (three different falls) and a
v2 that is a copy of the reference clip.
"""

from __future__ import annotations

import statistics

import pytest
from sampleset import sample_results

from probepress.claims.callout import inline_value_html
from probepress.claims.evaluate import ClaimFence, evaluate_claim
from probepress.claims.grammar import parse_check
from probepress.measure.ref import Ref
from probepress.measure.results import LookupProblem, ResultSet

G = "gravity.acceleration_px_s2"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> ResultSet:
    return sample_results(tmp_path_factory.mktemp("selector"))


def _value(results: ResultSet, clip: str) -> float:
    return results.measured(Ref(clip, "gravity", "acceleration_px_s2"))


def test_a_clip_id_still_names_its_clip(results):
    assert _value(results, "ball-drop/model-a") == _value(results, "ball-drop/model-a@v1#1")


def test_samples_and_aggregates_over_them(results):
    takes = [_value(results, f"ball-drop/model-{x}") for x in "abc"]
    assert len(set(takes)) == 3  # three different clips
    assert [_value(results, f"ball-drop/model-a@v1#{n}") for n in (1, 2, 3)] == takes
    assert _value(results, "mean(ball-drop/model-a@v1)") == pytest.approx(statistics.fmean(takes))
    assert _value(results, "sd(ball-drop/model-a@v1)") == pytest.approx(statistics.stdev(takes))
    assert _value(results, "min(ball-drop/model-a@v1)") == min(takes)
    assert _value(results, "max(ball-drop/Model A@v1)") == max(takes)


def test_without_a_version_the_latest_is_meant(results):
    latest = _value(results, "ball-drop/model-a@v2")
    assert latest == _value(results, "ball-drop/reference")  # the v2 clip is its copy
    assert _value(results, "ball-drop/Model A") == latest
    assert _value(results, "mean(ball-drop/model-a)") == latest


@pytest.mark.parametrize(
    ("name", "says"),
    [
        (
            "ball-drop/model-a@v3",
            "'ball-drop/model-a' has no version 'v3' in its scene; did you mean",
        ),
        (
            "ball-drop/model-a@v1#4",
            "'ball-drop/model-a@v1' has no sample #4; its samples are #1, #2, #3",
        ),
        ("ball-drop/model-a@v1", "'ball-drop/model-a@v1' holds 3 samples; name one"),
        (
            "ball-drop/model-x#1",
            "scene 'ball-drop' has no model 'model-x'; did you mean 'model-a'?",
        ),
        ("bal-drop/model-a#1", "no scene is called 'bal-drop'; did you mean 'ball-drop'?"),
        ("median(ball-drop/model-a)", "unknown aggregate 'median'; did you mean 'mean'"),
        ("ball-drop/model-z", "unknown clip 'ball-drop/model-z'; did you mean"),
        ("sd(ball-drop/model-a@v2)", "sd needs at least two samples"),
    ],
)
def test_a_selection_of_nothing_says_what_would_work(results, name, says):
    with pytest.raises(LookupProblem, match=None) as caught:
        _value(results, name)
    assert says in str(caught.value)


def test_a_claim_compares_two_versions_and_names_every_clip_behind_it(results):
    check = parse_check(
        f"abs(ball-drop/model-a@v2 : {G} - 1200) < abs(mean(ball-drop/model-a@v1) : {G} - 1200)"
    )
    outcome = evaluate_claim(ClaimFence("v2 falls closer to g", check, 1), results)
    assert outcome.holds
    clips = [p["clip"] for p in outcome.provenance]
    assert clips == [
        "ball-drop/a-v2",
        "ball-drop/model-a",
        "ball-drop/model-b",
        "ball-drop/model-c",
    ]


def test_an_inline_value_of_an_aggregate_says_how_many_clips(results):
    html = inline_value_html(f"mean(ball-drop/model-a@v1) : {G} | .0f", results)
    mean = statistics.fmean(_value(results, f"ball-drop/model-{x}") for x in "abc")
    assert f">{mean:.0f}</span>" in html and "over 3 clips" in html
    sample = inline_value_html(f'"ball-drop/Model A@v1#2" : {G} | .0f', results)
    assert f">{_value(results, 'ball-drop/model-b'):.0f}</span>" in sample

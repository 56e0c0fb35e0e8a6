"""Charts over samples and versions, on real measurements (the clips of ``sampleset``)."""

from __future__ import annotations

import json
import statistics

import pytest
from sampleset import sample_results

from probepress.authoring import charts
from probepress.measure.ref import Ref
from probepress.measure.results import ResultSet

METRIC = "gravity.acceleration_px_s2"
V1 = ["ball-drop/model-a", "ball-drop/model-b", "ball-drop/model-c"]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> ResultSet:
    return sample_results(tmp_path_factory.mktemp("sample-charts"))


def _values(results: ResultSet, clips: list[str]) -> list[float]:
    return [results.value(Ref(c, "gravity", "acceleration_px_s2")) for c in clips]


def test_bars_of_several_samples_show_mean_sd_and_every_sample(results):
    clips = charts.expand_clips(results, ["ball-drop/*"])
    figure = charts.bars(results, METRIC, clips)
    bars, points = figure["data"]
    v1 = _values(results, V1)
    assert bars["x"] == ["Reference", "Model A v1, n=3", "Model A v2"]
    assert bars["y"][1] == pytest.approx(statistics.fmean(v1))
    assert bars["error_y"]["array"][1] == pytest.approx(statistics.stdev(v1))
    assert bars["error_y"]["array"][0] == 0.0  # one sample: no spread to show
    # None dropped: a point per clip, at its own value.
    assert points["customdata"] == clips
    assert points["y"][1:4] == pytest.approx(v1)
    json.dumps(figure, allow_nan=False)


def test_bars_of_one_sample_each_stay_one_bar_per_clip(results):
    figure = charts.bars(results, METRIC, ["ball-drop/reference", "ball-drop/model-a"])
    assert len(figure["data"]) == 1
    assert figure["data"][0]["x"] == ["Reference", "Model A"]


def test_history_follows_the_model_through_its_versions_by_release_date(results):
    figure = charts.history(results, METRIC, [*V1, "ball-drop/a-v2"])
    line, points, reference = figure["data"]
    assert line["x"] == ["2026-06-01", "2026-11-01"]
    assert line["text"] == ["v1, n=3", "v2, n=1"]
    assert line["y"] == pytest.approx(
        [statistics.fmean(_values(results, V1)), _values(results, ["ball-drop/a-v2"])[0]]
    )
    assert line["error_y"]["array"][0] == pytest.approx(statistics.stdev(_values(results, V1)))
    assert points["x"] == ["2026-06-01"] * 3 + ["2026-11-01"]
    assert figure["layout"]["xaxis"]["title"]["text"] == "release date"
    # What the versions should reach: the scene's reference, dashed, across them.
    assert reference["y"] == [_values(results, ["ball-drop/reference"])[0]] * 2
    assert reference["x"] == ["2026-06-01", "2026-11-01"]
    assert reference["line"]["dash"] == "dash"
    json.dumps(figure, allow_nan=False)


def test_history_of_undated_versions_orders_them_as_the_manifest_does(results):
    # The reference's model has no `models:` entry: its one version is a category.
    figure = charts.history(results, METRIC, ["ball-drop/reference", "ball-drop/model-a"])
    assert figure["layout"]["xaxis"]["type"] == "category"
    assert [trace["name"] for trace in figure["data"][::2]] == ["Reference", "Model A"]

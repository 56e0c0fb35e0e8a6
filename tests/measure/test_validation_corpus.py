"""Loading a validation corpus: one place for tolerances and known failures, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from _corpus_copy import copy_corpus

from probepress.measure.validation_corpus import TOLERANCES, CorpusError, load_corpus

CORPUS = Path(__file__).resolve().parents[1] / "validation"


def test_the_committed_corpus_gives_every_tolerance_and_its_truth():
    corpus = load_corpus(CORPUS)
    assert set(corpus.tolerances) == set(TOLERANCES)
    assert all(value > 0 for value in corpus.tolerances.values())
    assert len(corpus.clips) >= 20
    assert corpus.by_file("star-field/center-ccw-3.mp4").truth["rotation"]["angular_velocity_deg_s"]
    assert all(k.reason and k.line for k in corpus.known_failures)


def test_the_corpus_as_a_manifest_measures_each_scene_with_its_probes():
    corpus = load_corpus(CORPUS)
    manifest = corpus.manifest({"star-field": ("rotation",)})
    assert set(manifest.scenes) == {"star-field"}
    assert {c.scene for c in manifest.clips.values()} == {"star-field"}
    wrong = manifest.clips["star-field/nonrigid-wrong"]
    assert wrong.model == "wrong twin: nonrigid"
    assert wrong.path == CORPUS / "clips" / "star-field" / "nonrigid-wrong.mp4"


def test_a_missing_folder_names_the_setting_to_fix(tmp_path):
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path / "nowhere")
    (problem,) = caught.value.problems
    assert "nowhere/corpus.yml" in problem
    assert "`validation` setting" in problem


def test_a_tolerance_that_is_not_a_positive_number_is_named_with_its_line(tmp_path):
    folder = copy_corpus(tmp_path)
    spec = folder / "corpus.yml"
    text = spec.read_text()
    spec.write_text(text.replace("rotation_rate: 0.05", "rotation_rate: fast"))
    lines = spec.read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "rotation_rate:" in text)
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder)
    assert caught.value.problems == [
        f"{spec}:{line}: tolerance `rotation_rate` (fraction of the true angular velocity) "
        "must be a positive number, got 'fast'"
    ]


def test_a_known_failure_without_its_reason_is_refused(tmp_path):
    folder = copy_corpus(tmp_path)
    spec = folder / "corpus.yml"
    spec.write_text(spec.read_text() + "  - check: rotation_rate\n    case: x.mp4\n")
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder)
    assert "a known failure needs `check`, `case` and `reason`" in caught.value.problems[0]


def test_a_truth_file_that_is_not_json_is_named(tmp_path):
    folder = copy_corpus(tmp_path)
    truth = folder / "clips" / "star-field" / "center-ccw-3.json"
    truth.write_text("{not json")
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder)
    assert str(truth) in caught.value.problems[0]
    assert "not JSON" in caught.value.problems[0]

"""Rows of a validation corpus from a real probe phase: clips that cannot be measured."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from _corpus_copy import copy_corpus

from probepress.measure.probe_phase import run_probe_phase
from probepress.measure.validation_checks import SCENE_PROBES, corpus_rows
from probepress.measure.validation_corpus import load_corpus


@dataclass(frozen=True)
class _Settings:
    cache_dir: Path
    workers: int = 1
    analysis_long_side: int = 480
    max_clip_seconds: float = 1.0  # every corpus clip is longer: none is measured
    scheduler: str | None = None  # the local process pool


def test_clips_over_the_length_budget_make_failing_rows_not_refusals(tmp_path):
    """A negative control never looked at is no refusal: its row fails, and says why."""
    folder = copy_corpus(tmp_path / "corpus", clips=("star-field/center-ccw-3", "real/tree"))
    corpus = load_corpus(folder)
    results, _run = run_probe_phase(corpus.manifest(SCENE_PROBES), _Settings(tmp_path / "cache"))
    rows = {(r.check, r.case): r for r in corpus_rows(corpus, results)}
    negative = rows[("negative_control_fails", "real/tree.mp4|rotation")]
    assert not negative.holds
    assert negative.measured.startswith("no verdict:")
    assert "budget" in negative.measured
    rate = rows[("rotation_rate", "star-field/center-ccw-3.mp4")]
    assert not rate.holds and rate.measured_value is None

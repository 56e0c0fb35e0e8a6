"""The JSON every probepress output shares (``probe --json``, the site's open data)."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pytest

from probepress.measure.lazy_json import LazyJsonObject
from probepress.measure.report import clip_facts_json
from probepress.measure.runner import ClipReport
from probepress.probes.base import ProbeFailure, ProbeResult


def test_metrics_are_reported_without_parsing_the_overlay(caplog: pytest.LogCaptureFixture):
    # An overlay that cannot be parsed says so when it is read; the metrics must not read it.
    overlay = LazyJsonObject("{not json", "overlay of a test entry")
    result = ProbeResult(
        probe="flicker",
        version="2",
        metrics={"flicker_index": 0.25, "temporal_flickering": math.nan},
        overlay=overlay,
    )
    failure = ProbeFailure("motion", "3", "no motion to measure")
    report = ClipReport(path=Path("clip.mp4"), results={"flicker": result, "motion": failure})
    with caplog.at_level(logging.WARNING):
        facts = clip_facts_json(report)
    assert facts["probes"]["flicker"] == {
        "version": "2",
        "metrics": {"flicker_index": 0.25, "temporal_flickering": None},
        "error": None,
    }
    assert facts["probes"]["motion"] == {
        "version": "3",
        "metrics": {},
        "error": "no motion to measure",
    }
    assert "unreadable" not in caplog.text
    assert facts["probes"]["flicker"]["metrics"] == result.to_dict()["metrics"]
    assert "unreadable overlay of a test entry" in caplog.text  # to_dict did read it

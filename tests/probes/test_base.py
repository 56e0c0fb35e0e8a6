"""The probe contract: results carry the registered name and version; errors become failures."""

from __future__ import annotations

import numpy as np

from probepress.probes.base import Probe, ProbeError, ProbeFailure, ProbeResult
from probepress.video.decode import clip_from_array

CLIP = clip_from_array(np.zeros((3, 8, 8, 3), np.uint8), fps=24)


def test_result_is_stamped_with_the_registered_name_and_version():
    def measure(clip, **params):
        return ProbeResult(probe="stale", version="0", metrics={"x": 1.0}, params=params)

    probe = Probe("demo", "7", "a test probe", (), measure, defaults={"k": 2})
    result = probe.run(CLIP)
    assert (result.probe, result.version, result.params) == ("demo", "7", {"k": 2})


def test_probe_error_becomes_a_falsy_failure_with_the_reason():
    def measure(clip, **params):
        raise ProbeError("nothing to measure")

    failure = Probe("demo", "7", "a test probe", (), measure).run(CLIP)
    assert isinstance(failure, ProbeFailure) and not failure
    assert (failure.version, failure.error) == ("7", "nothing to measure")


def test_comparative_probe_without_reference_fails():
    probe = Probe("cmp", "1", "needs a reference", (), lambda c, **k: None, needs_reference=True)
    assert probe.run(CLIP).error == "needs a reference clip"

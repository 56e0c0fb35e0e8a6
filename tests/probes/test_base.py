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


def _frames_seen(clip, **params):
    """Reports what it was given: frame count, rate, times, one overlay point per frame."""
    return ProbeResult(
        probe="seen",
        version="1",
        metrics={"frames": float(len(clip.gray)), "fps": clip.fps},
        series={"time": [float(t) for t in clip.times]},
        overlay={
            "static": [],
            "frames": [[{"kind": "point", "xy": [float(t), 0.0]}] for t in clip.times],
        },  # fmt: skip
    )


def test_a_probe_with_a_rate_limit_reads_every_nth_frame_of_a_faster_clip():
    clip = clip_from_array(np.zeros((9, 8, 8, 3), np.uint8), fps=60)
    result = Probe("seen", "1", "frames seen", (), _frames_seen, max_rate_hz=20).run(clip)
    assert result.metrics == {"frames": 3.0, "fps": 20.0}
    # Per-frame output lands on the clip's own frame numbers.
    assert result.series["time"] == [0.0, None, None, 0.05, None, None, 0.1, None, None]
    assert [shapes[0]["xy"][0] for shapes in result.overlay["frames"]] == [0.0] * 3 + [0.05] * 3 + [
        0.1
    ] * 3


def test_a_rate_limit_leaves_slower_clips_whole():
    clip = clip_from_array(np.zeros((9, 8, 8, 3), np.uint8), fps=24)
    result = Probe("seen", "1", "frames seen", (), _frames_seen, max_rate_hz=20).run(clip)
    assert result.metrics["frames"] == 9.0

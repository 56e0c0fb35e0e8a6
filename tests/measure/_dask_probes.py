"""A test-only probe that crashes its worker process, and a Dask plugin that registers it.

The probe looks at the clip it is given: a clip whose first frame is white (the marker
the test renders into a real video file) makes it end the worker process at once with
``os._exit``, as a segfault in native code would; any other clip gets a measurement.
The plugin puts the probe into the registry of every worker, those the nanny starts
again after a crash included, as a site's own probe would be installed there.
"""

from __future__ import annotations

import os

import numpy as np
from distributed.diagnostics.plugin import WorkerPlugin

from probepress.probes import PROBES
from probepress.probes.base import Metric, Probe, ProbeResult


def _measure(clip, **_params) -> ProbeResult:
    first = np.asarray(clip.gray[0])
    if first.mean() > 250:  # the marker: this clip "crashes native code"
        os._exit(17)
    brightness = float(first.mean())
    return ProbeResult("crash_on_white", "1", {"first_brightness": brightness}, {}, {}, {})


PROBE = Probe(
    name="crash_on_white",
    version="test-1",
    summary="Test only: ends its process on a clip whose first frame is white",
    metrics=(Metric("first_brightness", "gray level", "Mean luma of the first frame."),),
    measure=_measure,
)


class RegisterCrashProbe(WorkerPlugin):
    """Registers :data:`PROBE` in each worker's probe registry when the worker starts."""

    name = "probepress-test-crash-probe"

    def setup(self, worker) -> None:
        PROBES[PROBE.name] = PROBE

    def teardown(self, worker) -> None:
        PROBES.pop(PROBE.name, None)

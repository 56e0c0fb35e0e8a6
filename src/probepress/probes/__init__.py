"""The physics probes, one module each, registered by name in :data:`PROBES`.

>>> from probepress.probes import PROBES, get_probe
>>> get_probe("reflection").metric_names
('axis_y', 'symmetry', 'lag_frames', 'gain', 'velocity_ratio')
"""

from __future__ import annotations

import difflib

from probepress.probes import (
    camera,
    first_frame,
    flicker,
    gravity,
    motion,
    motion_mask,
    reflection,
    rotation,
    shadow,
)
from probepress.probes.base import Metric, Probe, ProbeError, ProbeFailure, ProbeResult

__all__ = [
    "PROBES",
    "Metric",
    "Probe",
    "ProbeError",
    "ProbeFailure",
    "ProbeResult",
    "UnknownProbeError",
    "get_probe",
]

#: Every probe by name, in the order tables and docs list them.
PROBES: dict[str, Probe] = {
    module.PROBE.name: module.PROBE
    for module in (
        rotation,
        reflection,
        shadow,
        gravity,
        motion,
        flicker,
        motion_mask,
        first_frame,
        camera,
    )
}


class UnknownProbeError(KeyError):
    """A probe name that is not registered; the message suggests the closest names."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)

    def __str__(self) -> str:
        close = difflib.get_close_matches(self.name, PROBES, n=2)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        return f"unknown probe {self.name!r}.{hint} Known probes: {', '.join(PROBES)}."


def get_probe(name: str) -> Probe:
    """The registered probe called ``name``.

    Raises
    ------
    UnknownProbeError
        If no probe has that name (the message lists the valid names).
    """
    try:
        return PROBES[name]
    except KeyError:
        raise UnknownProbeError(name) from None

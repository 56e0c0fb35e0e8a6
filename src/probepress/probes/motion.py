"""Placeholder until the motion probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the motion probe is not written yet")


PROBE = Probe(name="motion", version="0", summary="not written yet", metrics=(), measure=_measure)

"""Placeholder until the rotation probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the rotation probe is not written yet")


PROBE = Probe(name="rotation", version="0", summary="not written yet", metrics=(), measure=_measure)

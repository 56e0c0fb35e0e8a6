"""Placeholder until the shadow probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the shadow probe is not written yet")


PROBE = Probe(name="shadow", version="0", summary="not written yet", metrics=(), measure=_measure)

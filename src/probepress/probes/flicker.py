"""Placeholder until the flicker probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the flicker probe is not written yet")


PROBE = Probe(name="flicker", version="0", summary="not written yet", metrics=(), measure=_measure)

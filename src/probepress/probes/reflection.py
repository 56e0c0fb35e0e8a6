"""Placeholder until the reflection probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the reflection probe is not written yet")


PROBE = Probe(name="reflection", version="0", summary="not written yet", metrics=(), measure=_measure)

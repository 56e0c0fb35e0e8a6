"""Placeholder until the gravity probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the gravity probe is not written yet")


PROBE = Probe(name="gravity", version="0", summary="not written yet", metrics=(), measure=_measure)

"""Placeholder until the motion_mask probe lands (being written now); it always fails."""

from .base import Probe, ProbeError


def _measure(clip, **params):
    raise ProbeError("the motion_mask probe is not written yet")


PROBE = Probe(name="motion_mask", version="0", summary="not written yet", metrics=(), measure=_measure)

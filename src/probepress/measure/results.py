"""The measured values of one build, looked up the way posts name them.

Posts say ``train-lake/model-a : reflection.symmetry``; this module turns such a name
into a number, or into an error a writer can act on: an unknown clip, probe or metric
comes back with the closest valid names, a probe that could not measure with its reason.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from probepress.measure.manifest import ClipEntry, Manifest
from probepress.measure.ref import Ref
from probepress.measure.runner import ClipReport
from probepress.measure.selector import Selection, SelectorProblem, select_clips
from probepress.probes import PROBES
from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.video.decode import ClipInfo

__all__ = ["LookupProblem", "ResultSet"]


class LookupProblem(Exception):
    """A reference that names nothing measured; the message says what would."""


@dataclass
class ResultSet:
    """Probe outcomes of every clip of a build, by clip id."""

    manifest: Manifest
    reports: dict[str, ClipReport]

    def clip(self, clip_id: str) -> ClipEntry:
        """The manifest entry of ``clip_id``."""
        try:
            return self.manifest.clips[clip_id]
        except KeyError:
            raise LookupProblem(
                f"unknown clip {clip_id!r}{_suggest(clip_id, self.manifest.clips)}"
            ) from None

    def info(self, clip_id: str) -> ClipInfo:
        """Facts of the decoded clip (hash, fps, size)."""
        report = self.reports.get(self.clip(clip_id).id)
        if report is None or report.info is None:
            reason = report.error if report is not None else "it was not probed"
            raise LookupProblem(f"clip {clip_id!r} could not be read: {reason}")
        return report.info

    def outcome(self, clip_id: str, probe: str) -> ProbeResult | ProbeFailure:
        """The result (or failure) of ``probe`` on ``clip_id``."""
        entry = self.clip(clip_id)
        if probe not in PROBES:
            raise LookupProblem(f"unknown probe {probe!r}{_suggest(probe, PROBES)}")
        report = self.reports.get(entry.id)
        if report is None or probe not in report.results:
            raise LookupProblem(f"{probe} was not run on {clip_id!r}")
        return report.results[probe]

    def result(self, clip_id: str, probe: str) -> ProbeResult:
        """The successful result of ``probe`` on ``clip_id``; a failure is a problem."""
        outcome = self.outcome(clip_id, probe)
        if not outcome:
            raise LookupProblem(f"{probe} could not measure {clip_id!r}: {outcome.error}")
        return outcome

    def selection(self, name: str) -> Selection:
        """The clips a reference's clip part names: a clip id, a sample, an aggregate."""
        try:
            return select_clips(self.manifest, name)
        except SelectorProblem as problem:
            raise LookupProblem(str(problem)) from None

    def value(self, ref: Ref) -> float:
        """The measured value a reference names (combined over its clips if an aggregate)."""
        return self._value(ref, measured_only=False)

    def _value(self, ref: Ref, *, measured_only: bool) -> float:
        if ref.clip is None:
            raise LookupProblem(f"{ref} names no clip; write `clip : {ref}`")
        probe = PROBES.get(ref.probe)
        if probe is None:
            raise LookupProblem(f"unknown probe {ref.probe!r}{_suggest(ref.probe, PROBES)}")
        if ref.metric not in probe.metric_names:
            raise LookupProblem(
                f"{ref.probe} has no metric {ref.metric!r}"
                f"{_suggest(ref.metric, probe.metric_names)}"
            )
        selection = self.selection(ref.clip)
        values = []
        for clip_id in selection.clips:
            result = self.result(clip_id, ref.probe)
            reason = result.unmeasured_reason(ref.metric) if measured_only else None
            if reason is not None:
                shown = ref if clip_id == ref.clip else f"{ref} (its clip {clip_id})"
                raise LookupProblem(f"{shown} was not measured: {reason}")
            values.append(float(result.metrics[ref.metric]))
        try:
            return selection.combine(values)
        except SelectorProblem as problem:
            raise LookupProblem(f"{ref}: {problem}") from None

    def measured(self, ref: Ref) -> float:
        """The value a reference names, only if the probe measured it (claims, inline values).

        Raises
        ------
        LookupProblem
            As :meth:`value`, and for a metric the probe could not measure on this clip,
            with the probe's reason: such a number never supports a claim.
        """
        return self._value(ref, measured_only=True)


def _suggest(name: str, choices) -> str:
    close = difflib.get_close_matches(name, list(choices), n=2, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    listed = list(choices)
    return f"; known: {', '.join(listed[:12])}" + (" ..." if len(listed) > 12 else "")

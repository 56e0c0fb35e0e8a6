"""The contract every probe keeps: what it declares, what it returns, how it fails.

A probe module defines one :class:`Probe` named ``PROBE``. Its ``measure`` function
takes a decoded :class:`~probepress.video.decode.Clip` (and, for comparative probes, a
reference clip) and returns a :class:`ProbeResult`; when the clip gives it nothing to
measure (no stars, no water line) it raises :class:`ProbeError`, which
:meth:`Probe.run` turns into a falsy :class:`ProbeFailure` carrying the reason.

Validity is part of the result: a metric the probe could not measure on a clip it
otherwise measured is listed in :attr:`ProbeResult.unmeasured` with its reason (or is
NaN, which counts as unmeasured), and :meth:`ProbeResult.unmeasured_reason` says why.
Claims and inline values never use such a metric: they fail with that reason.

Overlay geometry is JSON-ready and in original-frame pixels. A shape is a dict with a
``kind`` and coordinates:

- ``{"kind": "line", "xy": [x1, y1, x2, y2]}``
- ``{"kind": "polyline", "xy": [[x, y], ...]}``
- ``{"kind": "circle", "xy": [x, y], "r": radius}``
- ``{"kind": "point", "xy": [x, y]}``

each optionally with a ``"label"``. An overlay is ``{"static": [shape, ...],
"frames": [[shape, ...] for each frame]}``; either part may be empty.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from probepress.video.decode import Clip

__all__ = [
    "Metric",
    "Probe",
    "ProbeError",
    "ProbeFailure",
    "ProbeResult",
    "series_list",
    "spread_frames",
]


class ProbeError(Exception):
    """Raised inside a probe when the clip offers nothing it can measure."""


@dataclass(frozen=True)
class Metric:
    """A scalar a probe reports: its name, unit and meaning (sign conventions included)."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class ProbeResult:
    """What a probe measured on one clip.

    Attributes
    ----------
    probe, version : str
        Which probe, and which version of its method, produced this.
    metrics : Mapping[str, float]
        Scalar results, named as in the probe's :class:`Metric` list.
    series : Mapping[str, list[float | None]]
        Per-frame values (index = frame number, ``None`` where undefined), for
        timelines.
    overlay : Mapping[str, Any]
        Geometry to draw over the frames (see module docstring).
    params : Mapping[str, Any]
        Parameters the probe ran with (they enter the cache key).
    unmeasured : Mapping[str, str]
        Metrics the probe could not measure on this clip, with the reason.
    """

    probe: str
    version: str
    metrics: Mapping[str, float]
    series: Mapping[str, list[float | None]] = field(default_factory=dict)
    overlay: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    unmeasured: Mapping[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return True

    def unmeasured_reason(self, metric: str) -> str | None:
        """Why ``metric`` holds no measurement, or ``None`` when it holds one.

        A metric listed in :attr:`unmeasured`, missing, or not a finite number is not a
        measurement, whatever number stands in for it.
        """
        if metric in self.unmeasured:
            return self.unmeasured[metric]
        if metric not in self.metrics:
            return f"{self.probe} reported no {metric}"
        if not math.isfinite(float(self.metrics[metric])):
            return f"{self.probe} could not measure {metric} (no finite value)"
        return None

    @property
    def error(self) -> None:
        """Always ``None``: a result is a success (mirrors :attr:`ProbeFailure.error`)."""
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (NaN and infinities become ``None``)."""
        return {
            "probe": self.probe,
            "version": self.version,
            "metrics": {k: _finite_or_none(v) for k, v in self.metrics.items()},
            "series": {k: list(v) for k, v in self.series.items()},
            "overlay": dict(self.overlay),
            "params": dict(self.params),
            "unmeasured": dict(self.unmeasured),
            "error": None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProbeResult:
        """Rebuild a result from :meth:`to_dict` output."""
        metrics = {k: (math.nan if v is None else float(v)) for k, v in data["metrics"].items()}
        return cls(
            probe=data["probe"],
            version=data["version"],
            metrics=metrics,
            series=data.get("series", {}),
            overlay=data.get("overlay", {}),
            params=data.get("params", {}),
            unmeasured=data.get("unmeasured", {}),
        )


@dataclass(frozen=True)
class ProbeFailure:
    """A probe that could not measure: falsy, with the reason."""

    probe: str
    version: str
    reason: str

    def __bool__(self) -> bool:
        return False

    @property
    def error(self) -> str:
        """The reason, under the name the JSON output uses."""
        return self.reason

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict in the same shape as a result's, with ``error`` set."""
        return {
            "probe": self.probe,
            "version": self.version,
            "metrics": {},
            "series": {},
            "overlay": {},
            "params": {},
            "error": self.reason,
        }


Measure = Callable[..., ProbeResult]


@dataclass(frozen=True)
class Probe:
    """A registered probe.

    Attributes
    ----------
    name : str
        Registry name, used in posts (``reflection.symmetry``).
    version : str
        Bumped whenever the method changes a number; part of the cache key.
    summary : str
        One line for tables and docs.
    metrics : tuple[Metric, ...]
        Every scalar the probe reports.
    measure : Callable
        ``measure(clip, *, reference=None, **params) -> ProbeResult``.
    needs_reference : bool
        Whether the probe compares the clip with a reference clip.
    defaults : Mapping[str, Any]
        Default parameters (they enter the cache key).
    needs_colour : bool
        Whether the probe reads ``clip.rgb``; a clip is decoded to RGB only when one
        of its probes does (every probe gets ``clip.gray``).
    needs_input : bool
        Whether the probe compares the clip with its scene's input image (the still an
        image-to-video model was given); it is then called with ``image=``, ``(H, W, 3)``
        uint8 RGB at the image's own size.
    max_rate_hz : float or None
        For a probe that does not need every frame: the most frames a second it
        reads. A faster clip is given every ``k``-th frame (``k = floor(fps /
        max_rate_hz)``); its per-frame series come back at the clip's frame numbers
        (``None`` between), its overlay shapes held until the next measured frame.
    """

    name: str
    version: str
    summary: str
    metrics: tuple[Metric, ...]
    measure: Measure
    needs_reference: bool = False
    defaults: Mapping[str, Any] = field(default_factory=dict)
    needs_colour: bool = False
    max_rate_hz: float | None = None
    needs_input: bool = False

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Names of the scalar metrics, in declaration order."""
        return tuple(m.name for m in self.metrics)

    def run(
        self,
        clip: Clip,
        *,
        reference: Clip | None = None,
        input_image: np.ndarray | None = None,
        **params: Any,
    ) -> ProbeResult | ProbeFailure:
        """Measure ``clip``; a :class:`ProbeError` becomes a :class:`ProbeFailure`."""
        if self.needs_reference and reference is None:
            return ProbeFailure(self.name, self.version, "needs a reference clip")
        if self.needs_input and input_image is None:
            return ProbeFailure(self.name, self.version, "needs the scene's input image")
        merged = {**self.defaults, **params}
        step = self.stride_for(clip)
        try:
            # On degenerate input numpy warns ("Mean of empty slice", "invalid value")
            # and yields NaN; a probe turns NaN into a failure or an undefined metric
            # that the build reports against the clip, so the warning is only noise on
            # stderr, printed from a worker without saying which clip.
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                if self.needs_reference:
                    result = self.measure(clip, reference=reference, **merged)
                elif self.needs_input:
                    result = self.measure(clip.every_nth(step), image=input_image, **merged)
                else:
                    result = self.measure(clip.every_nth(step), **merged)
        except ProbeError as error:
            return ProbeFailure(self.name, self.version, str(error))
        if step > 1:
            result = spread_frames(result, step, len(clip.gray))
        # The registered name and version are the ones the cache keys and claims cite;
        # stamping them here keeps a module's own copy from drifting out of step.
        return replace(result, probe=self.name, version=self.version)

    def stride_for(self, clip: Clip) -> int:
        """Frames between the frames this probe reads of ``clip`` (1: every frame)."""
        if self.max_rate_hz is None or self.needs_reference:
            return 1
        return max(1, int(clip.fps // self.max_rate_hz))


def spread_frames(result: ProbeResult, step: int, frames: int) -> ProbeResult:
    """A result measured on every ``step``-th frame, put back on all ``frames`` frames."""
    series = {}
    for name, values in result.series.items():
        full: list[float | None] = [None] * frames
        full[::step] = list(values)[: len(full[::step])]
        series[name] = full
    overlay = dict(result.overlay)
    if overlay.get("frames"):
        # Held until the next measured frame: shapes do not blink on and off in a player.
        overlay["frames"] = [overlay["frames"][min(t // step, len(overlay["frames"]) - 1)]
                             for t in range(frames)]  # fmt: skip
    return replace(result, series=series, overlay=overlay)


def series_list(values: Sequence[float] | np.ndarray) -> list[float | None]:
    """A per-frame series as a JSON-ready list, rounded, with NaN as ``None``."""
    return [_finite_or_none(round(float(v), 6)) for v in values]


def _finite_or_none(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None

"""Scene and variant descriptions for the synthetic clips.

A :class:`Scene` is one prompt (e.g. a train crossing a lake) rendered as several
:class:`Variant` clips: exactly one ``reference`` with correct physics and a few
"model" clips, each with one controlled, labelled violation. The ground truth a
variant states is the value a perfect probe would measure on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

#: Probe metrics a ground truth may state ("probe.metric"); units and signs as in
#: the probes' API: px of the original frame, x right, y down, angles + = CCW on screen.
GROUND_TRUTH_METRICS = frozenset(
    {
        "rotation.angular_velocity_deg_s",
        "rotation.center_x",
        "rotation.center_y",
        "reflection.axis_y",
        "reflection.lag_frames",
        "reflection.gain",
        "reflection.velocity_ratio",
        "shadow.sweep_rate_deg_s",
        "gravity.acceleration_px_s2",
    }
)

#: A renderer: seed -> RGB uint8 frames of shape (height, width, 3), one per frame.
Renderer = Callable[[int], Iterator[np.ndarray]]


@dataclass(frozen=True)
class Variant:
    """One clip of a scene.

    Attributes
    ----------
    name : str
        File stem, ``"reference"`` or ``"model-a"`` ... .
    model : str
        Label shown on the site, ``"Reference"`` or ``"Model A"`` ... .
    violation : str or None
        One-line plain-English description of the physics error; None for the reference.
    render : Renderer
        ``render(seed)`` yields the frames.
    ground_truth : mapping of str to float
        ``"probe.metric" -> value`` for every metric the clip truly has.
    version : str or None
        The model version it stands for (None: the synth version, see ``synth``).
    sample : int
        Which take of that model version in this scene (1, 2, ...).
    """

    name: str
    model: str
    violation: str | None
    render: Renderer = field(repr=False, compare=False)
    ground_truth: Mapping[str, float] = field(default_factory=dict, hash=False)
    version: str | None = None
    sample: int = 1

    def __post_init__(self) -> None:
        unknown = set(self.ground_truth) - GROUND_TRUTH_METRICS
        if unknown:
            raise ValueError(
                f"variant {self.name!r}: unknown ground-truth metrics "
                f"{sorted(unknown)}; valid: {sorted(GROUND_TRUTH_METRICS)}"
            )
        if (self.violation is None) != (self.name == "reference"):
            raise ValueError(f"variant {self.name!r}: only the reference has no violation")


@dataclass(frozen=True)
class Scene:
    """A synthetic scene: what it shows, which probes apply and its variants.

    Attributes
    ----------
    name : str
        Directory name of its clips, e.g. ``"train-lake"``.
    title : str
        Human title.
    prompt : str
        One sentence describing the clip, phrased as the prompt a model was given.
    description : str
        The exact physics of the reference and where to find it in the frame.
    probes : tuple of str
        Probes that apply to this scene.
    variants : mapping of str to Variant
        Keyed by variant name; exactly one is ``"reference"``.
    width, height : int
        Frame size in px (even, for yuv420p).
    fps : int
        Frames per second.
    seconds : float
        Duration; frame ``k`` is sampled at time ``t = k / fps``.
    """

    name: str
    title: str
    prompt: str
    description: str
    probes: tuple[str, ...]
    variants: Mapping[str, Variant] = field(hash=False)
    width: int = 640
    height: int = 360
    fps: int = 24
    seconds: float = 6.0

    def __post_init__(self) -> None:
        if "reference" not in self.variants:
            raise ValueError(f"scene {self.name!r} has no reference variant")
        for key, variant in self.variants.items():
            if key != variant.name:
                raise ValueError(f"scene {self.name!r}: variant key {key!r} != {variant.name!r}")
        if self.width % 2 or self.height % 2:
            raise ValueError(f"scene {self.name!r}: width and height must be even")

    @property
    def n_frames(self) -> int:
        """Number of frames, ``fps * seconds``."""
        return int(round(self.fps * self.seconds))

    def times(self) -> np.ndarray:
        """Sample time of every frame in seconds, shape ``(n_frames,)``."""
        return np.arange(self.n_frames, dtype=np.float64) / self.fps

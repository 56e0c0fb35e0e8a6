"""Which clips a reference names: one clip, one sample, one version, or an aggregate.

The part of a reference before ``:`` selects clips::

    ball-drop/model-a              the clip file ball-drop/model-a.mp4 (as always)
    ball-drop/model-a#2            sample 2 of Model A in scene ball-drop (latest version)
    ball-drop/model-a@v1           Model A's version v1 there (which must have one sample)
    ball-drop/model-a@v1#2         sample 2 of v1
    mean(ball-drop/model-a)        the mean over the samples of the latest version
    sd(ball-drop/model-a@v1)       their standard deviation (also min, max)

After the scene comes the model, by its name as a slug (``Model A`` is ``model-a``) or
as written (in double quotes when it holds spaces: ``"ball-drop/Model A@v2"``). A name
that is a clip id always means that clip, so every existing reference keeps its
meaning; ``@``, ``#`` or an aggregate always select by scene, model, version and sample.
Without ``@`` the model's latest version in the scene is meant (release order, see
``measure.model_versions``).
"""

from __future__ import annotations

import difflib
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from probepress.measure.manifest import ClipEntry, Manifest

__all__ = [
    "AGGREGATES",
    "SELECTOR_PATTERN",
    "Selection",
    "SelectorProblem",
    "model_slug",
    "select_clips",
]

AGGREGATES: dict[str, Callable[[Sequence[float]], float]] = {
    "mean": statistics.fmean,
    "min": min,
    "max": max,
    "sd": statistics.stdev,  # the sample standard deviation (n - 1): samples of a model
}
#: A regular expression for the clip part of a reference as written in a page: quoted,
#: an aggregate ``mean(...)``, or a bare id with optional ``@version`` and ``#sample``.
SELECTOR_PATTERN = r'"[^"\n]+"|[a-z]+\([^()|:"\n]+\)|[\w./@#-]+'
_AGGREGATE = re.compile(r"^(?P<name>[a-z]+)\((?P<inner>.+)\)$")
_TAIL = re.compile(r"^(?P<group>.+?)(?:@(?P<version>[^@#]+))?(?:#(?P<sample>[^@#]*))?$")


class SelectorProblem(LookupError):
    """A reference that selects no clip; the message says what would."""


@dataclass(frozen=True)
class Selection:
    """The clips a reference names and how their values combine (None: a single clip)."""

    clips: tuple[str, ...]
    aggregate: str | None = None

    def combine(self, values: Sequence[float]) -> float:
        """One number from the clips' values, in the order of :attr:`clips`."""
        if self.aggregate is None:
            return values[0]
        if self.aggregate == "sd" and len(values) < 2:
            raise SelectorProblem(
                "sd needs at least two samples; this selection holds one (use the value itself)"
            )
        finite = [v for v in values if math.isfinite(v)]
        return AGGREGATES[self.aggregate](finite) if len(finite) == len(values) else math.nan


def model_slug(model: str) -> str:
    """``Model A`` -> ``model-a``: how a reference names a model without quotes."""
    return re.sub(r"[^a-z0-9]+", "-", model.lower()).strip("-")


def select_clips(manifest: Manifest, name: str) -> Selection:
    """The clips ``name`` selects (see the module docstring).

    Raises
    ------
    SelectorProblem
        For an unknown scene, model, version, sample or aggregate, with the valid names,
        or a name that selects several samples without saying which or how to combine.
    """
    name = name.removesuffix(".mp4")
    if name in manifest.clips:
        return Selection((name,))
    aggregate = None
    match = _AGGREGATE.match(name)
    if match:
        aggregate, name = match.group("name"), match.group("inner").strip()
        if aggregate not in AGGREGATES:
            raise SelectorProblem(
                f"unknown aggregate {aggregate!r}{_suggest(aggregate, AGGREGATES)}"
            )
    tail = _TAIL.match(name)
    if tail is None:
        raise SelectorProblem(f"unknown clip {name!r}{_suggest(name, manifest.clips)}")
    group, version, sample = tail.group("group", "version", "sample")
    try:
        clips = _clips_of_model(manifest, group)
    except SelectorProblem:
        if aggregate is None and version is None and sample is None:
            # Written as a clip id: suggest clip ids, as references always did.
            close = _suggest(name, manifest.clips, cutoff=0.6)
            raise SelectorProblem(f"unknown clip {name!r}{close}") from None
        raise
    versions = list(dict.fromkeys(c.model_version for c in clips))
    order = manifest.versions_of(clips[0].model)
    versions.sort(key=order.index)
    if version is None:
        version = versions[-1]
    elif version not in versions:
        if versions == [""]:
            raise SelectorProblem(
                f"{group!r} has no version {version!r}: its clips give no `model_version` "
                "in the manifest"
            )
        raise SelectorProblem(
            f"{group!r} has no version {version!r} in its scene{_suggest(version, versions)}"
        )
    clips = [c for c in clips if c.model_version == version]
    said = f"{group}@{version}" if version else group
    if sample is not None:
        if aggregate is not None:
            raise SelectorProblem(f"{aggregate}(...) combines samples: drop the #{sample}")
        numbers = [str(c.sample) for c in clips]
        if sample not in numbers:
            raise SelectorProblem(
                f"{said!r} has no sample #{sample}; its samples are "
                + ", ".join(f"#{n}" for n in numbers)
            )
        clips = [c for c in clips if str(c.sample) == sample]
    if aggregate is None and len(clips) > 1:
        raise SelectorProblem(
            f"{said!r} holds {len(clips)} samples; name one ({said}#1) or combine them "
            f"(mean({said}), sd, min, max)"
        )
    return Selection(tuple(c.id for c in clips), aggregate)


def _clips_of_model(manifest: Manifest, group: str) -> list[ClipEntry]:
    """The clips of ``scene/model``, the scene found by its name and the model by its slug."""
    scenes = sorted((s for s in manifest.scenes if group.startswith(s + "/")), key=len)
    if not scenes:
        guess = group.split("/", 1)[0]
        raise SelectorProblem(
            f"unknown clip {group!r}: no clip has that id and no scene is called "
            f"{guess!r}{_suggest(guess, manifest.scenes)}"
        )
    scene = scenes[-1]
    wanted = group[len(scene) + 1 :]
    in_scene = manifest.clips_of(scene)
    clips = [c for c in in_scene if wanted in (c.model, model_slug(c.model))]
    if not clips:
        slugs = list(dict.fromkeys(model_slug(c.model) for c in in_scene))
        raise SelectorProblem(f"scene {scene!r} has no model {wanted!r}{_suggest(wanted, slugs)}")
    return clips


def _suggest(name: str, choices, *, cutoff: float = 0.5) -> str:
    """``; did you mean ...?`` or the known names (short names need a looser cutoff)."""
    listed = list(choices)
    close = difflib.get_close_matches(name, listed, n=2, cutoff=cutoff)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"; known: {', '.join(listed[:12])}" + (" ..." if len(listed) > 12 else "")

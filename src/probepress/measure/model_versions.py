"""Models, their versions and release dates, and the samples each clip is one of.

A manifest may list its models under a top-level ``models:`` key, each version with the
date it was released, so that a post can compare a model with its earlier self and a
chart can put versions in the order they came out::

    models:
      Model A:
        versions:
          v1: {released: 2026-06-01}
          v2: {released: 2026-11-01, notes: the physics update}

A clip names its ``model``, its ``model_version`` and, when a model was asked for several
takes of one scene, its ``sample`` (1, 2, ...; 1 when not given). No two clips may share
scene, model, version and sample: the leaderboard and every reference would have to
pick one of them and silently drop the other.

Without ``models:`` (or for a model it does not list) versions are ordered as the
manifest first mentions them, and any version name is accepted.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "ModelEntry",
    "VersionEntry",
    "check_clip_versions",
    "check_unique_samples",
    "load_models",
    "take_label",
    "versions_in_order",
]


@dataclass(frozen=True)
class VersionEntry:
    """One released version of a model."""

    name: str
    released: datetime.date
    notes: str = ""
    line: int = 0


@dataclass(frozen=True)
class ModelEntry:
    """A model and its versions, oldest first."""

    name: str
    versions: Mapping[str, VersionEntry] = field(default_factory=dict)
    notes: str = ""
    line: int = 0


class _Clip(Protocol):
    """What these checks read of a clip entry (``manifest.ClipEntry``)."""

    file: str
    scene: str
    model: str
    model_version: str
    sample: int
    line: int


_MODEL_KEYS = ("versions", "notes")
_VERSION_KEYS = ("released", "notes")


def load_models(raw: Any, shown: str, problems: list[str]) -> dict[str, ModelEntry]:
    """The ``models:`` section, each problem reported as ``file:line: what to do``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(
            f"{shown}:{_line_of(raw)}: `models:` must map each model name to its `versions:`"
        )
        return {}
    models = {}
    for name, entry in raw.items():
        where = f"{shown}:{_key_line(raw, name)}: model {name!r}"
        if not isinstance(entry, dict) or not isinstance(entry.get("versions"), dict):
            problems.append(
                f"{where}: expected `versions:` mapping each version to its release date, "
                "e.g. `versions: {v1: {released: 2026-06-01}}`"
            )
            continue
        _unknown_keys(entry, _MODEL_KEYS, where, problems)
        versions = {}
        for version, details in entry["versions"].items():
            at = f"{shown}:{_key_line(entry['versions'], version)}: model {name!r} version "
            at += repr(str(version))
            released = _release_date(details, at, problems)
            if released is None:
                continue
            _unknown_keys(details, _VERSION_KEYS, at, problems)
            versions[str(version)] = VersionEntry(
                name=str(version),
                released=released,
                notes=str(details.get("notes") or ""),
                line=_key_line(entry["versions"], version),
            )
        ordered = dict(sorted(versions.items(), key=lambda item: item[1].released))
        models[str(name)] = ModelEntry(
            name=str(name),
            versions=ordered,
            notes=str(entry.get("notes") or ""),
            line=_key_line(raw, name),
        )
    return models


def check_clip_versions(
    clips: Iterable[_Clip], models: Mapping[str, ModelEntry], shown: str, problems: list[str]
) -> None:
    """Every clip of a listed model names one of its listed versions."""
    for clip in clips:
        model = models.get(clip.model)
        if model is None or not model.versions:
            continue
        where = f"{shown}:{clip.line}: clip {clip.file!r}"
        listed = ", ".join(model.versions)
        if not clip.model_version:
            problems.append(
                f"{where}: `models:` lists the versions of {clip.model!r}; give this clip "
                f"`model_version:` (one of {listed})"
            )
        elif clip.model_version not in model.versions:
            # Version names are short ("v1", "v2"): a looser cutoff than for long names.
            close = difflib.get_close_matches(
                clip.model_version, list(model.versions), n=1, cutoff=0.5
            )
            hint = f"did you mean {close[0]!r}?" if close else f"listed: {listed}"
            problems.append(
                f"{where}: model_version {clip.model_version!r} is not listed under "
                f"`models: {clip.model}: versions:`; {hint} (or add it with its `released:` date)"
            )


def check_unique_samples(clips: Iterable[_Clip], shown: str, problems: list[str]) -> None:
    """No two clips share scene, model, version and sample; both lines are named."""
    first: dict[tuple[str, str, str, int], _Clip] = {}
    for clip in clips:
        key = (clip.scene, clip.model, clip.model_version, clip.sample)
        other = first.setdefault(key, clip)
        if other is clip:
            continue
        version = f" {clip.model_version}" if clip.model_version else ""
        problems.append(
            f"{shown}:{clip.line}: clips {clip.file!r} (line {clip.line}) and {other.file!r} "
            f"(line {other.line}) are both sample {clip.sample} of {clip.model}{version} in "
            f"scene {clip.scene!r}; number the takes with `sample: 1`, `sample: 2`, ... "
            "(or give each its own `model_version`)"
        )


def versions_in_order(
    model: str, clips: Iterable[_Clip], models: Mapping[str, ModelEntry]
) -> list[str]:
    """The versions of ``model`` that have clips, oldest first.

    By release date when ``models:`` dates them; otherwise in the order the manifest
    first mentions them.
    """
    seen = list(dict.fromkeys(c.model_version for c in clips if c.model == model))
    listed = models.get(model)
    if listed is None or not listed.versions:
        return seen
    order = list(listed.versions)
    return sorted(seen, key=lambda v: order.index(v) if v in order else len(order))


def take_label(clip: _Clip, among: Iterable[_Clip]) -> str:
    """The clip's model as a page names it beside ``among`` (the clips shown with it).

    ``Model A``, with its version when another version of the model is among them
    (``Model A v2``) and its sample when another take of that version is
    (``Model A v1 #2``), so that no two clips of one comparison share a label.
    """
    same_model = [c for c in among if c.model == clip.model]
    label = clip.model
    if any(c.model_version != clip.model_version for c in same_model) and clip.model_version:
        label += f" {clip.model_version}"
    if any(c.model_version == clip.model_version and c.sample != clip.sample for c in same_model):
        label += f" #{clip.sample}"
    return label


def _release_date(details: Any, where: str, problems: list[str]) -> datetime.date | None:
    released = details.get("released") if isinstance(details, dict) else None
    if isinstance(released, datetime.datetime):
        return released.date()
    if isinstance(released, datetime.date):
        return released
    if isinstance(released, str):
        try:
            return datetime.date.fromisoformat(released.strip())
        except ValueError:
            pass
    found = "no `released:` date" if released is None else f"`released: {released}`"
    problems.append(
        f"{where}: {found}; give the date it was released as YYYY-MM-DD, "
        "e.g. `v2: {released: 2026-11-01}`"
    )
    return None


def _unknown_keys(entry: dict, allowed: tuple[str, ...], where: str, problems: list[str]) -> None:
    for key in sorted(set(entry) - set(allowed), key=str):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(allowed)})")


def _key_line(mapping: Any, key: Any) -> int:
    return getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", 0))


def _line_of(value: Any) -> int:
    return getattr(value, "line", 0)

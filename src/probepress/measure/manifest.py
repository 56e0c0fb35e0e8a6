"""The clip manifest, ``assets/clips/clips.yml``: scenes, clips and their provenance.

A *scene* is one prompt or input given to several models; a *clip* is one model's
output for a scene, identified by its path under the clips folder without the
extension (``train-lake/model-a``). Loading validates everything a build relies on
and reports each problem with the file, line and entry, and what to do about it.

Example
-------
.. code-block:: yaml

    scenes:
      train-lake:
        title: A train crosses a lake
        prompt: A freight train crosses in front of hills, mirrored in a still lake.
        input: {image: train-lake/input.png}   # image-to-video (see scene_input)
        probes: [reflection, motion, flicker]
        reference: train-lake/reference.mp4
    clips:
      - file: train-lake/model-a.mp4
        scene: train-lake
        model: Model A
        model_version: "2026-11"
        source: generated from the prompt above
        license: CC-BY-4.0
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from probepress.measure.manifest_schema import (
    CLIP_FIELDS,
    SCENE_FIELDS,
    YamlRefused,
    check_fields,
    read_yaml,
    without_nulls,
)
from probepress.measure.model_versions import (
    ModelEntry,
    check_clip_versions,
    check_unique_samples,
    load_models,
    versions_in_order,
)
from probepress.measure.scene_input import InputImage, read_scene_input
from probepress.probes import PROBES

__all__ = ["ClipEntry", "Manifest", "ManifestError", "SceneEntry", "clip_id", "load_manifest"]

VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mov", ".mkv", ".m4v"})
# The keys each entry allows and their types: manifest_schema.CLIP_FIELDS, SCENE_FIELDS.
_CLIP_REQUIRED = ("file", "scene", "model")
_SCENE_REQUIRED = ("title", "probes")
# A value that starts like a URL ("scheme:" and no space) must be an http(s) one: a
# page links only those, and a `javascript:` or `data:` source is a mistake or an attack.
_URL_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):(?=\S)")
_LINK_KEYS = ("source", "license")


class ManifestError(Exception):
    """One or more problems in the manifest, each naming file, line and entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class SceneEntry:
    """One prompt or input, given to several models."""

    name: str
    title: str
    probes: tuple[str, ...]
    prompt: str = ""
    reference: str | None = None  # clip id of the clip with correct physics
    synthetic: bool = False
    ground_truth: Mapping[str, float] = field(default_factory=dict)
    notes: str = ""
    line: int = 0
    #: The still its clips were generated from (image-to-video); see ``scene_input``.
    input_image: InputImage | None = None


@dataclass(frozen=True)
class ClipEntry:
    """One clip and where it came from."""

    id: str
    file: str  # relative to the clips folder, POSIX separators
    path: Path
    scene: str
    model: str
    model_version: str = ""
    sample: int = 1  # which take of this model, version and scene (1, 2, ...)
    source: str = ""
    license: str = ""
    notes: str = ""
    synthetic: bool = False
    violation: str | None = None
    ground_truth: Mapping[str, float] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Manifest:
    """A validated manifest."""

    path: Path
    clips_dir: Path
    scenes: Mapping[str, SceneEntry]
    clips: Mapping[str, ClipEntry]  # by clip id, in file order
    models: Mapping[str, ModelEntry] = field(default_factory=dict)  # `models:`, dated versions

    def clips_of(self, scene: str) -> list[ClipEntry]:
        """The clips of ``scene``, in manifest order."""
        return [clip for clip in self.clips.values() if clip.scene == scene]

    def versions_of(self, model: str) -> list[str]:
        """The versions of ``model`` that have clips, oldest first (see model_versions)."""
        return versions_in_order(model, self.clips.values(), self.models)


def clip_id(file: str) -> str:
    """The id of a clip file: its path under the clips folder without the suffix."""
    return str(PurePosixPath(file).with_suffix(""))


def load_manifest(path: Path, clips_dir: Path | None = None) -> Manifest:
    """Read and validate a manifest.

    Parameters
    ----------
    path : Path
        The YAML file.
    clips_dir : Path, optional
        Folder the clip paths are relative to; defaults to the manifest's folder.

    Raises
    ------
    ManifestError
        Listing every problem found, each as ``file:line: entry: what is wrong``.
    """
    clips_dir = (clips_dir or path.parent).resolve()
    shown = _shown(path)
    try:
        data, duplicates = read_yaml(path)
    except FileNotFoundError:
        raise ManifestError(
            [f"{shown}: manifest not found; create it (see the authoring guide)"]
        ) from None
    except YamlRefused as refused:
        where = f"{shown}:{refused.line}" if refused.line else shown
        raise ManifestError([f"{where}: {refused.message}"]) from None
    problems = [f"{shown}:{line}: {message}" for line, message in duplicates]
    if not isinstance(data, dict):
        raise ManifestError([f"{shown}: expected a mapping with `scenes:` and `clips:`"])
    for key in sorted(set(data) - {"scenes", "clips", "models"}, key=str):
        problems.append(
            f"{shown}:{_line(data, key)}: unknown top-level key {key!r} "
            "(allowed: clips, models, scenes)"
        )
    raw_scenes = data.get("scenes") or {}
    scenes = _load_scenes(raw_scenes, shown, clips_dir, problems)
    # Scenes rejected for a bad field still exist: their clips are not "unknown scene".
    scene_names = set(raw_scenes) if isinstance(raw_scenes, dict) else set()
    clips = _load_clips(data.get("clips") or [], shown, clips_dir, scenes, scene_names, problems)
    models = load_models(data.get("models"), shown, problems)
    check_clip_versions(clips.values(), models, shown, problems)
    check_unique_samples(clips.values(), shown, problems)
    listed = _listed_clip_ids(data.get("clips"))
    for scene in scenes.values():
        # A reference rejected above for its own fault is not reported again here.
        if scene.reference is not None and scene.reference not in listed:
            problems.append(
                f"{shown}:{scene.line}: scene {scene.name!r}: reference "
                f"{scene.reference!r} is not one of the clips listed under `clips:`"
            )
    if problems:
        raise ManifestError(problems)
    return Manifest(path=path, clips_dir=clips_dir, scenes=scenes, clips=clips, models=models)


def _load_scenes(
    raw: Any, shown: str, clips_dir: Path, problems: list[str]
) -> dict[str, SceneEntry]:
    if not isinstance(raw, dict):
        problems.append(f"{shown}: `scenes:` must be a mapping of scene name to settings")
        return {}
    scenes = {}
    for name, entry in raw.items():
        where = f"{shown}:{_line(raw, name)}: scene {name!r}"
        if not isinstance(name, str):
            problems.append(f"{where}: a scene name must be text; quote it ('{name}')")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping with {', '.join(_SCENE_REQUIRED)}")
            continue
        if not check_fields(
            entry, SCENE_FIELDS, _SCENE_REQUIRED, shown, f"scene {name!r}", problems
        ):
            continue
        entry = without_nulls(entry)
        probes = entry["probes"]
        if not all(isinstance(p, str) for p in probes):
            problems.append(f"{where}: `probes` must be a list of probe names")
            continue
        for probe in probes:
            if probe not in PROBES:
                problems.append(f"{where}: unknown probe {probe!r}{_did_you_mean(probe)}")
        reference = entry.get("reference")
        image, prompt = read_scene_input(entry, shown, clips_dir, f"scene {name!r}", problems)
        scenes[name] = SceneEntry(
            name=name,
            title=str(entry["title"]),
            probes=tuple(probes),
            prompt=prompt,
            reference=clip_id(reference) if reference else None,
            synthetic=bool(entry.get("synthetic", False)),
            ground_truth=_ground_truth(entry.get("ground_truth"), where, problems),
            notes=str(entry.get("notes", "")),
            line=_line(raw, name),
            input_image=image,
        )
    return scenes


def _load_clips(
    raw: Any,
    shown: str,
    clips_dir: Path,
    scenes: dict[str, SceneEntry],
    scene_names: set,
    problems: list[str],
) -> dict[str, ClipEntry]:
    if not isinstance(raw, list):
        problems.append(f"{shown}: `clips:` must be a list of clip entries")
        return {}
    clips: dict[str, ClipEntry] = {}
    for index, entry in enumerate(raw):
        line = getattr(entry, "line", 0) or raw.item_lines[index]
        label = f"clip #{index + 1}"
        if not isinstance(entry, dict):
            where = f"{shown}:{line}: {label}"
            problems.append(f"{where}: expected a mapping with {', '.join(_CLIP_REQUIRED)}")
            continue
        if isinstance(entry.get("file"), str):
            label = f"clip {entry['file']!r}"
        where = f"{shown}:{line}: {label}"
        if not check_fields(entry, CLIP_FIELDS, _CLIP_REQUIRED, shown, label, problems):
            continue
        entry = without_nulls(entry)
        file = str(entry["file"])
        path = _resolve_clip_path(file, clips_dir, where, problems)
        if path is None:
            continue
        ident = clip_id(file)
        if ident in clips:
            problems.append(
                f"{where}: duplicate clip id {ident!r} (also at line {clips[ident].line}); "
                "give each clip its own file name"
            )
            continue
        for key in _LINK_KEYS:
            # Named at the key's own line: a clip entry spans several.
            at = where.replace(f"{shown}:{line}:", f"{shown}:{_line(entry, key)}:", 1)
            _check_link(entry.get(key), key, at, problems)
        if entry["scene"] not in scenes and entry["scene"] not in scene_names:
            known = ", ".join(scenes) or "none defined"
            problems.append(
                f"{where}: unknown scene {entry['scene']!r}; add it under `scenes:` "
                f"(known: {known})"
            )
        sample = entry.get("sample", 1)
        if sample < 1:
            problems.append(f"{where}: `sample` must be 1 or more (the first take is 1)")
        clips[ident] = ClipEntry(
            id=ident,
            file=file,
            path=path,
            scene=str(entry["scene"]),
            model=str(entry["model"]),
            model_version=str(entry.get("model_version", "")),
            sample=int(sample),
            source=str(entry.get("source", "")),
            license=str(entry.get("license", "")),
            notes=str(entry.get("notes", "")),
            synthetic=bool(entry.get("synthetic", False)),
            violation=str(entry["violation"]) if "violation" in entry else None,
            ground_truth=_ground_truth(entry.get("ground_truth"), where, problems),
            line=line,
        )
    return clips


def _listed_clip_ids(raw: Any) -> set[str]:
    """The ids of every clip entry that names a file, valid or not."""
    if not isinstance(raw, list):
        return set()
    return {
        clip_id(entry["file"])
        for entry in raw
        if isinstance(entry, dict) and isinstance(entry.get("file"), str)
    }


def _resolve_clip_path(file: str, clips_dir: Path, where: str, problems: list[str]) -> Path | None:
    relative = PurePosixPath(file)
    path = (clips_dir / relative).resolve()
    if relative.is_absolute() or not path.is_relative_to(clips_dir):
        problems.append(f"{where}: path escapes the clips folder; give a path inside {clips_dir}")
        return None
    if relative.suffix.lower() not in VIDEO_SUFFIXES:
        problems.append(
            f"{where}: not a video file name (expected one of {', '.join(sorted(VIDEO_SUFFIXES))})"
        )
        return None
    if not path.is_file():
        problems.append(
            f"{where}: file not found at {path}; add the file or fix the path "
            "(for the demo clips run `probepress synth`)"
        )
        return None
    return path


def _check_link(value: Any, key: str, where: str, problems: list[str]) -> None:
    """A URL-like ``value`` must use http or https (plain text is fine)."""
    match = _URL_SCHEME.match(str(value or ""))
    if match and match.group(1).lower() not in ("http", "https"):
        problems.append(
            f"{where}: `{key}` is a {match.group(1)}: URL; write an http:// or https:// "
            "link, or plain text"
        )


def _ground_truth(raw: Any, where: str, problems: list[str]) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(f"{where}: `ground_truth` must map 'probe.metric' to a number")
        return {}
    truth = {}
    for key, value in raw.items():
        probe, _, metric = str(key).partition(".")
        if probe not in PROBES or metric not in PROBES[probe].metric_names:
            problems.append(f"{where}: ground_truth names unknown metric {key!r}")
        elif not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"{where}: ground_truth {key!r} must be a number, got {value!r}")
        else:
            truth[str(key)] = float(value)
    return truth


def _did_you_mean(name: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, PROBES, n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(PROBES)}"


def _line(mapping: Any, key: Any) -> int:
    return getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", 0))


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)

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

import yaml

from probepress.probes import PROBES

__all__ = ["ClipEntry", "Manifest", "ManifestError", "SceneEntry", "clip_id", "load_manifest"]

VIDEO_SUFFIXES = frozenset({".mp4", ".webm", ".mov", ".mkv", ".m4v"})
_CLIP_KEYS = {
    "file", "scene", "model", "model_version", "source", "license", "notes",
    "synthetic", "violation", "ground_truth",
}  # fmt: skip
_CLIP_REQUIRED = ("file", "scene", "model")
_SCENE_KEYS = {"title", "prompt", "probes", "reference", "synthetic", "ground_truth", "notes"}
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


@dataclass(frozen=True)
class ClipEntry:
    """One clip and where it came from."""

    id: str
    file: str  # relative to the clips folder, POSIX separators
    path: Path
    scene: str
    model: str
    model_version: str = ""
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

    def clips_of(self, scene: str) -> list[ClipEntry]:
        """The clips of ``scene``, in manifest order."""
        return [clip for clip in self.clips.values() if clip.scene == scene]


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
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except FileNotFoundError:
        raise ManifestError(
            [f"{shown}: manifest not found; create it (see the authoring guide)"]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{shown}:{mark.line + 1}" if mark else shown
        problem = getattr(error, "problem", None) or str(error)
        raise ManifestError([f"{where}: not valid YAML: {problem}"]) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ManifestError([f"{shown}: expected a mapping with `scenes:` and `clips:`"])
    for key in sorted(set(data) - {"scenes", "clips"}):
        problems.append(f"{shown}:{_line(data, key)}: unknown top-level key {key!r}")
    scenes = _load_scenes(data.get("scenes") or {}, shown, problems)
    clips = _load_clips(data.get("clips") or [], shown, clips_dir, scenes, problems)
    for scene in scenes.values():
        if scene.reference is not None and scene.reference not in clips:
            problems.append(
                f"{shown}:{scene.line}: scene {scene.name!r}: reference "
                f"{scene.reference!r} is not one of the clips listed under `clips:`"
            )
    if problems:
        raise ManifestError(problems)
    return Manifest(path=path, clips_dir=clips_dir, scenes=scenes, clips=clips)


def _load_scenes(raw: Any, shown: str, problems: list[str]) -> dict[str, SceneEntry]:
    if not isinstance(raw, dict):
        problems.append(f"{shown}: `scenes:` must be a mapping of scene name to settings")
        return {}
    scenes = {}
    for name, entry in raw.items():
        where = f"{shown}:{_line(raw, name)}: scene {name!r}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping with {', '.join(_SCENE_REQUIRED)}")
            continue
        if not _check_keys(entry, _SCENE_KEYS, _SCENE_REQUIRED, where, problems):
            continue
        probes = entry["probes"]
        if not isinstance(probes, list) or not all(isinstance(p, str) for p in probes):
            problems.append(f"{where}: `probes` must be a list of probe names")
            continue
        for probe in probes:
            if probe not in PROBES:
                problems.append(f"{where}: unknown probe {probe!r}{_did_you_mean(probe)}")
        reference = entry.get("reference")
        scenes[name] = SceneEntry(
            name=name,
            title=str(entry["title"]),
            probes=tuple(probes),
            prompt=str(entry.get("prompt", "")),
            reference=clip_id(reference) if reference else None,
            synthetic=bool(entry.get("synthetic", False)),
            ground_truth=_ground_truth(entry.get("ground_truth"), where, problems),
            notes=str(entry.get("notes", "")),
            line=_line(raw, name),
        )
    return scenes


def _load_clips(
    raw: Any, shown: str, clips_dir: Path, scenes: dict[str, SceneEntry], problems: list[str]
) -> dict[str, ClipEntry]:
    if not isinstance(raw, list):
        problems.append(f"{shown}: `clips:` must be a list of clip entries")
        return {}
    clips: dict[str, ClipEntry] = {}
    for index, entry in enumerate(raw):
        line = getattr(entry, "line", 0)
        where = f"{shown}:{line}: clip #{index + 1}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping with {', '.join(_CLIP_REQUIRED)}")
            continue
        if isinstance(entry.get("file"), str):
            where = f"{shown}:{line}: clip {entry['file']!r}"
        if not _check_keys(entry, _CLIP_KEYS, _CLIP_REQUIRED, where, problems):
            continue
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
        if entry["scene"] not in scenes:
            known = ", ".join(scenes) or "none defined"
            problems.append(
                f"{where}: unknown scene {entry['scene']!r}; add it under `scenes:` "
                f"(known: {known})"
            )
        clips[ident] = ClipEntry(
            id=ident,
            file=file,
            path=path,
            scene=str(entry["scene"]),
            model=str(entry["model"]),
            model_version=str(entry.get("model_version", "")),
            source=str(entry.get("source", "")),
            license=str(entry.get("license", "")),
            notes=str(entry.get("notes", "")),
            synthetic=bool(entry.get("synthetic", False)),
            violation=entry.get("violation"),
            ground_truth=_ground_truth(entry.get("ground_truth"), where, problems),
            line=line,
        )
    return clips


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


def _check_keys(
    entry: dict, allowed: set[str], required: tuple[str, ...], where: str, problems: list[str]
) -> bool:
    unknown = sorted(set(entry) - allowed)
    for key in unknown:
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
    missing = [key for key in required if key not in entry]
    if missing:
        problems.append(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    return not missing


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


class _LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader whose mappings know their line numbers (1-based)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _LineDict:
        mapping = _LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            self.construct_object(key, deep=True): key.start_mark.line + 1
            for key, _value in node.value
        }
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)

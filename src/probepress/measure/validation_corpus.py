"""A validation corpus: clips with known truth, the tolerances, and the known failures.

A corpus is a folder (the repository's is ``tests/validation/``) holding

- ``clips/<scene>/<name>.mp4`` with its truth beside it, ``<name>.json``, computed from
  the scene's geometry (never from the pixels);
- ``corpus.yml``: the tolerances every probe must hold and the cases a probe is known to
  fail, each with its reason.

Both the validation tests and the site's generated Validation page read a corpus through
:func:`load_corpus`, so each number lives in one place.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from probepress.measure.manifest import ClipEntry, Manifest, SceneEntry
from probepress.measure.manifest_schema import YamlRefused, read_yaml

__all__ = [
    "TOLERANCES",
    "Corpus",
    "CorpusClip",
    "CorpusError",
    "KnownFailure",
    "load_corpus",
]

SPEC_NAME = "corpus.yml"

#: Every tolerance a corpus must give, and what it is measured in.
TOLERANCES: dict[str, str] = {
    "rotation_rate": "fraction of the true angular velocity",
    "rotation_pole": "fraction of the frame's diagonal",
    "reflection_axis_px": "pixels",
    "reflection_lag_frames": "frames",
    "gravity": "fraction of the true acceleration",
    "shadow_rate": "fraction of the true sweep rate",
    "camera_pan": "fraction of the true pan speed",
    "camera_still_px": "pixels",
}


class CorpusError(Exception):
    """A corpus that cannot be used; each problem names its file (and line)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class KnownFailure:
    """A case a probe is known to fail, and why (measured value, what is wrong)."""

    check: str
    case: str
    reason: str
    line: int = 0


@dataclass(frozen=True)
class CorpusClip:
    """One clip of the corpus and its truth."""

    id: str  # scene/name
    path: Path
    truth: Mapping[str, Any]

    @property
    def file(self) -> str:
        """``scene/name.mp4``: how the tests name the clip."""
        return f"{self.id}{self.path.suffix}"

    @property
    def scene(self) -> str:
        """The scene folder the clip is in."""
        return self.id.partition("/")[0]

    @property
    def correct(self) -> bool:
        """Whether the clip shows correct physics (else it is a wrong twin or a control)."""
        return self.truth.get("variant") == "correct"

    @property
    def diagonal(self) -> float:
        """The frame's diagonal in pixels."""
        return math.hypot(float(self.truth["width"]), float(self.truth["height"]))


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus."""

    folder: Path
    tolerances: Mapping[str, float]
    known_failures: tuple[KnownFailure, ...]
    clips: Mapping[str, CorpusClip]  # by id, sorted

    @property
    def spec(self) -> Path:
        """The corpus's ``corpus.yml``."""
        return self.folder / SPEC_NAME

    @property
    def clips_dir(self) -> Path:
        """The folder of the clips and their truth."""
        return self.folder / "clips"

    def clips_of(self, scene: str, *, correct_only: bool = False) -> list[CorpusClip]:
        """The clips of ``scene`` (sorted), optionally only those with correct physics."""
        return [
            c for c in self.clips.values() if c.scene == scene and (c.correct or not correct_only)
        ]

    def by_file(self, file: str) -> CorpusClip:
        """The clip named ``scene/name.mp4``."""
        return self.clips[file.rsplit(".", 1)[0]]

    def known(self, check: str, case: str) -> KnownFailure | None:
        """The known failure of ``check`` on ``case``, if it is one."""
        return next((k for k in self.known_failures if k.check == check and k.case == case), None)

    def manifest(self, scene_probes: Mapping[str, tuple[str, ...]]) -> Manifest:
        """The corpus as a manifest, so that the build's probe phase measures it.

        Parameters
        ----------
        scene_probes : mapping
            The probes each scene folder is measured with.
        """
        scenes = {
            name: SceneEntry(name=name, title=name, probes=tuple(probes))
            for name, probes in scene_probes.items()
        }
        clips = {
            clip.id: ClipEntry(
                id=clip.id,
                file=clip.file,
                path=clip.path,
                scene=clip.scene,
                model=_label(clip),
                source=str(clip.truth.get("renderer") or clip.truth.get("source") or ""),
            )
            for clip in self.clips.values()
            if clip.scene in scenes
        }
        return Manifest(path=self.spec, clips_dir=self.clips_dir, scenes=scenes, clips=clips)


def load_corpus(folder: Path) -> Corpus:
    """Read a corpus folder.

    Raises
    ------
    CorpusError
        For a missing folder or ``corpus.yml``, a tolerance missing or not a positive
        number, a malformed known failure, or a truth file that is not a JSON object;
        each problem names the file and line and what to do.
    """
    folder = Path(folder).resolve()
    spec = folder / SPEC_NAME
    if not spec.is_file():
        raise CorpusError(
            [f"{spec}: no validation corpus here (expected {SPEC_NAME} and clips/); "
             "fix the `validation` setting under `plugins: - probepress:` or remove it"]
        )  # fmt: skip
    try:
        data, duplicates = read_yaml(spec)
    except YamlRefused as refused:
        raise CorpusError([f"{spec}:{refused.line}: {refused.message}"]) from None
    problems = [f"{spec}:{line}: {message}" for line, message in duplicates]
    if not isinstance(data, dict):
        raise CorpusError([f"{spec}: expected a mapping with `tolerances:` and `known_failures:`"])
    tolerances = _tolerances(data.get("tolerances"), spec, _line(data, "tolerances"), problems)
    known = _known_failures(data.get("known_failures") or [], spec, problems)
    clips = _clips(folder / "clips", problems)
    if problems:
        raise CorpusError(problems)
    return Corpus(folder=folder, tolerances=tolerances, known_failures=known, clips=clips)


def _tolerances(raw: Any, spec: Path, line: int, problems: list[str]) -> dict[str, float]:
    if not isinstance(raw, dict):
        problems.append(f"{spec}:{line}: `tolerances:` must map names to numbers")
        return {}
    tolerances = {}
    for name, unit in TOLERANCES.items():
        value = raw.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            problems.append(
                f"{spec}:{_line(raw, name) or line}: tolerance `{name}` ({unit}) must be a "
                f"positive number, got {value!r}"
            )
        else:
            tolerances[name] = float(value)
    for name in sorted(set(raw) - set(TOLERANCES), key=str):
        problems.append(
            f"{spec}:{_line(raw, name)}: unknown tolerance {name!r} "
            f"(known: {', '.join(TOLERANCES)})"
        )
    return tolerances


def _known_failures(raw: Any, spec: Path, problems: list[str]) -> tuple[KnownFailure, ...]:
    if not isinstance(raw, list):
        problems.append(f"{spec}: `known_failures:` must be a list of check, case, reason")
        return ()
    known = []
    for index, entry in enumerate(raw):
        line = getattr(entry, "line", 0) or raw.item_lines[index]
        fields = ("check", "case", "reason")
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(k), str) and entry[k].strip() for k in fields
        ):
            problems.append(
                f"{spec}:{line}: a known failure needs `check`, `case` and `reason`, each text"
            )
            continue
        known.append(
            KnownFailure(entry["check"], entry["case"], " ".join(entry["reason"].split()), line)
        )
    return tuple(known)


def _clips(clips_dir: Path, problems: list[str]) -> dict[str, CorpusClip]:
    clips = {}
    for path in sorted(clips_dir.glob("*/*.mp4")):
        truth_path = path.with_suffix(".json")
        ident = path.relative_to(clips_dir).with_suffix("").as_posix()
        try:
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(f"{truth_path}: missing; every corpus clip needs its truth beside it")
            continue
        except (ValueError, UnicodeDecodeError) as error:
            problems.append(
                f"{truth_path}: not JSON ({error}); re-render it (render_all.py --truth-only)"
            )
            continue
        if not isinstance(truth, dict):
            problems.append(f"{truth_path}: expected a JSON object")
            continue
        clips[ident] = CorpusClip(ident, path, truth)
    if not clips:
        problems.append(f"{clips_dir}: no clips (expected clips/<scene>/<name>.mp4 + .json)")
    return clips


def _label(clip: CorpusClip) -> str:
    """How a player labels the clip: correct, the twin's flaw, or a real control."""
    variant = str(clip.truth.get("variant", ""))
    if variant == "correct":
        return "correct"
    if variant == "negative":
        return "real footage"
    return f"wrong twin: {variant}" if variant else "wrong twin"


def _line(mapping: Any, key: Any) -> int:
    return getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", 0))

"""Read the manifest's YAML safely and check the type of every field, naming file:line.

The manifest is written by hand and may come from anyone who sends a clip, so reading
it must neither hang nor crash: YAML aliases are refused (a few kilobytes of nested
aliases expand to gigabytes, the "billion laughs"), nesting is bounded (deep nesting
exhausts Python's recursion), bytes must be UTF-8, and a key given twice is an error
rather than a silent "last one wins". Every mapping remembers its line and the line of
each key, so a problem is reported where the author can fix it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CLIP_FIELDS",
    "SCENE_FIELDS",
    "FieldType",
    "LineDict",
    "LineList",
    "YamlRefused",
    "check_fields",
    "read_yaml",
    "without_nulls",
]

# Deeper than any manifest needs (scenes > scene > ground_truth > value is 4), far below
# Python's recursion limit.
MAX_DEPTH = 32


class YamlRefused(Exception):
    """The file cannot be read as a manifest at all; ``line`` is 1-based (0: unknown)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


class LineDict(dict):
    """A mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict


class LineList(list):
    """A sequence that remembers the line it starts on and the line of each item."""

    line: int = 0
    item_lines: list


def read_yaml(path: Path) -> tuple[Any, list[tuple[int, str]]]:
    """Read one YAML document into dicts and lists that know their lines.

    Returns
    -------
    data, duplicates
        The document, and ``(line, message)`` for each key given twice in a mapping
        (the first value is kept).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    YamlRefused
        For bytes that are not UTF-8, invalid YAML, aliases or nesting too deep.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        raise YamlRefused(
            line, f"not UTF-8 text (byte 0x{byte}); save the file with UTF-8 encoding"
        ) from None
    return _build(yaml.parse(text, Loader=_FAST_LOADER))


@dataclass(frozen=True)
class FieldType:
    """What a field accepts: ``kinds`` of value, described for the error message."""

    kinds: tuple[type, ...]
    expected: str
    hint: str = ""

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` has one of the accepted kinds (a bool is no number)."""
        if isinstance(value, bool):
            return bool in self.kinds
        return isinstance(value, self.kinds)


TEXT = FieldType((str, int, float, datetime.date), "text", "quote it if in doubt")
NAME = FieldType((str,), "a name (text)", "quote it")
PATH = FieldType((str,), "a clip path such as scene/clip.mp4")
FLAG = FieldType((bool,), "true or false", "write true or false without quotes")
NAMES = FieldType((list,), "a list of names such as [reflection, flicker]")
TABLE = FieldType((dict,), "a mapping such as {probe.metric: number}")
COUNT = FieldType((int,), "a whole number such as 2", "write the number without quotes")

SCENE_FIELDS: Mapping[str, FieldType] = {
    "title": TEXT,
    "prompt": TEXT,
    "probes": NAMES,
    "reference": PATH,
    "synthetic": FLAG,
    "ground_truth": TABLE,
    "notes": TEXT,
    "input": FieldType((dict,), "a mapping such as {image: scene/input.png, prompt: ...}"),
}
CLIP_FIELDS: Mapping[str, FieldType] = {
    "file": PATH,
    "scene": NAME,
    "model": TEXT,
    "model_version": TEXT,
    "sample": COUNT,
    "source": TEXT,
    "license": TEXT,
    "notes": TEXT,
    "synthetic": FLAG,
    "violation": TEXT,
    "ground_truth": TABLE,
}


def check_fields(
    entry: LineDict,
    fields: Mapping[str, FieldType],
    required: tuple[str, ...],
    shown: str,
    label: str,
    problems: list[str],
) -> bool:
    """Report unknown, missing and mistyped keys of one entry; True if it is usable.

    Problems read ``shown:line: label: what is wrong``, at the entry's first line or, for
    a mistyped value, at its own line. A null optional field counts as absent (see
    :func:`without_nulls`); a null required field is missing.
    """
    where = f"{shown}:{entry.line}: {label}"
    for key in sorted(set(entry) - set(fields), key=str):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(fields))})")
    missing = [key for key in required if entry.get(key) is None]
    if missing:
        problems.append(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    usable = not missing
    for key, kind in fields.items():
        value = entry.get(key)
        if value is None or kind.accepts(value):
            continue
        line = entry.key_lines.get(key, entry.line)
        hint = f"; {kind.hint}" if kind.hint else ""
        problems.append(
            f"{shown}:{line}: {label}: `{key}` must be {kind.expected}, "
            f"not {_describe(value)}{hint}"
        )
        usable = False
    return usable


def without_nulls(entry: LineDict) -> LineDict:
    """``entry`` without its null values, line marks kept (null means "not given")."""
    kept = LineDict((key, value) for key, value in entry.items() if value is not None)
    kept.line, kept.key_lines = entry.line, entry.key_lines
    return kept


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"the flag {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    return f"{type(value).__name__} {value!r}"


# libyaml's parser when installed: a 10 MB manifest parses in a second, not half a minute.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Open:
    """A mapping or sequence being built, and the key waiting for its value."""

    def __init__(self, container: LineDict | LineList) -> None:
        self.container = container
        self.key: Any = _NO_KEY
        self.key_line = 0


_NO_KEY = object()


def _build(events: Iterable[yaml.Event]) -> tuple[Any, list[tuple[int, str]]]:
    """Python values from the parser's events, refusing aliases and deep nesting.

    Built from events rather than composed nodes so that an alias is refused before
    anything expands, and so that no recursion follows the document's depth.
    """
    scalars = yaml.SafeLoader("")  # resolves and constructs plain values (no state kept)
    duplicates: list[tuple[int, str]] = []
    stack: list[_Open] = []
    documents: list[Any] = []
    try:
        for event in events:
            line = event.start_mark.line + 1 if event.start_mark else 0
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused(
                    line,
                    f"YAML alias *{event.anchor} is not allowed in the manifest "
                    "(aliases can expand without bound); write the value out in full",
                )
            if isinstance(event, yaml.DocumentStartEvent) and documents:
                raise YamlRefused(line, "more than one YAML document; keep only the first")
            if isinstance(event, _STARTS):
                if len(stack) >= MAX_DEPTH:
                    raise YamlRefused(
                        line, f"nested deeper than {MAX_DEPTH} levels; flatten the entry"
                    )
                opened = LineDict() if isinstance(event, yaml.MappingStartEvent) else LineList()
                opened.line = line
                if isinstance(opened, LineDict):
                    opened.key_lines = {}
                else:
                    opened.item_lines = []
                stack.append(_Open(opened))
                continue
            if isinstance(event, _ENDS):
                value = stack.pop().container
                line = value.line  # a list item or a value is where it starts
            elif isinstance(event, yaml.ScalarEvent):
                value = _scalar(event, scalars, line)
            else:
                continue
            if not stack:
                documents.append(value)
            else:
                _add(stack[-1], value, line, isinstance(event, yaml.ScalarEvent), duplicates)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise YamlRefused(mark.line + 1 if mark else 0, f"not valid YAML: {problem}") from None
    finally:
        scalars.dispose()
    return (documents[0] if documents else None), duplicates


def _add(
    parent: _Open, value: Any, line: int, scalar: bool, duplicates: list[tuple[int, str]]
) -> None:
    container = parent.container
    if isinstance(container, LineList):
        container.append(value)
        container.item_lines.append(line)
    elif parent.key is _NO_KEY:
        if not scalar:
            raise YamlRefused(line, "a key must be plain text, not a list or mapping")
        parent.key, parent.key_line = value, line
    else:
        key, parent.key = parent.key, _NO_KEY
        if key in container:
            first = container.key_lines[key]
            duplicates.append(
                (parent.key_line, f"key {key!r} given twice (first at line {first}); keep one")
            )
            return
        container[key] = value
        container.key_lines[key] = parent.key_line


def _scalar(event: yaml.ScalarEvent, scalars: yaml.SafeLoader, line: int) -> Any:
    """The value of one scalar, typed as YAML's safe schema types it."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = scalars.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return scalars.construct_document(node)
    except (yaml.YAMLError, ValueError) as error:
        problem = getattr(error, "problem", None) or str(error)
        raise YamlRefused(line, f"not a valid value: {problem}") from None

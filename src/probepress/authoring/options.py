"""Read a fence's YAML body into checked options, with errors that point at the line.

Each fence declares its keys (required and optional, with types); anything else is an
error naming the key and the keys allowed. The line reported is the page line of the
offending key, so ``posts/x.md:14`` leads the writer straight to it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

import yaml

from probepress.errors import FenceError

__all__ = ["MAX_BODY", "FenceError", "FenceSpec", "parse_fence_body"]

#: Longest body of a YAML fence, in characters: a few keys and clip paths need far less,
#: and YAML parses megabytes slowly (a 5 MB title took seconds before being refused).
MAX_BODY = 20_000


@dataclass(frozen=True)
class FenceSpec:
    """The keys a fence takes: name -> (accepted types, required)."""

    name: str
    keys: dict[str, tuple[tuple[type, ...], bool]]

    def allowed(self) -> str:
        """The keys, for error messages."""
        return ", ".join(self.keys)


def parse_fence_body(body: str, spec: FenceSpec) -> dict[str, Any]:
    """Parse ``body`` as a YAML mapping and check it against ``spec``.

    Raises
    ------
    FenceError
        Malformed YAML, a body that is not a mapping, an unknown or missing key, or a
        value of the wrong type, or a body over ``MAX_BODY`` characters; with the body
        line where it was found.
    """
    if len(body) > MAX_BODY:
        raise FenceError(
            f"the `{spec.name}` fence is {len(body)} characters long, more than {MAX_BODY}; "
            "a fence holds a few short keys",
            1,
        )
    try:
        node, data = _compose_and_load(body)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise FenceError(
            f"malformed `{spec.name}` fence: {problem}", (mark.line + 1) if mark else 1
        ) from None
    if not isinstance(data, dict):
        raise FenceError(f"the `{spec.name}` fence needs `key: value` lines ({spec.allowed()})", 1)
    lines = {key.value: key.start_mark.line + 1 for key, _value in node.value} if node else {}
    for key, value in data.items():
        if key not in spec.keys:
            close = difflib.get_close_matches(str(key), spec.keys, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise FenceError(
                f"unknown key {key!r} in `{spec.name}`{hint} (allowed: {spec.allowed()})",
                lines.get(key, 1),
            )
        types, _required = spec.keys[key]
        if not isinstance(value, types) or isinstance(value, bool) and bool not in types:
            expected = " or ".join(_type_name(t) for t in types)
            raise FenceError(f"`{key}` must be {expected}, got {value!r}", lines.get(key, 1))
    for key, (_types, required) in spec.keys.items():
        if required and key not in data:
            raise FenceError(f"the `{spec.name}` fence needs `{key}:`", 0)
    data["_lines"] = lines
    return data


def _type_name(kind: type) -> str:
    return {str: "text", dict: "a mapping", list: "a list", int: "a number", float: "a number"}.get(
        kind, kind.__name__
    )


# libyaml's loader where PyYAML was built with it: the same nodes, marks and data, at
# a fraction of the pure-Python loader's time (most of a warm build's fence parsing).
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose_and_load(body: str) -> tuple[Any, Any]:
    """The YAML node tree (for key lines) and the data built from it: one parse, not two.

    The same as ``yaml.compose`` and ``yaml.safe_load`` of ``body``, which would scan
    the text twice. A body libyaml refuses is parsed again by the pure-Python loader,
    whose error names the line an author must fix (an unclosed ``[`` at its own line;
    libyaml names where the text ended) in the words the messages have always used.
    """
    try:
        return _load(_FAST_LOADER, body)
    except yaml.YAMLError:
        return _load(yaml.SafeLoader, body)


def _load(loader_class: type, body: str) -> tuple[Any, Any]:
    loader = loader_class(body)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()

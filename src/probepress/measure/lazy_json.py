"""A JSON object read from the cache as text and decoded only when something reads it.

A probe's overlay geometry (shapes on every frame) is most of a cached result's bytes,
yet a build draws the overlays of only the clips its comparisons show; decoding every
overlay made a warm build's cache reads grow with every clip's frame count. The text
is kept and parsed on first use.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["LazyJsonObject"]

log = logging.getLogger("probepress.measure.cache")


class LazyJsonObject(Mapping[str, Any]):
    """A read-only mapping parsed from ``text`` (a JSON object) the first time it is read.

    Parameters
    ----------
    text : str
        A JSON object other than ``{}`` (an empty one is stored as nothing at all, so an
        instance is always true without being decoded).
    what : str
        What the text is, for the warning when it cannot be parsed (then it is empty).
    """

    __slots__ = ("_data", "_text", "_what")

    def __init__(self, text: str, what: str = "cached JSON") -> None:
        self._text = text
        self._what = what
        self._data: dict[str, Any] | None = None

    def _decoded(self) -> dict[str, Any]:
        if self._data is None:
            try:
                data = json.loads(self._text)
            except ValueError as error:
                log.warning(
                    "probepress cache: unreadable %s (%s); shown without it", self._what, error
                )
                data = {}
            self._data = data if isinstance(data, dict) else {}
        return self._data

    def __bool__(self) -> bool:
        return self._data is None or bool(self._data)

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())

    def __repr__(self) -> str:
        state = "decoded" if self._data is not None else f"{len(self._text)} characters"
        return f"LazyJsonObject({state})"

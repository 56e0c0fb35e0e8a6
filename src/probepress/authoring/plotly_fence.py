"""The ``plotly`` fence: an author's own figure, as strict JSON that keeps the site offline.

A figure is data, but plotly fetches some of it: geo and map traces load a world map or
map tiles from plotly's CDN or a tile server, ``layout.images`` loads its sources, and a
few keys name files to fetch. A site must not make a request to another host (readers'
privacy, and a site that works offline), so such figures are refused with the line of
the fence that asks for them. NaN and Infinity are not JSON; plotly's own format writes
a missing value as ``null``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from probepress.errors import FenceError

__all__ = ["PlotlyFence", "parse_plotly"]

# Trace types that draw on a geo or map subplot: each fetches its base map.
_MAP_TRACES = {
    "scattergeo", "choropleth", "scattermapbox", "choroplethmapbox", "densitymapbox",
    "scattermap", "choroplethmap", "densitymap",
}  # fmt: skip
# Layout subplots with base maps: geo, geo2, mapbox, map3...
_MAP_SUBPLOT = re.compile(r"^(geo|mapbox|map)\d*$")
# Keys whose string values plotly fetches (images, GeoJSON, topojson, map styles).
_FETCHED_KEYS = {"source", "geojson", "topojsonURL", "style", "src", "url"}
# A URL that leaves the site: a scheme (http:, https:, ftp:, ...) or protocol-relative.
_REMOTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")
_NOT_JSON = re.compile(r"\b(?:NaN|-?Infinity)\b")


@dataclass(frozen=True)
class PlotlyFence:
    """A raw plotly figure that parses as strict JSON and fetches nothing."""

    figure: dict[str, Any]


def parse_plotly(body: str) -> PlotlyFence:
    """Parse a ``plotly`` fence body.

    Raises
    ------
    FenceError
        Invalid or non-strict JSON (NaN, Infinity), no ``data`` list, or a figure that
        would fetch from another host; with the body line at fault.
    """
    try:
        figure = json.loads(body, parse_constant=_refuse_constant)
    except _NotJson as error:
        raise FenceError(
            f"the plotly fence holds {error.word}, which is not JSON; "
            "write null for a missing value",
            _line_of(body, _NOT_JSON),
        ) from None
    except json.JSONDecodeError as error:
        raise FenceError(
            f"the plotly fence must hold a JSON figure: {error.msg}", error.lineno
        ) from None
    except RecursionError:
        raise FenceError("the plotly figure nests too deeply", 1) from None
    if not isinstance(figure, dict) or not isinstance(figure.get("data"), list):
        raise FenceError('the plotly fence needs a JSON object with a "data" list', 1)
    _check_offline(figure, body)
    return PlotlyFence(figure)


class _NotJson(ValueError):
    def __init__(self, word: str) -> None:
        self.word = word
        super().__init__(word)


def _refuse_constant(word: str) -> None:
    raise _NotJson(word)


def _check_offline(figure: dict[str, Any], body: str) -> None:
    for trace in figure["data"]:
        kind = trace.get("type") if isinstance(trace, dict) else None
        kind = kind if isinstance(kind, str) else None  # a list or object is no trace type
        if kind in _MAP_TRACES:
            raise FenceError(
                f"a {kind} trace draws on a base map fetched from another host; the site "
                "makes no requests off the site: plot it as scatter or heatmap instead",
                _line_of(body, re.compile(rf'"{re.escape(kind)}"')),
            )
    layout = figure.get("layout")
    if isinstance(layout, dict):
        for key in layout:
            if isinstance(key, str) and _MAP_SUBPLOT.match(key):
                raise FenceError(
                    f"layout.{key} is a map subplot whose base map is fetched from another "
                    "host; the site makes no requests off the site",
                    _line_of(body, re.compile(rf'"{re.escape(key)}"\s*:')),
                )
        images = layout.get("images")
        for image in images if isinstance(images, list) else []:
            source = image.get("source") if isinstance(image, dict) else None
            if isinstance(source, str) and _leaves_site(source):
                raise FenceError(
                    _remote_message("layout.images[].source", source), _line_of_text(body, source)
                )
    for path, value in _strings(figure, ""):
        key = path.rpartition(".")[2]
        if key in _FETCHED_KEYS and _leaves_site(value):
            raise FenceError(_remote_message(path.lstrip("."), value), _line_of_text(body, value))


def _leaves_site(url: str) -> bool:
    """Whether fetching ``url`` would leave the site (data: URLs and relative paths stay)."""
    return bool(_REMOTE.match(url)) and not url.strip().lower().startswith("data:")


def _remote_message(where: str, url: str) -> str:
    shown = url if len(url) <= 80 else url[:77] + "..."
    return (
        f"{where} {shown!r} would be fetched from another host; the site makes no requests "
        "off the site: use a file of the site (a relative path) or a data: URL"
    )


def _strings(node: Any, path: str) -> Iterator[tuple[str, str]]:
    """Every string value of a JSON tree with its dotted path (list items keep the key)."""
    stack = [(node, path)]
    while stack:  # iterative: json.loads already bounds the depth, this adds no recursion
        node, path = stack.pop()
        if isinstance(node, dict):
            stack.extend((value, f"{path}.{key}") for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, path) for value in node)
        elif isinstance(node, str):
            yield path, node


def _line_of(body: str, pattern: re.Pattern[str]) -> int:
    match = pattern.search(body)
    return body.count("\n", 0, match.start()) + 1 if match else 1


def _line_of_text(body: str, text: str) -> int:
    return _line_of(body, re.compile(re.escape(json.dumps(text)[1:-1])))

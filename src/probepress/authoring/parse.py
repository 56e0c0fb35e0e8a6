"""What each probepress fence asks for, parsed from its body against the manifest.

A build parses each distinct fence once (:mod:`probepress.authoring.parse_memo`) and
hands the result to planning (which clips to probe and encode), the checks and the
render, so a fence always means the same thing to all of them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from probepress.authoring.charts import CHART_KINDS
from probepress.authoring.options import FenceSpec, parse_fence_body
from probepress.authoring.plotly_fence import PlotlyFence, parse_plotly
from probepress.claims.evaluate import ClaimFence
from probepress.claims.grammar import ClaimSyntaxError, parse_check
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest, clip_id
from probepress.probes import PROBES

__all__ = [
    "MAX_STATEMENT",
    "MAX_TEXT",
    "ChartFence",
    "ClaimFence",
    "ClipFence",
    "CompareFence",
    "MontageFence",
    "PlotlyFence",
    "parse_fence",
]

_TEXT = (str,)
#: Longest title, caption or label: they are drawn on title cards and video frames (PIL
#: refuses megabytes) and read in one glance.
MAX_TEXT = 300
#: Longest claim sentence (shown in its callout and on the claims page).
MAX_STATEMENT = 1000
_SPECS = {
    "clip": FenceSpec("clip", {"src": (_TEXT, True), "caption": (_TEXT, False)}),
    "compare": FenceSpec(
        "compare",
        {
            "title": (_TEXT, False),
            "clips": ((dict, list), True),
            "timeline": (_TEXT, False),
            "overlay": (_TEXT, False),
            "input": ((bool,), False),
        },
    ),
    "montage": FenceSpec(
        "montage",
        {"title": (_TEXT, False), "clips": ((dict, list), True), "caption": (_TEXT, False)},
    ),
    "chart": FenceSpec(
        "chart",
        {
            "kind": (_TEXT, True),
            "metric": (_TEXT, False),
            "metrics": ((list,), False),
            "clips": ((str, list), True),
            "title": (_TEXT, False),
        },
    ),
}


@dataclass(frozen=True)
class ClipFence:
    """One clip with a caption."""

    clip: str
    caption: str


@dataclass(frozen=True)
class CompareFence:
    """Clips of one scene side by side, with an optional timeline and overlay."""

    title: str
    items: tuple[tuple[str, str], ...]  # (label, clip id)
    timeline: str | None  # probe.series
    overlay: str | None  # probe name
    #: Show the scene's input image as a first, still pane (when the clips share a scene
    #: that has one); ``input: false`` leaves it out.
    show_input: bool = True


@dataclass(frozen=True)
class MontageFence:
    """Clips in sequence with title cards."""

    title: str
    items: tuple[tuple[str, str], ...]
    caption: str


@dataclass(frozen=True)
class ChartFence:
    """A chart of probe results."""

    kind: str
    metrics: tuple[str, ...]
    clips: tuple[str, ...]  # patterns, expanded at render time
    title: str


Parsed = ClipFence | CompareFence | MontageFence | ChartFence | PlotlyFence | ClaimFence


def parse_fence(name: str, body: str, manifest: Manifest) -> Parsed:
    """Parse a fence body; raises :class:`FenceError` with the body line at fault."""
    if name == "claim":
        return _claim(body, manifest)
    if name == "plotly":
        return parse_plotly(body)
    options = parse_fence_body(body, _SPECS[name])
    lines = options.pop("_lines")
    for key in ("title", "caption"):
        if key in options:
            _bounded(options[key], key, lines.get(key, 1))
    if name == "clip":
        return ClipFence(
            _clip_ref(options["src"], manifest, lines.get("src", 1)), options.get("caption", "")
        )
    if name in ("compare", "montage"):
        items = _items(options["clips"], manifest, lines.get("clips", 1))
        if name == "montage":
            return MontageFence(options.get("title", ""), items, options.get("caption", ""))
        if not 2 <= len(items) <= 6:
            raise FenceError(
                f"a comparison shows 2 to 6 clips, not {len(items)}", lines.get("clips", 1)
            )
        return CompareFence(
            options.get("title", ""),
            items,
            _timeline(options.get("timeline"), lines.get("timeline", 1)),
            _overlay(options.get("overlay"), lines.get("overlay", 1)),
            options.get("input", True),
        )
    return _chart(options, lines, manifest)


def _clip_ref(src: str, manifest: Manifest, line: int) -> str:
    path = PurePosixPath(src)
    if path.is_absolute() or ".." in path.parts:
        raise FenceError(
            f"clip path {src!r} escapes assets/clips/; name a clip inside it, "
            "e.g. train-lake/reference.mp4",
            line,
        )
    if not path.name:
        raise FenceError(f"clip path {src!r} names no clip, e.g. train-lake/reference.mp4", line)
    ident = clip_id(src) if path.suffix else src
    if ident not in manifest.clips:
        close = difflib.get_close_matches(ident, list(manifest.clips), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise FenceError(
            f"unknown clip {src!r}{hint} (clips are listed in assets/clips/clips.yml)", line
        )
    return ident


def _items(clips: dict | list, manifest: Manifest, line: int) -> tuple[tuple[str, str], ...]:
    if isinstance(clips, dict):
        pairs = [(str(label), src) for label, src in clips.items()]
    else:
        pairs = [(None, src) for src in clips]
    items = []
    for offset, (label, src) in enumerate(pairs):
        if label is not None:
            _bounded(label, "a clip label", line + offset + 1)
        if not isinstance(src, str):
            raise FenceError(
                f"each clip must be a path such as train-lake/model-a.mp4, got {src!r}",
                line + offset + 1,
            )
        ident = _clip_ref(src, manifest, line + offset + 1)
        items.append((label or manifest.clips[ident].model, ident))
    if not items:
        raise FenceError("`clips` lists no clip", line)
    return tuple(items)


def _probe_part(text: str, line: int, what: str) -> tuple[str, str]:
    probe, _, rest = text.partition(".")
    if probe not in PROBES:
        close = difflib.get_close_matches(probe, PROBES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" (probes: {', '.join(PROBES)})"
        raise FenceError(f"{what}: unknown probe {probe!r}{hint}", line)
    return probe, rest


def _timeline(value: str | None, line: int) -> str | None:
    if value is None:
        return None
    _probe, rest = _probe_part(value, line, "timeline")
    if not rest:
        raise FenceError(
            "timeline: name a per-frame series as probe.series, e.g. reflection.symmetry", line
        )
    return value


def _overlay(value: str | None, line: int) -> str | None:
    if value is None:
        return None
    probe, rest = _probe_part(value, line, "overlay")
    if rest:
        raise FenceError(f"overlay: name a probe only, e.g. {probe}", line)
    return probe


def _chart(options: dict, lines: dict, manifest: Manifest) -> ChartFence:
    kind = options["kind"]
    if kind not in CHART_KINDS:
        raise FenceError(
            f"unknown chart kind {kind!r}; use one of {', '.join(CHART_KINDS)}",
            lines.get("kind", 1),
        )
    metrics = options.get("metrics") or ([options["metric"]] if "metric" in options else [])
    if not metrics:
        raise FenceError(f"a {kind} chart needs `metric:` (or `metrics:` for radar and heatmap)", 0)
    if kind in ("bars", "series", "history") and len(metrics) != 1:
        raise FenceError(f"a {kind} chart shows one `metric:`", lines.get("metrics", 1))
    for metric in metrics:
        if not isinstance(metric, str):
            raise FenceError(
                f"metrics are written probe.metric, got {metric!r}", lines.get("metrics", 1)
            )
        probe, name = _probe_part(metric, lines.get("metric", lines.get("metrics", 1)), "metric")
        if kind != "series" and name not in PROBES[probe].metric_names:
            raise FenceError(
                f"{probe} has no metric {name!r} (it has: {', '.join(PROBES[probe].metric_names)})",
                lines.get("metric", lines.get("metrics", 1)),
            )
    clips = options["clips"]
    patterns = (clips,) if isinstance(clips, str) else tuple(str(c) for c in clips)
    for pattern in patterns:
        bare = pattern.removesuffix(".mp4")
        if not any(fnmatchcase(i, bare) for i in manifest.clips):
            raise FenceError(
                f"clips: {pattern!r} matches no clip in assets/clips/clips.yml",
                lines.get("clips", 1),
            )
    return ChartFence(kind, tuple(metrics), patterns, options.get("title", ""))


def _bounded(text: str, what: str, line: int, limit: int = MAX_TEXT) -> str:
    """``text`` if it fits a title card or a caption line; a :class:`FenceError` if not."""
    if len(text) > limit:
        raise FenceError(
            f"{what} is {len(text)} characters long, more than {limit}; "
            "shorten it (longer prose belongs in the post's text)",
            line,
        )
    return text


def _claim(body: str, manifest: Manifest) -> ClaimFence:
    statement, check_text, check_line, default_clip = [], None, 0, None
    for number, line in enumerate(body.split("\n"), start=1):
        stripped = line.strip()
        if stripped.startswith("check:"):
            if check_text is not None:
                raise FenceError(
                    "a claim has one `check:` line; join conditions with `and`", number
                )
            check_text, check_line = stripped.removeprefix("check:").strip(), number
        elif stripped.startswith("clip:"):
            src = stripped.removeprefix("clip:").strip()
            if not src:
                raise FenceError("`clip:` names no clip, e.g. clip: train-lake/model-a", number)
            default_clip = _clip_ref(src, manifest, number)
        elif stripped:
            statement.append(stripped)
    if check_text is None:
        raise FenceError(
            "a claim needs a `check:` line, e.g. check: lake/model-a : reflection.symmetry >= 0.85",
            0,
        )
    if not statement:
        raise FenceError("a claim needs a sentence stating what it claims", 0)
    _bounded(" ".join(statement), "the claim's sentence", 1, MAX_STATEMENT)
    try:
        check = parse_check(check_text, default_clip=default_clip)
    except ClaimSyntaxError as error:
        raise FenceError(
            f"claim check does not parse: {error.message} (column {error.column} of the check)",
            check_line,
        ) from None
    return ClaimFence(" ".join(statement), check, check_line)

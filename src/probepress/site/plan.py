"""Read every page before anything renders: which probes and media the site needs.

Parsing errors are not reported here; the same fence fails again while its page
renders, where the error can name the page and line. Planning only collects what the
valid fences ask for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from mkdocs.structure.files import Files

from probepress.authoring.markdown_scan import find_fences, find_inline
from probepress.authoring.parse import (
    ChartFence,
    ClaimFence,
    ClipFence,
    CompareFence,
    MontageFence,
)
from probepress.authoring.parse_memo import FenceParses
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest
from probepress.measure.results import LookupProblem
from probepress.measure.selector import SELECTOR_PATTERN, SelectorProblem, select_clips

__all__ = ["SitePlan", "plan_markdown", "plan_site"]

_INLINE_REF = re.compile(rf"^\s*(?P<clip>{SELECTOR_PATTERN})\s*:\s*(?P<probe>\w+)\.\w+")


@dataclass
class SitePlan:
    """What the pages ask for."""

    probes: set[tuple[str, str]] = field(default_factory=set)  # (clip id, probe)
    clips: set[str] = field(default_factory=set)  # clips shown as video
    compares: list[CompareFence] = field(default_factory=list)
    montages: list[MontageFence] = field(default_factory=list)


def plan_site(files: Files, manifest: Manifest, parses: FenceParses | None = None) -> SitePlan:
    """Scan the Markdown of every documentation page (fences parsed once, in ``parses``)."""
    plan = SitePlan()
    parses = FenceParses(manifest) if parses is None else parses
    # Every page, whatever its inclusion: the blog plugin marks posts EXCLUDED while it
    # sorts them, yet they are published.
    for file in files.documentation_pages(inclusion=lambda _level: True):
        if file.src_uri.endswith(".md"):
            plan_markdown(file.content_string, manifest, plan, parses)
    return plan


def plan_markdown(
    markdown: str, manifest: Manifest, plan: SitePlan, parses: FenceParses | None = None
) -> None:
    """Add what one page's Markdown asks for to ``plan`` (fences parsed once, in ``parses``)."""
    parses = FenceParses(manifest) if parses is None else parses
    for found in find_fences(markdown):
        try:
            fence = parses.parse(found.name, found.body)
        except (FenceError, LookupProblem):
            continue
        _collect(fence, plan, manifest)
    for value in find_inline(markdown):
        match = _INLINE_REF.match(value.text)
        if match:
            clip = match.group("clip").strip('"').removesuffix(".mp4")
            plan.probes.update(_clips_behind(clip, match.group("probe"), manifest))


def _collect(fence: object, plan: SitePlan, manifest: Manifest) -> None:
    if isinstance(fence, ClipFence):
        plan.clips.add(fence.clip)
    elif isinstance(fence, CompareFence):
        plan.compares.append(fence)
        plan.clips.update(clip for _label, clip in fence.items)
        for _label, clip in fence.items:
            for name in filter(None, (fence.overlay, (fence.timeline or "").partition(".")[0])):
                plan.probes.add((clip, name))
    elif isinstance(fence, MontageFence):
        plan.montages.append(fence)
    elif isinstance(fence, ClaimFence):
        for ref in fence.check.refs:
            if ref.clip:
                plan.probes.update(_clips_behind(ref.clip, ref.probe, manifest))
    elif isinstance(fence, ChartFence):
        for pattern in fence.clips:
            for clip in manifest.clips:
                if fnmatchcase(clip, pattern.removesuffix(".mp4")):
                    plan.probes.update((clip, m.partition(".")[0]) for m in fence.metrics)


def _clips_behind(name: str, probe: str, manifest: Manifest) -> set[tuple[str, str]]:
    """(clip id, probe) for each clip a reference names (samples, aggregates included)."""
    try:
        return {(clip, probe) for clip in select_clips(manifest, name).clips}
    except SelectorProblem:
        return {(name, probe)}  # reported where the page renders, with its line

"""One page's claims, fences and inline values, checked against the results.

Shared by the site review (``probepress check`` and the build) and the claims page, so
all three count the same claims and report the same problems at the same lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from probepress.authoring.markdown_scan import find_fences, find_inline, line_offset
from probepress.authoring.parse import ClaimFence
from probepress.authoring.parse_memo import FenceParses
from probepress.claims.callout import inline_value_html
from probepress.claims.evaluate import ClaimOutcome, evaluate_claim
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest
from probepress.measure.results import LookupProblem, ResultSet

__all__ = ["CheckReport", "check_page", "is_draft", "page_body"]

_FRONT_MATTER_END = ("---", "...")


@dataclass
class CheckReport:
    """Claims evaluated and problems found."""

    claims: list[ClaimOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Where a claim could not be evaluated at all (it does not parse, names an unknown
    # clip...): it counts as a claim that fails, its reason is among the problems.
    unchecked_claims: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list[ClaimOutcome]:
        """Claims evaluated that do not hold."""
        return [c for c in self.claims if not c.holds]


@dataclass(frozen=True)
class CheckedPage:
    """One page's claims as checked from ``text`` (its source, front matter included)."""

    text: str
    claims: list[ClaimOutcome]


def check_page(
    text: str,
    shown: str,
    manifest: Manifest,
    results: ResultSet,
    report: CheckReport,
    parses: FenceParses | None = None,
) -> None:
    """Evaluate the claims, fences and inline values of one page's source into ``report``.

    ``text`` is the file as written (front matter included), so lines match the file.
    A draft's claims and problems are labelled ``(draft)``: checked, never published.
    ``parses`` holds the build's fences parsed once (a new one when not given).
    """
    parses = FenceParses(manifest) if parses is None else parses
    body = page_body(text)
    offset = line_offset(text, body)
    draft = is_draft(text)
    label = " (draft)" if draft else ""
    for found in find_fences(body):
        line = found.line + offset
        try:
            fence = parses.parse(found.name, found.body)
            if isinstance(fence, ClaimFence):
                outcome = evaluate_claim(fence, results)
                outcome.page, outcome.line, outcome.draft = shown, line, draft
                report.claims.append(outcome)
        except FenceError as error:
            report.problems.append(f"{shown}:{line + error.line}{label}: {error.message}")
            _count_unchecked(found.name, f"{shown}:{line}", report)
        except LookupProblem as problem:
            report.problems.append(f"{shown}:{line}{label}: {problem}")
            _count_unchecked(found.name, f"{shown}:{line}", report)
    for value in find_inline(body):
        try:
            inline_value_html(value.text, results)
        except LookupProblem as problem:
            report.problems.append(f"{shown}:{value.line + offset}{label}: {problem}")


# A build reads each page's front matter several times (the review, its checks, the
# claims page); both functions depend on the text alone, so each page's YAML is parsed
# once. Bounded: a long `mkdocs serve` keeps only recent texts.
@lru_cache(maxsize=1024)
def is_draft(text: str) -> bool:
    """Whether a page's front matter says ``draft: true`` (Material's blog drafts)."""
    body = page_body(text)
    if body is text:
        return False
    meta = yaml.safe_load(text[: len(text) - len(body)].strip().strip("-.").strip() or "{}")
    return isinstance(meta, dict) and meta.get("draft") is True


def _count_unchecked(fence_name: str, where: str, report: CheckReport) -> None:
    if fence_name == "claim":
        report.unchecked_claims.append(where)


def page_body(text: str) -> str:
    """The page without its YAML front matter, as MkDocs hands it to plugins."""
    body = _body_after_front_matter(text)
    return text if body is None else body  # ``text`` itself: callers test ``is text``


@lru_cache(maxsize=1024)
def _body_after_front_matter(text: str) -> str | None:
    """The body after valid YAML front matter, or ``None`` when there is none."""
    if not text.startswith("---"):
        return None
    lines = text.split("\n")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in _FRONT_MATTER_END:
            try:
                yaml.safe_load("\n".join(lines[1:index]))
            except yaml.YAMLError:
                return None
            return "\n".join(lines[index + 1 :]).lstrip("\n")
    return None

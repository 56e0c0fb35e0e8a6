"""One list of problems for a site: whatever fails ``mkdocs build --strict`` fails check.

:func:`review_site` is the single place that decides what is wrong with a site's
sources: the manifest, clips that cannot be read, claims that fail or cannot be
evaluated, bad fences and inline values, and post front matter the blog would reject.
The build runs it before any page renders and logs each problem as an error (errors,
not warnings: ``mkdocs build -q`` hides warnings from the strict counter);
``probepress check`` runs it on the files on disk, prints the same lines and exits 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from probepress.authoring.parse_memo import FenceParses
from probepress.claims.evaluate import ClaimOutcome
from probepress.measure.manifest import Manifest, ManifestError, load_manifest
from probepress.measure.probe_phase import MeasureSettings, run_probe_phase
from probepress.measure.results import ResultSet
from probepress.measure.runner import RunReport
from probepress.measure.scene_input import aspect_problems
from probepress.site.front_matter import BlogRules, post_problems
from probepress.site.page_check import CheckedPage, CheckReport, check_page, page_body
from probepress.site.plan import SitePlan, plan_markdown

__all__ = [
    "MAX_SHOWN",
    "SiteReview",
    "SourcePage",
    "capped",
    "failing_claim_message",
    "review_site",
]

# Problems printed before the rest are summed up: a generated manifest with 40,000 bad
# entries must not print 40,000 lines.
MAX_SHOWN = 50


class ReviewSettings(MeasureSettings, Protocol):
    """What the review reads of a site's settings (``probepress.site.settings``)."""

    root: Path
    manifest: Path
    clips_dir: Path


@dataclass(frozen=True)
class SourcePage:
    """A Markdown source as written (front matter included), named as the author knows it."""

    shown: str  # e.g. posts/2026-11-20-welcome.md
    text: str
    is_post: bool = False
    problem: str = ""  # why the page could not be read (then ``text`` is empty)

    @classmethod
    def read(cls, path: Path, shown: str, *, is_post: bool = False) -> SourcePage:
        """The page at ``path``; bytes that are not UTF-8 make a problem, not a crash."""
        data = path.read_bytes()
        try:
            return cls(shown, data.decode("utf-8-sig"), is_post)
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            problem = f"{shown}:{line}: not UTF-8 text; save the file with UTF-8 encoding"
            return cls(shown, "", is_post, problem)


@dataclass
class SiteReview:
    """Everything wrong with a site's sources, and what the build goes on with."""

    problems: list[str] = field(default_factory=list)  # each "file:line: what to do"
    claims: list[ClaimOutcome] = field(default_factory=list)
    unchecked_claims: list[str] = field(default_factory=list)
    manifest: Manifest | None = None
    results: ResultSet | None = None
    run: RunReport | None = None
    # Every fence read so far, parsed once; the build's later phases read them here.
    parses: FenceParses | None = None
    # The build cannot go on: the manifest or a page could not be read at all.
    fatal: bool = False
    # Each page's claims as checked here, by its shown path: the Claims page reuses them.
    page_claims: dict[str, CheckedPage] = field(default_factory=dict)

    @property
    def failing(self) -> list[ClaimOutcome]:
        """Claims evaluated that do not hold."""
        return [claim for claim in self.claims if not claim.holds]

    def messages(self) -> list[str]:
        """Every line that fails the site: problems, then claims that do not hold."""
        return self.problems + [failing_claim_message(claim) for claim in self.failing]

    def summary(self) -> str:
        """``N of M claims hold, K fail; P problem(s)`` (unchecked claims fail)."""
        total = len(self.claims) + len(self.unchecked_claims)
        failing = len(self.failing) + len(self.unchecked_claims)
        return (
            f"{total - failing} of {total} claims hold, {failing} fail; "
            f"{len(self.problems)} problem(s) in the manifest, clips or pages"
        )


def review_site(
    settings: ReviewSettings, pages: Sequence[SourcePage], blog: BlogRules | None
) -> SiteReview:
    """Measure what the pages need (cache first) and collect every problem of the site.

    Parameters
    ----------
    settings : ReviewSettings
        The site's probepress settings.
    pages : sequence of SourcePage
        Every Markdown source of the site, as written.
    blog : BlogRules or None
        The blog's front matter rules, or None for a site without a blog.
    """
    review = SiteReview(problems=[page.problem for page in pages if page.problem])
    review.fatal = bool(review.problems)
    pages = [page for page in pages if not page.problem]
    if blog is not None:
        for page in pages:
            if page.is_post:
                review.problems += post_problems(page.text, page.shown, blog)
    try:
        manifest = load_manifest(settings.manifest, settings.clips_dir)
    except ManifestError as error:
        review.problems[:0] = error.problems
        review.fatal = True
        return review
    plan = SitePlan()
    parses = review.parses = FenceParses(manifest)
    for page in pages:
        plan_markdown(page_body(page.text), manifest, plan, parses)
    results, run = run_probe_phase(manifest, settings, plan.probes)
    review.manifest, review.results, review.run = manifest, results, run
    shown = _shown(manifest.path, settings.root)
    review.problems[:0] = _unreadable_clips(results, shown) + _input_aspects(results, shown)
    report = CheckReport()
    for page in pages:
        before = len(report.claims)
        check_page(page.text, page.shown, manifest, results, report, parses)
        review.page_claims[page.shown] = CheckedPage(page.text, report.claims[before:])
    review.problems += report.problems
    review.claims, review.unchecked_claims = report.claims, report.unchecked_claims
    return review


def failing_claim_message(claim: ClaimOutcome) -> str:
    """The line that reports a claim that does not hold, with both numbers."""
    return f"{claim.where}: claim does not hold: {claim.statement!r} — {claim.summary()}"


def capped(messages: Iterable[str], limit: int = MAX_SHOWN) -> list[str]:
    """The first ``limit`` messages, and one line counting the rest."""
    messages = list(messages)
    if len(messages) <= limit:
        return messages
    rest = len(messages) - limit
    return [*messages[:limit], f"... and {rest} more ({len(messages)} problems in all)"]


def _unreadable_clips(results: ResultSet, manifest_shown: str) -> list[str]:
    manifest = results.manifest
    problems = []
    for clip_id, report in results.reports.items():
        if report.error is not None:
            entry = manifest.clips[clip_id]
            problems.append(
                f"{manifest_shown}:{entry.line}: clip {entry.file!r} cannot be read: "
                f"{report.error}; replace the file or remove the entry"
            )
    return problems


def _input_aspects(results: ResultSet, manifest_shown: str) -> list[str]:
    """Scenes whose input image has another shape than their clips (known once decoded)."""
    manifest = results.manifest
    images = {n: s.input_image for n, s in manifest.scenes.items() if s.input_image}
    sizes: dict[str, list[tuple[str, int, int]]] = {}
    for clip_id, report in results.reports.items():
        entry = manifest.clips[clip_id]
        if report.info is not None and entry.scene in images:
            sizes.setdefault(entry.scene, []).append(
                (entry.file, report.info.width, report.info.height)
            )
    return aspect_problems(images, sizes, manifest_shown)


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)

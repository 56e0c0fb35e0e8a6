"""``probepress check``: verify every claim and fence of a site without rendering it.

It reads the same pages the build reads (docs/ and posts/), measures what they need
through the same cache, and reports each failing claim and each bad fence or inline
value as ``path:line: message``. Meant for a site's CI, where a full build is slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from probepress.claims.callout import inline_value_html
from probepress.claims.evaluate import ClaimOutcome, evaluate_claim
from probepress.errors import FenceError
from probepress.authoring.parse import ClaimFence, parse_fence
from probepress.measure.manifest import Manifest, load_manifest
from probepress.authoring.markdown_scan import find_fences, find_inline, line_offset
from probepress.measure.probe_phase import run_probe_phase
from probepress.measure.results import LookupProblem, ResultSet
from probepress.site.settings import Settings
from probepress.site.plan import SitePlan

__all__ = ["CheckReport", "check_page", "check_site"]

_FRONT_MATTER_END = ("---", "...")


@dataclass
class CheckReport:
    """Claims evaluated and problems found."""

    claims: list[ClaimOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list[ClaimOutcome]:
        """Claims that do not hold."""
        return [c for c in self.claims if not c.holds]


def check_site(settings: Settings, docs_dir: Path) -> CheckReport:
    """Check every page under ``docs_dir`` and the posts folder.

    Raises
    ------
    ManifestError
        When the clip manifest itself is invalid.
    """
    manifest = load_manifest(settings.manifest, settings.clips_dir)
    pages = sorted(docs_dir.rglob("*.md")) + sorted(settings.posts_dir.rglob("*.md"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    plan = SitePlan()
    for text in texts.values():
        body = _body(text)
        for found in find_fences(body):
            if found.name == "claim":
                try:
                    fence = parse_fence("claim", found.body, manifest)
                except (FenceError, LookupProblem):
                    continue
                plan.probes.update((r.clip, r.probe) for r in fence.check.refs if r.clip)
        for value in find_inline(body):
            clip, _, rest = value.text.partition(":")
            plan.probes.add((clip.strip().removesuffix(".mp4"), rest.strip().partition(".")[0]))
    results, _run = run_probe_phase(manifest, settings, plan.probes)
    report = CheckReport()
    for page, text in texts.items():
        check_page(text, _shown(page, settings.root), manifest, results, report)
    return report


def check_page(
    text: str, shown: str, manifest: Manifest, results: ResultSet, report: CheckReport
) -> None:
    """Evaluate the claims, fences and inline values of one page's source into ``report``.

    ``text`` is the file as written (front matter included), so lines match the file.
    """
    body = _body(text)
    offset = line_offset(text, body)
    for found in find_fences(body):
        line = found.line + offset
        try:
            fence = parse_fence(found.name, found.body, manifest)
            if isinstance(fence, ClaimFence):
                outcome = evaluate_claim(fence, results)
                outcome.page, outcome.line = shown, line
                report.claims.append(outcome)
        except FenceError as error:
            report.problems.append(f"{shown}:{line + error.line}: {error.message}")
        except LookupProblem as problem:
            report.problems.append(f"{shown}:{line}: {problem}")
    for value in find_inline(body):
        try:
            inline_value_html(value.text, results)
        except LookupProblem as problem:
            report.problems.append(f"{shown}:{value.line + offset}: {problem}")


def _body(text: str) -> str:
    """The page without its YAML front matter, as MkDocs hands it to plugins."""
    if not text.startswith("---"):
        return text
    lines = text.split("\n")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() in _FRONT_MATTER_END:
            try:
                yaml.safe_load("\n".join(lines[1:index]))
            except yaml.YAMLError:
                return text
            return "\n".join(lines[index + 1 :]).lstrip("\n")
    return text


def _shown(page: Path, root: Path) -> str:
    try:
        return page.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(page)

"""The build's side of the Validation page: measure the corpus, report, add page and media.

Only a site that sets ``validation:`` (a corpus folder, relative to mkdocs.yml) under
``plugins: - probepress:`` gets the page; the package ships no corpus, so a site of
one's own needs none. The corpus is measured by the build's probe phase with the site's
cache (a warm build decodes nothing) and every row is checked: a row expected to hold
that falls out of its tolerance, a known failure that now holds, or a known failure that
names no case is logged as an error, so ``mkdocs build --strict`` fails and names it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from probepress.authoring.escaping import markdown_text
from probepress.authoring.html import PageRender
from probepress.authoring.parse import ClipFence
from probepress.measure.probe_phase import run_probe_phase
from probepress.measure.validation_checks import SCENE_PROBES, Row, corpus_rows
from probepress.measure.validation_corpus import Corpus, CorpusError, load_corpus
from probepress.site.build import SiteBuild
from probepress.site.media import SiteMedia
from probepress.site.plan import SitePlan
from probepress.site.probe_pages import PROBE_PAGES_URI
from probepress.site.validation_page import VALIDATION_URI, case_label, page_markdown, players

__all__ = ["CLAIM", "ValidationOutcome", "add_validation_page", "method_page_links"]

log = logging.getLogger("mkdocs.plugins.probepress")

CLAIM = "Every row of the validation corpus that is expected to hold is within its tolerance"


@dataclass(frozen=True)
class ValidationOutcome:
    """The rows of this build's Validation page, for the probes' method pages."""

    rows: tuple[Row, ...]
    page_uri: str = VALIDATION_URI


def add_validation_page(files: Files, config: MkDocsConfig, build: SiteBuild) -> None:
    """Measure the corpus, report what does not hold, and add the page and its media."""
    settings = build.settings
    if settings.validation_dir is None:
        return
    if files.get_file_from_path(VALIDATION_URI) is not None:
        log.warning(
            "docs/%s exists; remove it to get the generated Validation page", VALIDATION_URI
        )
        return
    try:
        corpus = load_corpus(settings.validation_dir)
        results, run = run_probe_phase(corpus.manifest(SCENE_PROBES), settings)
        rows = corpus_rows(corpus, results)
    except CorpusError as error:
        for problem in error.problems:
            build.renderer.report(problem)
        return
    log.info("probepress validation corpus: %s", run.summary)
    root = settings.root
    for message in _problems(corpus, rows, root):
        build.renderer.report(message)
    media = SiteMedia(settings.cache_dir / "media", results)
    plan = SitePlan()
    for player in players(corpus).values():
        if isinstance(player, ClipFence):
            plan.clips.add(player.clip)
        else:
            plan.compares.append(player)
            plan.clips.update(clip for _label, clip in player.items)
    media.prepare(plan)
    media.add_to(files, config)
    page = File.generated(config, VALIDATION_URI, content="")
    render = PageRender(results, media, page.url)
    page.content_string = page_markdown(corpus, rows, render, _shown(corpus.spec, root))
    files.append(page)
    build.validation = ValidationOutcome(tuple(rows))


def _problems(corpus: Corpus, rows: list[Row], root: Path) -> list[str]:
    """Each line that fails the build: rows out of tolerance, stale known failures."""
    spec = _shown(corpus.spec, root)
    page = f"{VALIDATION_URI} (generated from {_shown(corpus.folder, root)})"
    problems = []
    for row in rows:
        truth = _shown(corpus.clips[row.clip].path.with_suffix(".json"), root)
        if row.status == "fails":
            problems.append(
                f"{page}: claim does not hold: {CLAIM!r} — row {row.check} on {row.case}: "
                f"measured {row.measured}, truth {row.truth} ({truth}), tolerance {row.tolerance}"
            )
        elif row.status == "fixed":
            problems.append(
                f"{spec}:{row.known.line}: known failure {row.check} on {row.case} now holds "
                f"(measured {row.measured}, truth {row.truth}); remove it from known_failures"
            )
    cases = {(row.check, row.case) for row in rows}
    for known in corpus.known_failures:
        if (known.check, known.case) not in cases:
            problems.append(
                f"{spec}:{known.line}: known failure names no case: check {known.check!r}, "
                f"case {known.case!r}; fix the names or remove the entry"
            )
    return problems


def method_page_links(src_uri: str, build: SiteBuild) -> str:
    """Markdown linking a probe's method page to its rows on the Validation page."""
    outcome = build.validation
    if outcome is None or not src_uri.startswith(f"{PROBE_PAGES_URI}/"):
        return ""
    probe = src_uri.removeprefix(f"{PROBE_PAGES_URI}/").removesuffix(".md")
    mine = [r for r in outcome.rows if r.section == probe]
    negative = [r for r in outcome.rows if r.section == "negative" and r.case.endswith(f"|{probe}")]
    if not mine and not negative:
        return ""
    page = get_relative_url(outcome.page_uri, src_uri)
    lines = [
        "",
        "## Accuracy on the validation corpus",
        "",
        f"Measured at this build on the [validation corpus]({page}#{probe if mine else 'negative'})"
        " (truth from rendered geometry; real footage as negative controls):",
        "",
    ]
    for check in dict.fromkeys(r.check for r in mine + negative):
        of_check = [r for r in mine + negative if r.check == check]
        expected = [r for r in of_check if r.known is None]
        links = ", ".join(
            f"[{markdown_text(case_label(r.case))}]({page}#{r.anchor})"
            + ("" if r.known is None else " (known failure)")
            for r in of_check
        )
        held = sum(r.holds for r in expected)
        lines.append(f"- `{check}`: {held} of {len(expected)} hold: {links}")
    return "\n".join([*lines, ""])


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)

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
from probepress.measure.validation_checks import Row
from probepress.site.build import SiteBuild
from probepress.site.media import SiteMedia
from probepress.site.plan import SitePlan
from probepress.site.probe_pages import PROBE_PAGES_URI
from probepress.site.validation_page import case_label, page_markdown, players
from probepress.site.validation_review import (
    VALIDATION_URI,
    ValidationReview,
    review_validation,
    shown,
)

__all__ = ["ValidationOutcome", "add_validation_page", "method_page_links"]

log = logging.getLogger("mkdocs.plugins.probepress")


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
    review = review_validation(settings)
    for problem in review.problems:
        build.renderer.report(problem)
    if review.corpus is None or review.results is None:
        return  # the corpus could not be read (reported above)
    log.info("probepress validation corpus: %s", review.run.summary)
    try:
        _add_page(files, config, build, review)
    except Exception as error:  # noqa: BLE001 - a bug here must fail the build by name, not crash it
        build.renderer.report(
            f"{VALIDATION_URI}: probepress could not make the Validation page: {error!r}"
        )


def _add_page(
    files: Files, config: MkDocsConfig, build: SiteBuild, review: ValidationReview
) -> None:
    """The page and its media (players with their overlays, side-by-side copies)."""
    settings = build.settings
    media = SiteMedia(settings.cache_dir / "media", review.results)
    plan = SitePlan()
    for player in players(review.corpus).values():
        if isinstance(player, ClipFence):
            plan.clips.add(player.clip)
        else:
            plan.compares.append(player)
            plan.clips.update(clip for _label, clip in player.items)
    media.prepare(plan)
    media.add_to(files, config)
    page = File.generated(config, VALIDATION_URI, content="")
    render = PageRender(review.results, media, page.url, build.renderer.chart_data.add)
    spec = shown(review.corpus.spec, settings.root)
    if Path(spec).is_absolute():  # a corpus outside the site: never publish the build's paths
        spec = "/".join(Path(spec).parts[-2:])
    page.content_string = page_markdown(review.corpus, review.rows, render, spec)
    files.append(page)
    build.validation = ValidationOutcome(tuple(review.rows))


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

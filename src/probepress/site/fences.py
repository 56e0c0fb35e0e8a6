"""Superfences formatters for probepress's fences, with errors that name ``path:line``.

Superfences renders a fence whose formatter raises anything but its own exception as
plain code, silently; so every problem is caught here, logged under ``mkdocs.``
(which makes ``mkdocs build --strict`` fail) and shown in the page as an
error box naming the file and line. Problems are logged as errors, not warnings:
``mkdocs build -q`` hides warnings from the strict counter. The site review
(:mod:`probepress.site.problems`) reports most of them before pages render; each is
logged once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from probepress.authoring.html import MediaUrls, PageRender
from probepress.authoring.markdown_scan import FENCE_NAMES
from probepress.authoring.parse import ClaimFence
from probepress.authoring.parse_memo import FenceParses
from probepress.claims.callout import claim_html
from probepress.claims.evaluate import ClaimOutcome, evaluate_claim
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest
from probepress.measure.results import LookupProblem, ResultSet
from probepress.site.chart_data import ChartDataFiles
from probepress.site.problems import failing_claim_message

__all__ = ["FenceRenderer", "PageContext", "register_fences"]

log = logging.getLogger("mkdocs.plugins.probepress")


@dataclass(frozen=True)
class PageContext:
    """The page being rendered: its file (as shown in errors) and its URL."""

    shown_path: str
    url: str


@dataclass
class FenceRenderer:
    """Renders every probepress fence of a build, page by page."""

    manifest: Manifest | None = None
    results: ResultSet | None = None
    media: MediaUrls | None = None
    page: PageContext | None = None
    # The build's fences parsed once, shared with the review (set with ``manifest``).
    parses: FenceParses | None = None
    # Each fence's chart made once (see PageRender.fence_figure).
    figures: dict = field(default_factory=dict)
    claims: list[ClaimOutcome] = field(default_factory=list)
    chart_data: ChartDataFiles = field(default_factory=ChartDataFiles)
    problems: int = 0
    # Lines already logged (by the site review or an earlier render): logged once.
    reported: set[str] = field(default_factory=set)
    # A post's fences render again in blog index, category and archive pages: report
    # each problem and record each claim once, under the post.
    _seen: set[tuple[str, int, str]] = field(default_factory=set)

    def validate(self, language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
        """Superfences validator: keep the line number the page scan put on the header."""
        for key in ("pp_line", "pp_page"):
            if key in inputs:
                options[key] = inputs.pop(key)
        return True

    def format(
        self, source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any
    ) -> str:
        """Superfences formatter: render one fence, or an error box and a warning."""
        line = str(options.get("pp_line", ""))
        # The page scan writes pp_line; an author's own pp_line="x" must not crash here.
        header = int(line) if line.isascii() and line.isdigit() else 0
        page = options.get("pp_page") or (self.page.shown_path if self.page else "")
        try:
            return self._render(language, source, page, header)
        except FenceError as error:
            line = header + error.line if error.line else header
            return self._problem(error.message, page, line)
        except LookupProblem as problem:
            return self._problem(str(problem), page, header)
        except Exception as error:  # noqa: BLE001 - superfences would hide it as code
            # Superfences shows a fence whose formatter raises anything but its own
            # exception as plain code (internal pp_ attributes and all) and the build
            # passes: every failure must become this fence's file:line problem.
            message = f"probepress could not render this `{language}` fence: {error!r}"
            return self._problem(message[:500], page, header)

    def _render(self, name: str, source: str, page: str, header: int) -> str:
        if self.manifest is None or self.results is None or self.media is None or self.page is None:
            raise FenceError("probepress could not measure the clips (see the errors above)")
        if self.parses is None or self.parses.manifest is not self.manifest:
            self.parses = FenceParses(self.manifest)
        fence = self.parses.parse(name, source)
        if isinstance(fence, ClaimFence):
            return self._claim(fence, page, header)
        render = PageRender(
            self.results,
            self.media,
            self.page.url,
            self.chart_data.add,
            figures=self.figures,
            fence_key=(name, source),
        )
        return getattr(render, name)(fence)

    def _claim(self, fence: ClaimFence, page: str, header: int) -> str:
        outcome = evaluate_claim(fence, self.results)
        outcome.page, outcome.line = page, header
        if self._first_time(page, header, "claim"):
            self.claims.append(outcome)
            if not outcome.holds:
                self.report(failing_claim_message(outcome))
        return claim_html(outcome)

    def report(self, message: str) -> None:
        """Log ``message`` (``file:line: what``) as an error, unless already logged."""
        if message not in self.reported:
            self.reported.add(message)
            log.error("%s", message)

    def _first_time(self, page: str, line: int, what: str) -> bool:
        key = (page, line, what)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    def _problem(self, message: str, page: str, line: int) -> str:
        where = f"{page}:{line}"
        if self._first_time(page, line, message):
            self.report(f"{where}: {message}")
            self.problems += 1
        return (
            '<div class="admonition failure pp-error"><p class="admonition-title">'
            f"probepress: {escape(where)}</p><p>{escape(message)}</p></div>"
        )


def register_fences(config: MkDocsConfig, renderer: FenceRenderer) -> None:
    """Add the probepress fences to pymdownx.superfences (from Python, not YAML)."""
    if "pymdownx.superfences" not in config.markdown_extensions:
        config.markdown_extensions.append("pymdownx.superfences")
    settings = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = [f for f in settings.get("custom_fences", []) if f.get("name") not in FENCE_NAMES]
    for name in FENCE_NAMES:
        fences.append(
            {
                "name": name,
                "class": f"pp-{name}",
                "format": renderer.format,
                "validator": renderer.validate,
            }
        )
    settings["custom_fences"] = fences

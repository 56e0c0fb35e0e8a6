"""The build's side of the site review: gather the pages, report, hand results on.

Runs :func:`~probepress.site.problems.review_site` over the build's own files (so the
build and ``probepress check`` report the same problems) and logs each as an error
under ``mkdocs.``: the build goes on rendering, and ``--strict`` fails at its end, even
under ``-q``. A manifest or a page that cannot be read stops the build here (MkDocs and
the blog would stop on the page with a traceback), and so does a Dask scheduler that
the settings name but that cannot be used.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from probepress.measure.cluster import ClusterError
from probepress.site.build import SiteBuild
from probepress.site.config import SETTINGS_HOME
from probepress.site.front_matter import blog_rules_from_config
from probepress.site.problems import SiteReview, SourcePage, capped, review_site

__all__ = ["review_build"]

log = logging.getLogger("mkdocs.plugins.probepress")


def review_build(files: Files, config: MkDocsConfig, build: SiteBuild) -> SiteReview:
    """Review the build's pages, log every problem, and give the renderer the results.

    Raises
    ------
    PluginError
        When the manifest cannot be used (its problems are logged first).
    """
    blog = blog_rules_from_config(config)
    pages = []
    for file in files.documentation_pages(inclusion=lambda _level: True):
        if not file.src_uri.endswith(".md") or not file.abs_src_path:
            continue
        is_post = blog is not None and file.src_uri.startswith(blog.posts_uri)
        shown = _shown(file.abs_src_path, build.settings.root)
        pages.append(SourcePage.read(Path(file.abs_src_path), shown, is_post=is_post))
    try:
        review = review_site(build.settings, pages, blog)
    except ClusterError as error:  # the site asked for a cluster: no quiet local fallback
        raise PluginError(
            f"probepress: {error} (the `scheduler` setting {SETTINGS_HOME})"
        ) from None
    messages = review.messages()
    for message in capped(messages):
        log.error("%s", message)
    # Pages render the same fences again: what is reported here is not logged twice.
    build.renderer.reported.update(messages)
    if review.fatal or review.results is None:
        raise PluginError(
            f"probepress: {len(review.problems)} problem(s); the manifest or a page cannot be "
            "read (listed above)"
        )
    if review.run is not None:
        log.info("probepress %s", review.run.summary)
    for clip_id, report in review.results.reports.items():
        for probe, outcome in report.results.items():
            if not outcome:
                log.info("probepress: %s could not measure %s: %s", probe, clip_id, outcome.error)
    build.renderer.manifest, build.renderer.results = review.manifest, review.results
    build.renderer.parses = review.parses
    build.page_claims = review.page_claims
    return review


def _shown(path: str, root: Path) -> str:
    """The source as the author knows it: posts/x.md, docs/guide.md."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path

"""The probepress MkDocs plugin: ``plugins: - probepress`` in a site's mkdocs.yml.

One build, event by event (priorities run high to low; Material's blog plugin reads
its posts at -50, so ours are mapped in and reviewed before it):

====================  ========  ==================================================
event                 priority  what
====================  ========  ==================================================
on_config             100       settings, this build's state, fences, front end;
                                the card font in Material's social cache (its
                                cards are drawn in on_page_markdown at -100)
on_files (sources)    0         posts/ into the blog, probe method pages
on_files (measure)    -40       front-end files; measure the clips (once) and
                                report every problem of the site, with file:line
on_files (generated)  -110      leaderboard and claims pages from the results; the
                                Validation page (measures its corpus)
on_files (media)      -120      web copies, posters, overlays for every page
on_page_markdown      0         inline values, fence lines (before the blog's -50)
on_page_content       0         a citation block at the end of each post
on_page_context       0         media URLs relative to this page: the blog renders
                                post excerpts into its index, archive and category
                                pages at -100, after every page's Markdown ran
on_post_page          0         description and OpenGraph meta (the social card
                                as og:image); no remote scripts; posters far
                                down a page wait for the reader
on_post_build         -50       open data: results.json, results.csv, claims.json,
                                each chart's data (data/charts/); posters as
                                enclosures in the RSS feeds (after rss writes them)
on_serve              0         watch posts and clips; HTTP Range for seekable clips
====================  ========  ==================================================

Each phase logs ``probepress: phase: NAME`` at debug level (``mkdocs build -v``).
``mkdocs serve`` keeps plugin instances across rebuilds, so every piece of a build's
state lives in the :class:`SiteBuild` that ``on_config`` makes afresh.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from probepress.site.asset_files import add_asset_files, register_asset_urls
from probepress.site.build import SiteBuild, attach
from probepress.site.build_review import review_build
from probepress.site.claims_page import CLAIMS_URI, claims_page_markdown
from probepress.site.config import ProbepressConfig
from probepress.site.deferred_posters import defer_posters
from probepress.site.feed_enclosures import add_poster_enclosures
from probepress.site.fences import register_fences
from probepress.site.leaderboard import page_markdown as leaderboard_markdown
from probepress.site.markdown_setup import require_markdown_extensions
from probepress.site.media import SiteMedia
from probepress.site.media_file import copy_early
from probepress.site.offline_pages import strip_remote_scripts
from probepress.site.open_data import write_open_data
from probepress.site.page_markdown import enter_page, expand_page
from probepress.site.plan import plan_site
from probepress.site.post_citation import add_post_citation
from probepress.site.posts import BLOG_POSTS_URI, add_posts
from probepress.site.probe_pages import add_probe_pages
from probepress.site.publish import check_publish_url, is_publish_build
from probepress.site.range_requests import enable_range_requests
from probepress.site.settings import settings_from_config
from probepress.site.shared_styles import share_large_styles
from probepress.site.social_cards import seed_card_fonts
from probepress.site.social_meta import add_social_meta, first_paragraph, poster_url
from probepress.site.validation_build import add_validation_page, method_page_links

__all__ = ["LEADERBOARD_URI", "ProbepressPlugin"]

log = get_plugin_logger("probepress")

LEADERBOARD_URI = "leaderboard.md"


class ProbepressPlugin(BasePlugin[ProbepressConfig]):
    """Measure a site's clips at every build and check every claim its pages make."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.build: SiteBuild | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is ``build``, ``serve`` or ``gh-deploy``."""
        self.command = command

    # Highest: every later phase reads the state made here.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Read the settings and start this build's state."""
        _phase("config")
        if is_publish_build(self.command, os.environ):
            check_publish_url(config.site_url, config.config_file_path)
        settings = settings_from_config(self.config, config.config_file_path)
        self.build = attach(config, SiteBuild(settings=settings))
        added = require_markdown_extensions(config)
        if added:
            log.debug("added the Markdown extensions it needs: %s", ", ".join(added))
        # From Python: YAML's !!python/name cannot reach objects of this build.
        register_fences(config, self.build.renderer)
        register_asset_urls(config)
        # Before the social plugin's on_config (0): it would download a missing font.
        for folder in seed_card_fonts(config):
            log.debug("social cards draw with the vendored font in %s", folder)
        return config

    # Above the blog plugin's -50, so that it sees the posts as its own.
    @event_priority(0)
    def _add_sources(self, files: Files, *, config: MkDocsConfig) -> Files:
        _phase("sources")
        added = add_posts(files, config, self._build.settings.posts_dir)
        pages = add_probe_pages(files, config)
        log.debug("mapped %d post files into the blog, %d probe pages", len(added), len(pages))
        return files

    # Before the blog plugin (-50) reads the posts (mapped at 0), so that a post it
    # would reject is first reported with its file and line.
    @event_priority(-40)
    def _measure(self, files: Files, *, config: MkDocsConfig) -> Files:
        _phase("measure")
        add_asset_files(files, config)
        review_build(files, config, self._build)  # measure, report every problem
        return files

    # After the probe phase: these pages are made from its results.
    @event_priority(-110)
    def _add_generated_pages(self, files: Files, *, config: MkDocsConfig) -> Files:
        _phase("generated pages")
        build = self._build
        renderer = build.renderer
        if renderer.results is None:
            return files
        if files.get_file_from_path(LEADERBOARD_URI) is not None:
            log.warning(
                "docs/%s exists; remove it to get the generated leaderboard", LEADERBOARD_URI
            )
        else:
            markdown = leaderboard_markdown(renderer.results)
            files.append(File.generated(config, LEADERBOARD_URI, content=markdown))
        if files.get_file_from_path(CLAIMS_URI) is None:
            markdown = claims_page_markdown(
                files,
                renderer.manifest,
                renderer.results,
                build.settings.root,
                renderer.parses,
                checked=build.page_claims,
            )
            files.append(File.generated(config, CLAIMS_URI, content=markdown))
        add_validation_page(files, config, build)  # only with the `validation` setting
        return files

    # Last: the generated pages' clips get media like any post's.
    @event_priority(-120)
    def _prepare_media(self, files: Files, *, config: MkDocsConfig) -> Files:
        _phase("media")
        build = self._build
        renderer = build.renderer
        if renderer.results is None:
            return files
        media = SiteMedia(build.settings.cache_dir / "media", renderer.results)
        media.prepare(plan_site(files, renderer.manifest, renderer.parses))
        media.add_to(files, config)
        copy_early(files)  # while the pages render
        renderer.media = media
        return files

    on_files = CombinedEvent(_add_sources, _measure, _add_generated_pages, _prepare_media)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Expand inline values and mark fence lines before Markdown runs."""
        _phase("page markdown", page.file.src_uri)
        # A probe's method page links its rows on the Validation page, when there is one.
        markdown += method_page_links(page.file.src_uri, self._build)
        expanded = expand_page(markdown, page, self._build)
        return markdown if expanded is None else expanded

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """End each post with how to cite it (BibTeX and plain text)."""
        return add_post_citation(html, page, config)

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Any) -> dict:
        """Make fences in the excerpts the blog renders here link media from this page."""
        enter_page(page, self._build)
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """Description and OpenGraph tags; no remote script loaders; large styles shared."""
        is_post = page.file.src_uri.startswith(f"{BLOG_POSTS_URI}/")
        description = page.meta.get("description") or (
            first_paragraph(page.content or "") if is_post else config.site_description
        )
        # Notebook pages carry a mermaid loader that imports from a CDN.
        output, removed = strip_remote_scripts(output)
        if removed:
            log.debug(
                "%s: removed %d script(s) loading from another host", page.file.src_uri, removed
            )
        # ... and JupyterLab's 575 KB theme inline: a shared file keeps the HTML light.
        output, _shared = share_large_styles(
            output, page_uri=page.file.dest_uri, site_dir=Path(config.site_dir)
        )
        poster = poster_url(output, page.canonical_url) if is_post else None
        if poster:
            self._build.post_posters[page.canonical_url] = poster
        # After the link preview read the first poster (which stays): the rest load near view.
        output, _deferred = defer_posters(output)
        return add_social_meta(
            output,
            title=page.title or config.site_name,
            description=str(description or ""),
            page_url=page.canonical_url,
            site_name=config.site_name,
            is_post=is_post,
        )

    # After mkdocs-rss-plugin (0) wrote its feeds, which get the posters here.
    @event_priority(-50)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Publish the open data and each chart's data; posters into the RSS feeds."""
        _phase("open data")
        renderer = self._build.renderer
        if renderer.results is None:
            return
        if config.site_url:
            enclosures = add_poster_enclosures(
                Path(config.site_dir), config.site_url, self._build.post_posters
            )
            log.debug("added %d poster enclosures to the RSS feeds", enclosures)
        written = write_open_data(Path(config.site_dir), renderer.results, renderer.claims)
        charts = renderer.chart_data.write(Path(config.site_dir))
        holding = sum(c.holds for c in renderer.claims)
        log.info(
            "%d of %d claims hold; open data in %s and %d chart data files",
            holding,
            len(renderer.claims),
            ", ".join(p.name for p in written),
            len(charts),
        )

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a post, a clip, the manifest or the corpus changes; serve Range requests."""
        settings = self._build.settings
        # The validation corpus too, when the site shows one: an edited truth or
        # tolerance rebuilds the Validation page.
        watched = [settings.posts_dir, settings.clips_dir, settings.manifest]
        for path in [*watched, settings.validation_dir] if settings.validation_dir else watched:
            if path.exists():
                server.watch(str(path))
        # The dev server sends whole files only: videos could not seek (see range_requests).
        enable_range_requests(server)
        return server

    @property
    def _build(self) -> SiteBuild:
        assert self.build is not None, "on_config runs before every other event"
        return self.build


def _phase(name: str, detail: str = "") -> None:
    log.debug("phase: %s%s", name, f" ({detail})" if detail else "")

"""``probepress check``: review a site from its sources on disk, without rendering it.

It reads the pages the build reads (docs/ and posts/), measures what they need through
the same cache, and runs the same review as the build (:mod:`probepress.site.problems`):
the manifest, unreadable clips, every claim, fence and inline value, and each post's
front matter, and the rows of the Validation page when the site shows one. Meant for a
site's CI: it fails whenever ``mkdocs build --strict`` would.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from probepress.site.front_matter import blog_rules_from_yaml
from probepress.site.problems import SiteReview, SourcePage, review_site
from probepress.site.project import find_settings
from probepress.site.validation_review import review_validation

__all__ = ["check_site"]


def check_site(config_file: Path) -> SiteReview:
    """Review the site of ``config_file`` (mkdocs.yml) from its sources on disk.

    Every page under the docs folder and the posts folder, the manifest and the blog's
    front matter rules go through :func:`~probepress.site.problems.review_site`, the
    same review the build runs, so check fails exactly when the strict build would.
    """
    settings = find_settings(config_file, require_plugin=True)
    with open(config_file, encoding="utf-8") as stream:
        raw = yaml.load(stream, Loader=_IgnoreTags) or {}
    docs_dir = settings.root / (raw.get("docs_dir") or "docs")
    blog = blog_rules_from_yaml(raw, settings.root)
    posts_in_docs = docs_dir / blog.posts_uri if blog else None
    pages = []
    for path in sorted(docs_dir.rglob("*.md")) + sorted(settings.posts_dir.rglob("*.md")):
        is_post = path.is_relative_to(settings.posts_dir) or bool(
            posts_in_docs and path.is_relative_to(posts_in_docs)
        )
        pages.append(SourcePage.read(path, _shown(path, settings.root), is_post=is_post))
    review = review_site(settings, pages, blog)
    validation = review_validation(settings)  # the Validation page's rows, if it has one
    if validation is not None:
        review.problems += validation.problems
    return review


def _shown(page: Path, root: Path) -> str:
    try:
        return page.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(page)


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml for plain keys, ignoring tags such as !!python/name."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)

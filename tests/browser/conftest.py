"""The real demo site, built with ``--strict`` for a local port, served, and opened in Chromium.

Every test here is in the ``demo-site`` xdist group, so one worker builds the site
once (about 20 s with cold probes) and runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browserkit import browser_context as open_context
from browserkit import local_server
from sitebuild import build_site, copy_site

POST_PATH = re.compile(r"^blog/\d{4}/\d{2}/\d{2}/[^/]+$")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the real-site tests on one xdist worker: one build, one browser."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("demo-site"))


@dataclass(frozen=True)
class DemoSite:
    """The built and served demo site."""

    url: str
    folder: Path

    @property
    def pages(self) -> list[str]:
        """Every page's path relative to the site root, ``""`` for the home page."""
        paths = (p.relative_to(self.folder).parent.as_posix() for p in self.folder.rglob("*.html"))
        return sorted("" if p == "." else p + "/" for p in paths if not p.startswith("assets"))

    @property
    def posts(self) -> list[str]:
        """The blog posts' pages (not the index, archive or category pages)."""
        return [p for p in self.pages if POST_PATH.match(p.rstrip("/"))]


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory, demo_clips: Path) -> Iterator[DemoSite]:
    """The demo site, built for and served on a free port of 127.0.0.1."""
    root = copy_site(tmp_path_factory.mktemp("browser-demo"), with_clips_from=demo_clips)
    with local_server(root / "site") as (url, folder):
        config = root / "mkdocs.yml"
        # Instant navigation only follows links whose host and port match site_url.
        text = re.sub(r"^site_url: .*$", f"site_url: {url}", config.read_text(), flags=re.M)
        config.write_text(text)
        result = build_site(root)
        assert result.returncode == 0, result.stderr
        yield DemoSite(url, folder)


@pytest.fixture(scope="session")
def browser_context(chromium, demo_site: DemoSite):
    """One browser context for the whole suite."""
    with open_context(chromium, demo_site.url) as context:
        yield context

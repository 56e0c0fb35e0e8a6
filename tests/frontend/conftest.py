"""Fixtures for the browser tests: the built test site, a local server, headless Chromium.

One browser context serves the session (its HTTP and code caches spare each test
the ~1-2 s of compiling plotly.min.js again); every test still gets a page of its
own with an empty localStorage (default palette). Each page records console errors,
uncaught exceptions and requests to any host but 127.0.0.1, and a test fails if
there were any.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _frontend_site import build
from browserkit import ARTIFACTS, DESKTOP, local_server, open_page
from browserkit import browser_context as open_context


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the test site, built for (and served from) a local port."""
    root = tmp_path_factory.mktemp("frontend-site")
    with local_server(root / "site") as (url, _site):
        build(root, site_url=url)  # instant navigation needs site_url with this port
        yield url


@pytest.fixture(scope="session")
def browser_context(chromium, base_url: str):
    """One browser context for the whole session."""
    with open_context(chromium, base_url) as context:
        yield context


@pytest.fixture
def viewport() -> dict[str, int]:
    """The page's size; parametrize ``viewport`` in a test for another one."""
    return DESKTOP


@pytest.fixture
def page(browser_context, viewport: dict[str, int]):
    """A fresh page; the test fails on any console error or request off the site."""
    page, log = open_page(browser_context, viewport)
    yield page
    page.close()
    log.assert_clean()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (gitignored)."""
    folder = ARTIFACTS / "frontend"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

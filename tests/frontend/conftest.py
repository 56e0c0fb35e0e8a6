"""The front-end test site (tests/frontend/_frontend_site.py), built, served, in Chromium.

One browser context serves the session (its HTTP and code caches spare each test
the ~1-2 s of compiling plotly.min.js again); every test still gets a page of its
own, with an empty localStorage, from the ``page`` fixture in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _frontend_site import build
from browserkit import browser_context as open_context
from browserkit import local_server


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

"""The payload site (see _payload_site.py), built with --strict for a local port and served."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from _payload_site import PayloadSite, make_payload_site
from browserkit import browser_context as open_context
from browserkit import local_server
from sitebuild import build_site


@pytest.fixture(scope="session")
def payload_site(
    tmp_path_factory: pytest.TempPathFactory, demo_clips: Path
) -> Iterator[PayloadSite]:
    """The payload site, built with --strict for a free local port and served there."""
    root = make_payload_site(
        tmp_path_factory.mktemp("payload-site"),
        demo_clips,
        tmp_path_factory.mktemp("payload-cache"),
    )
    with local_server(root / "site") as (url, folder):
        config = root / "mkdocs.yml"
        text = re.sub(r"^site_url: .*$", f"site_url: {url}", config.read_text(), flags=re.M)
        config.write_text(text)
        result = build_site(root)
        assert result.returncode == 0, result.stderr
        yield PayloadSite(root, url, folder)


@pytest.fixture(scope="session")
def browser_context(chromium, payload_site: PayloadSite):
    """One browser context for the suite."""
    with open_context(chromium, payload_site.url) as context:
        yield context

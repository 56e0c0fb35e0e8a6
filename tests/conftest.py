"""Session fixtures: the synthetic demo clips, and the demo site built once with --strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from browserkit import ARTIFACTS, DESKTOP, open_page
from browserkit import chromium as launch_chromium
from sitebuild import build_site, copy_site


@pytest.fixture(scope="session")
def demo_clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic demo clips, rendered once per test session by ``probepress.synth``."""
    from probepress import synth

    out = tmp_path_factory.mktemp("demo-clips")
    synth.generate(out, seed=0)
    return out


@pytest.fixture(scope="session")
def built_demo_site(tmp_path_factory: pytest.TempPathFactory, demo_clips: Path) -> Path:
    """The demo site, copied and built once with ``--strict``; returns its root."""
    root = copy_site(tmp_path_factory.mktemp("demo-site"), with_clips_from=demo_clips)
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium, one per test process, shared by the browser suites."""
    with launch_chromium() as browser:
        yield browser


# Browser suites (tests/frontend, tests/browser) define ``browser_context`` for their
# own site; these fixtures serve both.


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


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """Where a suite's screenshots go: test-artifacts/<suite folder>/ (gitignored)."""
    folder = ARTIFACTS / request.path.parent.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder

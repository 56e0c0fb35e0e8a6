"""The probepress plugin on a site that is not the demo: one scene, one clip, no probe pages.

Every test builds the site ``probepress init`` writes with the real ``mkdocs``, as a
new user would; the probe cache is shared, so only the first build measures.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from minimal_site import POST_URL, make_minimal_site
from sitebuild import BIN, build_site, run_mkdocs

pytestmark = pytest.mark.slow

PHASES = ["config", "sources", "measure", "generated pages", "media", "page markdown", "open data"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("probe-cache")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, cache: Path) -> Path:
    """The minimal site, built once with ``--strict --verbose``; returns its root."""
    root = make_minimal_site(tmp_path_factory.mktemp("minimal"), cache)
    result = run_mkdocs(root, "build", "--strict", "--verbose", "--site-dir", str(root / "site"))
    assert result.returncode == 0, result.stderr[-3000:]
    (root / "build.log").write_text(result.stderr, encoding="utf-8")
    return root


def _html(root: Path, page: str) -> str:
    return (root / "site" / page / "index.html").read_text(encoding="utf-8")


def test_phases_run_in_the_order_the_plugin_states(built):
    log = (built / "build.log").read_text(encoding="utf-8")
    seen = re.findall(r"probepress: phase: ([a-z]+(?: [a-z]+)*)", log)
    first = [phase for i, phase in enumerate(seen) if phase not in seen[:i]]
    assert first == PHASES
    # Every page's markdown is expanded after the media exist and before the open data.
    assert seen.index("open data") == len(seen) - 1
    assert seen.count("config") == 1 and seen.count("measure") == 1


def test_leaderboard_of_a_one_clip_scene_shows_one_player_not_a_comparison(built):
    page = _html(built, "leaderboard")
    assert "pp-error" not in page
    assert 'class="pp-clip' in page
    assert "pp-compare" not in page


def test_generated_pages_link_only_to_pages_that_exist(built):
    for page in ("leaderboard", "claims", POST_URL):
        html = _html(built, page)
        folder = built / "site" / page
        for raw in re.findall(r'href="([^"]+)"', html):
            # Attribute values may be entity-escaped (the claims page escapes every link).
            href = unescape(raw).partition("#")[0]
            if not href or ":" in href or href.startswith("/"):
                continue
            target = (folder / href).resolve()
            assert target.exists() or (target / "index.html").exists(), (page, href)


def test_probe_method_pages_come_from_the_package(built):
    assert not (built / "docs" / "probes").exists()
    gravity = _html(built, "probes/gravity")
    assert "acceleration_px_s2" in gravity
    assert 'href="../probes/gravity/"' in _html(built, "leaderboard")


def test_claims_page_and_open_data_list_the_one_claim(built):
    ledger = json.loads((built / "site" / "data" / "claims.json").read_text(encoding="utf-8"))
    assert [c["holds"] for c in ledger["claims"]] == [True]
    assert "1 of 1 hold" in _html(built, "claims")
    results = json.loads((built / "site" / "data" / "results.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in results["clips"]] == ["ball-drop/reference"]


def test_a_post_gets_its_description_and_opengraph_tags(built):
    html = _html(built, POST_URL)
    assert (
        '<meta name="description" content="A ball dropped in a room, measured at every build.">'
        in html
    )
    assert html.count('name="description"') == 1
    assert '<meta property="og:type" content="article">' in html
    assert re.search(
        r'<meta property="og:image" content="http://127\.0\.0\.1:8000/[^"]+\.jpg">', html
    )


def test_a_site_probe_page_replaces_the_shipped_one(tmp_path, cache):
    root = make_minimal_site(tmp_path, cache)
    (root / "docs" / "probes").mkdir()
    (root / "docs" / "probes" / "gravity.md").write_text("# Our gravity notes\n", encoding="utf-8")
    result = build_site(root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Our gravity notes" in _html(root, "probes/gravity")
    # The probes the site does not describe keep the package's page.
    assert "flicker_index" in _html(root, "probes/flicker")


def test_descriptions_are_escaped_from_front_matter_or_first_paragraph(tmp_path, cache):
    root = make_minimal_site(tmp_path, cache)
    post = next((root / "posts").glob("*.md"))
    text = post.read_text(encoding="utf-8")
    quoted = re.sub(r"description: .*", "description: 'A \"quoted\" <b>drop</b> & more'", text)
    post.write_text(quoted, encoding="utf-8")
    second = re.sub(r"description: .*\n", "", text).replace("date: 2026-11-28", "date: 2026-11-29")
    second = second.replace("This clip is", 'A "plain" <i>first</i> & only paragraph: this clip is')
    (root / "posts" / "2026-11-29-second.md").write_text(second, encoding="utf-8")
    result = build_site(root)
    assert result.returncode == 0, result.stderr[-3000:]
    first_html = _html(root, POST_URL)
    assert (
        '<meta name="description" content="A &quot;quoted&quot; &lt;b&gt;drop&lt;/b&gt; &amp; more">'
        in first_html
    )
    assert first_html.count('name="description"') == 1
    second_html = _html(root, POST_URL.replace("/28/", "/29/"))
    assert (
        '<meta name="description" content="A &quot;plain&quot; first &amp; only paragraph: this clip is'
        in second_html
    )
    assert second_html.count('name="description"') == 1


def test_a_publish_build_refuses_a_local_site_url(tmp_path, cache):
    root = make_minimal_site(tmp_path, cache)
    env = {**os.environ, "PROBEPRESS_PUBLISH": "1"}
    env.pop("SITE_URL", None)
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "mkdocs.yml: site_url is the local address http://127.0.0.1:8000/" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


def test_a_publish_build_uses_the_published_address(tmp_path, cache):
    root = make_minimal_site(tmp_path, cache)
    env = {**os.environ, "PROBEPRESS_PUBLISH": "1", "SITE_URL": "https://example.org/evals/"}
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    html = _html(root, POST_URL)
    image = re.search(r'<meta property="og:image" content="([^"]+)">', html)
    assert image and image.group(1).startswith("https://example.org/evals/")
    assert (root / "site" / image.group(1).removeprefix("https://example.org/evals/")).is_file()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _claims(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/data/claims.json", timeout=5) as r:
            return json.loads(r.read())
    except (OSError, ValueError):
        return None


def _wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.5)
    return None


def test_serve_rebuilds_a_changed_post_with_fresh_state(tmp_path, cache):
    root = make_minimal_site(tmp_path, cache)
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = open(tmp_path / "serve.log", "w")  # a pipe nobody reads would stall the server
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        first = _wait_for(lambda: _claims(port), 180)
        assert first, "mkdocs serve did not serve the site"
        assert [c["holds"] for c in first["claims"]] == [True]
        # Edit the claim in posts/ (watched by the plugin): it no longer holds.
        post = next((root / "posts").glob("*.md"))
        post.write_text(post.read_text().replace("== 1200 ± 5%", "== 600 ± 5%"))
        second = _wait_for(lambda: (c := _claims(port)) and c["failing"] and c, 180)
        assert second, "mkdocs serve did not rebuild after the post changed"
        # One claim, not two: the plugin's state was made afresh for the rebuild.
        assert [c["holds"] for c in second["claims"]] == [False]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

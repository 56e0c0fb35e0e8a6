"""The demo site builds with MkDocs --strict, maps posts/ into the blog and stays offline."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import yaml
from sitebuild import REPO, build_site, copy_site, run_mkdocs

from probepress.site.social_meta import poster_url

POSTS = sorted((REPO / "posts").glob("*.md"))


def _title(post: Path) -> str:
    match = re.search(r"^# (.+)$", post.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{post} has no title"
    return match.group(1)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_repo_has_demo_posts():
    assert len(POSTS) >= 2


def test_every_post_becomes_a_blog_page(built_demo_site):
    site = built_demo_site / "site"
    for post in POSTS:
        pages = list((site / "blog").rglob(f"{_slug(_title(post))}/index.html"))
        assert len(pages) == 1, f"no blog page for {post.name}"
        assert _title(post) in pages[0].read_text(encoding="utf-8")


def test_the_demo_hook_says_under_every_post_that_its_clips_are_synthetic(built_demo_site):
    site = built_demo_site / "site"
    for post in POSTS:
        (page,) = (site / "blog").rglob(f"{_slug(_title(post))}/index.html")
        assert page.read_text(encoding="utf-8").count("Synthetic clips") == 1, post.name


def test_every_post_is_in_the_rss_feed(built_demo_site):
    feed = ET.parse(built_demo_site / "site" / "feed_rss_created.xml")
    titles = {item.findtext("title") for item in feed.iter("item")}
    links = [item.findtext("link") for item in feed.iter("item")]
    for post in POSTS:
        assert _title(post) in titles
    assert all(link and "/blog/" in link for link in links)


def test_every_post_with_a_clip_carries_its_poster_as_an_rss_enclosure(built_demo_site):
    site = built_demo_site / "site"
    config = (built_demo_site / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url: (\S+)$", config, re.MULTILINE).group(1)
    with_posters = 0
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        for item in ET.parse(site / name).iter("item"):
            link = item.findtext("link")
            html = (site / link.removeprefix(site_url) / "index.html").read_text(encoding="utf-8")
            # The link preview shows the social card; the feed carries the first poster.
            poster = poster_url(html, link)
            enclosures = item.findall("enclosure")
            if poster is None:  # a post without a clip has no poster to carry
                assert enclosures == [], link
                continue
            with_posters += 1
            (enclosure,) = enclosures
            url = enclosure.get("url")
            assert url == poster, link
            poster = site / url.removeprefix(site_url)
            assert poster.is_file(), url
            assert enclosure.get("length") == str(poster.stat().st_size), url
            assert enclosure.get("type") == "image/jpeg", url
    assert with_posters >= 2 * 4  # both feeds; most demo posts show clips


def test_every_post_links_its_social_card_once(built_demo_site):
    site = built_demo_site / "site"
    config = (built_demo_site / "mkdocs.yml").read_text(encoding="utf-8")
    site_url = re.search(r"^site_url: (\S+)$", config, re.MULTILINE).group(1)
    posts = sorted((site / "blog").glob("2*/*/*/*/index.html"))
    assert len(posts) == len(POSTS)
    for page in posts:
        head = page.read_text(encoding="utf-8").partition("</head>")[0]
        (url,) = re.findall(r'<meta property="og:image" content="([^"]+)">', head)
        assert url.startswith(f"{site_url}assets/images/social/blog/"), page
        assert (site / unescape(url).removeprefix(site_url)).is_file(), url


def test_blog_index_lists_posts_newest_first(built_demo_site):
    html = (built_demo_site / "site" / "blog" / "index.html").read_text(encoding="utf-8")
    positions = [html.find(_title(p)) for p in sorted(POSTS, reverse=True)]
    assert all(pos > 0 for pos in positions)
    assert positions == sorted(positions)


def test_pages_have_palette_toggle_and_search(built_demo_site):
    html = (built_demo_site / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-color-scheme="slate"' in html
    assert "Switch to dark mode" in html
    assert (built_demo_site / "site" / "search" / "search_index.json").is_file()


class _FetchedUrls(HTMLParser):
    """Collects the URLs a browser fetches while loading a page (not plain links)."""

    FETCHING = {"script": "src", "img": "src", "video": "src", "source": "src",
                "iframe": "src", "audio": "src"}  # fmt: skip
    NOT_FETCHED_LINKS = {"canonical", "alternate", "author", "license", "prev", "next"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and not set((values.get("rel") or "").split()) & self.NOT_FETCHED_LINKS:
            self.urls.append(values.get("href") or "")
        elif tag in self.FETCHING and values.get(self.FETCHING[tag]):
            self.urls.append(values[self.FETCHING[tag]] or "")
        if tag == "video" and values.get("poster"):
            self.urls.append(values["poster"] or "")


def test_no_page_loads_anything_from_another_host(built_demo_site):
    for page in (built_demo_site / "site").rglob("*.html"):
        parser = _FetchedUrls()
        parser.feed(page.read_text(encoding="utf-8"))
        external = [u for u in parser.urls if re.match(r"^(https?:)?//", u)]
        assert not external, f"{page} loads {external}"


def test_build_writes_nothing_into_sources(tmp_path, demo_clips):
    root = copy_site(tmp_path, with_clips_from=demo_clips)
    watched = ("posts", "docs", "assets")
    before = {name: _tree_digest(root / name) for name in watched}
    assert build_site(root).returncode == 0
    after = {name: _tree_digest(root / name) for name in watched}
    assert after == before


def test_new_post_in_posts_folder_is_published(tmp_path, demo_clips):
    root = copy_site(tmp_path, with_clips_from=demo_clips)
    (root / "posts" / "fresh.md").write_text(
        "---\ndate: 2026-11-24\ncategories:\n  - Physics\n---\n\n# A brand new post\n\nHello.\n",
        encoding="utf-8",
    )
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    assert list((root / "site" / "blog").rglob("a-brand-new-post/index.html"))
    assert not (root / "docs" / "blog" / "posts" / "fresh.md").exists()


def test_bad_probepress_setting_fails_with_a_clear_message(tmp_path, demo_clips):
    root = copy_site(tmp_path, with_clips_from=demo_clips)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("cache_dir: .cache/probepress", "cache_dir: 42"), encoding="utf-8"
    )
    result = build_site(root)
    assert result.returncode != 0
    assert "Plugin 'probepress' option 'cache_dir'" in result.stderr
    assert "under `plugins: - probepress:` in mkdocs.yml" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_clip_over_the_length_budget_fails_the_strict_build_by_name(tmp_path, demo_clips):
    root = copy_site(tmp_path, with_clips_from=demo_clips)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace(
            "      cache_dir: .cache/probepress\n",
            "      cache_dir: .cache/probepress\n      max_clip_seconds: 1\n",
        ),
        encoding="utf-8",
    )
    result = build_site(root)
    assert result.returncode != 0
    assert "ball-drop/reference.mp4" in result.stderr
    assert "over the budget of 1 s per clip" in result.stderr
    assert "max_clip_seconds" in result.stderr
    # No probepress frame in any traceback (the methodology notebook, left without
    # results, prints its own).
    assert not re.search(r'File "[^"]*/probepress/', result.stderr)


def test_mkdocs_config_keeps_fonts_local_and_instant_navigation():
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert config["theme"]["font"] == "false"
    assert "navigation.instant" in config["theme"]["features"]
    assert config["site_url"]
    # posts/ and the clips are watched by the plugin (tests/site/test_plugin.py serves a
    # site and edits a post); the demo watches its own hooks.
    assert "hooks" in config["watch"]


def test_demo_manifest_matches_what_synth_declares():
    from probepress.synth import manifest_entries

    committed = yaml.safe_load((REPO / "assets" / "clips" / "clips.yml").read_text())
    declared = manifest_entries(0)
    assert committed["scenes"] == declared["scenes"]
    synthetic = [c for c in committed["clips"] if c.get("synthetic")]
    assert synthetic == declared["clips"]


def test_demo_manifest_validates_against_the_rendered_clips(tmp_path, demo_clips):
    from probepress.measure.manifest import load_manifest

    root = copy_site(tmp_path, with_clips_from=demo_clips)
    manifest = load_manifest(root / "assets" / "clips" / "clips.yml")
    # Four clips a scene, and ball-drop three takes of Model A's second version besides.
    assert len(manifest.clips) == 23
    for scene in manifest.scenes.values():
        assert scene.reference in manifest.clips
        assert len(manifest.clips_of(scene.name)) == (7 if scene.name == "ball-drop" else 4)


def test_methodology_notebook_reproduces_a_chart_from_the_open_data(built_demo_site):
    html = (built_demo_site / "site" / "methodology" / "reproduce" / "index.html").read_text()
    assert "ball-drop/reference" in html and "probes: " in html
    assert "data-pp-figure=" in html
    assert "Measured acceleration, reproduced in a notebook" in html
    # The chart was checked bar by bar against the open data document.
    assert "4 bars, each equal to the open data" in html
    assert 'href="../../data/results.json"' in html
    assert (built_demo_site / "site" / "data" / "results.json").is_file()
    # mkdocs-jupyter's mermaid loader would import from a CDN: it is taken out.
    assert "mermaid.esm.min.mjs" not in html and "cdnjs" not in html


def test_a_notebook_that_raises_fails_the_build(tmp_path, demo_clips):
    import nbformat

    root = copy_site(tmp_path, with_clips_from=demo_clips)
    path = root / "docs" / "methodology" / "reproduce.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('stale data')"))
    nbformat.write(notebook, path)
    result = build_site(root)
    assert result.returncode != 0
    assert "stale data" in result.stderr


def test_claims_page_lists_every_claim_with_status_and_post(built_demo_site):
    site = built_demo_site / "site"
    # Every string of the generated page is written as character references (the
    # browser reads them back); compare what the browser reads.
    html = unescape((site / "claims" / "index.html").read_text(encoding="utf-8"))
    ledger = json.loads((site / "data" / "claims.json").read_text())
    assert html.count('class="pp-ledger--holds"') == len(ledger["claims"]) > 0
    assert "pp-ledger--fails" not in html
    assert 'href="../blog/2026/11/25/' in html and "posts/2026-11-25-second-impressions.md:" in html
    assert ">Second impressions: physics you can measure</a>" in html  # the post's title
    # Every row links to its claim's own callout on the page that makes it.
    links = re.findall(r'<a href="([^"#]+)#(claim-\d+)" title=', html)
    assert len(links) == len(ledger["claims"])
    for href, anchor in links:
        target = (site / "claims" / href / "index.html").resolve()
        assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), (href, anchor)


def test_every_post_links_its_open_data(built_demo_site):
    for page in (built_demo_site / "site" / "blog").glob("2026/*/*/*/index.html"):
        html = page.read_text(encoding="utf-8")
        links = re.findall(r'<p class="pp-open-data">.*?</p>', html)
        assert links, page
        for href in re.findall(r'href="([^"]+)"', links[0]):
            assert (page.parent / href).resolve().exists(), (page, href)


def test_the_site_bench_yardstick_builds_the_same_pages_without_probepress(
    built_demo_site, tmp_path
):
    from probepress.bench.site import _plain_copy

    plain = _plain_copy(built_demo_site, tmp_path / "plain")
    result = run_mkdocs(plain, "build", "--site-dir", str(plain / "site"))
    assert result.returncode == 0, result.stderr[-2000:]
    plain_config = (plain / "mkdocs.yml").read_text()
    assert "hooks:" not in plain_config and "- probepress" not in plain_config
    # The posts are pages of the plain blog too, without the probepress fences drawn.
    post = next((plain / "site" / "blog").glob("2026/11/25/*/index.html")).read_text()
    assert "Second impressions" in post and "pp-compare" not in post
    # The plugin's generated pages are pages of the yardstick too, with their content.
    for name, marker in (("leaderboard", "pp-compare"), ("claims", "pp-ledger")):
        built = (built_demo_site / "site" / name / "index.html").read_text()
        page = (plain / "site" / name / "index.html").read_text()
        assert built.count(marker) == page.count(marker) > 0, name

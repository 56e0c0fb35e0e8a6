"""Posters as RSS enclosures: added to the feeds' items of posts that show a clip."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from probepress.site.feed_enclosures import add_poster_enclosures

SITE_URL = "https://example.org/evals/"
POST = f"{SITE_URL}blog/2026/11/26/floaty-falls/"
FEED = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"><channel><title>t</title>
<item><title>Floaty</title><link>{POST}</link></item>
<item><title>Words only</title><link>{SITE_URL}blog/words/</link></item>
<item><title>Own image</title><link>{SITE_URL}blog/own/</link>
<enclosure url="{SITE_URL}own.png" type="image/png" length="3" /></item>
</channel></rss>
"""


def _site(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "abc.jpg").write_bytes(b"\xff\xd8" + b"x" * 998)
    (tmp_path / "feed_rss_created.xml").write_text(FEED, encoding="utf-8")
    return tmp_path


def _enclosures(feed) -> dict[str, list[dict[str, str]]]:
    items = ET.parse(feed).iter("item")
    return {i.findtext("title"): [e.attrib for e in i.findall("enclosure")] for i in items}


def test_a_post_with_a_poster_gets_its_url_length_and_type(tmp_path):
    site = _site(tmp_path)
    posters = {POST: f"{SITE_URL}media/abc.jpg", f"{SITE_URL}blog/own/": f"{SITE_URL}media/abc.jpg"}
    assert add_poster_enclosures(site, SITE_URL, posters) == 1
    found = _enclosures(site / "feed_rss_created.xml")
    assert found["Floaty"] == [
        {"url": f"{SITE_URL}media/abc.jpg", "type": "image/jpeg", "length": "1000"}
    ]
    assert found["Words only"] == []
    # An author's own front-matter image stays the item's one enclosure.
    assert found["Own image"] == [{"url": f"{SITE_URL}own.png", "type": "image/png", "length": "3"}]


def test_a_poster_that_is_not_a_file_of_this_site_is_left_out(tmp_path):
    site = _site(tmp_path)
    posters = {POST: "https://elsewhere.example/media/abc.jpg"}
    assert add_poster_enclosures(site, SITE_URL, posters) == 0
    posters = {POST: f"{SITE_URL}media/missing.jpg"}
    assert add_poster_enclosures(site, SITE_URL, posters) == 0
    assert _enclosures(site / "feed_rss_created.xml")["Floaty"] == []


def test_a_site_without_feeds_is_left_alone(tmp_path):
    assert add_poster_enclosures(tmp_path, SITE_URL, {POST: f"{SITE_URL}x.jpg"}) == 0
    assert list(tmp_path.iterdir()) == []

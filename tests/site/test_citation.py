"""How to cite a post: the BibTeX entry and plain text at the end of every post.

The escaping is checked on the functions, and the block on real builds of the site
``probepress init`` writes: a post with a title full of BibTeX and HTML specials and
an author from the blog's .authors.yml, and a site without a site_url.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from html import unescape
from pathlib import Path

import pytest
from minimal_site import POST_URL, make_minimal_site
from sitebuild import BIN

from probepress.site.citation import NO_SITE_URL, Citation, bibtex, bibtex_text, plain_text

TRICKY_TITLE = 'Vortex {ring} at 100% & "50_50" costs $5 #1, a < b \\ ~^ done'
TRICKY_AUTHOR = "Ada <b>Bold</b> & {Team} 100%"
# 2026-12-01 12:00 UTC: the "accessed" date of every build here.
BUILD_EPOCH = "1796126400"
ACCESSED = "2026-12-01"

# What each escape in a BibTeX field prints (the inverse of bibtex_text).
_LATEX = {
    r"\textbackslash{}": "\\",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textasciitilde{}": "~",
    r"\textasciicircum{}": "^",
    r"\%": "%",
    r"\&": "&",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
}


def printed(field: str) -> str:
    """What LaTeX prints for a field's content written by bibtex_text."""
    pattern = "|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True))
    return re.sub(pattern, lambda m: _LATEX[m.group()], field)


def parse_bibtex(entry: str) -> tuple[str, str, dict[str, str]]:
    """(type, key, fields) of one entry, counting braces as BibTeX does (escaped or not).

    Fails on anything BibTeX would reject: an unbalanced field, text after the entry.
    """
    head = re.match(r"@(\w+)\{([A-Za-z0-9_:-]+),\s*", entry)
    assert head, entry
    fields: dict[str, str] = {}
    at = head.end()
    while True:
        name = re.compile(r"(\w+)\s*=\s*").match(entry, at)
        assert name, f"expected a field at {entry[at : at + 40]!r}"
        at = name.end()
        if entry[at] == "{":
            depth, start = 0, at
            while True:
                depth += {"{": 1, "}": -1}.get(entry[at], 0)
                at += 1
                assert at <= len(entry), f"unbalanced braces in {name.group(1)}"
                if depth == 0:
                    break
            value = entry[start + 1 : at - 1]
        else:
            word = re.compile(r"[A-Za-z0-9]+").match(entry, at)
            assert word, f"bad value of {name.group(1)}"
            value, at = word.group(), word.end()
        fields[name.group(1)] = value
        tail = re.compile(r"\s*(,)?\s*").match(entry, at)
        at = tail.end()
        if entry[at] == "}":
            assert entry[at + 1 :].strip() == "", "text after the entry"
            return head.group(1), head.group(2), fields
        assert tail.group(1), f"missing comma after {name.group(1)}"


def citation(**changes) -> Citation:
    base = {
        "title": TRICKY_TITLE,
        "authors": (TRICKY_AUTHOR, "The probepress team"),
        "site_name": "Evals & more",
        "published": dt.date(2026, 11, 28),
        "accessed": dt.date(2026, 12, 1),
        "url": "https://example.org/evals/blog/2026/11/28/vortex/",
    }
    return Citation(**{**base, **changes})


# -----------------------------------------------------------------------------
# The formats
# -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [TRICKY_TITLE, "{", "}}{", "\\{", "100%", "a_b^c~d", "é ü ✓"])
def test_bibtex_text_prints_as_written_with_balanced_braces(text):
    field = bibtex_text(text)
    assert field.count("{") == field.count("}")
    assert printed(field) == text
    # No special is left bare: each is part of an escape.
    bare = re.sub(r"\\[a-z]+\{\}|\\[%&$#_]", "", field)
    assert not set(bare) & set("{}%&$#_\\~^")


def test_bibtex_entry_parses_with_every_field_as_given():
    kind, key, fields = parse_bibtex(bibtex(citation()))
    assert (kind, key) == ("misc", "evalsmore2026vortex")
    assert fields["title"].startswith("{") and printed(fields["title"][1:-1]) == TRICKY_TITLE
    authors = re.findall(r"\{((?:[^{}]|\{\})*)\}", fields["author"])
    assert [printed(a) for a in authors] == [TRICKY_AUTHOR, "The probepress team"]
    assert (fields["year"], fields["month"], fields["date"]) == ("2026", "nov", "2026-11-28")
    assert fields["url"] == "https://example.org/evals/blog/2026/11/28/vortex/"
    assert fields["urldate"] == "2026-12-01"


def test_without_site_url_the_citation_says_so_and_has_no_url():
    cited = citation(url=None)
    _, _, fields = parse_bibtex(bibtex(cited))
    assert "url" not in fields and "urldate" not in fields
    assert "sets no site\\_url" in fields["note"] and "2026-12-01" in fields["note"]
    text = plain_text(cited)
    assert f"({NO_SITE_URL})" in text
    assert "None" not in text and "http" not in text


def test_plain_text_names_authors_title_site_dates_and_permalink():
    assert plain_text(citation()) == (
        f"{TRICKY_AUTHOR} and The probepress team. “{TRICKY_TITLE}”. Evals & more,"
        " 28 November 2026. https://example.org/evals/blog/2026/11/28/vortex/."
        " Accessed 1 December 2026."
    )


def test_a_url_with_braces_or_spaces_is_percent_encoded_in_bibtex():
    _, _, fields = parse_bibtex(bibtex(citation(url="https://example.org/a b/{x}/")))
    assert fields["url"] == "https://example.org/a%20b/%7Bx%7D/"


# -----------------------------------------------------------------------------
# Real builds
# -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("probe-cache")


def _build(root: Path) -> str:
    import subprocess

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    env.pop("SITE_URL", None)
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(root / "site")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def _citation_block(page_html: str) -> str:
    blocks = re.findall(
        r'<details class="quote pp-citation copy"[^>]*>.*?</details>', page_html, re.S
    )
    assert len(blocks) == 1, "one citation block per post"
    return blocks[0]


def _codes(block: str) -> list[str]:
    return [unescape(c) for c in re.findall(r"<code[^>]*>(.*?)</code>", block, re.S)]


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory, cache) -> Path:
    """The init site with its post retitled and given an author, built; returns its root."""
    root = make_minimal_site(tmp_path_factory.mktemp("cite"), cache)
    (root / "docs" / "blog" / ".authors.yml").write_text(
        "authors:\n  ada:\n    name: " + repr(TRICKY_AUTHOR).replace("'", '"') + "\n"
        "    description: Tester\n    avatar: https://example.org/a.png\n",
        encoding="utf-8",
    )
    post = next((root / "posts").glob("*.md"))
    text = post.read_text(encoding="utf-8")
    # The slug keeps the URL that the title would change.
    text = text.replace(
        "---\ndate:", "---\nauthors:\n  - ada\nslug: a-first-measured-clip\ndate:", 1
    )
    text = text.replace("# A first measured clip", "# " + TRICKY_TITLE.replace("<", "&lt;"))
    post.write_text(text, encoding="utf-8")
    _build(root)
    return root


@pytest.fixture(scope="module")
def tricky_post(tricky_site: Path) -> str:
    """The HTML of the retitled post."""
    return (tricky_site / "site" / POST_URL / "index.html").read_text(encoding="utf-8")


def test_a_built_post_ends_with_a_collapsed_citation_of_valid_bibtex(tricky_post):
    block = _citation_block(tricky_post)
    assert " open" not in block.split(">", 1)[0], "collapsed until opened"
    assert tricky_post.rindex("pp-citation") > tricky_post.rindex("pp-claim"), "after the post"
    entry, line = _codes(block)
    _, _, fields = parse_bibtex(entry)
    assert printed(fields["title"][1:-1]) == TRICKY_TITLE
    assert printed(fields["author"][1:-1]) == TRICKY_AUTHOR
    assert fields["url"] == f"http://127.0.0.1:8000/{POST_URL}/"
    assert (fields["date"], fields["urldate"]) == ("2026-11-28", ACCESSED)
    assert line == (
        f"{TRICKY_AUTHOR}. “{TRICKY_TITLE}”. Test evaluations, 28 November 2026."
        f" http://127.0.0.1:8000/{POST_URL}/. Accessed 1 December 2026."
    )


def test_the_citation_block_carries_no_markup_from_title_or_author(tricky_post):
    block = _citation_block(tricky_post)
    assert "<b>" not in block and "&lt;b&gt;Bold&lt;/b&gt;" in block
    assert "a &lt; b" in block
    tags = re.findall(r"<(\w+)", block)
    assert tags == ["details", "summary", *["p", "div", "pre", "code"] * 2]


def test_without_site_url_a_built_post_says_it_has_no_permalink(tmp_path, cache):
    root = make_minimal_site(tmp_path, cache)
    config = root / "mkdocs.yml"
    text = re.sub(r"^site_url: .*\n", "", config.read_text(encoding="utf-8"), flags=re.M)
    # The RSS plugin and instant navigation need a site_url of their own.
    text = re.sub(r"  - rss:\n(?:      .*\n|        .*\n)+", "", text)
    config.write_text(text.replace("    - navigation.instant\n", ""), encoding="utf-8")
    _build(root)
    page = (root / "site" / POST_URL / "index.html").read_text(encoding="utf-8")
    entry, line = _codes(_citation_block(page))
    _, _, fields = parse_bibtex(entry)
    assert "url" not in fields
    # No author in front matter and no site_author: the site's name.
    assert printed(fields["author"][1:-1]) == "Test evaluations"
    assert line.endswith(f"28 November 2026. ({NO_SITE_URL}). Accessed 1 December 2026.")


def test_only_posts_get_a_citation_and_the_blog_index_shows_none(tricky_site):
    assert "pp-citation" not in (tricky_site / "site" / "blog" / "index.html").read_text()
    assert "pp-citation" not in (tricky_site / "site" / "index.html").read_text()
    assert "pp-citation" not in (tricky_site / "site" / "leaderboard" / "index.html").read_text()

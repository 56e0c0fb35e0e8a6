"""Each output context gets a manifest string as plain characters, never as markup."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest

from probepress.authoring.escaping import is_link, link_html, markdown_text, plotly_text

PAYLOADS = [
    "<script>window.__pp_pwned = 1</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "x{: onclick='alert(1)' }",
    "{{ ball-drop/reference : gravity.acceleration_px_s2 }}",
    "a | b",
    "&lt;b&gt;",
]
_EXTENSIONS = ["attr_list", "tables", "toc", "md_in_html", "pymdownx.mark", "pymdownx.emoji"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_text_reads_back_as_the_same_characters(payload):
    html = markdown.markdown(f"before {markdown_text(payload)} after", extensions=_EXTENSIONS)
    texts: list[str] = []
    tags: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = texts.append
    parser.handle_starttag = lambda tag, attrs: tags.append(tag)
    parser.feed(html)
    assert tags == ["p"]
    assert "".join(texts) == f"before {payload} after"


def test_markdown_text_puts_a_multi_line_value_on_one_line():
    assert markdown_text("a\nb\r\n\tc") == "a b c"


def test_plotly_text_leaves_no_tag_for_plotly_to_render():
    assert plotly_text('<a href="https://x.example">&</a>') == (
        '&lt;a href="https://x.example"&gt;&amp;&lt;/a&gt;'
    )


@pytest.mark.parametrize(
    ("value", "linked"),
    [
        ("https://example.org/card", True),
        ("HTTP://example.org", True),
        ("javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("//evil.example/x", False),
        ('https://example.org/" onmouseover="alert(1)', False),
        ("CC0-1.0", False),
    ],
)
def test_only_http_urls_become_links(value, linked):
    assert is_link(value) is linked
    assert ("<a " in link_html(value)) is linked
    assert "<" not in link_html(value).replace("<a ", "").replace("</a>", "")

"""The Claims page lists the claims the build's review checked, without checking again."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from mkdocs.structure.files import File, Files

from probepress.claims.evaluate import ClaimOutcome
from probepress.site.claims_page import claims_page_markdown
from probepress.site.page_check import CheckedPage

TEXT = "# A post\n\nNo claim fence here: only the review's outcome can put a row here.\n"


def _files(tmp_path: Path) -> Files:
    page = tmp_path / "post.md"
    page.write_text(TEXT, encoding="utf-8")
    return Files([File("post.md", str(tmp_path), str(tmp_path / "site"), False)])


def _reviewed(text: str) -> dict[str, CheckedPage]:
    outcome = ClaimOutcome("The ball falls.", "a : gravity.g > 1", True, [], {}, page="post.md")
    outcome.line = 3
    return {"post.md": CheckedPage(text, [outcome])}


def test_a_page_the_review_checked_is_listed_from_its_outcomes(tmp_path):
    markdown = claims_page_markdown(_files(tmp_path), None, None, tmp_path, checked=_reviewed(TEXT))
    assert "**1 of 1 hold.**" in markdown
    text = unescape(markdown)  # the page escapes what it shows
    assert "The ball falls." in text and "#claim-3" in text


def test_a_page_whose_text_changed_since_the_review_is_checked_again(tmp_path):
    stale = _reviewed(TEXT.replace("No claim", "A claim"))
    markdown = claims_page_markdown(_files(tmp_path), None, None, tmp_path, checked=stale)
    assert "**0 of 0 hold.**" in markdown
    assert "The ball falls." not in unescape(markdown)

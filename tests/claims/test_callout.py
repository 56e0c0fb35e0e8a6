"""The claim callout's table of numbers reads right to a screen reader: real headers."""

from __future__ import annotations

from html.parser import HTMLParser

from probepress.claims.callout import claim_html
from probepress.claims.evaluate import ClaimFence, evaluate_claim
from probepress.claims.grammar import parse_check


class _Cells(HTMLParser):
    """Every table cell of a fragment: (tag, attributes, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "td"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._open:
            self.cells.append((*self._open, "".join(self._text).strip()))
            self._open = None


def _cells(ball_results) -> list[tuple[str, dict[str, str | None], str]]:
    check = "ball-drop/reference : gravity.acceleration_px_s2 > 0 and gravity.fit_rms_px < 50"
    fence = ClaimFence("The ball falls.", parse_check(check), check_line=2)
    parser = _Cells()
    parser.feed(claim_html(evaluate_claim(fence, ball_results)))
    return parser.cells


def test_every_column_header_has_a_name_and_a_scope(ball_results):
    headers = [(attrs, text) for tag, attrs, text in _cells(ball_results)[:4]]
    assert [text for _attrs, text in headers] == ["check", "measured", "expected", "holds"]
    assert all(attrs.get("scope") == "col" for attrs, _text in headers)


def test_each_comparison_row_is_headed_by_its_check(ball_results):
    rows = _cells(ball_results)[4:]
    row_headers = [(attrs, text) for tag, attrs, text in rows if tag == "th"]
    assert [text for _attrs, text in row_headers] == [
        "gravity.acceleration_px_s2 > 0",
        "gravity.fit_rms_px < 50",
    ]
    assert all(attrs.get("scope") == "row" for attrs, _text in row_headers)

"""Find probepress fences and inline values in a page's Markdown, with line numbers.

Superfences hands a fence formatter the fence's text but not where it stood in the
file, and errors must name ``path:line``. So before Markdown runs, the page is scanned
here: every probepress fence header gets its line number as a fence option
(``pp_line="12"``), and the build knows up front which clips and metrics each page
needs. A fence shown *inside* another fence (as the authoring guide does) is content,
not a fence, and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "FENCE_NAMES",
    "Fence",
    "InlineValue",
    "annotate_fences",
    "find_fences",
    "find_inline",
    "line_offset",
    "replace_inline",
]

#: The fences probepress renders.
FENCE_NAMES = ("clip", "compare", "montage", "chart", "plotly", "claim")

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_LANGUAGE = re.compile(r"^\{?\s*\.?(?P<name>[\w-]+)")
# ``{{ clip : probe.metric | format }}``; the clip part is optional in the syntax.
_INLINE = re.compile(r"\{\{\s*(?P<body>[^{}\n]+?)\s*\}\}")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")


@dataclass(frozen=True)
class Fence:
    """A probepress fence found in a page.

    Attributes
    ----------
    name : str
        Which fence (``clip``, ``compare``...).
    line : int
        1-based line of the opening ``` in the file.
    body : str
        The text between the fences, dedented by the fence's indent.
    """

    name: str
    line: int
    body: str


@dataclass(frozen=True)
class InlineValue:
    """An inline ``{{ ... }}`` reference outside code, with its 1-based line."""

    text: str
    line: int


def _fence_spans(markdown: str) -> list[tuple[int, int, str, str]]:
    """Top-level fenced blocks as (open line index, close line index, info, indent)."""
    lines = markdown.split("\n")
    spans, index = [], 0
    while index < len(lines):
        match = _OPEN.match(lines[index])
        if not match:
            index += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = index + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        spans.append((index, end, match.group("info").strip(), indent))
        index = end + 1
    return spans


def _fence_name(info: str) -> str | None:
    match = _LANGUAGE.match(info)
    return match.group("name") if match else None


def find_fences(markdown: str) -> list[Fence]:
    """Every top-level probepress fence of a page, in order."""
    lines = markdown.split("\n")
    fences = []
    for start, end, info, indent in _fence_spans(markdown):
        name = _fence_name(info)
        if name in FENCE_NAMES:
            body = [
                line[len(indent) :] if line.startswith(indent) else line
                for line in lines[start + 1 : end]
            ]
            fences.append(Fence(name=name, line=start + 1, body="\n".join(body)))
    return fences


def line_offset(source: str, markdown: str) -> int:
    """Lines that precede ``markdown`` in its file ``source`` (front matter, blank lines).

    MkDocs strips a page's YAML front matter before plugins see the Markdown, so line
    numbers found in it are shifted by this much from the file the author edits.
    """
    if markdown and source.endswith(markdown):
        return source[: len(source) - len(markdown)].count("\n")
    return 0


def annotate_fences(markdown: str, page: str = "", offset: int = 0) -> str:
    """Add ``pp_line="N"`` (and ``pp_page``) to every top-level probepress fence header.

    The page travels with the fence because Material's blog renders a post's fences
    again inside index, category and archive pages; errors and claims must still name
    the post.
    """
    lines = markdown.split("\n")
    where = f' pp_page="{page}"' if page and '"' not in page else ""
    for start, _end, info, _indent in _fence_spans(markdown):
        if _fence_name(info) in FENCE_NAMES:
            lines[start] = f'{lines[start].rstrip()} pp_line="{start + 1 + offset}"{where}'
    return "\n".join(lines)


def find_inline(markdown: str) -> list[InlineValue]:
    """Inline ``{{ ... }}`` values outside fences and code spans."""
    return [InlineValue(m.group("body"), line) for line, m in _inline_matches(markdown)]


def replace_inline(markdown: str, render: Callable[[InlineValue], str], offset: int = 0) -> str:
    """Replace each inline value outside code with ``render(InlineValue)``."""
    lines = markdown.split("\n")
    for line_number, match in reversed(_inline_matches(markdown)):
        index = line_number - 1
        value = InlineValue(match.group("body"), line_number + offset)
        text = lines[index]
        lines[index] = text[: match.start()] + render(value) + text[match.end() :]
    return "\n".join(lines)


def _inline_matches(markdown: str) -> list[tuple[int, re.Match]]:
    lines = markdown.split("\n")
    inside = set()
    for start, end, _info, _indent in _fence_spans(markdown):
        inside.update(range(start, end + 1))
    found = []
    for index, line in enumerate(lines):
        if index in inside or "{{" not in line:
            continue
        code = [span.span() for span in _CODE_SPAN.finditer(line)]
        for match in _INLINE.finditer(line):
            if not any(a <= match.start() < b for a, b in code):
                found.append((index + 1, match))
    return found

"""How to cite a post: a BibTeX entry and a line of plain text, and the block that shows both.

The block closes each post (see :mod:`probepress.site.post_citation` for where the
fields come from). Its text goes through two escapings: BibTeX's (each field must
keep its braces balanced and print the characters LaTeX treats as commands as
themselves) and then HTML's, for the ``<pre><code>`` blocks that Material gives a
copy button.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

__all__ = ["NO_SITE_URL", "Citation", "bibtex", "bibtex_text", "citation_html", "plain_text"]

#: Said in place of a permalink when the site's mkdocs.yml sets no ``site_url``.
NO_SITE_URL = "no permanent address: the site's mkdocs.yml sets no site_url"

# BibTeX counts every brace, escaped or not, to find a field's end, so literal braces
# become the LaTeX text commands (balanced) rather than \{ and \}.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_CHARS = re.compile("[" + re.escape("".join(_BIBTEX_SPECIAL)) + "]")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WHITESPACE = re.compile(r"\s+")
# Characters a URL may keep in a BibTeX field (braces, backslashes and spaces get
# percent-encoded; existing %XX escapes stay).
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


@dataclass(frozen=True)
class Citation:
    """What a reader needs to cite one post.

    Attributes
    ----------
    title : str
        The post's title, as plain text.
    authors : tuple of str
        Display names, in the post's order; never empty.
    site_name : str
        The site that publishes the post.
    published : datetime.date or None
        The post's date; None when it has none.
    accessed : datetime.date
        The build date: the text on the page is as of this day.
    url : str or None
        The permalink (site_url + the page's URL); None when the site sets no site_url.
    """

    title: str
    authors: tuple[str, ...]
    site_name: str
    published: date | None
    accessed: date
    url: str | None


def _flat(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def bibtex_text(text: str) -> str:
    """``text`` as a BibTeX field's content that prints as ``text`` (braces balanced)."""
    return _BIBTEX_CHARS.sub(lambda match: _BIBTEX_SPECIAL[match.group()], _flat(text))


def _bibtex_url(url: str) -> str:
    return quote(url, safe=_URL_SAFE)


def _key(citation: Citation) -> str:
    """A citation key of ASCII letters and digits: site, year, first long title word."""
    site = re.sub(r"[^a-z0-9]", "", citation.site_name.lower()) or "post"
    words = re.findall(r"[a-z0-9]+", citation.title.lower())
    word = next((w for w in words if len(w) > 3), words[0] if words else "")
    year = str(citation.published.year) if citation.published else "nd"
    return f"{site}{year}{word}"


def bibtex(citation: Citation) -> str:
    """The post as a BibTeX ``@misc`` entry (``url``/``urldate`` as biblatex reads them).

    Each author is braced whole: a display name ("The probepress team") is not a
    "First Last" pair BibTeX should split, reorder or cut at an "and".
    """
    authors = " and ".join("{" + bibtex_text(name) + "}" for name in citation.authors)
    fields = [
        ("author", "{" + authors + "}"),
        # Double braces keep the title's capitals as written.
        ("title", "{{" + bibtex_text(citation.title) + "}}"),
        ("organization", "{" + bibtex_text(citation.site_name) + "}"),
    ]
    if citation.published:
        fields += [
            ("year", f"{{{citation.published.year}}}"),
            ("month", _MONTHS[citation.published.month - 1]),
            ("date", f"{{{citation.published.isoformat()}}}"),
        ]
    if citation.url:
        fields.append(("url", "{" + _bibtex_url(citation.url) + "}"))
        fields.append(("urldate", f"{{{citation.accessed.isoformat()}}}"))
        note = f"Accessed {citation.accessed.isoformat()}"
    else:
        note = (
            f"{NO_SITE_URL[0].upper()}{NO_SITE_URL[1:]}; accessed {citation.accessed.isoformat()}"
        )
    fields.append(("note", "{" + bibtex_text(note) + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@misc{{{_key(citation)},\n{body}\n}}"


def _long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _names(authors: tuple[str, ...]) -> str:
    names = [_flat(a) for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plain_text(citation: Citation) -> str:
    """The post cited in one line: authors, title, site, date, permalink, accessed."""
    published = _long_date(citation.published) if citation.published else "n.d."
    where = citation.url if citation.url else f"({NO_SITE_URL})"
    return (
        f"{_names(citation.authors)}. “{_flat(citation.title)}”. {_flat(citation.site_name)},"
        f" {published}. {where}. Accessed {_long_date(citation.accessed)}."
    )


def citation_html(citation: Citation) -> str:
    """A collapsed "Cite this post" block with both forms, each in a copyable code block.

    ``copy`` asks Material for a copy button even on sites without
    ``content.code.copy``; ``data-search-exclude`` keeps the block out of search.
    """
    blocks = []
    for label, text, language in (
        ("BibTeX", bibtex(citation), "bibtex"),
        ("Plain text", plain_text(citation), "text"),
    ):
        blocks.append(
            f"<p>{label}</p>\n"
            f'<div class="highlight"><pre><code class="language-{language}">'
            f"{html.escape(text, quote=False)}</code></pre></div>"
        )
    return (
        '\n<details class="quote pp-citation copy" data-search-exclude>\n'
        "<summary>Cite this post</summary>\n" + "\n".join(blocks) + "\n</details>\n"
    )

"""Map the top-level ``posts/`` folder into Material's blog.

Material's blog plugin only finds posts inside ``docs_dir``; authors should not have to
know that. Every file under ``posts/`` is offered to MkDocs as if it lived in
``docs/blog/posts/``, read in place, so the build never copies anything into ``docs/``.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

__all__ = ["BLOG_POSTS_URI", "add_posts"]

#: Where Material's blog expects posts, relative to docs_dir.
BLOG_POSTS_URI = "blog/posts"


def add_posts(files: Files, config: MkDocsConfig, posts_dir: Path) -> list[File]:
    """Add every file under ``posts_dir`` to ``files`` under ``blog/posts/``.

    A file already present at the same URI (for example a stray copy under
    ``docs/blog/posts/``) is replaced, so the top-level folder always wins.

    Returns
    -------
    list of File
        The files added, in path order.
    """
    if not posts_dir.is_dir():
        return []
    added = []
    for path in sorted(posts_dir.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.parts):
            continue
        uri = f"{BLOG_POSTS_URI}/{path.relative_to(posts_dir).as_posix()}"
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
        file = File.generated(config, uri, abs_src_path=str(path))
        files.append(file)
        added.append(file)
    return added

"""A post's front matter, checked as Material's blog checks it, but naming file:line.

Material's blog plugin stops the build on a post whose front matter it cannot use (no
front matter, a bad date, an author missing from the authors file, a category outside
``categories_allowed``), with a message that names neither the line nor, for authors,
the post. ``probepress check`` must fail on the same posts, so both it and the build
run these checks, with the blog plugin's own settings and its own schema for posts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from material.plugins.blog.structure.config import PostConfig
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.meta import YAML_RE

__all__ = ["BlogRules", "blog_rules_from_config", "blog_rules_from_yaml", "post_problems"]

_BLOG_PLUGIN_NAMES = ("blog", "material/blog")
_DEFAULTS = {
    "enabled": True,
    "blog_dir": "blog",
    "authors": True,
    "authors_file": "{blog}/.authors.yml",
    "categories": True,
    "categories_allowed": [],
}


@dataclass(frozen=True)
class BlogRules:
    """What the blog plugin requires of a post's front matter."""

    posts_uri: str  # where posts live under docs_dir, e.g. "blog/posts/"
    categories_allowed: tuple[str, ...]  # empty: any category
    authors: frozenset[str] | None  # None: the blog does not resolve authors
    authors_file: str  # as shown in messages


def blog_rules_from_config(config: MkDocsConfig) -> BlogRules | None:
    """The rules of the blog plugin of a loaded MkDocs config (None without a blog)."""
    for name in _BLOG_PLUGIN_NAMES:
        plugin = config.plugins.get(name)
        if plugin is not None:
            return _rules(dict(plugin.config), Path(config.docs_dir))
    return None


def blog_rules_from_yaml(raw: Mapping[str, Any], root: Path) -> BlogRules | None:
    """The rules of the blog plugin as mkdocs.yml (read as plain YAML) sets them."""
    for entry in raw.get("plugins") or ():
        if isinstance(entry, str) and entry in _BLOG_PLUGIN_NAMES:
            return _rules({}, root / (raw.get("docs_dir") or "docs"))
        if isinstance(entry, dict):
            for name in _BLOG_PLUGIN_NAMES:
                if name in entry:
                    return _rules(entry[name] or {}, root / (raw.get("docs_dir") or "docs"))
    return None


def post_problems(text: str, shown: str, rules: BlogRules) -> list[str]:
    """Problems of one post's front matter, each ``shown:line: what to do``."""
    match = YAML_RE.match(text)
    if not match:
        return [f"{shown}:1: a blog post needs YAML front matter (---, `date: YYYY-MM-DD`, ---)"]
    try:
        node = yaml.compose(match.group(1), Loader=yaml.SafeLoader)
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return [
            f"{shown}:{line}: front matter is not valid YAML: {getattr(error, 'problem', error)}"
        ]
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        return [f"{shown}:2: front matter must be a mapping such as `date: 2026-11-28`"]
    lines = _lines(node)
    problems = []
    schema = PostConfig(shown)
    schema.load_dict({key: meta[key] for key in set(meta) & set(schema.keys())})
    errors, _warnings = schema.validate()
    for key, error in errors:
        problems.append(f"{shown}:{lines.get(key, (1, []))[0]}: front matter `{key}`: {error}")
    if errors:
        return problems
    problems += _unknown_items(
        schema.categories,
        rules.categories_allowed,
        lines.get("categories"),
        shown,
        "category",
        f"use one of {', '.join(rules.categories_allowed)} (categories_allowed in mkdocs.yml)",
    )
    if rules.authors is not None:
        problems += _unknown_items(
            schema.authors,
            tuple(rules.authors),
            lines.get("authors"),
            shown,
            "author",
            f"add them to {rules.authors_file} or use one listed there",
        )
    return problems


def _rules(settings: Mapping[str, Any], docs_dir: Path) -> BlogRules | None:
    settings = {**_DEFAULTS, **settings}
    if not settings["enabled"]:
        return None
    blog_dir = str(settings["blog_dir"]).strip("/")
    authors_file = str(settings["authors_file"]).format(blog=blog_dir)
    authors = _authors(docs_dir / authors_file) if settings["authors"] else None
    allowed = settings["categories_allowed"] if settings["categories"] else []
    return BlogRules(
        posts_uri=f"{blog_dir}/posts/" if blog_dir else "posts/",
        categories_allowed=tuple(str(c) for c in allowed or ()),
        authors=authors,
        authors_file=f"{docs_dir.name}/{authors_file}",
    )


def _authors(path: Path) -> frozenset[str]:
    """The author ids of the authors file (none when it is missing or unreadable)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except (OSError, yaml.YAMLError):
        return frozenset()  # the blog plugin reports an unreadable file itself
    authors = data.get("authors") if isinstance(data, dict) else None
    return frozenset(map(str, authors)) if isinstance(authors, dict) else frozenset()


def _unknown_items(
    items: list[str],
    known: tuple[str, ...],
    lines: tuple[int, list[int]] | None,
    shown: str,
    what: str,
    fix: str,
) -> list[str]:
    if what == "category" and not known:
        return []  # no allow list: any category
    key_line, item_lines = lines or (1, [])
    problems = []
    for index, item in enumerate(items):
        if item not in known:
            line = item_lines[index] if index < len(item_lines) else key_line
            problems.append(f"{shown}:{line}: unknown {what} {item!r}; {fix}")
    return problems


def _lines(node: yaml.MappingNode) -> dict[Any, tuple[int, list[int]]]:
    """Each key's file line and the file lines of its list items (front matter: +2)."""
    lines = {}
    for key, value in node.value:
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        lines[key.value] = (
            key.start_mark.line + 2,
            [item.start_mark.line + 2 for item in items],
        )
    return lines

"""A small real site for the leaderboard's filters: two scenes, a gap in each, one post.

Two synthetic scenes (ball-drop: gravity, motion, flicker; creature: motion, flicker),
with Model B's ball drop and Model C's fox left out, so that each filter has rows to
hide: the creature scene hides Model C, the gravity probe hides Model B. The fox
scene's title carries markup and quotes, which must reach the page as text. The
site turns Material's code copy off, so the post's citation shows that its block asks
for a copy button itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from probepress import synth
from probepress.probes import PROBES

SCENES = ("ball-drop", "creature")
LEFT_OUT = ("ball-drop/model-b.mp4", "creature/model-c.mp4")
FOX_TITLE = 'A fox <b>walks</b> & "trots" through a meadow'
POST_URL = "blog/2026/11/24/two-scenes/"

CONFIG = """\
site_name: board
site_url: {site_url}
theme:
  name: material
  font: false
  features:
    - navigation.instant
  palette:
    - scheme: default
      toggle:
        icon: material/weather-night
        name: Switch to dark mode
    - scheme: slate
      toggle:
        icon: material/weather-sunny
        name: Switch to light mode
nav:
  - Home: index.md
  - Blog:
      - blog/index.md
  - Leaderboard: leaderboard.md
plugins:
  - search
  - blog:
      blog_dir: blog
      post_url_format: "{{date}}/{{slug}}"
  - probepress:
      cache_dir: {cache_dir}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""

POST = """\
---
date: 2026-11-24
slug: two-scenes
---

# Two scenes

A ball falls and a fox walks; the leaderboard scores both.
"""


def render_clips(folder: Path) -> Path:
    """Render the two scenes' clips (deterministic) into ``folder``."""
    synth.generate(folder, seed=0, scenes=list(SCENES))
    return folder


def board_site(root: Path, clips: Path, *, site_url: str, cache_dir: Path) -> Path:
    """Write the site into ``root``; returns ``root``."""
    (root / "docs" / "blog").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Board\n\nA leaderboard to filter.\n")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n\n")
    (root / "docs" / "probes").mkdir()
    for probe in PROBES:  # the leaderboard links the pages of the probes it shows
        (root / "docs" / "probes" / f"{probe}.md").write_text(f"# {probe}\n")
    (root / "posts").mkdir()
    (root / "posts" / "two-scenes.md").write_text(POST, encoding="utf-8")
    config = CONFIG.format(site_url=site_url, cache_dir=cache_dir)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    target = root / "assets" / "clips"
    for scene in SCENES:
        shutil.copytree(clips / scene, target / scene)
    entries = synth.manifest_entries(seed=0)
    scenes = {name: dict(entries["scenes"][name]) for name in SCENES}
    scenes["creature"]["title"] = FOX_TITLE
    clip_entries = [
        c for c in entries["clips"] if c["scene"] in SCENES and c["file"] not in LEFT_OUT
    ]
    manifest = {"scenes": scenes, "clips": clip_entries}
    (target / "clips.yml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return root

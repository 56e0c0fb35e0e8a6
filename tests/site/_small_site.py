"""A small real probepress site: the plugin, one scene's clips, one post using them.

Small enough to build in seconds, yet every phase a build has is there: probing in
worker processes, web copies, posters, a side-by-side composite, a montage, overlays,
a measured number, a claim, the generated leaderboard and claims pages, open data.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import yaml

from probepress import synth
from probepress.probes import PROBES

SCENE = "ball-drop"

CONFIG = """\
site_name: small
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  - search
  - blog:
      blog_dir: blog
  - probepress:
      cache_dir: {cache_dir}
      workers: 2
      analysis_long_side: {long_side}
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
---

# One falling ball

The reference ball falls at {{ ball-drop/reference : gravity.acceleration_px_s2 | .0f }} px/s².

```clip
src: ball-drop/reference.mp4
caption: The reference drop
```

```compare
title: Does the ball fall right?
clips:
  Reference: ball-drop/reference.mp4
  Model A: ball-drop/model-a.mp4
  Model B: ball-drop/model-b.mp4
timeline: gravity.centroid_y
overlay: gravity
```

```claim
The reference ball falls at the true rate.
check: ball-drop/reference : gravity.acceleration_px_s2 == 1200 ± 3%
```

```montage
title: Two falls
clips: [ball-drop/reference.mp4, ball-drop/model-c.mp4]
```
"""


def render_clips(folder: Path) -> Path:
    """Render the scene's clips (deterministic) into ``folder/<scene>/``; returns ``folder``."""
    synth.generate(folder, seed=0, scenes=[SCENE])
    return folder


def small_site(
    root: Path, clips: Path, *, cache_dir: str = ".cache/probepress", long_side: int = 480
) -> Path:
    """Write the site into ``root`` (clips copied from ``render_clips``'s folder)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Small\n\nA small probepress site.\n")
    # Material's blog writes this into docs/ on a first build unless it exists, so that
    # the first build would list its pages in another order than every later one.
    (root / "docs" / "blog").mkdir()
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n\n")
    (root / "docs" / "probes").mkdir()
    for probe in PROBES:  # the leaderboard links the pages of the probes it shows
        (root / "docs" / "probes" / f"{probe}.md").write_text(f"# {probe}\n")
    (root / "posts").mkdir()
    (root / "posts" / "fall.md").write_text(POST, encoding="utf-8")
    config = CONFIG.format(cache_dir=cache_dir, long_side=long_side)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    target = root / "assets" / "clips"
    shutil.copytree(clips / SCENE, target / SCENE)
    entries = synth.manifest_entries(seed=0)
    manifest = {
        "scenes": {SCENE: entries["scenes"][SCENE]},
        "clips": [c for c in entries["clips"] if c["scene"] == SCENE],
    }
    (target / "clips.yml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return root


def site_digest(site: Path) -> dict[str, str]:
    """Every file of a built site by path, hashed, with what differs per build left out.

    The build date (open data, the RSS-free sitemap's ``lastmod``, the "accessed" date
    of each post's citation) is the only thing a rebuild of the same sources may
    change; it is masked, everything else must match.
    """
    digest = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        name = str(path.relative_to(site))
        if name.startswith(("data/", "blog/")) or name == "sitemap.xml":
            data = _mask_dates(data)
        if name == "sitemap.xml.gz":
            continue  # a gzip of sitemap.xml, with its own time stamp
        digest[name] = hashlib.sha256(data).hexdigest()
    return digest


def _mask_dates(data: bytes) -> bytes:
    import re

    data = re.sub(rb"Accessed \d+ \w+ \d{4}", b"Accessed <date>", data)
    return re.sub(rb"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\+00:00|Z)?)?", b"<date>", data)

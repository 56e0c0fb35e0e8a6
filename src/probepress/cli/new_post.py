"""``probepress new "Title"``: start a dated post in the site's posts folder.

The post has its front matter, its title and, inside an HTML comment, an example of
each probepress fence and of an inline value. The examples sit in a ``text`` fence
inside the comment, so neither the build nor ``probepress check`` measures them until
the author copies one out; they name clips of the site's own manifest when it has some.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from html import escape
from pathlib import Path

from probepress.site.project import find_settings

__all__ = ["add_parser", "new_post", "slugify"]

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``probepress new``."""
    new = commands.add_parser(
        "new",
        help="start a post: posts/YYYY-MM-DD-slug.md with an example of every fence",
        description="Write posts/YYYY-MM-DD-slug.md in the enclosing site. Never "
        "overwrites a post.",
    )
    new.add_argument("title", help="the post's title")
    new.add_argument("--config", type=Path, help="the site's mkdocs.yml (default: found)")
    new.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
    )
    new.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    title = " ".join(args.title.split())
    if not slugify(title):
        print("probepress new: the title needs at least one letter or digit", file=sys.stderr)
        return EXIT_USAGE
    settings = find_settings(args.config)
    try:
        path = new_post(settings.posts_dir, title, args.date or dt.date.today(), _clips(settings))
    except FileExistsError as error:
        print(
            f"probepress new: {error.filename} exists; pick another title or edit that post",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(f"probepress: wrote {path}")
    return EXIT_OK


def slugify(title: str) -> str:
    """``"Does Veo 3 get gravity right?"`` -> ``"does-veo-3-get-gravity-right"``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def new_post(posts_dir: Path, title: str, date: dt.date, clips: list[str]) -> Path:
    """Write the post and return its path.

    Raises
    ------
    FileExistsError
        If a post of that date and title exists (it is never overwritten).
    """
    path = posts_dir / f"{date.isoformat()}-{slugify(title)}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    a, b = (clips + ["my-scene/reference.mp4", "my-scene/model-a.mp4"])[:2]
    if len(clips) == 1:
        b = "my-scene/model-a.mp4"
    scene = a.partition("/")[0]
    text = _POST.format(date=date.isoformat(), title=escape(title, quote=False), a=a, b=b)
    with open(path, "x", encoding="utf-8") as stream:  # "x": never overwrite
        stream.write(text.replace("SCENE", scene))
    return path


def _clips(settings) -> list[str]:
    """Clip paths of the site's first scene, for examples that name real clips."""
    from probepress.measure.manifest import ManifestError, load_manifest

    try:
        manifest = load_manifest(settings.manifest, settings.clips_dir)
    except (ManifestError, OSError):
        return []
    scene = next(iter(manifest.scenes), None)
    return [c.file for c in manifest.clips.values() if c.scene == scene]


_POST = """\
---
date: {date}
# One sentence for search results, the feed and link previews.
description: What this post shows, in one sentence.
---

# {title}

Say what you looked at and what you expected to see.

<!-- more -->

<!--
An example of each probepress fence. To use one, copy it out of this comment (the
lines between ```` and ````), point it at clips of assets/clips/clips.yml, and build:
every claim is checked and every number measured. The authoring guide has them all.

````text
A clip with a caption:

```clip
src: {a}
caption: What the reader should notice
```

Clips of one scene on one clock, a per-frame series under them, the probe's geometry
drawn on the frames:

```compare
title: Does the model keep the physics of the reference?
clips:
  Reference: {a}
  Model A: {b}
timeline: gravity.centroid_y
overlay: gravity
```

Several clips in sequence, each with a title card:

```montage
title: Two takes
clips:
  Reference: {a}
  Model A: {b}
```

A chart: kind is bars, series, radar or heatmap:

```chart
kind: bars
metric: gravity.acceleration_px_s2
clips: SCENE/*
title: Measured acceleration (px/s², down is positive)
```

Any plotly figure, as JSON:

```plotly
{{"data": [{{"type": "bar", "x": ["a", "b"], "y": [1, 2]}}]}}
```

A claim: the build fails when it stops holding:

```claim
The reference falls at the acceleration it was rendered with.
check: {a} : gravity.acceleration_px_s2 == 1200 ± 5%
```

A measured value in a sentence: {{{{ {a} : gravity.acceleration_px_s2 | .0f }}}} px/s².
````
-->
"""

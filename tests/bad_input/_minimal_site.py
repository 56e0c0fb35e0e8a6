"""A minimal probepress site (one scene, one short clip, one post) and the media to break it.

Small on purpose: every case of the bad-input corpus builds its own copy of it, twice
(``mkdocs build --strict`` and ``probepress check``), so it must build in seconds.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CLIP = "glow/reference.mp4"  # the one clip, relative to assets/clips/
MANIFEST = "assets/clips/clips.yml"
POST = "posts/first.md"
# Lines of the manifest below, named for the cases that point at them.
CLIP_LINE = 7  # "- file: glow/reference.mp4"
SCENE_LINE = 2  # "glow:"

MKDOCS_YML = """\
site_name: bad input
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  - blog:
      blog_dir: blog
      categories_allowed:
        - Physics
      authors: true
  - probepress:
      cache_dir: {cache}
markdown_extensions:
  - admonition
  - pymdownx.superfences
"""

CLIPS_YML = """\
scenes:
  glow:
    title: A pulsing glow
    probes: [flicker]
    reference: glow/reference.mp4
clips:
  - file: glow/reference.mp4
    scene: glow
    model: Reference
    license: CC0-1.0
"""

POST_TEXT = """\
---
date: 2026-11-20
authors:
  - tester
categories:
  - Physics
---

# A steady glow

The glow flickers by {{ glow/reference : flicker.flicker_index | .3f }}.

```clip
src: glow/reference.mp4
caption: The glow
```

```claim
The glow is steady.
check: glow/reference : flicker.temporal_flickering >= 0.5
```
"""
CLAIM_LINE = 18  # the claim fence's first line in POST_TEXT

AUTHORS_YML = """\
authors:
  tester:
    name: A tester
    description: Writes the minimal post
    avatar: https://example.invalid/avatar.png
"""


@dataclass(frozen=True)
class Media:
    """Files made once per session with the bundled ffmpeg, for cases to copy in."""

    clip: Path  # 12 frames, 64x48, H.264: what the site is built with
    one_frame: Path
    two_frames: Path
    audio_only: Path
    png: Path


def make_media(folder: Path) -> Media:
    """Render the test media into ``folder`` with imageio-ffmpeg's ffmpeg."""
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    video = ["-f", "lavfi", "-i", "testsrc=size=64x48:rate=12"]
    h264 = ["-c:v", "libx264", "-pix_fmt", "yuv420p"]

    def run(*args: str) -> None:
        subprocess.run([ffmpeg, "-v", "error", "-y", *args], check=True, timeout=60)

    media = Media(
        clip=folder / "clip.mp4",
        one_frame=folder / "one.mp4",
        two_frames=folder / "two.mp4",
        audio_only=folder / "audio.mp4",
        png=folder / "image.png",
    )
    run(*video, "-frames:v", "12", *h264, str(media.clip))
    run(*video, "-frames:v", "1", *h264, str(media.one_frame))
    run(*video, "-frames:v", "2", *h264, str(media.two_frames))
    run("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", str(media.audio_only))
    run(*video, "-frames:v", "1", str(media.png))
    return media


def make_site(root: Path, media: Media, cache: Path) -> Path:
    """Write the minimal site into ``root`` (the probepress plugin); returns root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(cache=cache), "utf-8")
    (root / "docs" / "blog" / "posts").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Bad input\n\nA minimal site.\n", "utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n", "utf-8")
    (root / "docs" / "blog" / ".authors.yml").write_text(AUTHORS_YML, "utf-8")
    (root / "posts").mkdir()
    (root / POST).write_text(POST_TEXT, "utf-8")
    (root / "assets" / "clips" / "glow").mkdir(parents=True)
    (root / MANIFEST).write_text(CLIPS_YML, "utf-8")
    shutil.copy2(media.clip, root / "assets" / "clips" / CLIP)
    return root


def source_digest(root: Path) -> str:
    """A hash of every path and file under posts/, docs/ and assets/ (what a build must
    never write into)."""
    digest = hashlib.sha256()
    for top in ("posts", "docs", "assets"):
        for path in sorted((root / top).rglob("*")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            if path.is_file() and not path.is_symlink():
                digest.update(path.read_bytes())
            elif path.is_symlink():
                digest.update(str(path.readlink()).encode())
    return digest.hexdigest()

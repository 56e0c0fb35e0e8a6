"""A real image-to-video site: one scene with an input image and a clip that starts off it.

The ``ball-drop`` scene's input is its reference's first frame (written by ``probepress
synth``); besides the reference and Model A (both start from it) a clip ``shifted``
shows the same fall moved 16 px to the right, so ``first_frame`` tells them apart (a
comparison of four clips and the input makes five panes). A
second scene, ``solo``, has a single clip and an input image. The scene title carries
markup and quotes, which every page must show as text.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import cv2
import numpy as np
import yaml

from probepress import synth

TITLE = 'A ball "dropped" <b>here</b> & there'
SHIFT_PX = 16

POST = """\
---
date: 2026-11-24
---

# Where does each clip start?

The shifted clip opens at an SSIM of {{ ball-drop/shifted : first_frame.ssim | .3f }} to
the input image.

```compare
title: Which clip starts from the input?
clips:
  Reference: ball-drop/reference.mp4
  Model A: ball-drop/model-a.mp4
  Model B: ball-drop/model-b.mp4
  Shifted: ball-drop/shifted.mp4
```

```compare
title: Without the input pane
clips:
  Reference: ball-drop/reference.mp4
  Shifted: ball-drop/shifted.mp4
input: false
```

```compare
title: Two clips and the input, with a wipe
clips:
  Reference: ball-drop/reference.mp4
  Shifted: ball-drop/shifted.mp4
```

```claim
The reference starts from the input image and the shifted clip does not.
check: ball-drop/reference:first_frame.ssim > 0.95 and ball-drop/shifted:first_frame.ssim < ball-drop/reference:first_frame.ssim - 0.05 and ball-drop/shifted:first_frame.psnr_db < 30
```
"""

CONFIG = """\
site_name: inputs
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
plugins:
  - blog:
      blog_dir: blog
  - probepress:
      cache_dir: {cache_dir}
      workers: 2
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


def render_input_clips(folder: Path) -> Path:
    """The ball drop's clips and input image, and the shifted clip (2 s); returns ``folder``."""
    synth.generate(folder, seed=0, scenes=["ball-drop"])
    frames = synth.render_frames("ball-drop", "reference")[:48]
    move = np.float32([[1, 0, SHIFT_PX], [0, 1, 0]])
    shifted = [
        cv2.warpAffine(f, move, (f.shape[1], f.shape[0]), borderMode=cv2.BORDER_REPLICATE)
        for f in frames
    ]
    synth.write_mp4(folder / "ball-drop" / "shifted.mp4", shifted, fps=24)
    return folder


def input_site(root: Path, clips: Path, cache_dir: Path) -> Path:
    """Write the site into ``root`` with the clips of :func:`render_input_clips`."""
    (root / "docs" / "blog").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Inputs\n", encoding="utf-8")
    (root / "docs" / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (root / "posts").mkdir()
    (root / "posts" / "start.md").write_text(POST, encoding="utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(cache_dir=cache_dir), encoding="utf-8")
    target = root / "assets" / "clips"
    shutil.copytree(clips / "ball-drop", target / "ball-drop")
    (target / "solo").mkdir()
    shutil.copy2(clips / "ball-drop" / "model-c.mp4", target / "solo" / "model-c.mp4")
    shutil.copy2(clips / "ball-drop" / "input.png", target / "solo" / "input.png")
    scene = {"title": TITLE, "prompt": "A ball falls.", "probes": ["gravity"]}
    manifest = {
        "scenes": {
            "ball-drop": {
                **scene,
                "input": {"image": "ball-drop/input.png"},
                "reference": "ball-drop/reference.mp4",
            },
            "solo": {
                "title": "One clip",
                "input": {"image": "solo/input.png"},
                "probes": ["flicker"],
            },
        },
        "clips": [
            {"file": f"ball-drop/{name}.mp4", "scene": "ball-drop", "model": model}
            for name, model in (
                ("reference", "Reference"),
                ("model-a", "Model A"),
                ("model-b", "Model B"),
            )
        ]
        + [
            {"file": "ball-drop/shifted.mp4", "scene": "ball-drop", "model": "Shifted"},
            {"file": "solo/model-c.mp4", "scene": "solo", "model": "Model C"},
        ],
    }
    (target / "clips.yml").write_text(yaml.safe_dump(manifest, sort_keys=False), "utf-8")
    return root


def sources_digest(root: Path) -> dict[str, str]:
    """Every file under posts/, docs/ and assets/, hashed: what a build must not change."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("posts", "docs", "assets")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }

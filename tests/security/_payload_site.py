"""A site whose manifest and posts are full of attack payloads (its sources, made in a folder).

Every string a page shows carries markup that would run script, request another host
or make a ``javascript:`` link if it reached the page as HTML (or as Markdown, or as a
plotly label). A payload that runs records its field in ``window.__pp_pwned``.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from sitebuild import copy_site

from probepress.probes import PROBES

PWNED = "__pp_pwned"
EVIL_HOST = "evil.example"
BROKEN_URL = f'https://example.org/a"><script>{PWNED}=1</script>'
SCENES = ("ball-drop", "creature")
# A clip file name is shown too (ids, URLs): it carries quotes and markup of its own.
ODD_FILE = "ball-drop/model c \"'><svg onload=window.__pp_pwned=1>.mp4"


def payload(field: str) -> str:
    """A one-line string attacking every context a page could put ``field`` in."""
    run = f"window.{PWNED}=(window.{PWNED}||[]).concat(['{field}'])"
    return (
        f"{field} </script><script>{run}</script>"
        f"<img src=x onerror=\"{run};alert('{field}')\">"
        f'<svg onload="{run}"><circle r=1 /></svg>'
        f'"\'><b onmouseover="{run}">quote</b>'
        f"[md link](javascript:alert('{field}'))"
        f'<a href="javascript:{run}">js link</a>'
        f'<img src="http://{EVIL_HOST}/{field}.png">'
        f'<span style="background:url(http://{EVIL_HOST}/css.png)">styled</span>'
        "{: onclick=\"alert('attr')\" } {{ ball-drop/nothing : gravity.nothing }} | cell"
        " naïve 😀"
    )


#: Fences refuse titles, captions and labels over 300 characters; their payloads are
#: the same attacks, each run recording only that a payload ran.
FENCE_TEXT_LIMIT = 300


def fence_payload(field: str) -> str:
    """:func:`payload` for a fence field: every attack form, within the fence text limit."""
    run = f"{PWNED}=1"  # a global, as window.__pp_pwned
    text = (
        f"{field} </script><script>{run}</script>"
        f'<img src=x onerror="{run}"><svg onload="{run}">'
        f'"\'><b onmouseover="{run}">q</b><a href="javascript:{run}">j</a>'
        f'[l](javascript:{run})<img src="http://{EVIL_HOST}/i.png">'
        " {{ x : gravity.a }} | 😀"
    )
    assert len(text) <= FENCE_TEXT_LIMIT, (field, len(text))
    return text


def _manifest(clips_yml: Path) -> None:
    """The demo manifest for two scenes, every shown string replaced by a payload."""
    demo = yaml.safe_load(clips_yml.read_text(encoding="utf-8"))
    scenes = {}
    for name in SCENES:
        scene = demo["scenes"][name]
        scene.update(title=payload(f"{name}.title"), prompt=payload(f"{name}.prompt"))
        # The scene's name is shown too (anchors, headings, hover text).
        scenes[payload(f"{name}.name")] = scene
    clips = []
    for clip in demo["clips"]:
        scene = clip["scene"]
        if scene not in SCENES or clip["model_version"] == "v2":
            continue  # Model A's second-version takes: one clip per model is enough here
        tag = clip["file"].removesuffix(".mp4")
        clip.update(
            scene=payload(f"{scene}.name"),
            model=payload(f"{tag}.model") if clip["model"] != "Reference" else "Reference",
            model_version=payload(f"{tag}.version"),
            source=f"https://example.org/{tag}",
            license=payload(f"{tag}.license"),
            notes=payload(f"{tag}.notes"),
            violation=payload(f"{tag}.violation") if clip["violation"] else None,
            # Real model output for creature, synthetic stand-ins for ball-drop.
            synthetic=scene == "ball-drop",
        )
        if clip["file"] == "ball-drop/model-a.mp4":
            # A URL that breaks out of its quotes: shown as text, never as a link.
            clip["source"] = BROKEN_URL
        if clip["file"] == "creature/model-b.mp4":
            # Text a spreadsheet would run as a formula from the open data CSV.
            clip["model_version"] = f'=HYPERLINK("http://{EVIL_HOST}/x","open")'
        if clip["file"] == "ball-drop/model-c.mp4":
            clip["file"] = ODD_FILE
        clips.append(clip)
    clips_yml.write_text(
        yaml.safe_dump({"scenes": scenes, "clips": clips}, allow_unicode=True, width=1_000_000),
        encoding="utf-8",
    )


def _fence(name: str, options: dict) -> str:
    body = yaml.safe_dump(options, allow_unicode=True, width=1_000_000, sort_keys=False)
    return f"```{name}\n{body}```\n"


def _post() -> str:
    """A post whose every fence field carries a payload (front matter is the author's own)."""
    return "\n".join(
        [
            "---",
            "date: 2026-11-28",
            "---",
            "",
            "# Attack payloads in every field",
            "",
            # The excerpt, shown again on the blog's index and archive pages. (A clip there
            # would get media URLs relative to the wrong page on archive pages: not
            # this suite's concern.)
            _fence(
                "chart",
                {
                    "kind": "bars",
                    "metric": "gravity.acceleration_px_s2",
                    "clips": "ball-drop/*",
                    "title": fence_payload("bars.title"),
                },
            ),
            "<!-- more -->",
            "",
            _fence(
                "clip", {"src": "ball-drop/reference.mp4", "caption": fence_payload("clip.caption")}
            ),
            _fence(
                "compare",
                {
                    "title": fence_payload("compare.title"),
                    "clips": {
                        fence_payload("compare.label"): "ball-drop/reference.mp4",
                        "Model A": "ball-drop/model-a.mp4",
                        "Odd": ODD_FILE,
                    },
                    "timeline": "gravity.centroid_y",
                    "overlay": "gravity",
                },
            ),
            _fence(
                "montage",
                {
                    "title": fence_payload("montage.title"),
                    "clips": ["ball-drop/reference.mp4", "ball-drop/model-a.mp4"],
                    "caption": fence_payload("montage.caption"),
                },
            ),
            _fence(
                "chart",
                {
                    "kind": "heatmap",
                    "metrics": ["flicker.flicker_index", "flicker.temporal_flickering"],
                    "clips": ["ball-drop/*", "creature/*"],
                    "title": fence_payload("heatmap.title"),
                },
            ),
            _fence(
                "chart",
                {
                    "kind": "radar",
                    "metrics": ["motion.ldlj", "motion.high_freq_ratio"],
                    "clips": "creature/*",
                    "title": fence_payload("radar.title"),
                },
            ),
            "```claim",
            # A claim's statement is free text, shown in the post and on the claims page.
            payload("claim.statement"),
            "check: ball-drop/reference : gravity.acceleration_px_s2 == 1200 ± 3%",
            "```",
            "",
        ]
    )


@dataclass(frozen=True)
class PayloadSite:
    """The built and served payload site."""

    root: Path
    url: str
    folder: Path

    @property
    def pages(self) -> list[str]:
        """Every generated HTML page, relative to the site root ("" for the home page)."""
        paths = (p.relative_to(self.folder).parent.as_posix() for p in self.folder.rglob("*.html"))
        return sorted("" if p == "." else p + "/" for p in paths if not p.startswith("assets"))


def make_payload_site(root: Path, demo_clips: Path, cache: Path) -> Path:
    """The sources of the payload site in ``root``: demo config, payload manifest and post."""
    copy_site(root, with_clips_from=demo_clips)
    clips = root / "assets" / "clips"
    for scene in clips.iterdir():
        if scene.is_dir() and scene.name not in SCENES:
            shutil.rmtree(scene)
    (clips / "ball-drop" / "model-c.mp4").rename(clips / ODD_FILE)
    _manifest(clips / "clips.yml")
    shutil.rmtree(root / "posts")
    (root / "posts").mkdir()
    (root / "posts" / "payloads.md").write_text(_post(), encoding="utf-8")
    # The demo's own pages measure the demo's scenes: keep home and blog index only.
    for child in (root / "docs").iterdir():
        if child.name not in ("index.md", "blog"):
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    (root / "docs" / "index.md").write_text("# Payload site\n\nNothing to see.\n")
    (root / "docs" / "probes").mkdir()
    for probe in PROBES:  # the leaderboard links the pages of the probes it shows
        (root / "docs" / "probes" / f"{probe}.md").write_text(f"# {probe}\n")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(
        r"^nav:\n(?:[ -].*\n)+",
        "nav:\n  - Home: index.md\n  - Blog:\n      - blog/index.md\n"
        "  - Leaderboard: leaderboard.md\n  - Claims: claims.md\n",
        config,
        flags=re.M,
    )
    config = config.replace("cache_dir: .cache/probepress", f"cache_dir: {cache}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root

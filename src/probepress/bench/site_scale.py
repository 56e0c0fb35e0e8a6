"""Site builds at two sizes: the demo, and the demo made ``factor`` times larger.

The larger site repeats every scene, clip and post ``factor`` times. Each copy of a clip
is the same stream remuxed with a comment naming the copy: the same pictures (so every
claim still holds), different bytes (so every copy is hashed, probed and encoded on its
own, as a distinct clip would be). Each copy of a post points at its own copies of the
clips and has its own title, hence its own URL.

For each size: a cold build (empty cache), a warm rebuild, a rebuild after one clip is
replaced, and a plain Material build of the same pages, the yardstick of the warm one
(the helpers of :mod:`probepress.bench.site`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from copy import deepcopy as copy_entry  # shared objects would be dumped as YAML aliases
from pathlib import Path

import imageio_ffmpeg
import yaml

from probepress.bench.site import (
    _SOURCES,
    WARM_TARGET,
    _mkdocs,
    _plain_copy,
    _reencode,
    warm_against_plain,
)
from probepress.bench.site import _probes_run as probes_run
from probepress.bench.warm_gap import warm_gap_lines

__all__ = ["scale_site", "site_scale_section"]

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def scale_site(source: Path, dest: Path, factor: int) -> Path:
    """Copy the site at ``source`` into ``dest`` with every scene and post ``factor`` times.

    Parameters
    ----------
    source : Path
        A probepress site whose clips are rendered (``probepress synth``).
    dest : Path
        An empty or missing folder.
    factor : int
        How many of each scene, clip and post the copy has (1: a plain copy).
    """
    dest.mkdir(parents=True, exist_ok=True)
    for name in _SOURCES:
        path = source / name
        if path.exists():
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, dest / name)
    clips_dir = dest / "assets" / "clips"
    manifest_path = clips_dir / "clips.yml"
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    scenes = list(manifest.get("scenes", {}))
    originals = list(manifest.get("clips", []))
    posts = sorted((dest / "posts").glob("*.md"))
    for copy in range(2, factor + 1):
        rename = {scene: f"{scene}-{copy}" for scene in scenes}
        for scene in scenes:
            entry = copy_entry(manifest["scenes"][scene])
            if entry.get("reference"):
                entry["reference"] = _renamed(entry["reference"], rename)
            manifest["scenes"][rename[scene]] = entry
            for clip in sorted((clips_dir / scene).glob("*.mp4")):
                _remux(clip, clips_dir / rename[scene] / clip.name, f"copy {copy}")
        for clip in originals:
            entry = copy_entry(clip)
            entry.update(scene=rename[clip["scene"]], file=_renamed(clip["file"], rename))
            manifest["clips"].append(entry)
        for post in posts:
            text = _retitled(_renamed(post.read_text(encoding="utf-8"), rename), copy)
            post.with_name(f"{post.stem}-copy-{copy}.md").write_text(text, encoding="utf-8")
    manifest_path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return dest


def _renamed(text: str, rename: dict[str, str]) -> str:
    """``text`` with every clip reference ``scene/...`` pointing at the scene's copy."""
    if not rename:
        return text
    names = "|".join(re.escape(s) for s in sorted(rename, key=len, reverse=True))
    return re.sub(rf"(?<![\w/-])({names})/", lambda m: f"{rename[m.group(1)]}/", text)


def _retitled(text: str, copy: int) -> str:
    """The post with ``(copy N)`` after its title: its own slug, its own page."""
    front = _FRONT_MATTER.match(text)
    start = front.end() if front else 0
    body = re.sub(r"^# (.+)$", rf"# \1 (copy {copy})", text[start:], count=1, flags=re.M)
    return text[:start] + body


def _remux(source: Path, dest: Path, comment: str) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(source)]
    command += ["-c", "copy", "-map_metadata", "-1", "-metadata", f"comment={comment}"]
    subprocess.run([*command, "-movflags", "+faststart", str(dest)], check=True)


def _time_site(root: Path, scratch: Path, label: str, say: Callable) -> dict[str, object]:
    """Cold, warm, one clip replaced, and the plain build, of the site at ``root``."""

    def build(step: str, site: Path = root) -> tuple[float, str]:
        say(f"{label}: {step} ...")
        seconds, log = _mkdocs(site)
        say(f"  {seconds:.1f} s ({probes_run(log)}; load {_load()})")
        return seconds, log

    cold, cold_log = build("cold build")
    plain_root = _plain_copy(root, scratch / f"plain-{label}")
    say(f"{label}: warm rebuilds and plain Material builds of the same pages, in turn ...")
    warm, plain, warm_log = warm_against_plain(root, plain_root)
    say(f"  warm {warm:.1f} s, plain {plain:.1f} s (medians; load {_load()})")
    gap: list[str] = []
    if warm / plain > WARM_TARGET:  # before a clip is replaced: the profiled build is warm
        say(f"{label}: one more warm build, profiled, for where the gap goes ...")
        gap = warm_gap_lines(root, plain_root, warm, plain)
    clips = sorted((root / "assets" / "clips").rglob("*.mp4"))
    _reencode(clips[-1])
    changed, changed_log = build("rebuild after replacing one clip")
    return {
        "clips": len(clips),
        "posts": len(list((root / "posts").glob("*.md"))),
        "cold": (cold, probes_run(cold_log)),
        "warm": (warm, probes_run(warm_log)),
        "changed": (changed, probes_run(changed_log)),
        "plain": plain,
        "gap": gap,
    }


def site_scale_section(
    source: Path,
    factor: int,
    scratch: Path,
    say: Callable,
    partial: Callable[[list[str]], None] = lambda _lines: None,
) -> list[str]:
    """Markdown: build times of the site at ``source`` and of it ``factor`` times larger.

    ``partial`` is given the section so far after each size (a long run keeps its rows).
    """
    rows: list[str] = []
    gaps: list[str] = []
    for label, times in (("demo", 1), (f"demo x{factor}", factor)):
        root = scale_site(source, scratch / f"site-{times}", times)
        timed = _time_site(root, scratch, label.replace(" ", ""), say)
        ratio = timed["warm"][0] / timed["plain"]
        verdict = "meets" if ratio <= WARM_TARGET else "misses"
        rows.append(
            f"| {label} | {timed['clips']} | {timed['posts']} "
            f"| {timed['cold'][0]:.1f} ({timed['cold'][1]}) "
            f"| {timed['warm'][0]:.1f} ({timed['warm'][1]}) "
            f"| {timed['changed'][0]:.1f} ({timed['changed'][1]}) "
            f"| {timed['plain']:.1f} | **{ratio:.2f}** ({verdict}) | {_load()} |"
        )
        if timed["gap"]:
            gaps += ["", f"**{label}, warm against plain.**", "", *timed["gap"]]
        shutil.rmtree(scratch / f"site-{times}", ignore_errors=True)
        partial(_section(factor, rows, gaps))
    return _section(factor, rows, gaps)


def _section(factor: int, rows: list[str], gaps: list[str]) -> list[str]:
    return [
        f"## Site builds: the demo and {factor}x the demo",
        "",
        "Seconds of `mkdocs build` (probes run and cached in brackets); the warm ratio is "
        f"warm rebuild / plain Material build of the same pages (target at most {WARM_TARGET}).",
        "",
        "| site | clips | posts | cold | warm | one clip replaced | plain Material "
        "| warm / plain | load after |",
        "|---|---:|---:|---|---|---|---:|---:|---|",
        *rows,
        *gaps,
        "",
    ]


def _load() -> str:
    return ", ".join(f"{v:.1f}" for v in os.getloadavg())

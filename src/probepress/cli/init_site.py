"""``probepress init DIR``: write a minimal probepress site that builds strict as is.

The site has one post with a clip, a chart, a measured value and a claim; one clip (a
synthetic ball drop, rendered here) and its manifest; a README with the commands to
write and test it; a requirements.txt pinning what is installed now (so the site
measures the same way wherever it is built); and a GitHub Pages workflow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from importlib import metadata, resources
from pathlib import Path

import yaml

from probepress import __version__

__all__ = ["add_parser", "init_site"]

EXIT_OK, EXIT_USAGE = 0, 2

#: Template file -> where it goes in the new site (hidden names are not package data).
_TEMPLATES = {
    "mkdocs.yml": "mkdocs.yml",
    "index.md": "docs/index.md",
    "blog-index.md": "docs/blog/index.md",
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "publish.yml": ".github/workflows/publish.yml",
}
_SCENE, _VARIANT = "ball-drop", "reference"
_MANIFEST_HEADER = """\
# Clip manifest: every clip the site shows, where it came from, and what it should
# measure. One scene per folder; each scene names its reference clip and its probes.
# The ball drop below is synthetic (rendered by `probepress init`): replace it with
# your own model's output.
"""


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``probepress init``."""
    init = commands.add_parser(
        "init",
        help="write a minimal probepress site (a post, a clip, its manifest, a workflow)",
        description="Write a minimal probepress site into DIR that `mkdocs build --strict` "
        "builds as is. DIR must be empty or missing, unless --force.",
    )
    init.add_argument("dir", type=Path, metavar="DIR", help="folder for the new site")
    init.add_argument("--title", default="Video model evaluations", help="the site's name")
    init.add_argument(
        "--force", action="store_true", help="write into a non-empty DIR (overwrites files)"
    )
    init.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    dest: Path = args.dir
    if dest.exists() and not dest.is_dir():
        print(f"probepress init: {dest} is a file; name a folder", file=sys.stderr)
        return EXIT_USAGE
    if dest.is_dir() and any(dest.iterdir()) and not args.force:
        print(
            f"probepress init: {dest} is not empty; choose a new folder, or add --force to "
            "write the site's files into it (files of the same name are overwritten)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    written = init_site(dest, title=args.title)
    print(f"probepress: wrote {len(written)} files into {dest}")
    print(f"  cd {dest} && mkdocs serve            # write, at http://127.0.0.1:8000/")
    print(f"  cd {dest} && mkdocs build --strict   # test every claim")
    return EXIT_OK


def init_site(dest: Path, *, title: str, today: dt.date | None = None) -> list[Path]:
    """Write the site's files into ``dest`` (created if missing).

    Returns
    -------
    list of Path
        Every file written.
    """
    date = (today or dt.date.today()).isoformat()
    values = {"@@TITLE@@": title.replace('"', "'"), "@@DATE@@": date}
    written = [
        _write(dest / target, _template(name, values)) for name, target in _TEMPLATES.items()
    ]
    written.append(
        _write(dest / "posts" / f"{date}-a-first-measured-clip.md", _template("post.md", values))
    )
    written.append(_write(dest / "requirements.txt", _requirements()))
    written += _clips(dest / "assets" / "clips")
    return written


def _template(name: str, values: dict[str, str]) -> str:
    text = (resources.files("probepress") / "cli" / "templates" / name).read_text("utf-8")
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _requirements() -> str:
    """The probepress package and its runtime dependencies, pinned at the versions installed now."""
    lines = [
        "# The runtime stack this site was created with, pinned so that every build",
        "# measures with the same decoders and renders with the same theme.",
        f"probepress=={__version__}",
    ]
    for requirement in metadata.requires("probepress") or []:
        if "extra ==" in requirement:
            continue
        name = requirement.split(";")[0].split("[")[0]
        name = name.split("<")[0].split(">")[0].split("=")[0].split("!")[0].strip()
        try:
            lines.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(requirement)
    return "\n".join(lines) + "\n"


def _clips(clips_dir: Path) -> list[Path]:
    """Render the synthetic ball drop and write its one-clip manifest."""
    from probepress import synth

    scene = synth.SCENES[_SCENE]
    clip = clips_dir / _SCENE / f"{_VARIANT}.mp4"
    clip.parent.mkdir(parents=True, exist_ok=True)
    synth.write_mp4(clip, scene.variants[_VARIANT].render(0), fps=scene.fps)
    # The manifest's scene names its input image (image-to-video): write it too.
    image = synth.write_input_image(clip.parent / synth.INPUT_IMAGE, _SCENE)
    entries = synth.manifest_entries()
    manifest = {
        "scenes": {_SCENE: entries["scenes"][_SCENE]},
        "clips": [c for c in entries["clips"] if c["file"] == f"{_SCENE}/{_VARIANT}.mp4"],
    }
    manifest["clips"][0]["source"] = "probepress init (probepress synth --seed 0)"
    text = _MANIFEST_HEADER + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
    return [clip, image, _write(clips_dir / "clips.yml", text)]

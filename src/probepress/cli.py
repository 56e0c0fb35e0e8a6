"""The ``probepress`` command: one sub-command per job, each a small function.

Exit status: 0 on success, 1 when the work failed (a probe or a claim), 2 on bad usage
or bad input (a missing file, a malformed manifest).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml
from mkdocs.exceptions import ConfigurationError

from . import __version__
from .project import ProjectNotFoundError, find_settings

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except (ProjectNotFoundError, ConfigurationError) as error:
        print(f"probepress: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("probepress: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="probepress",
        description="Measure physics in generated video and publish checked write-ups.",
    )
    parser.add_argument("--version", action="version", version=f"probepress {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    synth = commands.add_parser(
        "synth",
        help="render the synthetic demo clips (known physics) into the clips folder",
        description="Render the synthetic scenes, a reference and labelled violations each. "
        "Existing files are kept unless --force.",
    )
    synth.add_argument("--config", type=Path, help="the site's mkdocs.yml (default: found)")
    synth.add_argument("--out", type=Path, help="folder to write into (default: clips folder)")
    synth.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    synth.add_argument(
        "--scene", action="append", dest="scenes", metavar="NAME", help="only this scene"
    )
    synth.add_argument("--force", action="store_true", help="re-render existing clips")
    synth.add_argument(
        "--write-manifest",
        action="store_true",
        help="(re)write clips.yml for the synthetic scenes (it is written anyway if missing)",
    )
    synth.set_defaults(handler=_synth)
    return parser


def _synth(args: argparse.Namespace) -> int:
    from . import synth

    if args.out is not None:
        out, manifest = args.out, args.out / "clips.yml"
    else:
        settings = find_settings(args.config)
        out, manifest = settings.clips_dir, settings.manifest
    unknown = sorted(set(args.scenes or ()) - set(synth.SCENES))
    if unknown:
        print(
            f"probepress synth: unknown scene {', '.join(unknown)}; "
            f"known: {', '.join(synth.SCENES)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    written = synth.generate(
        out, seed=args.seed, scenes=args.scenes, force=args.force, progress=_say
    )
    print(f"probepress synth: {len(written)} clips written to {out}")
    if args.write_manifest or not manifest.exists():
        _write_manifest(manifest, synth.manifest_entries(args.seed))
        print(f"probepress synth: manifest written to {manifest}")
    return EXIT_OK


def _write_manifest(path: Path, entries: dict) -> None:
    header = (
        "# Clip manifest: every clip the site shows, where it came from, and what it\n"
        "# should measure. The synthetic entries were written by `probepress synth`;\n"
        "# add your own scenes and clips below them.\n"
    )
    body = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=88)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

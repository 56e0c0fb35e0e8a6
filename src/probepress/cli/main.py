"""The ``probepress`` command: one sub-command per job, each a small function.

``init``, ``new`` and ``serve`` live in their own modules (``init_site.py``,
``new_post.py``, ``serve.py``).

Exit status: 0 on success, 1 when the work failed (a probe, a claim, or any problem
``probepress check`` finds, the manifest's included), 2 on bad usage (a missing file,
an unknown probe, no site).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from probepress import __version__
from probepress.cli.init_site import add_parser as add_init_parser
from probepress.cli.new_post import add_parser as add_new_parser
from probepress.cli.serve import add_parser as add_serve_parser
from probepress.measure.cluster import ClusterError
from probepress.measure.report import report_json, report_table
from probepress.measure.runner import Job, RunReport, run_probes
from probepress.site.project import ProjectNotFoundError, find_settings
from probepress.video.budget import DEFAULT_MAX_SECONDS, ClipBudget

if TYPE_CHECKING:
    from probepress.site.settings import Settings

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
    except Exception as error:
        if not isinstance(error, _user_errors()):
            raise
        print(f"probepress: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("probepress: interrupted", file=sys.stderr)
        return 130


def _user_errors() -> tuple[type[Exception], ...]:
    """Errors a user can fix, printed without a traceback.

    MkDocs' ConfigurationError counts only once MkDocs was imported (a command that
    read a site's config): `probepress probe` outside a site never imports it.
    """
    errors: tuple[type[Exception], ...] = (ProjectNotFoundError, ClusterError)
    mkdocs_errors = sys.modules.get("mkdocs.exceptions")
    if mkdocs_errors is not None:
        errors += (mkdocs_errors.ConfigurationError,)
    return errors


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

    probe = commands.add_parser(
        "probe",
        help="measure clips with the physics probes and print the results",
        description="Run probes on clips (cached by content hash). Exit status 1 if any "
        "probe failed, 2 on bad usage.",
    )
    probe.add_argument("clips", nargs="+", type=Path, metavar="CLIP", help="video files")
    probe.add_argument(
        "--probe",
        action="append",
        dest="probes",
        metavar="NAME",
        help="run only this probe (repeatable; default: the probes of the clip's scene in "
        "the site's manifest, or every probe for a clip outside it)",
    )
    probe.add_argument(
        "--all-probes", action="store_true", help="run every probe, whatever the scene"
    )
    probe.add_argument(
        "--reference", type=Path, metavar="CLIP", help="reference clip for comparative probes"
    )
    probe.add_argument(
        "--input",
        type=Path,
        metavar="IMAGE",
        help="the image the clips were generated from, for first_frame (image-to-video)",
    )
    probe.add_argument("--json", action="store_true", help="print one JSON object")
    probe.add_argument(
        "--workers", type=_count(0, 256), default=0, help="processes (0: one per core)"
    )
    probe.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="measure on the workers of this Dask scheduler (tcp://host:8786) instead of "
        "local processes; needs probepress[dask]",
    )
    probe.add_argument("--no-cache", action="store_true", help="measure again, store nothing")
    probe.add_argument(
        "--long-side",
        type=_count(64, 4096, "pixels"),
        default=None,
        help="analysis resolution, long side in pixels, 64-4096 (default 480)",
    )
    probe.add_argument(
        "--max-seconds",
        type=_positive_seconds,
        default=None,
        metavar="SECONDS",
        help="refuse clips longer than this (default: the site's max_clip_seconds, or 600)",
    )
    probe.set_defaults(handler=_probe)

    check = commands.add_parser(
        "check",
        help="verify every claim of the site without rendering it (for a site's CI)",
        description="Measure what the pages need (cache first) and evaluate every claim, "
        "fence and inline value. Exit status 1 if a claim fails or a page has an error.",
    )
    check.add_argument("--config", type=Path, help="the site's mkdocs.yml (default: found)")
    check.set_defaults(handler=_check)

    bench = commands.add_parser(
        "bench",
        help="time decoding, each probe, the cache and the worker pool; write a report",
    )
    bench.add_argument(
        "--out",
        type=Path,
        default=Path(".cache/probepress/bench-report.md"),
        help="report file (default: .cache/probepress/bench-report.md)",
    )
    bench.add_argument("--repeats", type=int, default=3, help="runs per timing (median)")
    bench.add_argument(
        "--site",
        action="store_true",
        help="benchmark whole-site builds instead (cold, warm, edited post, replaced clip)",
    )
    bench.add_argument(
        "--scale",
        action="store_true",
        help="benchmark scale instead: N generated clips on the local pool and a Dask "
        "LocalCluster, and site builds of the demo and of it --site-factor times larger",
    )
    bench.add_argument(
        "--scale-n",
        type=_sizes,
        default=None,
        metavar="N[,N...]",
        help="corpus sizes for --scale (default 40,400; none: site builds only)",
    )
    bench.add_argument(
        "--site-factor",
        type=_count(1, 100),
        default=10,
        help="how many times the demo the larger site is, for --scale (default 10; 1 skips it)",
    )
    bench.add_argument(
        "--audit",
        action="store_true",
        help="run Lighthouse on the home page, the flagship post, the leaderboard and a plain "
        "Material page (make audit; needs npm's lighthouse in .cache/audit)",
    )
    bench.set_defaults(handler=_bench)
    add_init_parser(commands)
    add_new_parser(commands)
    add_serve_parser(commands)
    return parser


def _synth(args: argparse.Namespace) -> int:
    from probepress import synth

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
    print(f"probepress synth: {len(written)} files (clips, input images) written to {out}")
    if args.write_manifest or not manifest.exists():
        entries = synth.manifest_entries(args.seed)
        if args.scenes:
            # List only what was rendered, so the manifest names no missing file.
            entries["scenes"] = {k: v for k, v in entries["scenes"].items() if k in args.scenes}
            entries["clips"] = [c for c in entries["clips"] if c["scene"] in args.scenes]
        _write_manifest(manifest, entries)
        print(f"probepress synth: manifest written to {manifest}")
    return EXIT_OK


def _probe(args: argparse.Namespace) -> int:
    from probepress.probes import PROBES, UnknownProbeError, get_probe

    try:
        names = [get_probe(name).name for name in args.probes or ()]
    except UnknownProbeError as error:
        print(f"probepress probe: {error}", file=sys.stderr)
        return EXIT_USAGE
    every = [
        n
        for n, p in PROBES.items()
        if (args.reference or not p.needs_reference) and (args.input or not p.needs_input)
    ]
    if args.all_probes:
        names = every
    needs_reference = [n for n in names if PROBES[n].needs_reference]
    if needs_reference and args.reference is None:
        print(
            f"probepress probe: {', '.join(needs_reference)} compares with a reference clip; "
            "pass --reference CLIP",
            file=sys.stderr,
        )
        return EXIT_USAGE
    needs_input = [n for n in names if PROBES[n].needs_input]
    if needs_input and args.input is None:
        print(
            f"probepress probe: {', '.join(needs_input)} compares with the input image; "
            "pass --input IMAGE",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for path in [*args.clips, *(p for p in (args.reference, args.input) if p)]:
        if not path.is_file():
            print(f"probepress probe: {path}: no such file", file=sys.stderr)
            return EXIT_USAGE
    report = _measure(args, tuple(names) if names else None, tuple(every))
    if args.json:
        print(json.dumps(report_json(report), indent=2))
    else:
        print(report_table(report))
    for clip in report.clips:
        if clip.error is not None:
            print(f"probepress probe: {clip.path}: {clip.error}", file=sys.stderr)
            continue
        for name, result in clip.results.items():
            if not result:
                print(f"probepress probe: {clip.path}: {name}: {result.error}", file=sys.stderr)
    print(report.summary, file=sys.stderr)
    failed = any(clip.failed for clip in report.clips)
    return EXIT_FAILED if failed else EXIT_OK


def _measure(
    args: argparse.Namespace, names: tuple[str, ...] | None, every: tuple[str, ...]
) -> RunReport:
    from probepress.measure.cache import ResultCache

    settings = _settings_or_none()
    long_side = args.long_side or (settings.analysis_long_side if settings else 480)
    seconds = args.max_seconds or (settings.max_clip_seconds if settings else DEFAULT_MAX_SECONDS)
    budget = ClipBudget(seconds)
    scene_probes = _scene_probes(settings) if names is None else {}
    jobs = []
    for path in args.clips:
        probes, image = scene_probes.get(path.resolve(), (every, None))
        jobs.append(
            Job(
                clip=path,
                probes=names or probes,
                reference=args.reference,
                input_image=args.input or image,
            )
        )
    options = {"workers": args.workers, "long_side": long_side, "budget": budget}
    if args.no_cache:
        return run_probes(jobs, scheduler=args.scheduler, **options)
    with ResultCache(settings.cache_dir if settings else _user_cache_dir()) as cache:
        return run_probes(jobs, cache=cache, scheduler=args.scheduler, **options)


def _positive_seconds(text: str) -> float:
    """``--max-seconds``: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def _scene_probes(settings: Settings | None) -> dict[Path, tuple[tuple[str, ...], Path | None]]:
    """Each manifest clip's probes and its scene's input image, by resolved path.

    ``{}`` outside a site.
    """
    from probepress.measure.manifest import ManifestError, load_manifest
    from probepress.measure.probe_phase import clip_probes

    if settings is None:
        return {}
    try:
        manifest = load_manifest(settings.manifest, settings.clips_dir)
    except ManifestError:
        return {}  # the clips are still measured, with every probe
    found = {}
    for clip in manifest.clips.values():
        scene = manifest.scenes.get(clip.scene)
        if scene is not None:
            image = scene.input_image.path if scene.input_image else None
            probes = clip_probes(scene.probes, input_image=image is not None)
            found[clip.path.resolve()] = (probes, image)
    return found


def _settings_or_none() -> Settings | None:
    """The enclosing site's settings, or none when run outside a site."""
    try:
        return find_settings()
    except ProjectNotFoundError:
        return None


def _user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "probepress"


def _check(args: argparse.Namespace) -> int:
    from probepress.site.check import check_site
    from probepress.site.problems import capped
    from probepress.site.project import find_config_file

    review = check_site(args.config or find_config_file())
    messages = review.messages()
    for message in capped(messages):
        print(message, file=sys.stderr)
    print(f"probepress check: {review.summary()}")
    return EXIT_FAILED if messages or review.unchecked_claims else EXIT_OK


def _count(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    """An argparse type: a whole number within ``low..high`` (argparse exits 2 otherwise)."""
    suffix = f" {unit}" if unit else ""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{value} is out of range: use {low} to {high}{suffix}"
            )
        return value

    return parse


def _sizes(text: str) -> tuple[int, ...]:
    """``--scale-n``: comma-separated whole numbers of clips, each 1 to 100000 (none: skip)."""
    if text.strip() == "none":
        return ()
    parse = _count(1, 100_000, "clips")
    return tuple(parse(part) for part in text.split(",") if part.strip())


def _bench(args: argparse.Namespace) -> int:
    if args.scale:
        from probepress.bench.scale import DEFAULT_SIZES, run_scale_bench
        from probepress.site.project import find_config_file

        out = args.out.with_name("bench-scale-report.md")
        site = find_config_file().parent if args.site_factor > 1 else None
        report = run_scale_bench(
            out,
            sizes=DEFAULT_SIZES if args.scale_n is None else args.scale_n,
            site_source=site,
            site_factor=args.site_factor,
            say=_say,
        )
        print(report)
        print(f"probepress bench: report written to {out}", file=sys.stderr)
        return EXIT_OK
    if args.audit:
        from probepress.bench.audit import LighthouseNotFoundError, run_audit
        from probepress.site.project import find_config_file

        out = args.out.with_name("audit-report.md")
        try:
            report = run_audit(find_config_file().parent, out, say=_say)
        except LighthouseNotFoundError as error:
            print(f"probepress bench: {error}", file=sys.stderr)
            return EXIT_USAGE
        except RuntimeError as error:  # a build or a Lighthouse run failed: its own output says why
            print(f"probepress bench: {error}", file=sys.stderr)
            return EXIT_FAILED
        print(report)
        print(f"probepress bench: report written to {out}", file=sys.stderr)
        return EXIT_OK
    if args.site:
        from probepress.bench.site import run_site_bench
        from probepress.site.project import find_config_file

        out = args.out.with_name("bench-site-report.md")
        report = run_site_bench(find_config_file().parent, out, say=_say)
        print(report)
        print(f"probepress bench: report written to {out}", file=sys.stderr)
        return EXIT_OK
    from probepress.bench.probes import run_bench

    report = run_bench(args.out, repeats=max(1, args.repeats), say=_say)
    print(report)
    print(f"probepress bench: report written to {args.out}", file=sys.stderr)
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

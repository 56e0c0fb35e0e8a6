"""``probepress serve``: the site's MkDocs dev server, with seekable clips.

It is ``mkdocs serve`` (MkDocs' own command, so its options, logging, live reload and
rebuilds on change stay MkDocs') for the enclosing site, after checking that the site
enables the probepress plugin: the plugin's ``on_serve`` makes the server answer HTTP
Range requests (``site/range_requests.py``), which the players need to seek a clip
without downloading it whole, as they do on a static host. Live reload stays on
because MkDocs runs ``on_serve`` only with it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from probepress.site.project import find_config_file, find_settings

__all__ = ["add_parser"]

EXIT_OK, EXIT_FAILED = 0, 1


def add_parser(commands: argparse._SubParsersAction) -> None:
    """Register ``probepress serve``."""
    serve = commands.add_parser(
        "serve",
        help="build and serve the site with live reload and seekable clips (HTTP Range)",
        description="Run MkDocs' dev server on the enclosing site, rebuilding when a page, "
        "post, clip or the manifest changes, and answering HTTP Range requests like a "
        "static host does, so clips play and seek without being downloaded whole.",
    )
    serve.add_argument("--config", type=Path, help="the site's mkdocs.yml (default: found)")
    serve.add_argument(
        "--dev-addr",
        "-a",
        metavar="IP:PORT",
        default=None,
        help="address to serve on (default: mkdocs.yml's dev_addr, else 127.0.0.1:8000)",
    )
    serve.add_argument(
        "--open", action="store_true", help="open the site in a browser after the first build"
    )
    serve.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    # MkDocs' command line sets up its logging and reads every option as `mkdocs serve`.
    import click
    from mkdocs.__main__ import cli

    config = (args.config or find_config_file()).resolve()
    find_settings(config, require_plugin=True)  # without the plugin, no Range support
    argv = ["serve", "--config-file", str(config)]
    if args.dev_addr:
        argv += ["--dev-addr", args.dev_addr]
    if args.open:
        argv.append("--open")
    try:
        cli.main(args=argv, prog_name="probepress serve", standalone_mode=False)
    except click.ClickException as error:  # a failed build: MkDocs has logged why
        error.show()
        return EXIT_FAILED
    return EXIT_OK

"""The ``probepress`` command line (entry point :func:`main`)."""

from probepress.cli.main import main

__all__ = ["main"]

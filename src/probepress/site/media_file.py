"""A site file backed by the media cache, made again if the cache loses it mid-build.

MkDocs copies static files long after ``on_files`` has listed them: pages render in
between. If the cache folder is deleted in that window (a clean-up script, a second
checkout), a plain :class:`~mkdocs.structure.files.File` fails the copy with a
``FileNotFoundError`` traceback; this one makes its file again first, or stops the
build with a message that says what happened.

The media are most of a site's bytes (85 MB on a site ten times the demo's size, 0.8 s
to copy), so :func:`copy_early` copies them on a thread of their own while the pages
render, which is Python on one core; MkDocs' own copy then waits for each file's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import copy_file

from probepress.media.store import MediaError

__all__ = ["MediaFile", "copy_early", "media_file"]

Remake = Callable[[], Path]


class MediaFile(File):
    """A generated file whose source, if missing when copied, is made again by ``remake``."""

    remake: Remake | None = None
    # The copy :func:`copy_early` started, when it did.
    early_copy: Future | None = None

    def copy_file(self, dirty: bool = False) -> None:
        """Copy the source into the site, making it again first if it has vanished."""
        if self.early_copy is not None:
            try:
                self.early_copy.result()
                return
            except OSError:
                pass  # the source vanished or the copy failed: copy here, as below
        for attempt in range(2):
            if attempt or not os.path.isfile(self.abs_src_path or ""):
                self._make_again()
            try:
                super().copy_file(dirty)
                return
            except FileNotFoundError:
                if attempt:
                    raise PluginError(
                        f"probepress: {self.src_uri} vanished from the media cache again "
                        f"({self.abs_src_path}); do not delete the cache during a build"
                    ) from None

    def is_modified(self) -> bool:
        """A vanished source counts as modified (``mkdocs serve --dirty``)."""
        if not os.path.isfile(self.abs_src_path or ""):
            return True
        return super().is_modified()

    def _make_again(self) -> None:
        if self.remake is None:
            raise PluginError(f"probepress: {self.src_uri}: {self.abs_src_path} is missing")
        try:
            self.abs_src_path = str(self.remake())
        except MediaError as error:
            raise PluginError(
                f"probepress: {self.src_uri} vanished from the media cache during the build "
                f"and could not be made again: {error}"
            ) from None


def media_file(config: MkDocsConfig, uri: str, path: Path, remake: Remake) -> MediaFile:
    """A :class:`MediaFile` at ``uri`` in the site, copied from ``path``."""
    file = MediaFile.generated(config, uri, abs_src_path=str(path))
    file.remake = remake
    return file


def copy_early(files: Iterable[File]) -> None:
    """Start copying every :class:`MediaFile` of ``files`` into the site, on one thread.

    The thread copies while the pages render; a file whose early copy failed is
    copied again, with the checks above, when MkDocs copies it.
    """
    media = [file for file in files if isinstance(file, MediaFile)]
    if not media:
        return
    worker = ThreadPoolExecutor(1, thread_name_prefix="probepress-media-copy")
    for file in media:
        file.early_copy = worker.submit(copy_file, file.abs_src_path or "", file.abs_dest_path)
    worker.shutdown(wait=False)  # its thread ends once the last copy is done

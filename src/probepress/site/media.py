"""The build's media phase: encode what the pages show and add it to the site's files.

Web copies, posters, side-by-side composites and montages are made by
:class:`~probepress.media.store.MediaStore`, named by content hash in the cache, and served
from ``media/`` in the site; a warm build encodes nothing. A cache folder that cannot be
written gives way to a temporary one for the build; a file the cache loses before MkDocs
copies it is made again (:mod:`probepress.site.media_file`).

Overlay geometry is served as one small JSON file per (clip, probe), so pages stay
light. It is derived from a probe result, so it is named like the result, by its cache
key: change anything that changes the result (analysis size, probe version, the clip)
and the overlay gets a new name, never yesterday's file under today's page.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from probepress.authoring.parse import CompareFence, MontageFence
from probepress.measure.results import LookupProblem, ResultSet
from probepress.media.store import MediaError, MediaItem, MediaStore
from probepress.site.media_file import media_file
from probepress.site.open_data import write_whole
from probepress.site.plan import SitePlan
from probepress.video.facts import file_sha256

__all__ = ["SiteMedia", "input_image_uri"]

log = logging.getLogger("mkdocs.plugins.probepress")

MEDIA_URI = "media"


class SiteMedia:
    """Media of one build; answers the fences' questions about URLs (``MediaUrls``)."""

    def __init__(self, folder: Path, results: ResultSet) -> None:
        self.store = self._open_store(folder)
        self.results = results
        self._uris: dict[object, str] = {}
        # uri -> the cached file and how to make it again, or the text of an overlay
        self._files: dict[str, tuple[Path, Callable[[], Path]] | str] = {}

    # -- MediaUrls --------------------------------------------------------------------

    def video(self, clip_id: str) -> str:
        """Site URI of a clip's web copy."""
        return self._lookup(("video", clip_id), clip_id)

    def poster(self, clip_id: str) -> str:
        """Site URI of a clip's poster."""
        return self._lookup(("poster", clip_id), clip_id)

    def composite(self, fence: CompareFence) -> str | None:
        """Site URI of a comparison's side-by-side video, if it could be made."""
        return self._uris.get(("composite", fence.items, fence.title))

    def montage(self, fence: MontageFence) -> tuple[str, str]:
        """Site URIs of a montage and its poster."""
        key = ("montage", fence.items, fence.title)
        if key not in self._uris:
            raise LookupProblem("the montage could not be made (see the error above)")
        return self._uris[key], self._uris[("montage-poster", *key[1:])]

    def overlay(self, clip_id: str, probe: str) -> str | None:
        """Site URI of a probe's overlay geometry on a clip (``None`` if it has none)."""
        return self._uris.get(("overlay", clip_id, probe))

    def input_image(self, scene: str) -> str | None:
        """Site URI of a scene's input image (``None`` if it has none)."""
        return self._uris.get(("input", scene))

    # -- preparation ------------------------------------------------------------------

    def prepare(self, plan: SitePlan) -> None:
        """Encode (or find in the cache) everything the plan needs."""
        for name, scene in self.results.manifest.scenes.items():
            if scene.input_image is not None:
                self._add_input_image(name, scene.input_image.path)
        for clip_id in sorted(plan.clips):
            item = self._item(clip_id)
            if item is not None:
                self._make(("video", clip_id), lambda i=item: self.store.web_copy(i), clip_id)
                self._make(("poster", clip_id), lambda i=item: self.store.poster(i), clip_id)
        for fence in plan.compares:
            items = [self._item(clip_id, label) for label, clip_id in fence.items]
            if all(items):
                key = ("composite", fence.items, fence.title)
                self._make(
                    key,
                    lambda i=items, f=fence: self.store.composite(i, title=f.title or None),
                    "comparison",
                )
            if fence.overlay:
                for _label, clip_id in fence.items:
                    self._write_overlay(clip_id, fence.overlay)
        for fence in plan.montages:
            items = [self._item(clip_id, label) for label, clip_id in fence.items]
            if all(items):
                key = ("montage", fence.items, fence.title)

                def montage(i=items, f=fence) -> Path:
                    return self.store.montage(i, title=f.title or None)

                if self._make(key, montage, "montage"):
                    poster_key = ("montage-poster", fence.items, fence.title)
                    # From the montage's own action: if the cache loses both, both return.
                    self._make(poster_key, lambda m=montage: self.store.poster_of(m()), "montage")

    def add_to(self, files: Files, config: MkDocsConfig) -> int:
        """Add every prepared file to the site; returns how many."""
        for uri, source in sorted(self._files.items()):
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
            if isinstance(source, str):
                files.append(File.generated(config, uri, content=source))
            else:
                files.append(media_file(config, uri, *source))
        return len(self._files)

    # -- helpers ----------------------------------------------------------------------

    def _item(self, clip_id: str, label: str | None = None) -> MediaItem | None:
        try:
            info = self.results.info(clip_id)
        except LookupProblem:
            return None  # the clip's own error is reported where it is used
        entry = self.results.clip(clip_id)
        return MediaItem(label=label or entry.model, path=entry.path, sha256=info.sha256)

    @staticmethod
    def _open_store(folder: Path) -> MediaStore:
        """The cache's media store, or a temporary one when the cache cannot be written."""
        try:
            return MediaStore(folder)
        except MediaError as error:
            # Not the site's fault: the result cache has warned; the build goes on.
            log.info("probepress media: %s; encoding into a temporary folder", error)
        temporary = Path(tempfile.mkdtemp(prefix="probepress-media-"))
        store = MediaStore(temporary)
        # MkDocs copies the files at the end of the build; remove them with the store.
        weakref.finalize(store, shutil.rmtree, temporary, ignore_errors=True)
        return store

    def _make(self, key: tuple, action: Callable[[], Path], what: str) -> bool:
        try:
            path = Path(action())
        except MediaError as error:
            log.warning("probepress media: %s: %s", what, error)
            return False
        uri = f"{MEDIA_URI}/{path.name}"
        self._uris[key] = uri
        self._files[uri] = (path, action)
        return True

    def _lookup(self, key: tuple, clip_id: str) -> str:
        if key not in self._uris:
            raise LookupProblem(f"no playable copy of clip {clip_id!r} (see the errors above)")
        return self._uris[key]

    def _add_input_image(self, scene: str, path: Path) -> None:
        """Serve the image as it is, named by its content like every media file."""
        uri = input_image_uri(path)
        self._uris[("input", scene)] = uri
        # Copied from the clips folder at the end of the build; nothing to make again.
        self._files[uri] = (path, lambda p=path: p)

    def _write_overlay(self, clip_id: str, probe: str) -> None:
        try:
            result = self.results.result(clip_id, probe)
            info = self.results.info(clip_id)
        except LookupProblem:
            return
        if not result.overlay:
            return
        key = self.results.reports[clip_id].keys[probe]
        name = f"{probe}-{key[:20]}.json"
        uri = f"{MEDIA_URI}/overlays/{name}"
        if uri not in self._files:
            # Named by the result's key, the file is made once and kept with the media:
            # a warm build neither parses the overlay (most of a result) nor writes it.
            cached = self.store.folder / "overlays" / name

            def make(cached: Path = cached) -> Path:
                payload = {
                    "probe": probe,
                    "width": info.width,
                    "height": info.height,
                    "fps": info.fps,
                    "static": result.overlay.get("static", []),
                    "frames": result.overlay.get("frames", []),
                }
                try:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    write_whole(cached, json.dumps(payload, separators=(",", ":")))
                except OSError as error:
                    raise MediaError(f"cannot write {cached}: {error.strerror}") from None
                return cached

            try:
                self._files[uri] = (cached if cached.is_file() else make(), make)
            except MediaError as error:
                log.warning("probepress media: overlay %s: %s", name, error)
                return
        self._uris[("overlay", clip_id, probe)] = uri


def input_image_uri(path: Path) -> str:
    """Site URI of an input image: ``media/inputs/<hash><suffix>``, named by its bytes."""
    return f"{MEDIA_URI}/inputs/{file_sha256(path)[:20]}{path.suffix.lower()}"

"""A media file the cache loses between on_files and MkDocs' copy is made again, or named."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from probepress.media.store import MediaError
from probepress.site.media_file import copy_early, media_file


@pytest.fixture
def config(tmp_path: Path) -> MkDocsConfig:
    (tmp_path / "docs").mkdir()
    config = MkDocsConfig(config_file_path=str(tmp_path / "mkdocs.yml"))
    config.load_dict({"site_name": "t", "docs_dir": "docs", "site_dir": str(tmp_path / "site")})
    errors, _warnings = config.validate()
    assert not errors
    config.plugins._current_plugin = None  # what MkDocs sets outside a plugin's event
    return config


def test_a_file_deleted_before_the_copy_is_made_again(tmp_path, config):
    source = tmp_path / "cache" / "abc.mp4"
    source.parent.mkdir()
    source.write_bytes(b"first")

    def remake() -> Path:
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(b"made again")
        return source

    file = media_file(config, "media/abc.mp4", source, remake)
    source.unlink()
    file.copy_file()
    assert (tmp_path / "site" / "media" / "abc.mp4").read_bytes() == b"made again"


def test_a_file_present_is_copied_without_being_made_again(tmp_path, config):
    source = tmp_path / "abc.mp4"
    source.write_bytes(b"cached")

    def remake() -> Path:
        raise AssertionError("made again although it was there")

    media_file(config, "media/abc.mp4", source, remake).copy_file()
    assert (tmp_path / "site" / "media" / "abc.mp4").read_bytes() == b"cached"


def test_a_file_that_cannot_be_made_again_stops_the_build_with_a_message(tmp_path, config):
    def remake() -> Path:
        raise MediaError(tmp_path / "clip.mp4", "file not found")

    file = media_file(config, "media/abc.mp4", tmp_path / "gone.mp4", remake)
    with pytest.raises(PluginError, match=r"media/abc\.mp4 vanished .* file not found"):
        file.copy_file()


def test_files_copied_early_are_in_the_site_before_mkdocs_copies_them(tmp_path, config):
    sources = []
    for index in range(20):
        source = tmp_path / "cache" / f"{index}.mp4"
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(bytes([index]) * 1000)
        sources.append(source)
    files = [media_file(config, f"media/{s.name}", s, lambda: None) for s in sources]
    copy_early(files)
    for file in files:
        file.early_copy.result()  # the pages render meanwhile
    for source in sources:  # copied without MkDocs asking
        assert (tmp_path / "site" / "media" / source.name).read_bytes() == source.read_bytes()
    for file in files:
        file.copy_file()  # MkDocs' copy: nothing left to do, nothing broken


def test_a_file_deleted_before_its_early_copy_is_made_again_at_mkdocs_copy(tmp_path, config):
    source = tmp_path / "cache" / "abc.mp4"
    source.parent.mkdir()

    def remake() -> Path:
        source.write_bytes(b"made again")
        return source

    file = media_file(config, "media/abc.mp4", source, remake)  # not there: copy fails
    copy_early([file])
    with pytest.raises(FileNotFoundError):
        file.early_copy.result()
    file.copy_file()
    assert (tmp_path / "site" / "media" / "abc.mp4").read_bytes() == b"made again"

"""The media cache after a kill or a deletion: no temporary left, no half-written file."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import imageio_ffmpeg
import pytest

from probepress.media.store import MediaItem, MediaStore

pytestmark = pytest.mark.slow

_WRITER = """
import sys, time
from pathlib import Path
from probepress.media.ffmpeg import atomic_output
with atomic_output(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"half a video")
    print(tmp, flush=True)
    time.sleep(120)
"""


@pytest.fixture(scope="module")
def hd_clip(tmp_path_factory) -> MediaItem:
    """A 1080p clip: its web copy is a real re-encode, long enough to interfere with."""
    path = tmp_path_factory.mktemp("sources") / "hd.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v", "error", "-y", "-f", "lavfi",
            "-i", "testsrc2=size=1920x1080:rate=24:duration=2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            str(path),
        ],
        check=True,
    )  # fmt: skip
    return MediaItem("HD", path, hashlib.sha256(path.read_bytes()).hexdigest())


def _frames(path: Path) -> int:
    capture = cv2.VideoCapture(str(path))
    count = 0
    while capture.read()[0]:
        count += 1
    capture.release()
    return count


def test_a_temporary_is_kept_while_its_writer_lives_and_removed_after_a_kill(tmp_path):
    folder = tmp_path / "media"
    out = folder / "0123456789abcdef.mp4"
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        tmp = Path(writer.stdout.readline().strip())
        assert tmp.is_file() and tmp.name.endswith(".part.mp4")
        MediaStore(folder)  # another build starts while this one writes
        assert tmp.is_file(), "a temporary that a live writer holds was removed"
        writer.kill()  # SIGKILL: the writer cleans nothing up
        writer.wait()
        assert tmp.is_file()
        MediaStore(folder)  # the next build
        assert not tmp.exists(), "the killed writer's temporary was left behind"
        assert not out.exists() and not list(folder.iterdir())
    finally:
        writer.kill()
        writer.wait()


def test_a_store_whose_folder_was_deleted_makes_it_again(tmp_path, hd_clip):
    store = MediaStore(tmp_path / "cache" / "media")
    shutil.rmtree(tmp_path / "cache")
    poster = store.poster(hd_clip)
    assert poster.is_file() and store.web_copy(hd_clip).is_file()


def test_deleting_the_folder_while_encoding_still_gives_a_whole_file(tmp_path, hd_clip):
    folder = tmp_path / "cache" / "media"
    store = MediaStore(folder)
    deleted = threading.Event()

    def delete_when_encoding() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not deleted.is_set():
            if list(folder.glob(".*.part.mp4")):
                shutil.rmtree(tmp_path / "cache", ignore_errors=True)
                deleted.set()
            time.sleep(0.001)

    deleter = threading.Thread(target=delete_when_encoding)
    deleter.start()
    web = store.web_copy(hd_clip)
    deleted.set()
    deleter.join()
    assert web.is_file()
    assert _frames(web) == 48
    assert not list(folder.glob(".*.part.*")) and not list(folder.glob(".*.lock"))


class _CacheClearedAfterTheWebCopy(MediaStore):
    """A store whose cache a user deletes just after the first web copy is finished."""

    cleared = False

    def web_copy(self, item: MediaItem) -> Path:
        out = super().web_copy(item)
        if not self.cleared:
            self.cleared = True
            shutil.rmtree(self.folder.parent)
        return out


def test_deleting_the_cache_between_web_copy_and_poster_still_gives_both(tmp_path, hd_clip):
    # Seen on a loaded CI machine: the poster read a web copy deleted a moment before.
    store = _CacheClearedAfterTheWebCopy(tmp_path / "cache" / "media")
    poster = store.poster(hd_clip)
    assert store.cleared and poster.is_file()
    assert cv2.imread(str(poster)).shape[:2] == (720, 1280)
    assert store.web_copy(hd_clip).is_file()

"""Web copies, posters, composites and montages: sizes, codecs, content, caching, errors."""

from __future__ import annotations

import hashlib
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from probepress.media.compose import GAP, PANE_HEIGHT
from probepress.media.store import MediaError, MediaItem, MediaStore
from probepress.synth.encode import write_mp4

pytestmark = pytest.mark.slow

FPS = 24
COLOURS = {"red": (200, 40, 40), "green": (40, 180, 60), "blue": (40, 60, 200)}
LENGTHS = {"red": 48, "green": 36, "blue": 60}  # frames: green is the shortest


def solid_clip(colour: tuple[int, int, int], frames: int, size: tuple[int, int]) -> np.ndarray:
    """A flat colour with a small white square sliding across it, (T, H, W, 3) uint8."""
    width, height = size
    clip = np.empty((frames, height, width, 3), np.uint8)
    clip[:] = colour
    for t in range(frames):
        x = (4 * t) % (width - 12)
        clip[t, 4:14, x : x + 10] = 255
    return clip


def item_for(path: Path, label: str) -> MediaItem:
    return MediaItem(label, path, hashlib.sha256(path.read_bytes()).hexdigest())


def stream_info(path: Path) -> str:
    """What ffmpeg says about a file's streams (its ``-i`` report)."""
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    report = subprocess.run(command, capture_output=True, text=True).stderr
    return "\n".join(line for line in report.splitlines() if "Stream #" in line)


def video_size(path: Path) -> tuple[int, int]:
    match = re.search(r"Video: .*?, (\d{2,5})x(\d{2,5})", stream_info(path))
    assert match, stream_info(path)
    return int(match[1]), int(match[2])


def read_frames(path: Path) -> np.ndarray:
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    capture.release()
    return np.stack(frames)


def lavfi(path: Path, size: str, *args: str) -> None:
    """Write a one-second ffmpeg test pattern of ``size`` ("WxH") with extra ``args``."""
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size={size}:rate={FPS}:duration=1",
            *args,
            str(path),
        ],
        check=True,
    )


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, MediaItem]:
    folder = tmp_path_factory.mktemp("media-sources")
    items = {}
    for name, colour in COLOURS.items():
        path = folder / f"{name}.mp4"
        write_mp4(path, solid_clip(colour, LENGTHS[name], (240, 180)), fps=FPS)
        items[name] = item_for(path, name.capitalize())
    sd = folder / "sd.mp4"
    write_mp4(sd, solid_clip((90, 90, 90), 24, (640, 360)), fps=FPS)
    items["sd"] = item_for(sd, "SD")
    hd = folder / "hd.mp4"  # 1080p with a sound track
    lavfi(
        hd,
        "1920x1080",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=1",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
    )
    items["hd"] = item_for(hd, "HD")
    mpeg4 = folder / "mpeg4.mp4"  # the right size, the wrong codec
    lavfi(mpeg4, "640x360", "-c:v", "mpeg4")
    items["mpeg4"] = item_for(mpeg4, "MPEG-4")
    odd = folder / "odd.mkv"  # odd sides, which yuv420p cannot hold
    lavfi(odd, "321x181", "-c:v", "ffv1")
    items["odd"] = item_for(odd, "Odd")
    broken = folder / "broken.mp4"
    broken.write_bytes(np.random.default_rng(0).integers(0, 256, 20_000, np.uint8).tobytes())
    items["broken"] = item_for(broken, "Broken")
    return items


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MediaStore:
    return MediaStore(tmp_path_factory.mktemp("media") / "cache" / "media")


@pytest.fixture(scope="module")
def composite(store: MediaStore, clips: dict[str, MediaItem]) -> Path:
    return store.composite([clips["red"], clips["green"], clips["blue"]])


@pytest.fixture(scope="module")
def montage(store: MediaStore, clips: dict[str, MediaItem]) -> Path:
    return store.montage([clips["red"], clips["green"]], title="Colours", card_seconds=0.5)


# Web copies and posters -------------------------------------------------------------------


def test_web_copy_is_h264_yuv420p_named_by_hash(store, clips):
    item = clips["sd"]
    path = store.web_copy(item)
    assert path == store.folder / f"{item.sha256[:16]}.mp4"
    info = stream_info(path)
    assert "Video: h264" in info and "yuv420p" in info


def test_web_copy_puts_the_index_first(store, clips):
    data = store.web_copy(clips["sd"]).read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat")


def test_web_copy_shrinks_1080p_to_720p_and_keeps_its_audio(store, clips):
    path = store.web_copy(clips["hd"])
    assert video_size(path) == (1280, 720)
    assert "Audio: aac" in stream_info(path)


def test_web_copy_never_upscales_and_adds_no_audio(store, clips):
    path = store.web_copy(clips["sd"])
    assert video_size(path) == (640, 360)
    assert "Audio:" not in stream_info(path)


def test_web_ready_source_is_copied_frame_for_frame(store, clips):
    source = clips["sd"].path
    assert np.array_equal(read_frames(store.web_copy(clips["sd"])), read_frames(source))


def test_other_codecs_are_reencoded_at_their_size(store, clips):
    path = store.web_copy(clips["mpeg4"])
    assert "Video: h264" in stream_info(path) and "yuv420p" in stream_info(path)
    assert video_size(path) == (640, 360)


def test_odd_sides_are_rounded_down_to_even(store, clips):
    path = store.web_copy(clips["odd"])
    assert video_size(path) == (320, 180)
    assert "Video: h264" in stream_info(path)


def test_second_web_copy_request_reuses_the_file(store, clips):
    first = store.web_copy(clips["sd"])
    before = first.stat().st_mtime_ns
    assert store.web_copy(clips["sd"]) == first
    assert first.stat().st_mtime_ns == before


def test_racing_builds_agree_and_leave_no_temporary_files(tmp_path, clips):
    folder = tmp_path / "media"
    with ThreadPoolExecutor(3) as pool:
        paths = list(pool.map(lambda _: MediaStore(folder).web_copy(clips["mpeg4"]), range(3)))
    assert len(set(paths)) == 1
    assert [p.name for p in folder.iterdir()] == [paths[0].name]
    assert video_size(paths[0]) == (640, 360)


def test_poster_is_a_jpeg_of_the_first_frame_at_web_size(store, clips):
    path = store.poster(clips["hd"])
    assert path.name == f"{clips['hd'].sha256[:16]}.jpg"
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.size == (1280, 720)


# Composites -------------------------------------------------------------------------------


def test_composite_puts_panes_side_by_side_at_a_common_height(composite):
    width, height = video_size(composite)
    pane = 240 * PANE_HEIGHT // 180
    assert width == 3 * pane + 2 * GAP
    assert PANE_HEIGHT < height <= PANE_HEIGHT + 40  # the panes plus a label bar
    info = stream_info(composite)
    assert "h264" in info and "yuv420p" in info and "Audio:" not in info
    data = composite.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")


def test_composite_lasts_as_long_as_the_shortest_clip(composite):
    assert len(read_frames(composite)) == min(LENGTHS.values())


def test_composite_panes_show_their_sources_over_their_labels(composite):
    frames = read_frames(composite)
    pane = 240 * PANE_HEIGHT // 180
    for index, colour in enumerate(COLOURS.values()):
        x = index * (pane + GAP)
        picture = frames[10, 40 : PANE_HEIGHT - 20, x + 40 : x + pane - 40].reshape(-1, 3)
        assert np.abs(picture.mean(axis=0) - colour).max() < 12
        bar = frames[10, PANE_HEIGHT + 2 :, x : x + pane].reshape(-1, 3)
        assert np.abs(bar.mean(axis=0) - colour).max() > 40  # a dark bar, not the clip
        assert bar.max() > 150  # with light text on it


def test_composite_poster_sits_next_to_it(store, composite):
    poster = store.poster_of(composite)
    assert poster == composite.with_suffix(".jpg")
    with Image.open(poster) as image:
        assert image.format == "JPEG" and image.size == video_size(composite)


def test_composite_is_reused_and_its_name_follows_its_inputs(store, clips, composite):
    before = composite.stat().st_mtime_ns
    assert store.composite([clips["red"], clips["green"], clips["blue"]]) == composite
    assert composite.stat().st_mtime_ns == before
    relabelled = MediaItem("Crimson", clips["red"].path, clips["red"].sha256)
    other_clip = MediaItem("Red", clips["sd"].path, clips["sd"].sha256)
    names = {
        store.composite([relabelled, clips["green"], clips["blue"]]).name,
        store.composite([other_clip, clips["green"], clips["blue"]]).name,
        store.composite([clips["red"], clips["green"], clips["blue"]], title="T").name,
    }
    assert len(names) == 3 and composite.name not in names


def test_composite_refuses_a_single_clip(store, clips):
    with pytest.raises(MediaError, match="2 to 6 clips"):
        store.composite([clips["red"]])


# Montages ---------------------------------------------------------------------------------


def test_montage_lasts_for_its_clips_and_cards(montage):
    card = FPS // 2
    assert len(read_frames(montage)) == LENGTHS["red"] + LENGTHS["green"] + 2 * card
    assert video_size(montage) == (240, 180)  # the first clip's web copy
    assert "h264" in stream_info(montage) and "Audio:" not in stream_info(montage)


def test_montage_opens_with_a_title_card_then_the_first_clip(montage):
    frames = read_frames(montage)
    card = FPS // 2
    assert frames[0].mean() < 40 and frames[0].max() > 150  # dark, with a light label
    red = frames[card + 5, 40:, 20:-20].reshape(-1, 3).mean(axis=0)
    assert np.abs(red - COLOURS["red"]).max() < 12
    second_card = card + LENGTHS["red"] + 2
    assert frames[second_card].mean() < 40
    green = frames[second_card + card, 40:, 20:-20].reshape(-1, 3).mean(axis=0)
    assert np.abs(green - COLOURS["green"]).max() < 12


def test_montage_name_differs_from_the_composite_of_the_same_clips(store, clips, montage):
    assert montage.name.startswith("montage-")
    assert (
        store.montage([clips["red"], clips["green"]], title="Colours", card_seconds=0.5) == montage
    )


# Errors -----------------------------------------------------------------------------------


def test_corrupt_clip_raises_naming_it_and_leaves_nothing(tmp_path, clips):
    store = MediaStore(tmp_path / "media")
    for make in (store.web_copy, store.poster):
        with pytest.raises(MediaError, match="broken.mp4") as error:
            make(clips["broken"])
        assert "\n" not in str(error.value)
    with pytest.raises(MediaError, match="broken.mp4"):
        store.composite([clips["red"], clips["broken"]])
    with pytest.raises(MediaError, match="broken.mp4"):
        store.montage([clips["red"], clips["broken"]])
    assert list(store.folder.iterdir()) == []


def test_missing_clip_raises_naming_it(tmp_path, clips):
    store = MediaStore(tmp_path / "media")
    missing = MediaItem("Gone", tmp_path / "gone.mp4", "0" * 64)
    with pytest.raises(MediaError, match=r"gone\.mp4: file not found"):
        store.web_copy(missing)
    with pytest.raises(MediaError, match=r"gone\.mp4: file not found"):
        store.composite([clips["red"], missing])
    assert list(store.folder.iterdir()) == []

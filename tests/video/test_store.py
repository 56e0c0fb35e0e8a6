"""A frame store on disk answers the indexing probes use exactly as the array would."""

from __future__ import annotations

import numpy as np
import pytest

from probepress.video.store import FrameStore, every_nth, iter_chunks


@pytest.fixture
def frames():
    return np.random.default_rng(0).integers(0, 255, (70, 9, 16, 3), dtype=np.uint8)


@pytest.fixture
def store(frames, tmp_path):
    stored = FrameStore(frames.shape[1:], directory=tmp_path)
    for frame in frames:
        stored.append(frame)
    yield stored
    stored.close()


@pytest.mark.parametrize(
    "index",
    [
        5,
        -1,
        np.int64(3),
        slice(10, 20),
        slice(None, None, 7),
        slice(60, None),
        [4, 0, 69],
        np.array([1, 2, 3]),
        (2, slice(None, None, 4), slice(None, None, 4)),
        (slice(0, 5), 3),
    ],
)
def test_indexing_matches_the_array(store, frames, index):
    assert np.array_equal(store[index], frames[index])


def test_shape_length_iteration_and_array_match(store, frames):
    assert store.shape == frames.shape and len(store) == len(frames) and store.ndim == 4
    assert all(np.array_equal(a, b) for a, b in zip(store, frames, strict=True))
    assert np.array_equal(np.asarray(store), frames)


def test_chunks_cover_the_clip_in_order(store, frames):
    starts = [start for start, _ in iter_chunks(store, 32)]
    assert starts == [0, 32, 64]
    assert np.array_equal(np.concatenate([block for _, block in iter_chunks(store, 32)]), frames)


def test_out_of_range_frames_and_wrong_shapes_are_errors(store):
    with pytest.raises(IndexError):
        store[70]
    with pytest.raises(ValueError, match="store holds"):
        store.append(np.zeros((9, 16), np.uint8))


def test_the_store_leaves_no_file_behind(frames, tmp_path):
    stored = FrameStore(frames.shape[1:], directory=tmp_path)
    stored.append(frames[0])
    assert list(tmp_path.iterdir()) == []  # unlinked from the start
    stored.close()


@pytest.mark.parametrize("index", [0, -1, 4, slice(2, 6), [0, 3], (1, slice(None, None, 2))])
def test_every_nth_frame_of_a_store_matches_the_array_view(store, frames, index):
    strided = every_nth(store, 3)
    assert strided.shape == frames[::3].shape and len(strided) == 24
    assert np.array_equal(strided[index], frames[::3][index])
    assert np.array_equal(np.asarray(strided), frames[::3])
    assert all(np.array_equal(a, b) for a, b in zip(strided, frames[::3], strict=True))

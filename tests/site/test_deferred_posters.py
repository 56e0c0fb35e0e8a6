"""Posters far down a page wait for the reader (site/deferred_posters.py)."""

from __future__ import annotations

from probepress.site.deferred_posters import defer_posters


def _video(name: str) -> str:
    return (
        f'<video class="pp-video" muted playsinline preload="none" width="640" height="360" '
        f'controls poster="../media/{name}.jpg" src="../media/{name}.mp4"></video>'
    )


def test_the_first_videos_keep_their_poster_and_the_rest_wait():
    page = "<p>text</p>" + "".join(_video(n) for n in "abcd")
    deferred, count = defer_posters(page, eager=2)
    assert count == 2
    assert deferred.count(' poster="') == 2
    assert 'poster="../media/a.jpg"' in deferred and 'poster="../media/b.jpg"' in deferred
    assert ' data-pp-poster="../media/c.jpg"' in deferred
    assert ' data-pp-poster="../media/d.jpg"' in deferred
    assert deferred.replace("data-pp-poster", "poster") == page  # nothing else changes


def test_deferring_twice_changes_nothing_more():
    page = "".join(_video(n) for n in "abc")
    once, _ = defer_posters(page, eager=1)
    twice, count = defer_posters(once, eager=1)
    assert twice == once and count == 0


def test_videos_that_are_not_probepress_clips_are_left_alone():
    page = '<video poster="x.jpg" src="x.mp4"></video>' * 3
    assert defer_posters(page, eager=0) == (page, 0)

"""The audit's static host: Range for media, gzip for text, folders to index.html."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

from probepress.bench.static_host import static_host

CLIP = bytes(range(256)) * 8


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_static_host_serves_ranges_of_media_and_gzipped_text(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "clip.mp4").write_bytes(CLIP)
    (tmp_path / "app.js").write_text("let x = 1;\n" * 500)
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "index.html").write_text("<p>post</p>")
    (tmp_path.parent / "secret.txt").write_text("outside")
    with static_host(tmp_path) as base:
        status, headers, body = get(base + "media/clip.mp4", Range="bytes=10-19")
        assert (status, body, headers["Content-Range"]) == (206, CLIP[10:20], "bytes 10-19/2048")
        status, headers, body = get(base + "app.js", **{"Accept-Encoding": "gzip"})
        assert headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (tmp_path / "app.js").read_bytes()
        assert get(base + "app.js")[2] == (tmp_path / "app.js").read_bytes()  # no gzip asked
        assert get(base + "post/")[2] == b"<p>post</p>"
        assert get(base + "../secret.txt")[0] == 404
        assert get(base + "%2e%2e/secret.txt")[0] == 404

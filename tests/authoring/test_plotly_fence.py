"""The plotly fence takes strict JSON figures that fetch nothing from another host."""

from __future__ import annotations

import pytest

from probepress.authoring.plotly_fence import parse_plotly
from probepress.errors import FenceError


def _error(body: str) -> FenceError:
    with pytest.raises(FenceError) as caught:
        parse_plotly(body)
    return caught.value


@pytest.mark.parametrize("word", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_with_their_line(word):
    error = _error('{"data": [\n {"y": [1,\n ' + word + "]}]}")
    assert error.message.startswith(f"the plotly fence holds {word}, which is not JSON")
    assert error.line == 3


@pytest.mark.parametrize(
    "kind", ["scattergeo", "choropleth", "scattermapbox", "densitymapbox", "scattermap"]
)
def test_traces_on_fetched_base_maps_are_refused(kind):
    error = _error('{"data": [{"x": [1]},\n {"type": "' + kind + '"}]}')
    assert f"a {kind} trace draws on a base map fetched from another host" in error.message
    assert error.line == 2


@pytest.mark.parametrize("key", ["geo", "geo2", "mapbox", "map"])
def test_map_subplots_are_refused(key):
    error = _error('{"data": [],\n "layout": {\n "' + key + '": {}}}')
    assert f"layout.{key} is a map subplot" in error.message
    assert error.line == 3


@pytest.mark.parametrize(
    "url", ["https://example.com/a.png", "http://x", "//cdn.example/a.png", "HTTPS://X", "ftp://x"]
)
def test_images_and_fetched_values_from_other_hosts_are_refused(url):
    images = '{"data": [], "layout": {"images": [{"source": "' + url + '"}]}}'
    assert "would be fetched from another host" in _error(images).message
    geojson = '{"data": [{"type": "scatter", "geojson": "' + url + '"}]}'
    assert "geojson" in _error(geojson).message


def test_site_files_and_data_urls_are_fine():
    body = (
        '{"data": [{"type": "scatter", "y": [1, null]}], "layout": {"images": ['
        '{"source": "data:image/png;base64,AAAA"}, {"source": "../img/a.png"}],'
        ' "annotations": [{"text": "<a href=\\"https://example.com\\">a link</a>"}]}}'
    )
    assert parse_plotly(body).figure["data"][0]["y"] == [1, None]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('{"data": [{"type": [1]}]}', None),
        ('{"data": 3}', 'needs a JSON object with a "data" list'),
        ("[" * 100_000 + "]" * 100_000, "nests too deeply"),
        ('{"data": [', "must hold a JSON figure"),
    ],
)
def test_odd_figures_parse_or_give_a_fence_error(body, fragment):
    if fragment is None:
        assert parse_plotly(body).figure
    else:
        assert fragment in _error(body).message

"""The generated leaderboard page and the scoring rules behind it."""

from __future__ import annotations

import json
import math
import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from sitebuild import build_site, copy_site

from probepress.measure.manifest import ClipEntry, Manifest, SceneEntry
from probepress.measure.results import LookupProblem
from probepress.site.leaderboard import RULES, Factor, build_leaderboard, clip_score

SCENES = ("train-lake", "star-trails", "sun-shadows", "ball-drop", "creature")
MODELS = ["Reference", "Model A", "Model B", "Model C"]
DASH = "–"
# Model A's second version has three takes, in ball-drop only.
V2_TAKES = ["ball-drop/model-a-v2", "ball-drop/model-a-v2-2", "ball-drop/model-a-v2-3"]


def _score(text: str) -> str:
    """A cell's score without its sample count (``0.92 n=3`` -> ``0.92``)."""
    return text.split(" n=")[0]


# -----------------------------------------------------------------------------
# The built page
# -----------------------------------------------------------------------------


class _TableParser(HTMLParser):
    """Header and body rows (cell texts) of the first ``table.pp-leaderboard``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._state = "before"  # before, inside, after
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if (
            tag == "table"
            and self._state == "before"
            and "pp-leaderboard" in (dict(attrs).get("class") or "")
        ):
            self._state = "inside"
        elif self._state == "inside" and tag == "tr":
            self.rows.append([])
        elif self._state == "inside" and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if self._state != "inside":
            return
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._state = "after"

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_clips: Path) -> Path:
    """The demo site (without the posts others are editing), built once with --strict."""
    root = copy_site(tmp_path_factory.mktemp("leaderboard-site"), with_clips_from=demo_clips)
    shutil.rmtree(root / "posts")
    (root / "posts").mkdir()
    cache = tmp_path_factory.mktemp("leaderboard-cache")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace("cache_dir: .cache/probepress", f"cache_dir: {cache}"), encoding="utf-8"
    )
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def page(site: Path) -> str:
    return (site / "leaderboard" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def table(page: str) -> dict[str, dict[str, str]]:
    """Cell text by model, then probe."""
    parser = _TableParser()
    parser.feed(page)
    header, *rows = parser.rows
    return {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in rows}


def test_table_has_a_row_per_model_and_a_column_per_probe_of_the_scenes(table):
    assert list(table) == MODELS
    for cells in table.values():
        assert list(cells) == ["rotation", "reflection", "shadow", "gravity", "motion", "flicker"]


def test_every_score_is_a_number_in_0_1_or_a_dash(table):
    for cells in table.values():
        for text in cells.values():
            assert text == DASH or 0.0 <= float(_score(text)) <= 1.0, text


def test_reference_scores_at_least_every_model_in_each_column(table):
    for probe, reference in table["Reference"].items():
        assert reference == "1.00"
        for model in MODELS[1:]:
            score = _score(table[model][probe])
            assert score == DASH or float(score) <= float(reference), (model, probe)


def test_each_injected_violation_costs_its_model_on_that_probe(table):
    # Each demo clip breaks one law: the probe that watches it must score it low.
    assert float(table["Model B"]["shadow"]) < 0.5  # frozen shadows
    assert float(table["Model C"]["gravity"]) < 0.5  # constant-speed fall
    assert float(table["Model A"]["reflection"]) < 0.8  # reflection lags the train


def test_model_a_scores_its_latest_version_and_every_version_has_a_row(page, table):
    # v2's three takes fall near g: the default table scores them, and says how many.
    assert table["Model A"]["gravity"].endswith(" n=3")
    assert float(_score(table["Model A"]["gravity"])) > 0.8
    every = page.split("pp-leaderboard-versions", 1)[1].split("</table>", 1)[0]
    assert "Model A v1" in every and "Model A v2" in every


def test_scene_sections_exist_with_their_anchors(page):
    for scene in SCENES:
        assert f'id="scene-{scene}"' in page
    for link in set(re.findall(r'href="#(scene-[\w-]+)"', page)):
        assert f'id="{link}"' in page


def test_charts_are_figure_divs_and_no_fence_failed(page):
    # A radar of every model, one per model but the reference, and bars per scene.
    assert page.count("data-pp-figure=") == 1 + (len(MODELS) - 1) + len(SCENES)
    assert "pp-error" not in page
    assert "```" not in page


def test_page_links_the_open_data_that_the_site_publishes(site, page):
    for name in ("results.json", "results.csv"):
        assert f'href="../data/{name}"' in page
        assert (site / "data" / name).is_file()


def test_page_says_the_demo_models_are_synthetic_and_names_them(page):
    # Every demo clip is marked synthetic in the manifest: the banner names each model.
    banner = page[page.index('<div class="admonition warning">') :]
    banner = banner[: banner.index("</div>")]
    assert "Synthetic stand-ins" in banner and "All 23 clips" in banner
    for model in MODELS:
        count = 8 if model == "Model A" else 5  # Model A: and three takes of v2
        assert f"<strong>{model}</strong>: all {count} of its clips" in banner


def test_page_is_in_the_nav(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="leaderboard/"' in home


# -----------------------------------------------------------------------------
# The scoring rules
# -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factor", "value", "reference", "expected"),
    [
        (Factor("m", "lower", 1.0), 3.0, 1.0, 0.5),  # (1 + 1) / (3 + 1)
        (Factor("m", "lower", 1.0), 0.0, 1.0, 1.0),  # better than the reference: capped
        (Factor("m", "lower"), 0.0, 0.0, 1.0),  # both perfect
        (Factor("m", "higher"), 0.45, 0.9, 0.5),
        (Factor("m", "higher"), 1.0, 0.9, 1.0),
        (Factor("m", "higher"), 0.5, 0.0, None),  # no yardstick
        (Factor("m", "match"), 400.0, 1200.0, 1 - 800 / 1200),
        (Factor("m", "match"), 3000.0, 1200.0, 0.0),  # floored at 0
        (Factor("m", "match", 10.0), 204.0, 200.0, 0.6),  # fixed scale
        (Factor("m", "match"), 1.0, 0.0, None),
        (Factor("m", "absolute"), 0.7, 1.0, 0.7),
        (Factor("m", "lower", 1.0), math.nan, 1.0, None),
    ],
)
def test_factor_rule(factor, value, reference, expected):
    got = factor.score(value, reference)
    assert got == pytest.approx(expected) if expected is not None else got is None


@pytest.mark.parametrize("probe", list(RULES))
def test_the_reference_agrees_with_itself(probe):
    for factor in RULES[probe]:
        if factor.rule != "absolute":
            assert factor.score(2.5, 2.5) == 1.0


def test_rules_name_real_metrics_of_their_probe():
    from probepress.probes import PROBES

    for probe, factors in RULES.items():
        for factor in factors:
            assert factor.metric in PROBES[probe].metric_names


class _FakeResults:
    """The part of :class:`ResultSet` the leaderboard reads, from plain dicts."""

    def __init__(self, manifest: Manifest, metrics: dict[tuple[str, str], dict | None]):
        self.manifest = manifest
        self._metrics = metrics

    def clip(self, clip_id):
        return self.manifest.clips[clip_id]

    def result(self, clip_id, probe):
        metrics = self._metrics.get((clip_id, probe))
        if metrics is None:
            raise LookupProblem(f"{probe} could not measure {clip_id!r}")
        return SimpleNamespace(metrics=metrics)


def _drop_scene(metrics) -> _FakeResults:
    scene = SceneEntry(name="drop", title="Drop", probes=("gravity",), reference="drop/ref")
    clips = {
        f"drop/{n}": ClipEntry(
            id=f"drop/{n}", file=f"drop/{n}.mp4", path=Path(n), scene="drop", model=m
        )
        for n, m in (("ref", "Reference"), ("a", "Model A"), ("b", "Model B"))
    }
    return _FakeResults(Manifest(Path("clips.yml"), Path("."), {"drop": scene}, clips), metrics)


def test_gravity_score_is_acceleration_agreement_times_fit_quality():
    results = _drop_scene(
        {
            ("drop/ref", "gravity"): {"acceleration_px_s2": 1200.0, "fit_rms_px": 0.5},
            ("drop/a", "gravity"): {"acceleration_px_s2": 600.0, "fit_rms_px": 0.5},
            ("drop/b", "gravity"): None,
        }
    )
    assert clip_score(results, "drop/ref", "gravity") == 1.0
    assert clip_score(results, "drop/a", "gravity") == pytest.approx(0.5)
    assert clip_score(results, "drop/b", "gravity") is None


def test_model_score_is_the_mean_of_its_defined_scene_scores_and_dash_when_none():
    results = _drop_scene(
        {
            ("drop/ref", "gravity"): {"acceleration_px_s2": 1200.0, "fit_rms_px": 0.5},
            ("drop/a", "gravity"): {"acceleration_px_s2": 900.0, "fit_rms_px": 0.5},
        }
    )
    board = build_leaderboard(results)
    assert board.models == ["Reference", "Model A", "Model B"]
    assert board.probes == ["gravity"]
    assert board.score("Model A", "gravity") == pytest.approx(0.75)
    assert board.score("Model B", "gravity") is None


def test_table_matches_scores_recomputed_from_the_published_results(site, table):
    from probepress.measure.manifest import load_manifest

    root = site.parent
    manifest = load_manifest(root / "assets/clips/clips.yml", root / "assets/clips")
    data = json.loads((site / "data" / "results.json").read_text(encoding="utf-8"))
    metrics = {
        (clip["id"], probe): outcome["metrics"] if outcome["error"] is None else None
        for clip in data["clips"]
        for probe, outcome in clip["probes"].items()
    }
    board = build_leaderboard(_FakeResults(manifest, metrics))
    for model in MODELS:
        for probe in board.probes:
            score = board.score(model, probe)
            assert _score(table[model][probe]) == (DASH if score is None else f"{score:.2f}")


def test_a_radar_per_model_each_in_a_tab_against_the_reference(page):
    tabs = re.findall(r'<label for="__tabbed_1_\d+">([^<]+)</label>', page)
    assert tabs == ["All models", *MODELS[1:]]
    for model in MODELS[1:]:
        assert f"{model}: agreement by probe" in page


def test_each_scene_section_plays_the_clips_behind_its_scores(page):
    for scene in SCENES:
        section = page.split(f'id="scene-{scene}"', 1)[1].split('<h2 id="scene-', 1)[0]
        panes = re.findall(r'<figure class="pp-pane" data-pp-clip="([^"]+)"', section)
        clips = [f"{scene}/{m.lower().replace(' ', '-')}" for m in MODELS]
        if scene == "ball-drop":
            # Seven clips: two comparisons, each with the reference first.
            first = [*clips[:2], *V2_TAKES, clips[2]]
            clips = [*first, clips[0], clips[3]]
        assert panes == clips, scene
        assert "<video" in section and "pp-overlay" in section


def _gravity(clip_ids) -> dict:
    return {(c, "gravity"): {"acceleration_px_s2": 1200.0, "fit_rms_px": 0.5} for c in clip_ids}


def test_page_warns_of_synthetic_stand_ins_only_when_the_manifest_marks_them():
    from dataclasses import replace

    from probepress.site.leaderboard import page_markdown

    real = _drop_scene(_gravity(["drop/ref", "drop/a", "drop/b"]))
    assert "Synthetic stand-ins" not in page_markdown(real)
    clips = dict(real.manifest.clips)
    clips["drop/a"] = replace(clips["drop/a"], synthetic=True)
    marked = _FakeResults(replace(real.manifest, clips=clips), real._metrics)
    assert "Synthetic stand-ins" in page_markdown(marked)


def test_a_scene_with_one_clip_gets_a_clip_player_and_two_or_more_a_comparison():
    from dataclasses import replace

    from probepress.site.leaderboard import page_markdown

    several = _drop_scene(_gravity(["drop/ref", "drop/a", "drop/b"]))
    assert "```compare" in page_markdown(several) and "```clip" not in page_markdown(several)
    only = {"drop/ref": several.manifest.clips["drop/ref"]}
    single = _FakeResults(replace(several.manifest, clips=only), _gravity(["drop/ref"]))
    page = page_markdown(single)
    assert "```compare" not in page
    assert '```clip\nsrc: "drop/ref.mp4"\n```' in page


# -----------------------------------------------------------------------------
# The data the filters read (probepress-leaderboard.js)
# -----------------------------------------------------------------------------

_CELL = re.compile(
    r'<td data-sort="[^"]*" data-pp-scenes="([^"]*)"><a href="#[^"]*" title="([^"]*)">'
)
_TABLE_SCENES = re.compile(r'<table class="pp-leaderboard" data-pp-scenes="([^"]*)">')


def test_each_cell_carries_the_scene_scores_its_hover_text_lists(page):
    cells = _CELL.findall(page)
    assert len(cells) == len(MODELS) * 6
    for scores, hover in cells:
        by_scene = json.loads(unescape(scores))
        listed = dict(part.split(": ") for part in unescape(hover).split(" · "))
        # A scene of several samples or versions says so after its score: "0.92 (v2, ...)".
        listed = {scene: text.split(" (")[0] for scene, text in listed.items()}
        assert list(by_scene) == list(listed)
        for scene, score in by_scene.items():
            assert (DASH if score is None else f"{score:.2f}") == listed[scene], scene


def test_the_table_names_every_scene_and_the_section_with_its_clips(page):
    scenes = json.loads(unescape(_TABLE_SCENES.search(page).group(1)))
    assert [name for name, _title, _anchor in scenes] == list(SCENES)
    for name, title, anchor in scenes:
        assert anchor == f"scene-{name}" and f'id="{anchor}"' in page
        assert title


def test_filter_data_keeps_any_scene_name_and_title_whole_and_inert():
    from probepress.site.leaderboard import page_markdown

    name, title = "drop  zone {{ x }}", 'Drop  <b>"it"</b>\n{{ drop/ref : gravity.fit_rms_px }}'
    scene = SceneEntry(name=name, title=title, probes=("gravity",), reference="drop/ref")
    clips = {
        f"drop/{n}": ClipEntry(
            id=f"drop/{n}", file=f"drop/{n}.mp4", path=Path(n), scene=name, model=m
        )
        for n, m in (("ref", "Reference"), ("a", "Model A"))
    }
    manifest = Manifest(Path("clips.yml"), Path("."), {name: scene}, clips)
    markdown = page_markdown(_FakeResults(manifest, _gravity(clips)))
    attributes = re.findall(r'data-pp-scenes="([^"]*)"', markdown)
    assert len(attributes) == 3  # the table's and each model's gravity cell
    for raw in attributes:
        # Letters, digits and character references only: no space for Markdown to fold,
        # nothing for Markdown, HTML or {{ inline values }} to read.
        assert re.fullmatch(r"(?:[A-Za-z0-9]|&#\d+;)*", raw), raw
    [[got_name, got_title, _anchor]] = json.loads(unescape(attributes[0]))
    assert (got_name, got_title) == (name, title)
    assert list(json.loads(unescape(attributes[1]))) == [name]

"""The generated Validation page: real builds over a subset of the committed corpus.

The subset (three star fields and one real clip) keeps each build to seconds; its
``corpus.yml`` is the committed one with the known failures of the other clips left
out, so the tolerances still come from the one file the validation tests read.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from _small_site import render_clips, small_site
from browserkit import (
    CHARTS_DRAWN,
    DESKTOP,
    PHONE,
    browser_context,
    horizontal_overflow,
    local_server,
    open_page,
)
from sitebuild import BIN, build_site

from probepress.probes import get_probe
from probepress.site.settings import load_settings
from probepress.video.decode import open_clip

CORPUS = Path(__file__).resolve().parents[1] / "validation"
SUBSET = (
    "star-field/center-ccw-3",
    "star-field/nonrigid-wrong",
    "star-field/offcentre-ccw-8",  # its still-camera check is a known failure
    "real/tree",
)
PAGE = Path("site") / "methodology" / "validation" / "index.html"
RATE_ROW = "v-rotation-rate-star-field-center-ccw-3-mp4"


def copy_corpus(dest: Path) -> Path:
    """The subset of the corpus, with the committed tolerances and its known failures."""
    spec = yaml.safe_load((CORPUS / "corpus.yml").read_text(encoding="utf-8"))
    clips = {f"{c}.mp4" for c in SUBSET}
    spec["known_failures"] = [
        k for k in spec["known_failures"] if k["case"].partition("|")[0] in clips
    ]
    dest.mkdir(parents=True)
    (dest / "corpus.yml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    for clip in SUBSET:
        (dest / "clips" / clip).parent.mkdir(parents=True, exist_ok=True)
        for suffix in (".mp4", ".json"):
            shutil.copy(CORPUS / "clips" / f"{clip}{suffix}", dest / "clips" / f"{clip}{suffix}")
    return dest


@pytest.fixture(scope="module")
def synth_clips(tmp_path_factory) -> Path:
    return render_clips(tmp_path_factory.mktemp("clips"))


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One cache for the module: later builds measure nothing again."""
    return tmp_path_factory.mktemp("cache")


def validation_site(root: Path, clips: Path, cache: Path, corpus: Path) -> Path:
    small_site(root, clips, cache_dir=str(cache))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("      workers: 2\n", f"      workers: 2\n      validation: {corpus}\n"),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory, synth_clips, cache) -> Path:
    """The small site with the corpus subset, built strict; returns its root."""
    base = tmp_path_factory.mktemp("validation")
    corpus = copy_corpus(base / "corpus")
    before = sorted((p.relative_to(corpus), p.stat().st_mtime) for p in corpus.rglob("*"))
    root = validation_site(base / "site", synth_clips, cache, corpus)
    result = build_site(root)
    assert result.returncode == 0, result.stderr
    after = sorted((p.relative_to(corpus), p.stat().st_mtime) for p in corpus.rglob("*"))
    assert after == before, "the build wrote into the corpus"
    return root


def _row(page: str, anchor: str) -> str:
    match = re.search(rf'<tr id="{anchor}"[^>]*>(.*?)</tr>', page)
    assert match, f"no row {anchor} on the page"
    return html.unescape(match.group(1))


def test_rows_show_what_the_probe_measures_on_the_corpus_clip(built):
    page = (built / PAGE).read_text(encoding="utf-8")
    measured = get_probe("rotation").run(open_clip(CORPUS / "clips" / f"{SUBSET[0]}.mp4"))
    rate = measured.metrics["angular_velocity_deg_s"]
    row = _row(page, RATE_ROW)
    assert "✓ holds" in row
    assert "truth 3 °/s" in row
    assert f"measured {rate:.4g} °/s" in row
    assert "tolerance ± 5%" in row  # from corpus.yml
    # The corpus lies outside this site: the page names it without the build's paths.
    shown = html.unescape(page)
    assert str(built.parent) not in shown and "From <code>corpus/corpus.yml</code>" in shown


def test_a_known_failure_shows_with_its_reason_outside_the_claim(built):
    page = (built / PAGE).read_text(encoding="utf-8")
    row = _row(page, "v-camera-still-star-field-offcentre-ccw-8-mp4")
    assert "known failure" in row
    assert "the only still content" in row  # the reason, from corpus.yml
    claim = html.unescape(re.search(r'<div class="admonition pp-claim[^"]*"(.*?)</div>', page)[0])
    assert "pp-claim--holds" in claim
    held = re.search(r"(\d+) of (\d+) hold", claim)
    assert held and held[1] == held[2], claim
    assert "1 known failure(s)" in claim


def test_each_probe_method_page_links_its_rows(built):
    method = (built / "site" / "probes" / "rotation" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../methodology/validation/#{RATE_ROW}"' in method
    page = (built / PAGE).read_text(encoding="utf-8")
    assert f'id="{RATE_ROW}"' in page
    shadow = (built / "site" / "probes" / "shadow" / "index.html").read_text(encoding="utf-8")
    # Shadow has only negative-control rows in the subset: they are linked too.
    assert "v-negative-control-fails-real-tree-mp4-shadow" in shadow


def test_a_truth_the_probe_no_longer_meets_fails_strict_naming_the_row(
    tmp_path, synth_clips, cache
):
    corpus = copy_corpus(tmp_path / "corpus")
    truth = corpus / "clips" / "star-field" / "center-ccw-3.json"
    truth.write_text(
        truth.read_text().replace('"angular_velocity_deg_s": 3.0', '"angular_velocity_deg_s": 3.6')
    )
    root = validation_site(tmp_path / "site", synth_clips, cache, corpus)
    result = build_site(root)
    assert result.returncode != 0
    assert "claim does not hold" in result.stderr
    assert "row rotation_rate on star-field/center-ccw-3.mp4" in result.stderr
    assert "truth 3.6 °/s" in result.stderr
    assert "Traceback" not in result.stderr
    # `probepress check` fails whenever the strict build does, with the same line.
    check = subprocess.run(
        [str(BIN / "probepress"), "check"], cwd=root, capture_output=True, text=True, timeout=600
    )
    assert check.returncode == 1, check.stdout + check.stderr
    assert "row rotation_rate on star-field/center-ccw-3.mp4" in check.stdout + check.stderr


def test_a_known_failure_that_holds_or_names_no_case_fails_strict(tmp_path, synth_clips, cache):
    corpus = copy_corpus(tmp_path / "corpus")
    spec = corpus / "corpus.yml"
    data = yaml.safe_load(spec.read_text())
    data["known_failures"] += [
        {"check": "rotation_rate", "case": "star-field/center-ccw-3.mp4", "reason": "stale"},
        {"check": "rotation_rate", "case": "star-field/gone.mp4", "reason": "typo"},
    ]
    spec.write_text(yaml.safe_dump(data, sort_keys=False))
    result = build_site(validation_site(tmp_path / "site", synth_clips, cache, corpus))
    assert result.returncode != 0
    assert "known failure rotation_rate on star-field/center-ccw-3.mp4 now holds" in result.stderr
    assert "known failure names no case: check 'rotation_rate', case 'star-field/gone.mp4'" in (
        result.stderr
    )


def test_a_missing_corpus_fails_strict_naming_the_setting(tmp_path, synth_clips, cache):
    result = build_site(validation_site(tmp_path, synth_clips, cache, tmp_path / "nowhere"))
    assert result.returncode != 0
    assert "nowhere/corpus.yml: no validation corpus here" in result.stderr
    assert "`validation` setting" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_site_shows_no_validation_page_unless_it_asks(tmp_path):
    assert load_settings({}, tmp_path / "mkdocs.yml").validation_dir is None
    settings = load_settings({"validation": "corpus"}, tmp_path / "mkdocs.yml")
    assert settings.validation_dir == tmp_path / "corpus"


def test_the_demo_builds_strict_with_its_validation_page(built_demo_site):
    page = (built_demo_site / PAGE).read_text(encoding="utf-8")
    assert "pp-claim--holds" in page
    for section in ("rotation", "reflection", "shadow", "gravity", "camera", "negative"):
        assert f'id="{section}"' in page
    # Every known failure of the committed corpus is on the page, none counted.
    assert page.count('class="pp-validation--known"') == len(
        yaml.safe_load((CORPUS / "corpus.yml").read_text())["known_failures"]
    )
    assert "../methodology/validation/" in (
        built_demo_site / "site" / "probes" / "gravity" / "index.html"
    ).read_text(encoding="utf-8")


def test_the_page_looks_right_on_a_desktop_and_a_phone(built, chromium, artifacts):
    with local_server(built / "site") as (url, _), browser_context(chromium, url) as context:
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page, log = open_page(context, viewport)
            page.goto(url + "methodology/validation/")
            page.wait_for_function(CHARTS_DRAWN, timeout=120_000)
            # Nothing wider than the screen but the tables' own scroll boxes.
            assert horizontal_overflow(page) == []
            assert page.locator(".pp-compare video").count() >= 2
            page.screenshot(path=str(artifacts / f"validation-{name}.png"), full_page=True)
            page.close()
            log.assert_clean()

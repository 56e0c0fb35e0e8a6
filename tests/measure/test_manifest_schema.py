"""The manifest's YAML is read without hanging or crashing, and every field is typed."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from probepress.measure.manifest import ManifestError, load_manifest
from probepress.measure.manifest_schema import YamlRefused, read_yaml

VALID = """\
scenes:
  lake:
    title: A lake
    probes: [flicker]
    reference: lake/a.mp4
clips:
  - file: lake/a.mp4
    scene: lake
    model: Reference
"""


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path, monkeypatch):
    """Problems name the manifest relative to the working directory."""
    monkeypatch.chdir(tmp_path)


def _problems(tmp_path: Path, text: str | bytes) -> list[str]:
    (tmp_path / "lake").mkdir(exist_ok=True)
    (tmp_path / "lake" / "a.mp4").write_bytes(b"not decoded by the manifest")
    path = tmp_path / "clips.yml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest(path)
    return caught.value.problems


def test_lines_of_keys_and_items_are_kept(tmp_path):
    path = tmp_path / "clips.yml"
    path.write_text(VALID, encoding="utf-8")
    data, duplicates = read_yaml(path)
    assert duplicates == []
    assert data.key_lines == {"scenes": 1, "clips": 6}
    assert data["scenes"]["lake"].key_lines["reference"] == 5
    assert data["clips"].item_lines == [7]
    assert data["clips"][0].line == 7


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    laughs = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 30))
    path = tmp_path / "clips.yml"
    path.write_text("l0: &l0 [lol]\n" + laughs, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(YamlRefused) as caught:
        read_yaml(path)
    assert time.perf_counter() - started < 1.0
    assert caught.value.line == 2
    assert "alias *l0 is not allowed" in caught.value.message


def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    problems = _problems(tmp_path, "scenes: " + "[" * 20000 + "]" * 20000 + "\n")
    assert problems == ["clips.yml:1: nested deeper than 32 levels; flatten the entry"]


def test_non_utf8_bytes_name_their_line(tmp_path):
    problems = _problems(tmp_path, VALID.encode() + b"    notes: caf\xe9\n")
    assert problems == [
        "clips.yml:10: not UTF-8 text (byte 0xe9); save the file with UTF-8 encoding"
    ]


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path):
    problems = _problems(tmp_path, VALID + "    model: Other\n")
    assert problems == ["clips.yml:10: key 'model' given twice (first at line 9); keep one"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("reference: lake/a.mp4", "reference: 42", "clips.yml:5: scene 'lake': `reference` must be a clip path such as scene/clip.mp4, not int 42"),
        ("scene: lake", "scene: [x]", "clips.yml:8: clip 'lake/a.mp4': `scene` must be a name (text), not a list; quote it"),
        ("  lake:\n", "  42:\n", "clips.yml:2: scene 42: a scene name must be text; quote it ('42')"),
        ("model: Reference", "model: null", "clips.yml:7: clip 'lake/a.mp4': missing 'model'"),
        ("model: Reference", "model: Reference\n    synthetic: 'no'", "clips.yml:10: clip 'lake/a.mp4': `synthetic` must be true or false, not the text 'no'; write true or false without quotes"),
        ("title: A lake", "title: {a: 1}", "clips.yml:3: scene 'lake': `title` must be text, not a mapping; quote it if in doubt"),
        ("probes: [flicker]", "probes: flicker", "clips.yml:4: scene 'lake': `probes` must be a list of names such as [reflection, flicker], not the text 'flicker'"),
    ],
)  # fmt: skip
def test_a_field_of_the_wrong_type_is_named_at_its_line(tmp_path, old, new, expected):
    assert old in VALID
    problems = _problems(tmp_path, VALID.replace(old, new))
    assert expected in problems
    assert len(problems) <= 2, problems  # no cascade of consequences


def test_null_optional_fields_count_as_absent(tmp_path):
    text = VALID + "    violation: null\n    notes: null\n"
    path = tmp_path / "clips.yml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "lake").mkdir()
    (tmp_path / "lake" / "a.mp4").write_bytes(b"x")
    clip = load_manifest(path).clips["lake/a"]
    assert clip.violation is None
    assert clip.notes == ""

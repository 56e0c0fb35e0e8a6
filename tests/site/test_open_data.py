"""The open data CSV: no cell a spreadsheet would run as a formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from probepress.site.open_data import csv_safe, results_csv


def _document(model: str, value: float) -> dict:
    clip = {
        "id": "ball-drop/model-a",
        "scene": "ball-drop",
        "model": model,
        "model_version": "@v1",
        "synthetic": False,
        "sha256": "ab" * 32,
        "probes": {"gravity": {"version": "3", "metrics": {"acceleration_px_s2": value}}},
    }
    return {"build_date": "2026-11-28T09:00:00+00:00", "clips": [clip]}


def _row(text: str) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_text_starting_like_a_formula_gets_a_leading_quote(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("cell", ["Model A", "probe-1", "", -1.5, 3, True])
def test_other_cells_pass_unchanged(cell):
    assert csv_safe(cell) == cell


def test_csv_neutralises_manifest_text_and_keeps_negative_numbers_numeric():
    row = _row(results_csv(_document('=cmd|"/c calc"!A1', -412.5)))
    assert row["model"] == '\'=cmd|"/c calc"!A1'
    assert row["model_version"] == "'@v1"
    assert row["value"] == "-412.5"
    assert float(row["value"]) == -412.5

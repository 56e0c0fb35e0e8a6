"""The site's open data: every probe result as JSON and CSV, and the claims ledger.

Written into the built site under ``data/`` after every build, with provenance (clip
hash, model, probe version, build date) so that any number in a post can be traced to
the bytes it was measured on and re-measured by anyone.

The CSV is opened in spreadsheets, which run a cell starting with ``= + - @`` (or a tab
or carriage return) as a formula: text cells that start so get a leading ``'``
(:func:`csv_safe`); numbers are written as numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
from pathlib import Path
from typing import Any

from probepress import __version__
from probepress.claims.evaluate import ClaimOutcome
from probepress.measure.report import clip_facts_json
from probepress.measure.results import ResultSet
from probepress.probes import PROBES

__all__ = ["DATA_DIR", "csv_safe", "write_open_data", "write_whole"]

DATA_DIR = "data"
_CSV_COLUMNS = (
    "clip", "scene", "model", "model_version", "synthetic", "sha256", "probe",
    "probe_version", "metric", "value", "unit", "build_date",
)  # fmt: skip
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _released(results: ResultSet, model: str, version: str) -> str | None:
    listed = results.manifest.models.get(model)
    dated = listed.versions.get(version) if listed is not None else None
    return dated.released.isoformat() if dated is not None else None


def results_document(results: ResultSet, build_date: str) -> dict[str, Any]:
    """Every clip with its provenance and every probe outcome."""
    clips = []
    for clip_id, entry in results.manifest.clips.items():
        report = results.reports.get(clip_id)
        clips.append(
            {
                "id": clip_id,
                "file": entry.file,
                "scene": entry.scene,
                "model": entry.model,
                "model_version": entry.model_version,
                # Which take, and when its version came out (models: in the manifest).
                "sample": entry.sample,
                "released": _released(results, entry.model, entry.model_version),
                "source": entry.source,
                "license": entry.license,
                "synthetic": entry.synthetic,
                "violation": entry.violation,
                "ground_truth": dict(entry.ground_truth),
                **clip_facts_json(report),
            }
        )
    return {"probepress": __version__, "build_date": build_date, "clips": clips}


def csv_safe(cell: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula; numbers and booleans pass as they are.

    Parameters
    ----------
    cell : object
        The value of one cell.

    Returns
    -------
    object
        ``cell``, or for text starting with ``= + - @``, a tab or a carriage return,
        the text after a ``'`` (how spreadsheets mark a cell as text).
    """
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def results_csv(document: dict[str, Any]) -> str:
    """One row per (clip, probe, metric), long format."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for clip in document["clips"]:
        for probe, outcome in clip["probes"].items():
            units = {m.name: m.unit for m in PROBES[probe].metrics} if probe in PROBES else {}
            for metric, value in outcome["metrics"].items():
                shown = "" if value is None or not math.isfinite(value) else value
                writer.writerow(
                    csv_safe(cell)
                    for cell in (
                        clip["id"],
                        clip["scene"],
                        clip["model"],
                        clip["model_version"],
                        clip["synthetic"],
                        clip["sha256"],
                        probe,
                        outcome["version"],
                        metric,
                        shown,
                        units.get(metric, ""),
                        document["build_date"],
                    )  # fmt: skip
                )
    return buffer.getvalue()


def write_open_data(
    site_dir: Path, results: ResultSet, claims: list[ClaimOutcome], *, build_date: str | None = None
) -> list[Path]:
    """Write ``data/results.json``, ``data/results.csv`` and ``data/claims.json``."""
    build_date = build_date or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    folder = site_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    document = results_document(results, build_date)
    ledger = {
        "build_date": build_date,
        "holding": sum(c.holds for c in claims),
        "failing": sum(not c.holds for c in claims),
        "claims": [c.to_dict() for c in claims],
    }
    outputs = {
        "results.json": json.dumps(document, indent=1),
        "results.csv": results_csv(document),
        "claims.json": json.dumps(ledger, indent=1),
    }
    written = []
    for name, text in outputs.items():
        write_whole(folder / name, text)
        written.append(folder / name)
    return written


def write_whole(path: Path, text: str) -> None:
    """Write ``path`` under a temporary name and rename it: never seen half-written."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)

"""Measure a site's validation corpus and list what fails: the build and check share it.

A row expected to hold that falls out of its tolerance, a known failure that now holds,
a known failure that names no case, and a corpus that cannot be read are each one
problem line (``file[:line]: what to do``); the build logs them as errors (the strict
build fails) and ``probepress check`` prints them and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from probepress.measure.probe_phase import run_probe_phase
from probepress.measure.results import ResultSet
from probepress.measure.runner import RunReport
from probepress.measure.validation_checks import SCENE_PROBES, Row, corpus_rows
from probepress.measure.validation_corpus import Corpus, CorpusError, load_corpus
from probepress.site.settings import Settings

__all__ = ["CLAIM", "VALIDATION_URI", "ValidationReview", "review_validation"]

VALIDATION_URI = "methodology/validation.md"
CLAIM = "Every row of the validation corpus that is expected to hold is within its tolerance"


@dataclass
class ValidationReview:
    """The corpus measured, its rows, and the lines that fail the site."""

    problems: list[str] = field(default_factory=list)
    corpus: Corpus | None = None
    results: ResultSet | None = None
    rows: list[Row] = field(default_factory=list)
    run: RunReport | None = None


def review_validation(settings: Settings) -> ValidationReview | None:
    """Measure the corpus of ``settings.validation_dir`` (cache first) and review it.

    Returns
    -------
    ValidationReview or None
        None when the site shows no Validation page (no ``validation`` setting).
    """
    if settings.validation_dir is None:
        return None
    try:
        corpus = load_corpus(settings.validation_dir)
        results, run = run_probe_phase(corpus.manifest(SCENE_PROBES), settings)
        rows = corpus_rows(corpus, results)
    except CorpusError as error:
        return ValidationReview(problems=list(error.problems))
    problems = _problems(corpus, rows, settings.root)
    return ValidationReview(problems, corpus, results, rows, run)


def _problems(corpus: Corpus, rows: list[Row], root: Path) -> list[str]:
    """Each line that fails the site: rows out of tolerance, stale known failures."""
    spec = shown(corpus.spec, root)
    page = f"{VALIDATION_URI} (generated from {shown(corpus.folder, root)})"
    problems = []
    for row in rows:
        truth = shown(corpus.clips[row.clip].path.with_suffix(".json"), root)
        if row.status == "fails":
            problems.append(
                f"{page}: claim does not hold: {CLAIM!r} — row {row.check} on {row.case}: "
                f"measured {row.measured}, truth {row.truth} ({truth}), tolerance {row.tolerance}"
            )
        elif row.status == "fixed":
            problems.append(
                f"{spec}:{row.known.line}: known failure {row.check} on {row.case} now holds "
                f"(measured {row.measured}, truth {row.truth}); remove it from known_failures"
            )
    cases = {(row.check, row.case) for row in rows}
    for known in corpus.known_failures:
        if (known.check, known.case) not in cases:
            problems.append(
                f"{spec}:{known.line}: known failure names no case: check {known.check!r}, "
                f"case {known.case!r}; fix the names or remove the entry"
            )
    return problems


def shown(path: Path, root: Path) -> str:
    """``path`` relative to the site's folder when inside it, else as it is."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)

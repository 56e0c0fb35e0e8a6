"""A few clips of the committed validation corpus, with its corpus.yml, in a folder of their own."""

from __future__ import annotations

import shutil
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "validation"


def copy_corpus(dest: Path, clips: tuple[str, ...] = ("star-field/center-ccw-3",)) -> Path:
    """``corpus.yml`` and ``clips`` (ids, with their truth) copied into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(CORPUS / "corpus.yml", dest / "corpus.yml")
    for clip in clips:
        (dest / "clips" / clip).parent.mkdir(parents=True, exist_ok=True)
        for suffix in (".mp4", ".json"):
            shutil.copy(CORPUS / "clips" / f"{clip}{suffix}", dest / "clips" / f"{clip}{suffix}")
    return dest

"""Functions the pool tests run in worker processes (importable by name, as workers need)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def square(number: int) -> int:
    """A quick task: its answer shows that it ran."""
    return number * number


def fail(message: str) -> None:
    """A task that raises."""
    raise ValueError(message)


def mark_and_sleep(task: tuple[str, str, float]) -> str:
    """Write this worker's pid to ``folder/name``, sleep ``seconds``, return ``name``."""
    folder, name, seconds = task
    marker = Path(folder) / name
    marker.with_suffix(".tmp").write_text(str(os.getpid()))
    marker.with_suffix(".tmp").replace(marker)  # whole or absent: the test reads it
    time.sleep(seconds)
    return name

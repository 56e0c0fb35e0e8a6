"""How long a clip may be before probepress refuses to measure it.

Probing costs time and disk in proportion to a clip's length (memory stays flat), so a
site sets a ceiling per clip: ``max_clip_seconds`` of the probepress plugin in mkdocs.yml or
``probepress probe --max-seconds``. A clip beyond it is refused by name with what to do,
before any frame is decoded when the container states its duration.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_MAX_SECONDS", "ClipBudget"]

#: Ten minutes: longer than any generated clip today, short enough to finish a build.
DEFAULT_MAX_SECONDS = 600.0


@dataclass(frozen=True)
class ClipBudget:
    """Resources one clip may take.

    Attributes
    ----------
    max_seconds : float or None
        Longest clip measured, in seconds; ``None`` for no limit.
    """

    max_seconds: float | None = DEFAULT_MAX_SECONDS

    def refusal(self, seconds: float) -> str | None:
        """Why a clip of ``seconds`` is refused, or ``None`` when it fits."""
        if self.max_seconds is None or seconds <= self.max_seconds:
            return None
        limit = f"{self.max_seconds:g}"
        return (
            f"{seconds:.1f} s long, over the budget of {limit} s per clip: trim it "
            f"(ffmpeg -i IN -t {limit} -c copy OUT) or raise the budget "
            "(max_clip_seconds under `plugins: - probepress:` in mkdocs.yml, or "
            "probepress probe --max-seconds)"
        )

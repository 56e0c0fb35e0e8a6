"""A reference to one measured value: ``clip : probe.metric``."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Ref"]


@dataclass(frozen=True)
class Ref:
    """A metric of a clip: ``clip : probe.metric`` (clip ``None`` until resolved)."""

    clip: str | None
    probe: str
    metric: str

    def __str__(self) -> str:
        name = f"{self.probe}.{self.metric}"
        return f"{self.clip}:{name}" if self.clip else name

"""Errors every layer may raise, so none has to import a higher layer to report one."""

from __future__ import annotations

__all__ = ["FenceError"]


class FenceError(Exception):
    """A fence that cannot be rendered; ``line`` is 1-based within the body (0: header)."""

    def __init__(self, message: str, line: int = 0) -> None:
        self.message = message
        self.line = line
        super().__init__(message)

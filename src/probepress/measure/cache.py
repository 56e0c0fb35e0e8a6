"""Content-addressed store of probe results (SQLite in WAL mode).

A result is stored under the hash of everything that determines it: the clip's bytes
(its sha256), the probe's name and version, its parameters, the analysis resolution and,
for comparative probes, the reference clip's sha256. Prose around a clip never enters
the key, so editing a post re-runs nothing; replacing a clip re-runs only that clip.

Failures are never stored. A cache file that SQLite cannot read is set aside with a
warning and rebuilt; concurrent builds share the file safely (WAL, busy timeout).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from probepress.probes.base import ProbeResult
from probepress.video.decode import ClipInfo

__all__ = ["ResultCache", "result_key"]

log = logging.getLogger("probepress.measure.cache")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    clip_sha256 TEXT NOT NULL,
    probe TEXT NOT NULL,
    version TEXT NOT NULL,
    params TEXT NOT NULL,
    reference_sha256 TEXT,
    result TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS clips (
    sha256 TEXT PRIMARY KEY,
    fps REAL NOT NULL,
    frames INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL
);
"""
# Another build may hold the write lock for a moment; wait rather than fail.
_BUSY_TIMEOUT_S = 60.0


def result_key(
    clip_sha256: str,
    probe: str,
    version: str,
    params: Mapping[str, Any],
    reference_sha256: str | None = None,
) -> str:
    """The cache key of one probe run: a sha256 over every input that changes the result."""
    payload = json.dumps(
        {
            "clip": clip_sha256,
            "probe": probe,
            "version": version,
            "params": params,
            "reference": reference_sha256,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ResultCache:
    """Probe results and clip facts, keyed by content hash, in one SQLite file.

    Parameters
    ----------
    folder : Path
        Where ``results.sqlite`` lives; created if missing.
    """

    FILENAME = "results.sqlite"

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / self.FILENAME
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = self._open()

    def close(self) -> None:
        """Close the database connection."""
        self._connection.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, key: str) -> ProbeResult | None:
        """The stored result for ``key``, or ``None`` (also when the entry is unreadable)."""
        row = self._query("SELECT result FROM results WHERE key = ?", (key,))
        if row is None:
            return None
        try:
            return ProbeResult.from_dict(json.loads(row[0]))
        except (ValueError, KeyError, TypeError) as error:
            log.warning("probepress cache: unreadable entry %s (%s); recomputing", key[:12], error)
            self._execute("DELETE FROM results WHERE key = ?", (key,))
            return None

    def put(
        self,
        key: str,
        result: ProbeResult,
        *,
        clip_sha256: str,
        reference_sha256: str | None = None,
    ) -> None:
        """Store a successful result (failures are never cached)."""
        if not result:
            raise ValueError("failures are not cached")
        self._execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                clip_sha256,
                result.probe,
                result.version,
                json.dumps(dict(result.params), sort_keys=True),
                reference_sha256,
                json.dumps(result.to_dict(), separators=(",", ":")),
                time.time(),
            ),
        )

    def clip_info(self, sha256: str, path: Path) -> ClipInfo | None:
        """Stored facts about a clip (fps, frames, size), so a warm run need not decode it."""
        row = self._query(
            "SELECT fps, frames, width, height FROM clips WHERE sha256 = ?", (sha256,)
        )
        if row is None:
            return None
        fps, frames, width, height = row
        return ClipInfo(Path(path), sha256, float(fps), int(frames), int(width), int(height))

    def put_clip_info(self, info: ClipInfo) -> None:
        """Remember a decoded clip's facts under its hash."""
        self._execute(
            "INSERT OR REPLACE INTO clips VALUES (?, ?, ?, ?, ?)",
            (info.sha256, info.fps, info.frames, info.width, info.height),
        )

    def __len__(self) -> int:
        row = self._query("SELECT COUNT(*) FROM results", ())
        return int(row[0]) if row else 0

    # -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            self._set_aside(error)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(_SCHEMA)
            connection.execute("SELECT COUNT(*) FROM results").fetchone()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def _set_aside(self, error: Exception) -> None:
        """Move a corrupt database out of the way (kept for inspection) and start afresh."""
        corrupt = self.path.with_suffix(f".corrupt-{int(time.time())}")
        log.warning(
            "probepress cache: %s is unreadable (%s); moved it to %s and starting a new "
            "cache (results will be recomputed)",
            self.path,
            error,
            corrupt.name,
        )
        for suffix in ("", "-wal", "-shm"):
            side = Path(f"{self.path}{suffix}")
            if side.exists():
                side.replace(Path(f"{corrupt}{suffix}"))

    def _query(self, sql: str, args: tuple) -> tuple | None:
        try:
            with closing(self._connection.execute(sql, args)) as cursor:
                return cursor.fetchone()
        except sqlite3.OperationalError as error:
            # Locked past the timeout by another build: a miss, not a corrupt file.
            log.warning("probepress cache: could not read (%s); recomputing", error)
            return None
        except sqlite3.DatabaseError as error:
            self._recover(error)
            return None

    def _execute(self, sql: str, args: tuple) -> None:
        try:
            self._connection.execute(sql, args)
        except sqlite3.OperationalError as error:
            # Locked past the timeout by another build: skip storing, never fail a build.
            log.warning("probepress cache: could not write (%s); result not cached", error)
        except sqlite3.DatabaseError as error:
            self._recover(error)

    def _recover(self, error: Exception) -> None:
        self._connection.close()
        self._set_aside(error)
        self._connection = self._connect()

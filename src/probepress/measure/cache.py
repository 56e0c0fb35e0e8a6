"""Content-addressed store of probe results (SQLite in WAL mode).

A result is stored under the hash of everything that determines it: the clip's bytes
(its sha256), the probe's name and version, its parameters, the analysis resolution and,
for comparative probes, the reference clip's sha256. Prose around a clip never enters
the key, so editing a post re-runs nothing; replacing a clip re-runs only that clip.

A failure is a result too: a probe that could not measure a clip stores its reason under
the same key, so a warm build decodes nothing to be told the same thing again (the
runner decides which failures are worth keeping; a killed worker is not). A cache file
that SQLite cannot read is set aside with a warning and rebuilt; a cache that cannot be
written at all (a read-only folder or disk) is switched off for the build with one
warning; concurrent builds share the file safely (WAL, busy timeout).
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

from probepress.measure.lazy_json import LazyJsonObject
from probepress.probes.base import ProbeFailure, ProbeResult
from probepress.video.decode import ClipInfo

__all__ = ["CACHE_FORMAT", "ResultCache", "result_key"]

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
-- Whether a clip's frames are unevenly spaced in time (variable frame rate); a table of
-- its own so that caches written before it need no migration.
CREATE TABLE IF NOT EXISTS clip_timing (
    sha256 TEXT PRIMARY KEY,
    vfr INTEGER NOT NULL
);
-- A result's overlay geometry (format 3), apart from the result: most of its bytes,
-- parsed only when a page draws it (LazyJsonObject). No row: no overlay.
CREATE TABLE IF NOT EXISTS overlays (
    key TEXT PRIMARY KEY,
    overlay TEXT NOT NULL
);
"""
# Another build may hold the write lock for a moment; wait rather than fail.
_BUSY_TIMEOUT_S = 60.0
#: Version of what an entry holds; part of every key, so that a probepress that cannot
#: read an entry (format 1 had no failures) never finds it. 2: failures are stored.
#: 3: overlays in their own table (a format 2 reader would find none).
CACHE_FORMAT = 3
# SQLite's primary result codes for a file that is not (or no longer) a database; any
# other error on opening means the file or its folder cannot be used, not that it is bad.
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


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
            "format": CACHE_FORMAT,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ResultCache:
    """Probe outcomes and clip facts, keyed by content hash, in one SQLite file.

    Parameters
    ----------
    folder : Path
        Where ``results.sqlite`` lives; created if missing. If it cannot be created
        or written, the cache is off for this instance: every lookup misses and
        nothing is stored (see :attr:`enabled`).
    """

    FILENAME = "results.sqlite"

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / self.FILENAME
        self._connection: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = self._open()
        except (OSError, sqlite3.Error) as error:
            self._disable(error)

    @property
    def enabled(self) -> bool:
        """Whether results are looked up and stored (``False`` after :meth:`_disable`)."""
        return self._connection is not None

    def close(self) -> None:
        """Close the database connection."""
        if self._connection is not None:
            self._connection.close()

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, key: str) -> ProbeResult | ProbeFailure | None:
        """The stored outcome for ``key`` (a result or a failure with its reason), or ``None``.

        An unreadable entry is a miss, with a warning. A result's overlay is parsed
        only when read (:class:`LazyJsonObject`).
        """
        row = self._query(
            "SELECT result, overlay FROM results LEFT JOIN overlays USING (key) WHERE key = ?",
            (key,),
        )
        if row is None:
            return None
        try:
            data = json.loads(row[0])
            if row[1] is not None and not data.get("error"):
                data["overlay"] = LazyJsonObject(row[1], f"overlay of entry {key[:12]}")
            return _outcome_from_dict(data)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("probepress cache: unreadable entry %s (%s); recomputing", key[:12], error)
            self._execute("DELETE FROM results WHERE key = ?", (key,))
            self._execute("DELETE FROM overlays WHERE key = ?", (key,))
            return None

    def put(
        self,
        key: str,
        outcome: ProbeResult | ProbeFailure,
        *,
        clip_sha256: str,
        reference_sha256: str | None = None,
    ) -> None:
        """Store a result, or a failure with its reason, under ``key``."""
        params = outcome.params if outcome else {}
        entry = outcome.to_dict()
        overlay = entry.pop("overlay", None)
        if overlay:
            overlay_text = json.dumps(overlay, separators=(",", ":"))
            self._execute("INSERT OR REPLACE INTO overlays VALUES (?, ?)", (key, overlay_text))
        else:
            self._execute("DELETE FROM overlays WHERE key = ?", (key,))
        self._execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                clip_sha256,
                outcome.probe,
                outcome.version,
                json.dumps(dict(params), sort_keys=True),
                reference_sha256,
                json.dumps(entry, separators=(",", ":")),
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
        timing = self._query("SELECT vfr FROM clip_timing WHERE sha256 = ?", (sha256,))
        vfr = bool(timing[0]) if timing else None
        return ClipInfo(Path(path), sha256, float(fps), int(frames), int(width), int(height), vfr)

    def put_clip_info(self, info: ClipInfo) -> None:
        """Remember a decoded clip's facts under its hash."""
        self._execute(
            "INSERT OR REPLACE INTO clips VALUES (?, ?, ?, ?, ?)",
            (info.sha256, info.fps, info.frames, info.width, info.height),
        )
        if info.vfr is not None:
            self._execute(
                "INSERT OR REPLACE INTO clip_timing VALUES (?, ?)", (info.sha256, int(info.vfr))
            )

    def __len__(self) -> int:
        row = self._query("SELECT COUNT(*) FROM results", ())
        return int(row[0]) if row else 0

    # -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as error:
            if not _is_corrupt(error):
                raise  # read-only, missing permission, full disk: not the file's fault
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

    def _disable(self, error: Exception) -> None:
        """Go on without a cache: one warning, then every lookup misses."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        log.warning(
            "probepress cache: cannot use %s (%s); measuring without a cache this time "
            "(make the folder writable, or set cache_dir, to keep results)",
            self.path,
            getattr(error, "strerror", None) or error,
        )

    def _set_aside(self, error: Exception) -> None:
        """Move a corrupt database out of the way (kept for inspection) and start afresh."""
        corrupt = self.path.with_suffix(f".corrupt-{int(time.time())}")
        for suffix in ("", "-wal", "-shm"):
            side = Path(f"{self.path}{suffix}")
            if side.exists():
                side.replace(Path(f"{corrupt}{suffix}"))  # OSError: the caller disables
        # Said only once it is true.
        log.warning(
            "probepress cache: %s is unreadable (%s); moved it to %s and starting a new "
            "cache (results will be recomputed)",
            self.path,
            error,
            corrupt.name,
        )

    def _query(self, sql: str, args: tuple) -> tuple | None:
        if self._connection is None:
            return None
        try:
            with closing(self._connection.execute(sql, args)) as cursor:
                return cursor.fetchone()
        except sqlite3.DatabaseError as error:
            if _is_corrupt(error):
                self._recover(error)
            else:
                # Locked past the timeout by another build: a miss, not a corrupt file.
                log.warning("probepress cache: could not read (%s); recomputing", error)
            return None

    def _execute(self, sql: str, args: tuple) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(sql, args)
        except sqlite3.DatabaseError as error:
            if _is_corrupt(error):
                self._recover(error)
            elif _is_busy(error):
                # Locked past the timeout by another build: skip storing, never fail a build.
                log.warning("probepress cache: could not write (%s); result not cached", error)
            else:
                self._disable(error)  # read-only or full: say so once, not per result

    def _recover(self, error: Exception) -> None:
        self._connection.close()
        self._connection = None
        try:
            self._set_aside(error)
            self._connection = self._connect()
        except (OSError, sqlite3.Error) as again:
            self._disable(again)


# Helper functions -------------------------------------------------------------------------


def _outcome_from_dict(data: Mapping[str, Any]) -> ProbeResult | ProbeFailure:
    """Rebuild what :meth:`ResultCache.put` stored: a failure when ``error`` is set."""
    if data.get("error"):
        return ProbeFailure(str(data["probe"]), str(data["version"]), str(data["error"]))
    return ProbeResult.from_dict(data)


def _primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_corrupt(error: sqlite3.Error) -> bool:
    """Whether SQLite says the file itself is damaged (set it aside), not unusable."""
    code = _primary_code(error)
    if code is None:  # no code (raised by the sqlite3 module itself): judge by type
        return not isinstance(error, sqlite3.OperationalError)
    return code in _CORRUPT_CODES


def _is_busy(error: sqlite3.Error) -> bool:
    """Whether another connection holds a lock (SQLITE_BUSY, SQLITE_LOCKED)."""
    return _primary_code(error) in (5, 6)

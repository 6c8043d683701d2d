"""Backing up and restoring a SQLite database while the site runs, with SQLite's online
backup API (``sqlite3.Connection.backup``).

The copy is taken in one step, inside one read transaction: a consistent snapshot of a
committed state, however busy the site is. Writers wait for it only in SQLite's rollback
journal mode, and only for as long as the copy takes (they retry within their busy
timeout); a page-by-page copy would restart whenever someone writes, and might never end
on a busy site. The copy goes to a temporary file beside the target, is checked with
``PRAGMA integrity_check``, synced to disk, then renamed into place: a backup file is
either complete or absent.

PostgreSQL has its own tools (``pg_dump`` / ``pg_restore``); :func:`postgres_advice`
says how to use them, and DEPLOYMENT.md has the details.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL


class BackupError(RuntimeError):
    """The backup or restore cannot be done (the message says why)."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    bytes: int
    revision: str  # the schema's migration revision in the copy ("" when unknown)


def sqlite_path(url: URL) -> Path:
    """The database file behind a SQLite URL (not an in-memory database)."""
    if url.get_backend_name() != "sqlite":
        raise BackupError("not a SQLite database")
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(url.database)


def backup_sqlite(source: Path, target: Path, *, overwrite: bool = False) -> BackupInfo:
    """Copy the live database ``source`` to ``target`` (see the module docstring)."""
    if not source.exists():
        raise BackupError(f"there is no database at {source}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists; choose another name or allow overwriting")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        _copy(source, partial)
        _check(partial)
        _sync(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupInfo(target, target.stat().st_size, revision_of(target))


def restore_sqlite(backup: Path, live: Path) -> BackupInfo:
    """Replace the contents of ``live`` with the backup, through the backup API (safe with
    other connections open: they see the old or the new database, never a torn file)."""
    if not backup.exists():
        raise BackupError(f"there is no backup at {backup}")
    _check(backup)
    if not revision_of(backup):
        raise BackupError(f"{backup} is not a credgroup database (no migration revision)")
    _copy(backup, live)
    return BackupInfo(live, live.stat().st_size, revision_of(live))


def _copy(source: Path, target: Path) -> None:
    # A 30 s busy timeout: the copy waits for a writer's commit rather than failing.
    with closing(_connect(source)) as src, closing(_connect(target)) as dst:
        src.backup(dst, pages=-1)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(str(path), timeout=30, isolation_level=None)


def _check(path: Path) -> None:
    with closing(_connect(path)) as conn:
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{path} is not a usable SQLite database ({error})") from None
    if not result or result[0] != "ok":
        raise BackupError(f"{path} failed SQLite's integrity check: {result}")


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def revision_of(path: Path) -> str:
    """The migration revision a database file is at ("" when it has none)."""
    with closing(_connect(path)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return ""
    return row[0] if row else ""


def postgres_advice(url: URL, target: str) -> str:
    """How to back up and restore this PostgreSQL database (no password in the text)."""
    options = _pg_options(url)
    return (
        "This deployment uses PostgreSQL: back it up with PostgreSQL's own tools, which take\n"
        "a consistent snapshot while the site runs. The password comes from PGPASSWORD or\n"
        "~/.pgpass, never from the command line.\n\n"
        f"  back up:  pg_dump --format=custom --no-owner {options} --file={target}\n"
        f"  restore:  pg_restore --clean --if-exists --no-owner {options} {target}\n\n"
        "Stop the web and worker processes before restoring; afterwards run\n"
        "`flask --app app db upgrade` (if the dump is older than the code) and\n"
        "`flask --app app search reindex`. See DEPLOYMENT.md, Backups."
    )


def _pg_options(url: URL) -> str:
    parts = [f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}"]
    if url.username:
        parts.append(f"--username={url.username}")
    parts.append(f"--dbname={url.database}")
    return " ".join(parts)

"""The bulk path: rows as plain dicts into tables, COPY on PostgreSQL, executemany elsewhere.

No ORM objects, no services, no signals: the generator itself keeps the rules the services
keep (see the modules beside this one). Every column gets a value here, filled from the
model's own Python-side default when the generator leaves it out, so the two databases
receive the same rows. Row ids are assigned by the generator (``take_ids``), which lets it
link children to parents without reading anything back; PostgreSQL's sequences are moved
past them at the end (``finish``).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

BATCH = 5_000


def _default_of(column: sa.Column) -> Callable[[], Any]:
    default = column.default
    if default is None:
        return lambda: None
    if default.is_callable:
        return lambda: default.arg(None)  # type: ignore[union-attr]
    value = default.arg  # type: ignore[union-attr]
    return lambda: value


def _copy_converter(column: sa.Column) -> Callable[[Any], Any]:
    """How a Python value is written in COPY's text form (what SQLAlchemy's bind
    processing would have produced)."""
    kind = column.type
    if isinstance(kind, sa.Enum):
        return lambda v: v.value if isinstance(v, enum.Enum) else v
    if isinstance(kind, sa.JSON):
        # Most generated JSON values are empty; skip the encoder for those.
        return lambda v: (
            None if v is None else (json.dumps(v) if v else ("[]" if v == [] else "{}"))
        )
    return lambda v: v


class BulkWriter:
    """Writes rows into tables within the session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.is_postgres = self.conn.dialect.name == "postgresql"
        self._next_id: dict[str, int] = {}
        self._defaults: dict[str, list[tuple[str, Callable[[], Any]]]] = {}
        self.written: dict[str, int] = {}

    # --- ids ---------------------------------------------------------------------------

    def take_ids(self, model: Any, count: int) -> range:
        """``count`` fresh primary keys for ``model``'s table, after every existing one."""
        table = model.__table__
        start = self._next_id.get(table.name)
        if start is None:
            current = self.conn.scalar(sa.select(sa.func.max(table.c.id)))
            start = (current or 0) + 1
        self._next_id[table.name] = start + count
        return range(start, start + count)

    def next_id(self, model: Any) -> int:
        return self.take_ids(model, 1).start

    # --- rows --------------------------------------------------------------------------

    def write(self, model: Any, rows: Iterable[dict[str, Any]]) -> int:
        """Insert every row (dicts keyed by column name); returns how many."""
        table: sa.Table = model.__table__
        defaults = self._column_defaults(table)
        batch: list[dict[str, Any]] = []
        count = 0
        for row in rows:
            for name, make in defaults:
                if name not in row:
                    row[name] = make()
            batch.append(row)
            if len(batch) >= BATCH:
                self._flush(table, batch)
                count += len(batch)
                batch = []
        if batch:
            self._flush(table, batch)
            count += len(batch)
        self.written[table.name] = self.written.get(table.name, 0) + count
        return count

    def _column_defaults(self, table: sa.Table) -> list[tuple[str, Callable[[], Any]]]:
        if table.name not in self._defaults:
            self._defaults[table.name] = [(c.name, _default_of(c)) for c in table.columns]
        return self._defaults[table.name]

    def _flush(self, table: sa.Table, batch: list[dict[str, Any]]) -> None:
        if self.is_postgres:
            self._copy(table, batch)
        else:
            self.conn.execute(table.insert(), batch)

    def _copy(self, table: sa.Table, batch: list[dict[str, Any]]) -> None:
        columns = list(table.columns)
        pairs = [(c.name, _copy_converter(c)) for c in columns]
        names = [name for name, _ in pairs]
        quote = self.conn.dialect.identifier_preparer.quote
        statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        raw = self.conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in batch:
                copy.write_row([convert(row[name]) for name, convert in pairs])

    # --- the end -------------------------------------------------------------------------

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given out here."""
        if not self.is_postgres:
            return
        for name in self._next_id:
            table = self.session.get_bind().dialect.identifier_preparer.quote(name)
            top = self.conn.scalar(sa.text(f"SELECT max(id) FROM {table}"))  # noqa: S608 - a model's table
            if top is not None:
                self.conn.execute(
                    sa.text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :top)"),
                    {"t": name, "top": top},
                )

    def analyse(self) -> None:
        """Fresh planner statistics after a bulk load (PostgreSQL's autovacuum would get
        there, later; SQLite's planner uses them too)."""
        self.conn.execute(sa.text("ANALYZE"))

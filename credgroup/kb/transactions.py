"""A savepoint that really nests inside the current transaction, on SQLite too."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import SessionTransaction

from credgroup.extensions import db


def savepoint() -> SessionTransaction:
    """``db.session.begin_nested()``, made safe on SQLite.

    pysqlite opens its transaction lazily, just before the first INSERT/UPDATE/DELETE. A
    SAVEPOINT sent before that becomes the outermost transaction, and releasing it COMMITS:
    work the caller meant to roll back (a strict import, a refused request) would stay. A
    no-op UPDATE first makes pysqlite open the real transaction, so the savepoint nests as
    it does on PostgreSQL.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("UPDATE kb_articles SET id = id WHERE 1 = 0"))
    return db.session.begin_nested()

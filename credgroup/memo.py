"""Answers kept for the rest of a request, until anything is written.

A page asks the same question several times ("is this person in this group?", "what does
this person watch here?"). The answer is read from the database the first time and kept
in the session; each request starts afresh (``forget`` on request start), and any flush,
commit, rollback or write statement forgets everything kept, so nothing the request itself
changes can be answered from before the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import ORMExecuteState, Session

from credgroup.extensions import db

T = TypeVar("T")
KEY = "credgroup.memo"


def remembered(key: tuple, compute: Callable[[], T]) -> T:
    memo = db.session.info.setdefault(KEY, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(*_: object, **__: object) -> None:
    db.session.info.pop(KEY, None)


def _forget_in(session: Session, *_: object) -> None:
    session.info.pop(KEY, None)


def _forget_on_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info.pop(KEY, None)


for _event in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    sa.event.listen(Session, _event, _forget_in)
sa.event.listen(Session, "do_orm_execute", _forget_on_write)

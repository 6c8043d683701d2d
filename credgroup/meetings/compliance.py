"""Acknowledging the group's three statements (antitrust, anti-defamation,
confidentiality) before a meeting, recorded with the time.

The acknowledgement stores a digest of the statements as they were shown, so a later edit
of the statements neither rewrites what someone acknowledged nor goes unnoticed: a form
opened before the edit is refused and the person reads the new text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.db import utcnow
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.meetings.meetings import can_attend
from credgroup.meetings.models import Meeting, StatementAcknowledgement
from credgroup.meetings.records_rules import refuse_unless_scheduled

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

STALE_STATEMENTS = (
    "The group's statements changed since you opened the page. Read them again below, "
    "then acknowledge."
)


@dataclass(frozen=True)
class Statement:
    key: str
    title: str
    text: str


def statements(group: CreditGroup) -> list[Statement]:
    """The group's three statements, in the order they are read at a meeting."""
    return [
        Statement("antitrust", "Antitrust", group.antitrust_statement),
        Statement("anti_defamation", "Anti-defamation", group.antidefamation_statement),
        Statement("confidentiality", "Confidentiality", group.confidentiality_statement),
    ]


def statements_digest(group: CreditGroup) -> str:
    """SHA-256 of the three texts (with their titles), to record exactly what was shown."""
    hasher = hashlib.sha256()
    for statement in statements(group):
        for part in (statement.key, statement.text):
            data = part.encode("utf-8")
            hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def acknowledge_statements(
    user: User, meeting: Meeting, digest: Any = None
) -> StatementAcknowledgement:
    """Record that the person read and acknowledges the three statements for this meeting.

    ``digest`` is the one shown on the form (None from clients that show the current text).
    Acknowledging again keeps the first time unless the statements changed since.
    """
    if not can_attend(user, meeting):
        raise NotFound("No such meeting.")
    refuse_unless_scheduled(meeting, "statements")
    current = statements_digest(meeting.group)
    if digest not in (None, "") and digest != current:
        raise ValidationError("statements", STALE_STATEMENTS)
    ack = acknowledgement_of(user, meeting)
    if ack is None:
        ack = StatementAcknowledgement(meeting_id=meeting.id, user_id=user.id)
        db.session.add(ack)
    elif ack.statements_digest == current:
        return ack
    ack.acknowledged_at, ack.statements_digest = utcnow(), current
    db.session.flush()
    return ack


def acknowledgement_of(user: User, meeting: Meeting) -> StatementAcknowledgement | None:
    return db.session.scalar(
        sa.select(StatementAcknowledgement).where(
            StatementAcknowledgement.meeting_id == meeting.id,
            StatementAcknowledgement.user_id == user.id,
        )
    )


def is_current(ack: StatementAcknowledgement | None, group: CreditGroup) -> bool:
    """True when the acknowledgement covers the statements as they read now."""
    return ack is not None and ack.statements_digest == statements_digest(group)


def acknowledgements(meeting: Meeting) -> dict[int, StatementAcknowledgement]:
    """Every acknowledgement of the meeting, by user id (for the attendance report)."""
    rows = db.session.scalars(
        sa.select(StatementAcknowledgement).where(StatementAcknowledgement.meeting_id == meeting.id)
    )
    return {ack.user_id: ack for ack in rows}

"""Working together on a report: comments, "we hit this too", questions to the reporter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.errors import Conflict, NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, is_member
from credgroup.reports import signals
from credgroup.reports.anonymise import today
from credgroup.reports.authoring import NeedsRewording, apply_redactions
from credgroup.reports.compliance import check_wording
from credgroup.reports.enums import ConfirmationKind, ContributionState, ReportStatus
from credgroup.reports.identity import contributor, is_author
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion

if TYPE_CHECKING:
    from credgroup.accounts.models import User

MAX_COMMENT = 10_000
MAX_QUESTION = 4_000


def _require_open_for_discussion(user: User, report: Report) -> None:
    if not can_view_group(user, report.group) or report.state is not ContributionState.PUBLISHED:
        raise NotFound("No such report.")


def _clean_body(body: str, limit: int, field: str = "body") -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ValidationError(field, "Write something first.")
    if len(body) > limit:
        raise ValidationError(field, f"At most {limit:,} characters.")
    return body


def _next_seq(model, report: Report) -> int:
    current = db.session.scalar(
        sa.select(sa.func.max(model.seq)).where(model.report_id == report.id)
    )
    return (current or 0) + 1


def post_comment(
    user: User,
    report: Report,
    body: str,
    *,
    redact_keys: Iterable[str] | None = None,
    send_to_review: bool = False,
) -> ReportComment:
    """Add to a report's discussion (members and the group's facilitators). Scrubbed and
    checked like a report; flagged wording waits for the facilitator if the author asks."""
    _require_open_for_discussion(user, report)
    body = _clean_body(body, MAX_COMMENT)
    cleaned, counts = apply_redactions(user, report.group, {"body": body}, redact_keys)
    flags = check_wording(cleaned["body"])
    if flags and not send_to_review:
        raise NeedsRewording(flags)
    who = contributor(user, report.group_id)
    comment = ReportComment(
        report=report,
        seq=_next_seq(ReportComment, report),
        author_pseudonym=who.person,
        company_pseudonym=who.company,
        by_staff=who.is_staff,
        body=cleaned["body"],
        redactions=counts,
        state=ContributionState.IN_REVIEW if flags else ContributionState.PUBLISHED,
        review_flags=[flag.as_dict() for flag in flags],
        posted_on=today(),
    )
    db.session.add(comment)
    db.session.flush()
    if not flags:
        signals.report_changed.send(report)
    return comment


def withdraw_comment(user: User, comment: ReportComment) -> None:
    if contributor(user, comment.report.group_id).person != comment.author_pseudonym:
        raise NotFound("No such comment.")
    comment.state = ContributionState.WITHDRAWN
    comment.is_workaround = False
    db.session.flush()


def mark_workaround(user: User, report: Report, comment: ReportComment, value: bool = True):
    """The reporter marks the comment whose workaround solved it."""
    if not is_author(user, report) or comment.report_id != report.id:
        raise PermissionDenied("Only the reporter can mark the workaround.")
    if comment.state is not ContributionState.PUBLISHED:
        raise ValidationError(None, "Only published comments can be marked.")
    comment.is_workaround = value
    if value and report.status is ReportStatus.OPEN:
        report.status, report.status_changed_on = ReportStatus.WORKAROUND_FOUND, today()
    db.session.flush()
    signals.report_changed.send(report)
    return comment


def confirm(user: User, report: Report, kind: ConfirmationKind) -> ReportConfirmation:
    """ "We hit this too" / "the workaround worked for us": one of each per member company.
    The reporting company cannot confirm its own report."""
    _require_open_for_discussion(user, report)
    if not is_member(user, report.group):
        raise PermissionDenied("Only member companies can confirm reports.")
    who = contributor(user, report.group_id)
    if who.company == report.company_pseudonym and kind is ConfirmationKind.HIT_TOO:
        raise Conflict("Your company reported this; others can confirm it.")
    existing = db.session.scalar(
        sa.select(ReportConfirmation.id).where(
            ReportConfirmation.report_id == report.id,
            ReportConfirmation.company_pseudonym == who.company,
            ReportConfirmation.kind == kind,
        )
    )
    if existing is not None:
        raise Conflict("Your company has already confirmed this.")
    confirmation = ReportConfirmation(
        report=report,
        kind=kind,
        company_pseudonym=who.company,
        author_pseudonym=who.person,
        confirmed_on=today(),
    )
    db.session.add(confirmation)
    db.session.flush()
    signals.report_changed.send(report)
    return confirmation


def withdraw_confirmation(user: User, report: Report, kind: ConfirmationKind) -> None:
    """Anyone of the confirming company can take the company's confirmation back."""
    who = contributor(user, report.group_id)
    confirmation = db.session.scalar(
        sa.select(ReportConfirmation).where(
            ReportConfirmation.report_id == report.id,
            ReportConfirmation.company_pseudonym == who.company,
            ReportConfirmation.kind == kind,
        )
    )
    if confirmation is None or not who.company:
        raise NotFound("Your company has not confirmed this.")
    db.session.delete(confirmation)
    db.session.flush()
    signals.report_changed.send(report)


def confirmation_counts_of(report_ids: list[int]) -> dict[int, dict[ConfirmationKind, int]]:
    """Confirmation counts of many reports in one query (lists, exports, search hits)."""
    if not report_ids:
        return {}
    rows = db.session.execute(
        sa.select(ReportConfirmation.report_id, ReportConfirmation.kind, sa.func.count())
        .where(ReportConfirmation.report_id.in_(report_ids))
        .group_by(ReportConfirmation.report_id, ReportConfirmation.kind)
    ).all()
    counts: dict[int, dict[ConfirmationKind, int]] = {}
    for report_id, kind, n in rows:
        counts.setdefault(report_id, {})[kind] = n
    return counts


def confirmation_counts(report: Report) -> dict[ConfirmationKind, int]:
    rows = db.session.execute(
        sa.select(ReportConfirmation.kind, sa.func.count())
        .where(ReportConfirmation.report_id == report.id)
        .group_by(ReportConfirmation.kind)
    ).all()
    counts = dict.fromkeys(ConfirmationKind, 0)
    counts.update({kind: n for kind, n in rows})
    return counts


def ask_reporter(
    user: User, report: Report, body: str, *, redact_keys: Iterable[str] | None = None
) -> ReportQuestion:
    """Send the reporter a question. It reaches them (in the platform and by email) without
    telling them who asked; the answer comes back the same way."""
    _require_open_for_discussion(user, report)
    if is_author(user, report):
        raise ValidationError("body", "This is your own report.")
    body = _clean_body(body, MAX_QUESTION)
    cleaned, _ = apply_redactions(user, report.group, {"body": body}, redact_keys)
    who = contributor(user, report.group_id)
    question = ReportQuestion(
        report=report,
        seq=_next_seq(ReportQuestion, report),
        asker_pseudonym=who.person,
        by_staff=who.is_staff,
        body=cleaned["body"],
        asked_on=today(),
    )
    db.session.add(question)
    db.session.flush()
    signals.question_asked.send(question)
    return question


def answer_question(
    user: User,
    question: ReportQuestion,
    answer: str,
    *,
    share_with_group: bool = False,
    redact_keys: Iterable[str] | None = None,
) -> ReportQuestion:
    """The reporter answers; shared with the whole group if they choose, else only the asker."""
    report = question.report
    if not is_author(user, report):
        raise NotFound("No such question.")
    answer = _clean_body(answer, MAX_QUESTION, "answer")
    cleaned, _ = apply_redactions(user, report.group, {"answer": answer}, redact_keys)
    flags = check_wording(cleaned["answer"])
    if flags and share_with_group:
        raise NeedsRewording(flags)
    question.answer, question.answered_on = cleaned["answer"], today()
    question.answer_public = share_with_group
    db.session.flush()
    signals.question_answered.send(question)
    return question


def questions_for(user: User, report: Report) -> list[ReportQuestion]:
    """The reporter sees every question; others their own and answers shared with the group."""
    if is_author(user, report):
        return list(report.questions)
    me = contributor(user, report.group_id).person
    return [q for q in report.questions if q.asker_pseudonym == me or q.answer_public]


def questions_waiting_for(user: User, reports: list[Report]) -> list[ReportQuestion]:
    """Unanswered questions on the user's own reports."""
    return [q for r in reports if is_author(user, r) for q in r.questions if not q.answered_on]

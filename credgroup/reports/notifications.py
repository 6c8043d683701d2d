"""Email about reports, written to the outbox by signal receivers.

The signals fire inside the services, before the caller commits, so every email and digest
item is written in the same transaction as the change: a rollback sends nothing.

Who hears about a newly published report:

- The people whose watch in the report's group matches it: a portal watch matches reports
  about that portal (or a portal since merged into it), a category watch reports in that
  category, a watch with both only reports with both.
- Only if they can still see the group *now* (``access.can_view_group``: their company is
  still a member, or they facilitate it), their account is active and the group is not
  archived. The watch row alone never decides: a company that leaves a group keeps its
  people's watches, but they stop producing mail. The digest job checks again.
- Never the report's own author.

How, by the person's ``notification_prefs["digest"]``:

- ``"off"``: nothing about new reports, immediate or digest (items already waiting for a
  digest are dropped when the digest runs).
- otherwise each watch's own choice decides. An immediate watch sends one email now; a digest
  watch adds the report to the next digest (one item per person and report). When several
  of a person's watches match, one immediate watch is enough for an immediate email, and
  the report then stays out of their digest.
- ``"weekly"``: the digest goes out on Mondays (UTC) only, ``"daily"`` and ``"immediate"``
  every day. ``"immediate"`` also preselects "immediately" for a new watch.

Relays about a person's own contribution (a question to their report, the answer to their
question, a facilitator's note) are always sent: they are replies, not news, and the
digest setting does not apply to them.

What an email may say: the recipient's own address in To; report titles, portal names,
category labels, group names and links (BASE_URL). Never a person's name or email, a company,
a pseudonym, nor the text of a question, answer or note (it is read in the platform). The
templates get plain strings built here, never a user or report object, so they cannot print
more than this.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app

from credgroup.anonymity.pseudonyms import group_scope, person_pseudonym
from credgroup.extensions import db
from credgroup.groups.access import can_view_group
from credgroup.groups.models import CreditGroup, GroupMembership
from credgroup.notify.services import queue_email
from credgroup.portals.models import Portal
from credgroup.reports import signals
from credgroup.reports.anonymise import today
from credgroup.reports.enums import ContributionState
from credgroup.reports.identity import authors_users, is_author
from credgroup.reports.models import DigestItem, Report, ReportComment, ReportQuestion, Watch

if TYPE_CHECKING:
    from credgroup.accounts.models import User

DIGEST_OFF = "off"


def connect_receivers() -> None:
    """Listen to the reports signals (idempotent: blinker connects a receiver once)."""
    signals.report_published.connect(on_report_published)
    signals.question_asked.connect(on_question_asked)
    signals.question_answered.connect(on_question_answered)
    signals.facilitator_note_left.connect(on_facilitator_note_left)


# --- who may receive ---------------------------------------------------------------------


def digest_setting(user: User) -> str:
    return str((user.notification_prefs or {}).get("digest", "daily"))


def may_receive(user: User, group: CreditGroup) -> bool:
    """Checked when mail is written, never taken from a watch row."""
    return bool(user.active) and group.archived_at is None and can_view_group(user, group)


def users_with_pseudonym(group_id: int, pseudonym: str) -> list[User]:
    """The active people whose pseudonym in the group is ``pseudonym``: members of the
    group's companies and association staff. Used ONLY to relay an answer to the asker."""
    from credgroup.accounts.models import User

    companies = sa.select(GroupMembership.company_id).where(GroupMembership.group_id == group_id)
    candidates = db.session.scalars(
        sa.select(User).where(
            User.active.is_(True),
            sa.or_(User.company_id.in_(companies), User.is_staff.is_(True)),
        )
    )
    scope = group_scope(group_id)
    return [u for u in candidates if person_pseudonym(u.id, scope) == pseudonym]


# --- what an email may say ---------------------------------------------------------------


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link for an email: BASE_URL plus the page's path (there is no request to go by)."""
    path = current_app.url_map.bind("").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def report_facts(report: Report) -> dict[str, str]:
    """Everything an email may say about a report."""
    return {
        "title": report.title,
        "portal": report.portal.name,
        "category": report.category.label,
        "group": report.group.name,
        "url": absolute_url("reports.report_detail", public_id=report.public_id),
    }


def settings_links() -> dict[str, str]:
    """Where a watcher manages their watches and how often we write."""
    return {
        "watches_url": absolute_url("watches.watch_list"),
        "profile_url": absolute_url("accounts.profile"),
    }


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- new reports -------------------------------------------------------------------------


def on_report_published(report: Report, **_: Any) -> None:
    """Email immediate watchers now; queue the report for digest watchers."""
    if report.state is not ContributionState.PUBLISHED:
        return
    for user, immediate in matching_watchers(report):
        if digest_setting(user) == DIGEST_OFF or not may_receive(user, report.group):
            continue
        if is_author(user, report):
            continue
        if immediate:
            _email_new_report(user, report)
        else:
            _add_digest_item(user, report)


def matching_watchers(report: Report) -> list[tuple[User, bool]]:
    """Watchers of the report's group whose watch matches it, with whether any of their
    matching watches is immediate."""
    from credgroup.accounts.models import User

    same_portal = sa.select(Portal.id).where(
        sa.or_(Portal.id == report.portal_id, Portal.merged_into_id == report.portal_id)
    )
    rows = db.session.execute(
        sa.select(User, Watch.immediate)
        .join(Watch, Watch.user_id == User.id)
        .where(
            Watch.group_id == report.group_id,
            sa.or_(Watch.portal_id.is_(None), Watch.portal_id.in_(same_portal)),
            sa.or_(Watch.category.is_(None), Watch.category == report.category),
            # A watch of "everything" is refused by the service; never let one match.
            sa.or_(Watch.portal_id.is_not(None), Watch.category.is_not(None)),
        )
        .order_by(User.id)
    ).all()
    watchers: dict[int, tuple[User, bool]] = {}
    for user, immediate in rows:
        seen = watchers.get(user.id, (user, False))[1]
        watchers[user.id] = (user, seen or bool(immediate))
    return list(watchers.values())


def _email_new_report(user: User, report: Report) -> None:
    facts = report_facts(report)
    queue_email(
        user.email,
        f"New report in {facts['group']}: {_one_line(facts['title'])}",
        "report_published",
        dedupe_key=f"report-published:{report.public_id}:{user.public_id}",
        report=facts,
        **settings_links(),
    )


def _add_digest_item(user: User, report: Report) -> None:
    exists = db.session.scalar(
        sa.select(DigestItem.id).where(
            DigestItem.user_id == user.id, DigestItem.report_id == report.id
        )
    )
    if exists is None:
        db.session.add(DigestItem(user_id=user.id, report_id=report.id, queued_on=today()))


# --- relays between the (unknown) author and others --------------------------------------


def on_question_asked(question: ReportQuestion, **_: Any) -> None:
    """Tell the reporter a question is waiting, never who asked."""
    report = question.report
    facts = report_facts(report)
    for user in _reachable(authors_users(report), report.group):
        queue_email(
            user.email,
            f"A question about your report: {_one_line(facts['title'])}",
            "report_question_asked",
            dedupe_key=f"report-question:{question.public_id}:{user.public_id}",
            report=facts,
            by_facilitator=question.by_staff,
        )


def on_question_answered(question: ReportQuestion, **_: Any) -> None:
    """Tell the asker, found by their pseudonym, that the reporter answered."""
    report = question.report
    facts = report_facts(report)
    askers = users_with_pseudonym(report.group_id, question.asker_pseudonym)
    for user in _reachable(askers, report.group):
        queue_email(
            user.email,
            f"The reporter answered your question: {_one_line(facts['title'])}",
            "report_question_answered",
            dedupe_key=f"report-answer:{question.public_id}:{user.public_id}",
            report=facts,
        )


def on_facilitator_note_left(sender: Report | ReportComment, **_: Any) -> None:
    """Tell the author of a report or comment that the facilitator left them a note."""
    if isinstance(sender, ReportComment):
        report, on_comment = sender.report, True
        authors = users_with_pseudonym(report.group_id, sender.author_pseudonym)
    else:
        report, on_comment = sender, False
        authors = authors_users(report)
    facts = report_facts(report)
    what = "your comment on a report" if on_comment else "your report"
    for user in _reachable(authors, report.group):
        queue_email(
            user.email,
            f"The facilitator left a note on {what}: {_one_line(facts['title'])}",
            "report_facilitator_note",
            report=facts,
            on_comment=on_comment,
            my_reports_url=absolute_url("reports.my_reports"),
        )


def _reachable(users: Iterable[User], group: CreditGroup) -> list[User]:
    return [user for user in users if may_receive(user, group)]

"""Who is acting, as the reports feature may know it: pseudonyms only.

This is the only module of the feature that turns a user into pseudonyms. Nothing here is
ever shown; presenters map pseudonyms to "Reporter" / "Member A" labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.anonymity.pseudonyms import company_pseudonym, group_scope, person_pseudonym
from credgroup.extensions import db

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup
    from credgroup.reports.models import Report


@dataclass(frozen=True)
class Contributor:
    person: str
    company: str  # "" for association staff
    is_staff: bool


def contributor(user: User, group_id: int) -> Contributor:
    scope = group_scope(group_id)
    is_staff = bool(user.is_staff or user.company_id is None)
    company = "" if is_staff else company_pseudonym(user.company_id, scope)
    return Contributor(person_pseudonym(user.id, scope), company, is_staff)


def is_author(user: User, report: Report) -> bool:
    return contributor(user, report.group_id).person == report.author_pseudonym


def authors_users(report: Report) -> list[User]:
    """The person who wrote a report, found by recomputing pseudonyms over the group's
    people. Used ONLY to relay notifications (a question to answer, a facilitator's note)
    by email to that person; the result never leaves the server."""
    from credgroup.accounts.models import User
    from credgroup.groups.models import GroupMembership

    companies = sa.select(GroupMembership.company_id).where(
        GroupMembership.group_id == report.group_id
    )
    candidates = db.session.scalars(
        sa.select(User).where(User.company_id.in_(companies), User.active.is_(True))
    )
    return [u for u in candidates if is_author(u, report)]


def group_people_for_scrubbing(group: CreditGroup) -> tuple[list[str], list[str]]:
    """Names and emails of everyone in the group (members and facilitators), for the
    scrubber to catch in a report's text."""
    from credgroup.accounts.models import User
    from credgroup.groups.models import FacilitatorAssignment, GroupMembership

    # Two index look-ups joined by UNION: "company in ... OR id in ..." made PostgreSQL read
    # the whole users table (60,000 people: 40-70 ms per report posted). A person is member
    # or staff, never both (ck_users_staff_or_member), and emails are unique, so the union
    # holds each person once, as before.
    members = (
        sa.select(User.name, User.email)
        .join(GroupMembership, GroupMembership.company_id == User.company_id)
        .where(GroupMembership.group_id == group.id)
    )
    staff = (
        sa.select(User.name, User.email)
        .join(FacilitatorAssignment, FacilitatorAssignment.user_id == User.id)
        .where(FacilitatorAssignment.group_id == group.id)
    )
    people = db.session.execute(sa.union(members, staff)).all()
    return [p.name for p in people], [p.email for p in people]

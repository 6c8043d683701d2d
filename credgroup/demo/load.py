"""Load the demo association (``credgroup/demo/data.py``) through the normal services.

Idempotent: each row is looked up by its natural key (group slug, company name, email;
a report by group and title) and created only when missing, so loading twice changes
nothing. Rows are created by the same services the pages use, so the demo obeys every rule
real data does. The caller commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from credgroup.accounts import services as accounts
from credgroup.accounts.models import Role, User
from credgroup.accounts.passwords import hash_password
from credgroup.config import is_production
from credgroup.demo import data
from credgroup.demo.load_activity import ensure_activity
from credgroup.demo.load_reports import ensure_reports
from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups import services as groups
from credgroup.groups.access import is_facilitator
from credgroup.groups.models import Association, CreditGroup, GroupMembership, MemberCompany
from credgroup.kb.demo import load_demo_articles
from credgroup.meetings.demo import load_demo_meetings


class DemoRefused(DomainError):
    """Demo data is never loaded into production: every demo password is published."""


@dataclass
class LoadSummary:
    """What a load created, by kind ("groups", "companies", "people", ...)."""

    created: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0

    def describe(self) -> str:
        if not self.changed:
            return "The demo data was already complete; nothing was added."
        parts = [f"{count} {kind}" for kind, count in sorted(self.created.items()) if count]
        return "Added " + ", ".join(parts) + "."


def refuse_in_production() -> None:
    if is_production(current_app):
        raise DemoRefused("Refusing to load demo data in production: its passwords are published.")


def load_demo_data() -> LoadSummary:
    """Create whatever part of the demo association is missing. The caller commits."""
    refuse_in_production()
    summary = LoadSummary()
    password = DemoPassword()
    _ensure_association(summary)
    for group_spec in data.GROUPS:
        _ensure_group(group_spec, summary)
    groups_by_slug = {spec.slug: _group(spec.slug) for spec in data.GROUPS}
    for spec in data.COMPANIES:
        company = _ensure_company(spec, summary)
        for slug in spec.groups:
            _ensure_seat(groups_by_slug[slug], company, summary)
        for person in spec.people:
            _ensure_member(person, company, password, summary)
    for staff in data.STAFF:
        _ensure_staff(staff, groups_by_slug, password, summary)
    # Reports after the people: their discussion involves every member and facilitator.
    # The everyday reports after the hand-written ones, which the meetings pick from.
    ensure_reports(summary.created)
    ensure_activity(summary.created)
    # Articles link to the catalogue and confirm from companies; meetings link to reports
    # and articles, so they come last.
    summary.created["articles"] += load_demo_articles()
    summary.created["meetings"] += load_demo_meetings()
    return summary


class DemoPassword:
    """The demo password's hash, worked out once per load and given to every demo account.

    argon2 is slow on purpose (a few hundred milliseconds a hash on a busy machine), and
    hashing the same published password forty times was most of what loading the demo
    took. One hash (one salt) for all is no weaker here: the password is in the README."""

    def __init__(self) -> None:
        self._hash: str | None = None

    @property
    def hash(self) -> str:
        if self._hash is None:
            self._hash = hash_password(data.DEMO_PASSWORD)
        return self._hash


def wipe_database() -> None:
    """Delete every row of every table (children first). For ``demo-data --reset``."""
    refuse_in_production()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.flush()


def has_association() -> bool:
    return db.session.scalar(sa.select(Association.id).limit(1)) is not None


def demo_admin_exists() -> bool:
    return _user(data.ADMIN_EMAIL) is not None


# --- one kind of row each ----------------------------------------------------------------


def _ensure_association(summary: LoadSummary) -> None:
    # There is no service for the association's single row: the CLI and this loader own it.
    if has_association():
        return
    name = current_app.config["ASSOCIATION_NAME"]
    db.session.add(Association(name=name, website=data.ASSOCIATION.website))
    db.session.flush()
    summary.created["association"] += 1


def _group(slug: str) -> CreditGroup:
    return db.session.execute(sa.select(CreditGroup).where(CreditGroup.slug == slug)).scalar_one()


def _ensure_group(spec: data.DemoGroup, summary: LoadSummary) -> None:
    if db.session.scalar(sa.select(CreditGroup.id).where(CreditGroup.slug == spec.slug)):
        return
    groups.create_group(
        None,
        slug=spec.slug,
        name=spec.name,
        industry=spec.industry,
        description=spec.description,
        timezone=spec.timezone,
        anonymity_threshold=spec.anonymity_threshold,
        customer_naming=spec.customer_naming,
    )
    summary.created["groups"] += 1


def _ensure_company(spec: data.DemoCompany, summary: LoadSummary) -> MemberCompany:
    company = db.session.scalar(sa.select(MemberCompany).where(MemberCompany.name == spec.name))
    if company is not None:
        return company
    summary.created["companies"] += 1
    return groups.create_company(None, name=spec.name, aliases=spec.aliases, industry=spec.industry)


def _ensure_seat(group: CreditGroup, company: MemberCompany, summary: LoadSummary) -> None:
    seat = db.session.scalar(
        sa.select(GroupMembership.id).where(
            GroupMembership.group_id == group.id, GroupMembership.company_id == company.id
        )
    )
    if seat is None:
        groups.add_company_to_group(None, group, company)
        summary.created["group seats"] += 1


def _user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _ensure_member(
    person: data.DemoPerson, company: MemberCompany, password: DemoPassword, summary: LoadSummary
) -> None:
    if _user(person.email) is not None:
        return
    user = accounts.create_user(
        None, email=person.email, name=person.name, role=Role.MEMBER, company=company
    )
    user.password_hash = password.hash
    user.timezone = person.timezone
    summary.created["people"] += 1


def _ensure_staff(
    staff: data.DemoStaff,
    groups_by_slug: dict[str, CreditGroup],
    password: DemoPassword,
    summary: LoadSummary,
) -> None:
    wanted = [groups_by_slug[slug] for slug in staff.groups]
    user = _user(staff.email)
    if user is None:
        user = accounts.create_user(
            None, email=staff.email, name=staff.name, role=staff.role, groups=wanted
        )
        user.password_hash = password.hash
        user.timezone = staff.timezone
        summary.created["people"] += 1
        return
    for group in wanted:  # an assignment removed since the last load comes back
        if not is_facilitator(user, group):
            groups.assign_facilitator(None, group, user)
            summary.created["facilitator assignments"] += 1

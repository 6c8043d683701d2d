"""Fixtures for retention tests: a group whose reports, discussion and links are written
through the real services (so the search outbox is exercised), then aged by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.groups.models import Association, CreditGroup
from credgroup.portals.services import seed_catalogue
from credgroup.reports import authoring
from credgroup.reports.models import (
    Report,
    ReportComment,
    ReportConfirmation,
    ReportQuestion,
)
from credgroup.search.outbox import drain

LONG_AGO = date(2020, 3, 15)


@pytest.fixture
def app_config(tmp_path) -> dict[str, Any]:
    return {"SEARCH_INDEX_DIR": str(tmp_path / "search-index"), "SEARCH_LOCK_TIMEOUT": 2.0}


def index_now() -> None:
    """Apply the search outbox, as the worker would."""
    result = drain()
    assert not result.busy and not result.failed, result


def today() -> date:
    return utcnow().date()


@dataclass
class RetentionWorld:
    group: CreditGroup
    members: list[User]
    facilitator: User
    admin: User
    reports: dict[str, Report] = field(default_factory=dict)

    def publish(self, key: str, member: int = 0, **fields: Any) -> Report:
        data = {
            "portal": "Coupa",
            "category": "rejected_format",
            "title": f"Invoices rejected ({key})",
            "body": f"Every invoice came back rejected, case {key}.",
            "incident_month": "2025-01",
            **fields,
        }
        report = authoring.publish_report(self.members[member], self.group, data)
        db.session.commit()
        self.reports[key] = report
        return report


def age(report: Report, day: date = LONG_AGO) -> None:
    """Move every date of a report and of its discussion back to ``day``."""
    rid = report.id
    db.session.execute(
        sa.update(Report)
        .where(Report.id == rid)
        .values(created_on=day, updated_on=day, published_on=day, status_changed_on=day)
    )
    db.session.execute(
        sa.update(ReportComment).where(ReportComment.report_id == rid).values(posted_on=day)
    )
    db.session.execute(
        sa.update(ReportConfirmation)
        .where(ReportConfirmation.report_id == rid)
        .values(confirmed_on=day)
    )
    db.session.execute(
        sa.update(ReportQuestion)
        .where(ReportQuestion.report_id == rid)
        .values(
            asked_on=day,
            answered_on=sa.case((ReportQuestion.answered_on.is_(None), None), else_=day),
        )
    )
    db.session.commit()
    db.session.expire_all()


def set_retention_months(months: int | None) -> None:
    row = db.session.scalar(sa.select(Association).limit(1))
    if row is None:
        row = Association(name="Test Credit Association")
        db.session.add(row)
    row.report_retention_months = months
    db.session.commit()


def report_exists(report_id: int) -> bool:
    return db.session.scalar(sa.select(Report.id).where(Report.id == report_id)) is not None


@pytest.fixture
def world(factory) -> RetentionWorld:
    seed_catalogue()
    db.session.commit()
    group = factory.group(slug="steel", name="Steel Credit Group", anonymity_threshold=3)
    companies = [factory.company(f"Steel Company {i}", groups=[group]) for i in range(4)]
    return RetentionWorld(
        group=group,
        members=[factory.member(c, email=f"m{i}@steel.example") for i, c in enumerate(companies)],
        facilitator=factory.facilitator(groups=[group], email="fac@association.example"),
        admin=factory.admin(email="admin@association.example"),
    )

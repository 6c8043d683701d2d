"""Demo meetings: a monthly series of the building-materials group with two past meetings
(held, agendas linking the group's most confirmed reports, minutes from the records
feature) and an upcoming one with its call for items open, two items submitted (one
anonymously) and the group's trend report frozen onto its agenda; a quarterly in-person
meeting of the food group.

Made through the services as the demo facilitator and members. Idempotent: a meeting is
looked up by group and title (titles carry the month), so loading twice adds nothing.
The caller commits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.meetings import agenda, calls, meetings, series
from credgroup.meetings.models import Cadence, Meeting, MeetingSeries

FACILITATOR = "facilitator@demo-credit.example"
ANONYMOUS_MEMBER = "credit@northfield-aggregates.example"
OPEN_MEMBER = "karen.holt@ridgelinegypsum.example"
BUILDING, FOOD = "building-materials", "food-beverage"
SERIES_TITLE = "Monthly video meeting"
VIDEO = "https://video.demo-credit.example/building-materials"


def load_demo_meetings() -> int:
    """Add the demo meetings that are missing; returns how many were added."""
    staff = _person(FACILITATOR)
    building, food = _group(BUILDING), _group(FOOD)
    if staff is None or building is None:
        return 0
    added = 0
    monthly = _ensure_series(staff, building)
    tz = ZoneInfo(building.timezone)
    now_local = datetime.now(UTC).astimezone(tz).replace(tzinfo=None)
    upcoming = _second_tuesday_after(now_local + timedelta(days=12))
    back = 1
    while series.add_months_same_weekday(upcoming, -back) > now_local - timedelta(days=1):
        back += 1
    past = [
        series.add_months_same_weekday(upcoming, -back - 1),
        series.add_months_same_weekday(upcoming, -back),
    ]
    for start in past:
        meeting, made = _ensure_meeting(staff, building, monthly, start)
        added += made
        if made:
            _fill_past(staff, meeting)
    meeting, made = _ensure_meeting(staff, building, monthly, upcoming)
    added += made
    if made:
        _open_call(staff, meeting)
        # The facilitator has put the group's trend report on it already (frozen today:
        # the worker would do it a few days before the meeting otherwise).
        agenda.attach_trend_report(staff, meeting)
    if food is not None:
        added += _ensure_food_meeting(staff, food)
    db.session.flush()
    return added


def _person(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email, User.active.is_(True)))


def _group(slug: str) -> CreditGroup | None:
    return db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == slug))


def _second_tuesday_after(local: datetime) -> datetime:
    """The first second-Tuesday of a month at 10:00 on or after ``local``."""
    candidate = local.replace(day=1, hour=10, minute=0, second=0, microsecond=0)
    for _ in range(3):
        first_tuesday = 1 + (1 - candidate.weekday()) % 7
        second = candidate.replace(day=first_tuesday + 7)
        if second >= local:
            return second
        candidate = series.add_months_same_weekday(candidate, 1).replace(day=1)
    return second


def _ensure_series(staff: User, group: CreditGroup) -> MeetingSeries:
    found = db.session.scalar(
        sa.select(MeetingSeries).where(
            MeetingSeries.group_id == group.id, MeetingSeries.title == SERIES_TITLE
        )
    )
    if found is not None:
        return found
    made = series.create_series(
        staff,
        group,
        title=SERIES_TITLE,
        cadence=Cadence.MONTHLY,
        default_video_link=VIDEO,
        default_duration_minutes=90,
    )
    series.add_standing_item(
        staff, made, title="Home-center deduction portals", duration_minutes=20
    )
    series.add_standing_item(
        staff, made, title="Contractors' pay-application portals", duration_minutes=15
    )
    return made


def _find(group: CreditGroup, title: str) -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting).where(Meeting.group_id == group.id, Meeting.title == title)
    )


def _ensure_meeting(
    staff: User, group: CreditGroup, monthly: MeetingSeries, start: datetime
) -> tuple[Meeting, bool]:
    title = f"{group.name}: {start:%B %Y}"
    found = _find(group, title)
    if found is not None:
        return found, False
    meeting = meetings.create_meeting(
        staff,
        group,
        title=title,
        starts_local=start,
        duration_minutes=monthly.default_duration_minutes,
        video_link=monthly.default_video_link,
        description="Video meeting. Have your portal questions and workarounds ready.",
        series=monthly,
    )
    meetings.publish_meeting(staff, meeting)
    return meeting, True


def _top_reports(group: CreditGroup, limit: int = 2) -> list[Any]:
    from credgroup.reports.enums import ContributionState
    from credgroup.reports.models import Report, ReportConfirmation

    hits = sa.func.count(ReportConfirmation.id)
    return list(
        db.session.scalars(
            sa.select(Report)
            .outerjoin(ReportConfirmation, ReportConfirmation.report_id == Report.id)
            .where(Report.group_id == group.id, Report.state == ContributionState.PUBLISHED)
            .group_by(Report.id)
            .order_by(hits.desc(), Report.id)
            .limit(limit)
        )
    )


def _fill_past(staff: User, meeting: Meeting) -> None:
    """A held meeting: items discussed (linked to reports), then the records."""
    reports = _top_reports(meeting.group)
    offset = 0 if meeting.starts_at < datetime.now(UTC) - timedelta(days=45) else 1
    for report in reports[offset : offset + 1] or reports[:1]:
        agenda.add_item(
            staff,
            meeting,
            title=report.title,
            duration_minutes=20,
            report=report.public_id,
            notes="Ask whether anyone found a contact at the customer's AP team.",
        )
    agenda.add_item(
        staff,
        meeting,
        title="Topic of the month: reading portal rejection codes",
        duration_minutes=25,
        description="Guest: the association's e-invoicing specialist.",
    )
    meetings.mark_held(staff, meeting)
    try:
        from credgroup.meetings.demo_records import add_demo_records
    except ImportError:
        return
    add_demo_records(meeting)


def _open_call(staff: User, meeting: Meeting) -> None:
    deadline = meeting.starts_at - timedelta(days=5)
    if deadline <= datetime.now(UTC) + timedelta(hours=1):
        deadline = meeting.starts_at - timedelta(hours=12)
    calls.open_call(staff, meeting, deadline=deadline)
    anonymous = _person(ANONYMOUS_MEMBER)
    if anonymous is not None:
        calls.submit_item(
            anonymous,
            meeting,
            topic="Supplier-paid tiers on SAP Business Network",
            details="Our invoice count crossed the free threshold this quarter. How are "
            "others handling the annual fee? (Past experience only, please.)",
            anonymous=True,
        )
    member = _person(OPEN_MEMBER)
    if member is not None:
        submission = calls.submit_item(
            member,
            meeting,
            topic="Coupa: invoices stuck in 'Pending Receipt'",
            details="Three customers since January; approval waits for a goods receipt.",
            mode="discussion",
        )
        calls.accept_submission(staff, submission, duration_minutes=15)


def _ensure_food_meeting(staff: User, group: CreditGroup) -> int:
    tz = ZoneInfo(group.timezone)
    now_local = datetime.now(UTC).astimezone(tz).replace(tzinfo=None)
    start = _second_tuesday_after(now_local + timedelta(days=40)).replace(hour=9, minute=30)
    title = f"{group.name}: quarterly meeting, {start:%B %Y}"
    if _find(group, title) is not None:
        return 0
    meeting = meetings.create_meeting(
        staff,
        group,
        title=title,
        starts_local=start,
        duration_minutes=180,
        place="Atlanta, Peachtree Conference Center, Room 4",
        video_link="https://video.demo-credit.example/food-beverage",
    )
    agenda.add_item(staff, meeting, title="Retailers' deduction portals", duration_minutes=45)
    agenda.add_item(staff, meeting, title="Round robin", duration_minutes=60)
    meetings.publish_meeting(staff, meeting)
    return 1

"""The attendance and acknowledgement report, for facilitators: per meeting (who answered,
who came, who acknowledged the statements and when) and over a year (per company and per
person), with CSV exports.

A year is the calendar year in the group's time zone. Only meetings that took place count
(held, or published and already started); cancelled meetings and drafts do not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_facilitator
from credgroup.meetings.attendance import SheetRow, attendance_taken, sheet_rows
from credgroup.meetings.models import (
    Attendance,
    Meeting,
    MeetingStatus,
    StatementAcknowledgement,
)
from credgroup.reports.csv_export import safe_cell

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

FIRST_YEAR = 2000


# --- one meeting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingReport:
    meeting: Meeting
    rows: list[SheetRow]
    attendance_taken: bool

    def count(self, predicate) -> int:
        return sum(1 for row in self.rows if predicate(row))

    @property
    def invited(self) -> int:
        return len(self.rows)

    @property
    def said_yes(self) -> int:
        return self.count(lambda r: r.rsvp is not None and r.rsvp.answer.value == "yes")

    @property
    def present(self) -> int:
        return self.count(lambda r: r.present)

    @property
    def acknowledged(self) -> int:
        return self.count(lambda r: r.acknowledgement is not None)

    @property
    def present_without_acknowledgement(self) -> int:
        return self.count(lambda r: r.present and r.acknowledgement is None)


def acknowledged_before_start(row: SheetRow, meeting: Meeting) -> bool:
    ack = row.acknowledgement
    return ack is not None and ack.acknowledged_at <= meeting.starts_at


def meeting_report(actor: User, meeting: Meeting) -> MeetingReport:
    """RSVPs, attendance and acknowledgements of one meeting (facilitators)."""
    require_facilitator(actor, meeting.group)
    return MeetingReport(meeting, sheet_rows(meeting), attendance_taken(meeting))


MEETING_COLUMNS = [
    "person",
    "company",
    "rsvp",
    "rsvp_mode",
    "present",
    "attended_as",
    "acknowledged_at",
    "acknowledged_before_start",
]


def meeting_report_csv(report: MeetingReport) -> str:
    zone = ZoneInfo(report.meeting.timezone)
    rows = []
    for row in report.rows:
        ack = row.acknowledgement
        rows.append(
            [
                row.person.name,
                row.company or "Association staff",
                row.rsvp.answer.value if row.rsvp else "",
                row.rsvp.attendance.value if row.rsvp and row.rsvp.attendance else "",
                _yes_no(row.present) if report.attendance_taken else "",
                row.mode.value if row.present and row.mode else "",
                ack.acknowledged_at.astimezone(zone).isoformat(timespec="minutes") if ack else "",
                _yes_no(acknowledged_before_start(row, report.meeting)) if ack else "",
            ]
        )
    return _csv(MEETING_COLUMNS, rows)


# --- a year -----------------------------------------------------------------------------------


@dataclass
class PersonYear:
    person: User
    company: str
    expected: int = 0  # meetings whose attendance sheet listed the person
    attended: int = 0
    acknowledged: int = 0
    acknowledged_when_present: int = 0


@dataclass
class CompanyYear:
    company: str
    meetings: int  # meetings in the year with attendance taken
    attended: int = 0  # meetings at which at least one of its people was present
    people: int = 0  # distinct people of the company who attended at least once


@dataclass(frozen=True)
class YearReport:
    group: CreditGroup
    year: int
    meetings: list[Meeting]
    meetings_with_attendance: int
    people: list[PersonYear]
    companies: list[CompanyYear]
    per_meeting: list[tuple[Meeting, int, int]]  # (meeting, present, acknowledged)


def clean_year(value: object, group: CreditGroup) -> int:
    """A year given as text or number; the current one (in the group's zone) by default."""
    this_year = datetime.now(ZoneInfo(group.timezone)).year
    if value in (None, ""):
        return this_year
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) != 4:
        raise ValidationError("year", "Enter a year such as 2025.")
    year = int(text)
    if not FIRST_YEAR <= year <= this_year + 1:
        raise ValidationError("year", f"Choose a year from {FIRST_YEAR} to {this_year + 1}.")
    return year


def meetings_of_year(group: CreditGroup, year: int) -> list[Meeting]:
    """Meetings of the group that took place in ``year`` (group's time zone)."""
    zone = ZoneInfo(group.timezone)
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)
    now = datetime.now(UTC)
    rows = db.session.scalars(
        sa.select(Meeting)
        .where(
            Meeting.group_id == group.id,
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
            Meeting.status.in_((MeetingStatus.PUBLISHED, MeetingStatus.HELD)),
        )
        .order_by(Meeting.starts_at)
    )
    return [m for m in rows if m.status is MeetingStatus.HELD or m.starts_at <= now]


def year_report(actor: User, group: CreditGroup, year: int) -> YearReport:
    """Attendance and acknowledgements over a year, per person and per company."""
    require_facilitator(actor, group)
    meetings = meetings_of_year(group, year)
    ids = [m.id for m in meetings]
    attendance = _rows(Attendance, ids)
    acks = _rows(StatementAcknowledgement, ids)
    people = _people_year(attendance, acks)
    taken = {row.meeting_id for row in attendance}
    per_meeting = [
        (
            m,
            sum(1 for a in attendance if a.meeting_id == m.id and a.present),
            sum(1 for k in acks if k.meeting_id == m.id),
        )
        for m in meetings
    ]
    return YearReport(
        group=group,
        year=year,
        meetings=meetings,
        meetings_with_attendance=len(taken),
        people=people,
        companies=_companies_year(attendance, len(taken)),
        per_meeting=per_meeting,
    )


def _rows(model, meeting_ids: Sequence[int]) -> list:
    if not meeting_ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.meeting_id.in_(meeting_ids))))


def _company(person: User) -> str:
    return person.company.name if person.company else ""


def _people_year(
    attendance: Iterable[Attendance], acks: Iterable[StatementAcknowledgement]
) -> list[PersonYear]:
    people: dict[int, PersonYear] = {}

    def entry(person: User) -> PersonYear:
        return people.setdefault(person.id, PersonYear(person, _company(person)))

    present = set()
    for row in attendance:
        line = entry(row.user)
        line.expected += 1
        if row.present:
            line.attended += 1
            present.add((row.meeting_id, row.user_id))
    for ack in acks:
        line = entry(ack.user)
        line.acknowledged += 1
        if (ack.meeting_id, ack.user_id) in present:
            line.acknowledged_when_present += 1
    return sorted(
        people.values(),
        key=lambda p: (p.person.is_staff, p.company.casefold(), p.person.name.casefold()),
    )


def _companies_year(attendance: Iterable[Attendance], meetings: int) -> list[CompanyYear]:
    met: dict[str, set[int]] = {}
    people: dict[str, set[int]] = {}
    for row in attendance:
        name = _company(row.user)
        if not name:
            continue  # association staff are not a member company
        met.setdefault(name, set())
        people.setdefault(name, set())
        if row.present:
            met[name].add(row.meeting_id)
            people[name].add(row.user_id)
    return [
        CompanyYear(name, meetings, attended=len(met[name]), people=len(people[name]))
        for name in sorted(met, key=str.casefold)
    ]


PEOPLE_COLUMNS = [
    "person",
    "company",
    "meetings_expected",
    "meetings_attended",
    "acknowledgements",
    "acknowledged_when_present",
]
COMPANY_COLUMNS = ["company", "meetings_with_attendance", "meetings_attended", "people_attended"]


def year_report_csv(report: YearReport, by: str = "people") -> str:
    """The yearly report as CSV, one row per person (``by="people"``) or company."""
    if by == "companies":
        rows = [[c.company, c.meetings, c.attended, c.people] for c in report.companies]
        return _csv(COMPANY_COLUMNS, rows)
    if by != "people":
        raise ValidationError("by", "Choose 'people' or 'companies'.")
    rows = [
        [
            p.person.name,
            p.company or "Association staff",
            p.expected,
            p.attended,
            p.acknowledged,
            p.acknowledged_when_present,
        ]
        for p in report.people
    ]
    return _csv(PEOPLE_COLUMNS, rows)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _csv(columns: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()

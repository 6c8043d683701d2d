"""Load the groups' everyday activity (``activity_data.py``): hundreds of short reports.

Planning and writing are apart: ``plan_group`` works out, from the data and today's date
alone, every report since the start of the quarter ``QUARTERS`` quarters back (who posts
it, when, its status and who confirms it); ``ensure_activity`` writes the ones not there
yet, as the services would (see ``write_reports`` for why not through them one by one).

The plan follows the calendar, not the day of loading: a month's reports, their posters and
titles depend only on which month it is. So loading on another day (or twice) finds the
reports of months already loaded by their titles and adds only what is missing, and each
report's title names its month. In the current month the reports are spread over the days
so far, so a report for the quarter just begun already has its figures. The caller commits.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.demo import data
from credgroup.demo.activity_data import ACTIVITY, QUARTERS, GroupActivity, Stream, Wording
from credgroup.errors import DomainError
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.portals.models import Portal
from credgroup.portals.services import resolve_portal
from credgroup.reports import authoring, signals
from credgroup.reports.anonymise import month_of, today
from credgroup.reports.enums import ConfirmationKind, ContributionState, ReportStatus
from credgroup.reports.identity import contributor
from credgroup.reports.inputs import SCRUBBED_FIELDS, clean_report_fields
from credgroup.reports.models import Report, ReportConfirmation
from credgroup.trends.periods import Quarter

# Each month the first report goes to the company STEP places on from last month's, so a
# quarter's reports of one stream come from different companies (STEP shares no factor
# with the groups' sizes, 6, 11 and 12).
STEP = 5
QUIET_DAYS = 10  # a report younger than this is still open
STATUS_CYCLE = 20  # statuses repeat over this many reports (see _status)


@dataclass(frozen=True)
class Planned:
    """One everyday report, as the plan has it."""

    stream: Stream
    wording: Wording
    author: str  # email
    company: str  # the author's company name (planning only: never stored)
    published_on: date
    incident_month: date
    customer: str
    status: ReportStatus
    status_changed_on: date | None
    confirmed_by: tuple[tuple[str, date], ...]  # (email, day) of other companies

    @property
    def title(self) -> str:
        return self.wording.title.format(month=f"{self.incident_month:%B %Y}")


def group_companies(slug: str) -> list[data.DemoCompany]:
    return [company for company in data.COMPANIES if slug in company.groups]


def poster(company: data.DemoCompany, turn: int) -> str:
    """Who of the company posts: not its first person (the one the hand-written demo and
    the README feature, whose own pages stay short), unless it has nobody else."""
    people = company.people[1:] or company.people
    return people[turn % len(people)].email


def activity_months(now: date) -> list[date]:
    """The first days of the months with activity, oldest first: from the start of the
    quarter ``QUARTERS`` quarters back to this month."""
    first = Quarter.of(now).shift(-QUARTERS).start
    months = [month_of(now)]
    while months[-1] > first:
        months.append(month_of(months[-1] - timedelta(days=1)))
    return months[::-1]


def month_number(month: date) -> int:
    """A month's place in the calendar: what the plan of that month depends on."""
    return month.year * 12 + month.month - 1


def plan_group(spec: GroupActivity, now: date) -> list[Planned]:
    """Every everyday report of the group over its months of activity, oldest first."""
    companies = group_companies(spec.group)
    planned: list[Planned] = []
    months = activity_months(now)
    for age, month in enumerate(reversed(months)):
        planned.extend(_plan_month(spec, companies, month, age, now))
    planned.sort(key=lambda p: p.published_on)
    return planned


def _streams_of(spec: GroupActivity, number: int, age: int) -> list[tuple[Stream, int]]:
    """The month's streams, one entry per report: (stream, its report's number in it)."""
    entries = []
    for stream in spec.streams:
        if age < stream.recent and number % stream.every == 0:
            entries += [(stream, n) for n in range(stream.per_month)]
    return entries


def _plan_month(
    spec: GroupActivity, companies: Sequence[data.DemoCompany], month: date, age: int, now: date
) -> Iterator[Planned]:
    number = month_number(month)
    entries = _streams_of(spec, number, age)
    last_day = now.day if age == 0 else calendar.monthrange(month.year, month.month)[1]
    first = number * STEP
    for i, (stream, n) in enumerate(entries):
        company = companies[(first + i) % len(companies)]
        published = month.replace(day=1 + i * last_day // len(entries))
        turn = number + i
        status, changed = _status(published, now, turn)
        yield Planned(
            stream=stream,
            wording=stream.wordings[(number * stream.per_month + n) % len(stream.wordings)],
            author=poster(company, turn),
            company=company.name,
            published_on=published,
            incident_month=month,
            customer=_customer(spec, number + 3 * i),
            status=status,
            status_changed_on=changed,
            confirmed_by=_confirmers(
                companies, company, first + len(entries) + i, turn, published, now
            ),
        )


def _customer(spec: GroupActivity, turn: int) -> str:
    """The customer in turn (its own turn: not tied to which company posts)."""
    return spec.customers[turn % len(spec.customers)] if spec.customers else ""


def _status(published: date, now: date, turn: int) -> tuple[ReportStatus, date | None]:
    """Most older reports found a workaround or were resolved; recent ones are open."""
    cycle = turn * 7 % STATUS_CYCLE
    if (now - published).days < QUIET_DAYS or cycle >= 15:
        return ReportStatus.OPEN, None
    changed = published + timedelta(days=4 + cycle * 5 % 35)
    if changed > now:
        return ReportStatus.OPEN, None
    if cycle < 9:
        return ReportStatus.WORKAROUND_FOUND, changed
    if cycle < 13:
        return ReportStatus.RESOLVED, changed
    return ReportStatus.NO_LONGER_OCCURS, changed


def _confirmers(
    companies: Sequence[data.DemoCompany],
    own: data.DemoCompany,
    start: int,
    turn: int,
    published: date,
    now: date,
) -> tuple[tuple[str, date], ...]:
    """Nobody, one or two other companies that "hit this too", a few days later."""
    found: list[tuple[str, date]] = []
    for j in range(turn % 3):
        other = companies[(start + 3 * j) % len(companies)]
        day = published + timedelta(days=2 + 3 * j)
        if other is not own and day <= now:
            found.append((poster(other, turn + j), day))
    return tuple(found)


# --- writing ---------------------------------------------------------------------------------


class ActivityRefused(DomainError):
    """A planned report that a member's form would not accept as it stands."""


def ensure_activity(created: Counter[str]) -> None:
    """Write the planned reports that are missing (by group and title)."""
    now = today()
    people = _people()
    for spec in ACTIVITY:
        group = db.session.execute(
            sa.select(CreditGroup).where(CreditGroup.slug == spec.group)
        ).scalar_one()
        there = set(db.session.scalars(sa.select(Report.title).where(Report.group_id == group.id)))
        missing = [p for p in plan_group(spec, now) if p.title not in there]
        write_reports(group, spec, missing, people)
        created["everyday reports"] += len(missing)
        created["confirmations"] += sum(len(p.confirmed_by) for p in missing)


def _people() -> dict[str, User]:
    emails = [p.email for c in data.COMPANIES for p in c.people]
    return {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_(emails)))}


def payload(planned: Planned, spec: GroupActivity) -> dict[str, object]:
    """The report as a member's form would submit it."""
    wording, stream = planned.wording, planned.stream
    shows_workaround = planned.status in (ReportStatus.WORKAROUND_FOUND, ReportStatus.RESOLVED)
    named = not spec.customers_are_industries
    fields: dict[str, object] = {
        "portal": stream.portal,
        "category": stream.category.value,
        "title": planned.title,
        "body": wording.body,
        "error_message": wording.error_message,
        "workaround": wording.workaround if shows_workaround else "",
        "buyer_name": planned.customer if named else "",
        "buyer_industry": "" if named else planned.customer,
        "incident_month": planned.incident_month.strftime("%Y-%m"),
        "status": planned.status.value,
    }
    optional = {
        "channel": wording.channel,
        "fee_kind": wording.fee_kind,
        "fee_size_band": wording.fee_size,
    }
    fields.update({name: member.value for name, member in optional.items() if member})
    return fields


def write_reports(
    group: CreditGroup, spec: GroupActivity, planned: Sequence[Planned], people: dict[str, User]
) -> None:
    """Write the reports as posting them through the services would, in a few statements.

    Hundreds of reports one at a time through ``publish_report`` and ``confirm`` were most
    of what loading the demo cost (and the test suite loads it dozens of times). The rules
    stay the services' own: the form's validation (``clean_report_fields``, the portal
    resolved as typed), the preview's scrubber and wording check (anything they would
    catch stops the load), pseudonyms from ``contributor``, confirmations only from other
    companies, and the ``report_published`` signal (search outbox, watchers) for each."""
    portals: dict[str, Portal] = {}
    reports = []
    for plan in planned:
        author = people[plan.author]
        fields = payload(plan, spec)
        _require_clean(author, group, fields)
        portal = portals.get(plan.stream.portal) or resolve_portal(plan.stream.portal)
        portals[plan.stream.portal] = portal
        reports.append(_report(plan, group, author, portal, fields, people))
    db.session.add_all(reports)
    db.session.flush()
    # Nothing the receivers read is written by them, so their writes (search outbox rows)
    # can wait for one flush instead of one before every receiver's query.
    with db.session.no_autoflush:
        for report in reports:
            signals.report_published.send(report)
    db.session.flush()


def _require_clean(author: User, group: CreditGroup, fields: dict[str, object]) -> None:
    texts = {name: str(fields[name]) for name in SCRUBBED_FIELDS}
    preview = authoring.preview_texts(author, group, texts)
    if preview.findings or preview.flags:
        raise ActivityRefused(f"The demo report '{fields['title']}' needs rewording.")


def _report(
    plan: Planned,
    group: CreditGroup,
    author: User,
    portal: Portal,
    fields: dict[str, object],
    people: dict[str, User],
) -> Report:
    who = contributor(author, group.id)
    day = plan.published_on
    report = Report(
        group_id=group.id,
        portal=portal,
        author_pseudonym=who.person,
        company_pseudonym=who.company,
        state=ContributionState.PUBLISHED,
        review_flags=[],
        redactions={},
        created_on=day - timedelta(days=1),  # written the day before posting
        published_on=day,
        updated_on=max(day, plan.status_changed_on or day),
        status_changed_on=plan.status_changed_on,
        **clean_report_fields(group, fields),
    )
    for email, confirmed_on in plan.confirmed_by:
        other = contributor(people[email], group.id)
        if other.company == who.company:
            raise ActivityRefused("A company cannot confirm its own report.")
        report.confirmations.append(
            ReportConfirmation(
                kind=ConfirmationKind.HIT_TOO,
                company_pseudonym=other.company,
                author_pseudonym=other.person,
                confirmed_on=confirmed_on,
            )
        )
    return report

"""Each group's meetings: a series with standing items, two years of held meetings with
their agendas, minutes, attendance and action items, and the next meeting published with
its call for items open, submissions waiting and RSVPs coming in.

As the meetings services build them: the statements first on every agenda and not
removable, then approval of the previous minutes and the action review when there was a
meeting before, the standing items, then accepted submissions; an anonymous submission
holds only its pseudonym in the meetings scope (never a user), an open one only the user.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from credgroup.demo.scale import vocabulary as words
from credgroup.demo.scale.context import GroupInfo, Run
from credgroup.meetings.agenda import (
    ACTION_REVIEW_MINUTES,
    MINUTES_APPROVAL_MINUTES,
    STATEMENTS_MINUTES,
    STATEMENTS_TITLE,
)
from credgroup.meetings.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    AttendanceMode,
    Cadence,
    CallForItems,
    ItemKind,
    ItemMode,
    ItemSubmission,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Minutes,
    MinutesEntry,
    MinutesState,
    Rsvp,
    RsvpAnswer,
    StandingItem,
    SubmissionState,
)
from credgroup.meetings.series import add_months_same_weekday

CADENCES, CADENCE_WEIGHTS = list(Cadence), [40, 25, 35]
FLUSH_EVERY_GROUPS = 50


class Tables:
    """Rows waiting to be written, parents before children."""

    ORDER = (
        MeetingSeries,
        StandingItem,
        Meeting,
        CallForItems,
        AgendaItem,
        ItemSubmission,
        Minutes,
        MinutesEntry,
        ActionItem,
        Attendance,
        Rsvp,
    )

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}
        self._empty()

    def _empty(self) -> None:
        self.rows = {model: [] for model in self.ORDER}

    def add(self, run: Run, model: Any, **row: Any) -> int:
        row["id"] = run.writer.next_id(model)
        self.rows[model].append(row)
        return row["id"]

    def flush(self, run: Run) -> None:
        for model in self.ORDER:
            run.write(model, self.rows[model], model.__tablename__.replace("_", " "))
        self._empty()


def make_meetings(run: Run) -> None:
    tables = Tables()
    for n, group in enumerate(run.org.groups, 1):
        GroupMeetings(run, group, tables).make()
        if n % FLUSH_EVERY_GROUPS == 0:
            tables.flush(run)
    tables.flush(run)
    run.step(f"meetings {run.counts.get('meetings', 0):,}")


class GroupMeetings:
    def __init__(self, run: Run, group: GroupInfo, tables: Tables) -> None:
        self.run, self.group, self.t = run, group, tables
        self.zone = ZoneInfo(group.timezone)
        self.staff = group.staff[0] if group.staff else None
        self.people = [p for c in group.companies for p in run.org.people[c][:1]]

    def make(self) -> None:
        run = self.run
        cadence = run.pick(CADENCES, CADENCE_WEIGHTS)
        series = self.t.add(
            run,
            MeetingSeries,
            group_id=self.group.id,
            title=run.pick(words.SERIES_TITLES),
            cadence=cadence,
            timezone=self.group.timezone,
            default_duration_minutes=120,
        )
        standing = [
            (
                self.t.add(
                    run,
                    StandingItem,
                    series_id=series,
                    position=i,
                    title=title,
                    duration_minutes=20,
                    mode=ItemMode.DISCUSSION,
                ),
                title,
            )
            for i, title in enumerate(run.rng.sample(words.STANDING_ITEMS, run.rng.randrange(1, 3)))
        ]
        previous = None
        starts = self._starts(cadence)
        for start, following in zip(starts, [*starts[1:], None], strict=True):
            held = start < datetime.now(UTC)
            meeting = self._meeting(series, start, held)
            # The last meeting's action items are still open; older ones were done.
            meeting["latest"] = held and following is not None and following > datetime.now(UTC)
            self._agenda(meeting, previous, standing, held)
            previous = meeting
            if not held:
                break

    def _starts(self, cadence: Cadence) -> list[datetime]:
        """Second Tuesday of the month at 10:00 local, every ``cadence``, from the sizes'
        history (two years by default) to the first one still to come."""
        now = datetime.now(UTC).astimezone(self.zone).replace(tzinfo=None)
        first = now.replace(day=1, hour=10, minute=0, second=0, microsecond=0)
        first = add_months_same_weekday(_second_tuesday(first), -self.run.sizes.history_months)
        starts, local = [], first
        while True:
            starts.append(local.replace(tzinfo=self.zone).astimezone(UTC))
            if local > now:
                return starts
            local = add_months_same_weekday(local, cadence.months)

    def _meeting(self, series: int, start: datetime, held: bool) -> dict[str, Any]:
        run = self.run
        local = start.astimezone(self.zone)
        title = f"{self.group.name}: {local:%B %Y}"
        meeting_id = self.t.add(
            run,
            Meeting,
            group_id=self.group.id,
            series_id=series,
            title=title,
            description="Agenda items come from the call for items and the standing items.",
            starts_at=start,
            duration_minutes=120,
            timezone=self.group.timezone,
            video_link=f"https://video.association.example/{self.group.slug}",
            status=MeetingStatus.HELD if held else MeetingStatus.PUBLISHED,
            sequence=1,
        )
        return {"id": meeting_id, "start": start, "title": title, "held": held}

    def _item(self, meeting: dict[str, Any], position: int, **fields: Any) -> int:
        fields.setdefault("mode", ItemMode.DISCUSSION)
        return self.t.add(
            self.run,
            AgendaItem,
            meeting_id=meeting["id"],
            position=position,
            created_at=meeting["start"] - timedelta(days=30),
            **fields,
        )

    def _agenda(self, meeting, previous, standing, held: bool) -> None:
        items = [
            self._item(
                meeting,
                0,
                title=STATEMENTS_TITLE,
                kind=ItemKind.STATEMENTS,
                mode=ItemMode.INFORMATION,
                duration_minutes=STATEMENTS_MINUTES,
                removable=False,
            )
        ]
        if previous is not None:
            items.append(
                self._item(
                    meeting,
                    len(items),
                    title=f"Approval of the minutes of {previous['title']}",
                    kind=ItemKind.MINUTES_APPROVAL,
                    duration_minutes=MINUTES_APPROVAL_MINUTES,
                    previous_meeting_id=previous["id"],
                )
            )
            items.append(
                self._item(
                    meeting,
                    len(items),
                    title="Open action items",
                    kind=ItemKind.ACTION_REVIEW,
                    duration_minutes=ACTION_REVIEW_MINUTES,
                )
            )
        for standing_id, title in standing:
            items.append(
                self._item(
                    meeting,
                    len(items),
                    title=title,
                    kind=ItemKind.STANDING,
                    duration_minutes=20,
                    standing_item_id=standing_id,
                )
            )
        call = self._call(meeting, held)
        for _ in range(self.run.rng.randrange(1, 4)):
            items.extend(self._submission(meeting, call, len(items), accepted=held))
        if held:
            self._records(meeting, items)
        else:
            self._rsvps(meeting)

    def _call(self, meeting: dict[str, Any], held: bool) -> int:
        start = meeting["start"]
        return self.t.add(
            self.run,
            CallForItems,
            meeting_id=meeting["id"],
            opens_at=start - timedelta(days=42),
            deadline=start - timedelta(days=7),
            is_open=not held,
            closed_at=start - timedelta(days=7) if held else None,
        )

    def _submission(self, meeting, call: int, position: int, accepted: bool) -> list[int]:
        run = self.run
        if not self.group.report_ids or not self.people:
            return []
        report = run.pick(self.group.report_ids)
        topic = run.pick(words.SUBMITTED_TOPICS)
        submitter = run.pick(self.people)
        anonymous = run.chance(0.4)
        pseudonym = run.pseudonyms.person(submitter, "meetings:" + self.group.scope)
        item = None
        if accepted:
            item = self._item(
                meeting,
                position,
                title=topic,
                kind=ItemKind.SUBMITTED,
                duration_minutes=15,
                report_id=report,
            )
        day = (meeting["start"] - timedelta(days=20)).date()
        self.t.add(
            run,
            ItemSubmission,
            meeting_id=meeting["id"],
            call_id=call,
            topic=topic,
            details="Members saw this on several accounts since the last meeting.",
            report_id=report,
            anonymous=anonymous,
            submitter_id=None if anonymous else submitter,
            submitter_pseudonym=pseudonym if anonymous else "",
            state=SubmissionState.ACCEPTED if accepted else SubmissionState.PENDING,
            agenda_item_id=item,
            submitted_on=day,
            decided_on=day + timedelta(days=5) if accepted else None,
        )
        return [item] if item is not None else []

    def _records(self, meeting: dict[str, Any], items: list[int]) -> None:
        run, end = self.run, meeting["start"] + timedelta(hours=2)
        minutes = self.t.add(
            run,
            Minutes,
            meeting_id=meeting["id"],
            state=MinutesState.PUBLISHED,
            summary="Members went through the agenda; see each item.",
            review_started_at=end + timedelta(days=2),
            published_at=end + timedelta(days=9),
        )
        for item in items:
            self.t.add(
                run,
                MinutesEntry,
                minutes_id=minutes,
                agenda_item_id=item,
                text="Discussed past experience only.",
                decisions="",
            )
        due = (end + timedelta(days=30)).date()
        self.t.add(
            run,
            ActionItem,
            meeting_id=meeting["id"],
            agenda_item_id=items[-1],
            what="Collect the portal's published limits for the next meeting",
            owner_user_id=self.staff,
            owner_label="" if self.staff else "Facilitator",
            due_on=due,
            status=ActionStatus.OPEN if meeting["latest"] else ActionStatus.DONE,
            completed_on=None if meeting["latest"] else min(due, run.today),
        )
        for person in self.people:
            if run.chance(0.6):
                self.t.add(
                    run,
                    Attendance,
                    meeting_id=meeting["id"],
                    user_id=person,
                    present=True,
                    attendance=AttendanceMode.REMOTE,
                    recorded_by_id=self.staff,
                    recorded_at=end,
                )

    def _rsvps(self, meeting: dict[str, Any]) -> None:
        run = self.run
        for person in self.people:
            if run.chance(0.4):
                answer = run.pick((RsvpAnswer.YES, RsvpAnswer.YES, RsvpAnswer.NO, RsvpAnswer.MAYBE))
                self.t.add(
                    run,
                    Rsvp,
                    meeting_id=meeting["id"],
                    user_id=person,
                    answer=answer,
                    attendance=AttendanceMode.REMOTE if answer is RsvpAnswer.YES else None,
                )


def _second_tuesday(first_of_month: datetime) -> datetime:
    first_tuesday = 1 + (1 - first_of_month.weekday()) % 7
    return first_of_month.replace(day=first_tuesday + 7)

"""Meetings, series, agenda and the call for items, through the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from credgroup.errors import NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.meetings import agenda, calls, meetings, series
from credgroup.meetings.models import (
    AgendaItem,
    Cadence,
    ItemKind,
    ItemSubmission,
    Meeting,
    MeetingStatus,
    SubmissionState,
)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_start_is_stored_in_utc_from_the_local_wall_time(meeting_world):
    w = meeting_world
    meeting = meetings.create_meeting(
        w.fran,
        w.group,
        title="July",
        starts_local=datetime(2031, 7, 10, 10, 0),
        timezone="America/Chicago",
    )
    assert meeting.starts_at == datetime(2031, 7, 10, 15, 0, tzinfo=UTC)  # CDT is UTC-5
    assert meetings.local_start(meeting).hour == 10
    assert meeting.timezone == "America/Chicago"


def test_time_zone_defaults_to_the_groups(meeting_world):
    w = meeting_world
    meeting = meetings.create_meeting(
        w.fran, w.group, title="Default zone", starts_local="2031-01-09T10:00"
    )
    assert meeting.timezone == "America/Chicago"
    assert meeting.starts_at == datetime(2031, 1, 9, 16, 0, tzinfo=UTC)  # CST is UTC-6


def test_series_keeps_local_time_across_the_us_dst_change(meeting_world):
    w = meeting_world
    monthly = series.create_series(
        w.fran, w.group, title="Monthly", cadence="monthly", timezone="America/New_York"
    )
    first = meetings.create_meeting(
        w.fran,
        w.group,
        title="February",
        starts_local=datetime(2031, 2, 13, 10, 0),
        series=monthly,
    )
    meetings.publish_meeting(w.fran, first)
    # 13 Feb 2031 is the second Thursday; DST starts 9 March 2031.
    nxt = series.next_local_start(
        meetings.local_start(first).replace(tzinfo=None), Cadence.MONTHLY, datetime(2031, 1, 1)
    )
    assert nxt == datetime(2031, 3, 13, 10, 0)
    second = meetings.create_meeting(
        w.fran, w.group, title="March", starts_local=nxt, series=monthly
    )
    assert first.starts_at.hour == 15  # EST, UTC-5
    assert second.starts_at.hour == 14  # EDT, UTC-4
    assert meetings.local_start(second).hour == 10


def test_quarterly_cadence_moves_to_the_same_weekday_of_the_month():
    start = datetime(2031, 1, 30, 9, 30)  # fifth Thursday
    assert series.add_months_same_weekday(start, 3) == datetime(2031, 4, 24, 9, 30)  # last Thu
    assert series.add_months_same_weekday(datetime(2031, 11, 11, 9), 2) == datetime(2032, 1, 13, 9)


def test_a_local_time_skipped_by_the_clock_change_is_refused(meeting_world):
    w = meeting_world
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(
            w.fran,
            w.group,
            title="Gap",
            starts_local=datetime(2031, 3, 9, 2, 30),
            timezone="America/New_York",
        )
    assert error.value.field == "starts_at"
    assert "does not exist" in error.value.message


@pytest.mark.parametrize("minutes", [0, -30, "0", "-5", "abc", 10_000])
def test_durations_that_are_not_positive_or_absurd_are_refused(meeting_world, minutes):
    w = meeting_world
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(
            w.fran,
            w.group,
            title="Bad",
            starts_local="2031-05-01T10:00",
            duration_minutes=minutes,
        )
    assert error.value.field == "duration_minutes"
    db.session.rollback()
    assert count(Meeting) == 0


def test_unknown_time_zone_is_refused(meeting_world):
    w = meeting_world
    with pytest.raises(ValidationError) as error:
        meetings.create_meeting(
            w.fran,
            w.group,
            title="Bad",
            starts_local="2031-05-01T10:00",
            timezone="Mars/Olympus_Mons",
        )
    assert error.value.field == "timezone"
    assert "Unknown time zone" in error.value.message


def test_members_cannot_create_meetings_and_outsiders_cannot_see_them(meeting_world):
    w = meeting_world
    with pytest.raises(PermissionDenied):
        meetings.create_meeting(w.alice, w.group, title="x", starts_local="2031-05-01T10:00")
    meeting = w.meeting(publish=False)
    with pytest.raises(NotFound):
        meetings.get_meeting(w.alice, meeting.public_id)  # drafts look missing to members
    meetings.publish_meeting(w.fran, meeting)
    assert meetings.get_meeting(w.alice, meeting.public_id) is meeting
    with pytest.raises(NotFound):
        meetings.get_meeting(w.olga, meeting.public_id)


def test_every_agenda_starts_with_the_statements_which_cannot_be_removed(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    first = agenda.ordered_items(meeting)[0]
    assert first.kind is ItemKind.STATEMENTS and first.removable is False
    with pytest.raises(ValidationError):
        agenda.remove_item(w.fran, first)
    item = agenda.add_item(w.fran, meeting, title="Coupa fees", duration_minutes=20)
    agenda.move_item(w.fran, item, "up")
    agenda.move_item(w.fran, item, "up")
    assert agenda.ordered_items(meeting)[0].kind is ItemKind.STATEMENTS
    assert agenda.ordered_items(meeting)[1] is item


def test_agenda_times_total_and_overrun(meeting_world):
    w = meeting_world
    meeting = w.meeting(duration_minutes=60)
    agenda.add_item(w.fran, meeting, title="Ariba rejections", duration_minutes=30)
    agenda.add_item(w.fran, meeting, title="Round robin", duration_minutes=40)
    rows = agenda.agenda_rows(meeting, w.alice)
    assert [r.starts_at - meeting.starts_at for r in rows] == [
        timedelta(0),
        timedelta(minutes=5),
        timedelta(minutes=35),
    ]
    summary = agenda.agenda_summary(meeting)
    assert (summary.total_minutes, summary.overrun_minutes) == (75, 15)
    assert not any(r.show_notes for r in rows)
    assert all(r.show_notes for r in agenda.agenda_rows(meeting, w.fran))


def test_standing_items_of_the_series_appear_on_each_new_agenda(meeting_world):
    w = meeting_world
    monthly = series.create_series(w.fran, w.group, title="Monthly")
    series.add_standing_item(w.fran, monthly, title="Round robin", duration_minutes=30)
    meeting = w.meeting(series=monthly)
    titles = [i.title for i in agenda.ordered_items(meeting)]
    assert titles[0] == agenda.STATEMENTS_TITLE and "Round robin" in titles


def test_second_meeting_gets_previous_minutes_approval_and_action_review(meeting_world):
    w = meeting_world
    first = w.meeting(starts_in=timedelta(days=-20), title="January")
    second = w.meeting(title="February")
    kinds = {i.kind: i for i in second.items}
    assert kinds[ItemKind.MINUTES_APPROVAL].previous_meeting is first
    assert ItemKind.ACTION_REVIEW in kinds


def test_clone_from_last_copies_settings_one_cadence_later(meeting_world):
    w = meeting_world
    quarterly = series.create_series(w.fran, w.group, title="Quarterly", cadence="quarterly")
    last = w.meeting(series=quarterly, place="Denver")
    agenda.add_item(w.fran, last, title="Guest speaker", duration_minutes=30, notes="Call Jo")
    clone = meetings.clone_from_last(w.fran, w.group, quarterly)
    assert clone.status is MeetingStatus.DRAFT
    assert (clone.place, clone.duration_minutes, clone.timezone) == (
        last.place,
        last.duration_minutes,
        last.timezone,
    )
    zone = ZoneInfo(last.timezone)
    assert clone.starts_at.astimezone(zone).time() == last.starts_at.astimezone(zone).time()
    assert clone.starts_at.astimezone(zone).weekday() == last.starts_at.astimezone(zone).weekday()
    assert 80 <= (clone.starts_at - last.starts_at).days <= 100
    assert "Guest speaker" in [i.title for i in clone.items]


def test_update_bumps_sequence_and_cancelled_meetings_cannot_change(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    before = meeting.sequence
    meetings.update_meeting(w.fran, meeting, place="Online only")
    assert meeting.sequence == before + 1
    meetings.update_meeting(w.fran, meeting, place="Online only")  # no change: no bump
    assert meeting.sequence == before + 1
    meetings.cancel_meeting(w.fran, meeting)
    assert meeting.sequence == before + 2
    with pytest.raises(ValidationError):
        meetings.update_meeting(w.fran, meeting, title="Back on")


def open_call(w, meeting, days=5):
    deadline = (datetime.now(UTC) + timedelta(days=days)).astimezone(ZoneInfo(meeting.timezone))
    return calls.open_call(
        w.fran, meeting, deadline=deadline.replace(tzinfo=None, second=0, microsecond=0)
    )


def test_anonymous_submission_keeps_no_user_and_facilitators_see_no_name(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    open_call(w, meeting)
    submission = calls.submit_item(w.alice, meeting, topic="Tungsten fees", anonymous=True)
    assert submission.submitter_id is None and submission.submitter_pseudonym
    assert calls.submitter_label(submission) == calls.ANONYMOUS_LABEL
    assert calls.own_submissions(w.alice, meeting) == [submission]
    assert calls.own_submissions(w.ned, meeting) == []  # not even her colleague
    with pytest.raises(NotFound):
        calls.get_submission(w.bob, meeting, submission.public_id)
    item = calls.accept_submission(w.fran, submission, duration_minutes=10)
    assert item.kind is ItemKind.SUBMITTED and item.title == "Tungsten fees"
    open_one = calls.submit_item(w.bob, meeting, topic="Coupa PO flip")
    assert calls.submitter_label(open_one) == "Bob Boulder (Granite Ridge Supply)"


def test_submission_after_the_deadline_is_refused(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    call = open_call(w, meeting)
    call.deadline = datetime.now(UTC) - timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        calls.submit_item(w.alice, meeting, topic="Late")
    assert "deadline" in error.value.message
    db.session.rollback()
    assert count(ItemSubmission) == 0


def test_call_deadline_must_be_ahead_and_before_the_meeting(meeting_world):
    w = meeting_world
    meeting = w.meeting(starts_in=timedelta(days=3))
    with pytest.raises(ValidationError):
        open_call(w, meeting, days=10)
    with pytest.raises(ValidationError):
        open_call(w, meeting, days=-1)


def test_deferred_and_unfinished_items_roll_into_the_next_call_once(meeting_world):
    w = meeting_world
    first = w.meeting(starts_in=timedelta(days=10), title="First")
    open_call(w, first)
    deferred = calls.submit_item(w.alice, first, topic="Ariba tiers", anonymous=True)
    calls.defer_submission(w.fran, deferred, note="Next time")
    unfinished = agenda.add_item(w.fran, first, title="Jaggaer onboarding")
    agenda.mark_unfinished(w.fran, unfinished, True)
    second = w.meeting(starts_in=timedelta(days=40), title="Second")
    open_call(w, second, days=20)
    rolled = calls.call_submissions(w.fran, second)
    assert sorted(s.topic for s in rolled) == ["Ariba tiers", "Jaggaer onboarding"]
    anonymous = next(s for s in rolled if s.topic == "Ariba tiers")
    assert anonymous.anonymous and anonymous.submitter_id is None
    assert calls.own_submissions(w.alice, second) == [anonymous]  # still hers to follow
    open_call(w, second, days=21)  # reopening does not roll twice
    assert len(calls.call_submissions(w.fran, second)) == 2
    assert all(s.state is SubmissionState.PENDING for s in rolled)


def test_merge_joins_an_existing_item_and_removing_it_puts_submissions_back(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    open_call(w, meeting)
    item = agenda.add_item(w.fran, meeting, title="Coupa")
    submission = calls.submit_item(w.bob, meeting, topic="Coupa too")
    calls.merge_submission(w.fran, submission, item)
    assert submission.state is SubmissionState.MERGED
    agenda.remove_item(w.fran, item)
    assert submission.state is SubmissionState.PENDING
    assert count(AgendaItem) == len(meeting.items)

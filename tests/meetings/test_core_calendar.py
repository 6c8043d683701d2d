"""The .ics files, read back with an independent parser (icalendar)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from credgroup.extensions import db
from credgroup.meetings import agenda, calendar, meetings, series


def parse(data: bytes) -> icalendar.Calendar:
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, line  # folded
    return icalendar.Calendar.from_ical(data)


def events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


def our_timezone(cal: icalendar.Calendar, tzid: str):
    """The tzinfo described by OUR VTIMEZONE (not the parser's own tz database)."""
    for component in cal.walk("VTIMEZONE"):
        if str(component["TZID"]) == tzid:
            return component.to_tz()
    raise AssertionError(f"no VTIMEZONE for {tzid}")


def test_meeting_ics_has_the_required_properties(meeting_world):
    w = meeting_world
    meeting = w.meeting(title="Spring, with; commas\\ and backslash")
    agenda.add_item(
        w.fran, meeting, title="Ariba rejections", duration_minutes=20, notes="SECRET NOTE for Fran"
    )
    cal = parse(calendar.meeting_ics(meeting))
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"])
    (event,) = events(cal)
    assert str(event["UID"]) == f"meeting-{meeting.public_id}@credgroup"
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert str(event["SUMMARY"]) == "Spring, with; commas\\ and backslash"
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert int(event["SEQUENCE"]) == meeting.sequence
    assert str(event["STATUS"]) == "CONFIRMED"
    description = str(event["DESCRIPTION"])
    assert "Ariba rejections (20 min)" in description
    assert agenda.STATEMENTS_TITLE in description
    assert "SECRET NOTE" not in calendar.meeting_ics(meeting).decode()
    (alarm,) = list(event.walk("VALARM"))
    assert alarm["TRIGGER"].dt == timedelta(minutes=-60)
    assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=meeting.duration_minutes)


def test_uid_is_stable_and_sequence_increases_on_each_change(meeting_world):
    w = meeting_world
    meeting = w.meeting()
    first = events(parse(calendar.meeting_ics(meeting)))[0]
    meetings.update_meeting(w.fran, meeting, starts_local="2031-06-12T13:00")
    second = events(parse(calendar.meeting_ics(meeting)))[0]
    meetings.cancel_meeting(w.fran, meeting, reason="Hotel closed")
    third = events(parse(calendar.meeting_ics(meeting)))[0]
    assert first["UID"] == second["UID"] == third["UID"]
    assert int(first["SEQUENCE"]) < int(second["SEQUENCE"]) < int(third["SEQUENCE"])
    assert str(third["STATUS"]) == "CANCELLED"
    assert not list(third.walk("VALARM"))


@pytest.mark.parametrize(
    "zone, winter_offset, summer_offset",
    [
        ("America/New_York", -5, -4),
        ("America/Chicago", -6, -5),
        ("Europe/Berlin", 1, 2),
        ("Australia/Sydney", 11, 10),  # southern hemisphere: DST in (our) winter
        ("Asia/Tokyo", 9, 9),  # no DST at all
    ],
)
def test_series_across_dst_imports_at_the_right_local_and_utc_times(
    meeting_world, zone, winter_offset, summer_offset
):
    w = meeting_world
    monthly = series.create_series(w.fran, w.group, title="Monthly", timezone=zone)
    made = []
    local = datetime(2031, 2, 13, 10, 0)
    for _ in range(3):  # February, March, April: across the US and EU changes
        meeting = meetings.create_meeting(
            w.fran, w.group, title=f"{local:%B}", starts_local=local, series=monthly
        )
        meetings.publish_meeting(w.fran, meeting)
        made.append(meeting)
        local = series.add_months_same_weekday(local, 1)
    db.session.commit()
    cal = parse(calendar.calendar(made))
    tz = our_timezone(cal, zone)
    starts = [e["DTSTART"].dt for e in events(cal)]
    for dt, meeting in zip(starts, made, strict=True):
        assert (dt.hour, dt.minute) == (10, 0)  # the wall time people expect
        assert dt.astimezone(UTC) == meeting.starts_at  # and the right instant
        # Our own VTIMEZONE says the same as the tz database
        assert dt.replace(tzinfo=tz).utcoffset() == dt.utcoffset()
    offsets = [dt.replace(tzinfo=tz).utcoffset() for dt in starts]
    assert offsets[0] == timedelta(hours=winter_offset)
    assert offsets[2] == timedelta(hours=summer_offset)


def test_long_and_non_ascii_text_is_folded_and_round_trips(meeting_world):
    w = meeting_world
    title = "Réunion trimestrielle — " + "ü" * 80
    meeting = w.meeting(title=title[:200], place="Zürich, Bahnhofstraße 1")
    (event,) = events(parse(calendar.meeting_ics(meeting)))
    assert str(event["SUMMARY"]) == title[:200]
    assert str(event["LOCATION"]).startswith("Zürich, Bahnhofstraße 1")


def test_feed_holds_every_non_draft_meeting_of_the_persons_groups(meeting_world, factory):
    w = meeting_world
    published = w.meeting(title="Published")
    w.meeting(title="Draft", publish=False)
    cancelled = w.meeting(title="Cancelled")
    meetings.cancel_meeting(w.fran, cancelled)
    token, raw = calendar.create_feed_token(w.alice)
    assert calendar.user_for_feed_token(raw) is w.alice
    cal = parse(calendar.feed_ics(w.alice))
    titles = {str(e["SUMMARY"]): str(e["STATUS"]) for e in events(cal)}
    assert titles == {"Published": "CONFIRMED", "Cancelled": "CANCELLED"}
    assert events(parse(calendar.feed_ics(w.olga))) == []
    assert published.public_id in calendar.feed_ics(w.fran).decode()
    calendar.revoke_feed_token(w.alice, token.public_id)
    assert calendar.user_for_feed_token(raw) is None

"""RFC 5545 calendars: one ``.ics`` per meeting and a private subscription feed per person.

Written by hand (no dependency): content lines folded at 75 octets, text escaped, CRLF line
ends. Each event has a stable UID, DTSTAMP, local times with a TZID and a VTIMEZONE built
from the tz database (every transition in the years covered, so calendar programs place
the meeting at the right local time across daylight-saving changes), a SEQUENCE that grows
with every change, STATUS:CANCELLED when cancelled, a reminder alarm, and the agenda in the
description (never the facilitator's notes).

Feed URLs carry a secret token; only its SHA-256 is stored and it can be revoked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for

from credgroup.accounts.tokens import hash_token, new_token
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.meetings.agenda import agenda_rows
from credgroup.meetings.meetings import ends_at
from credgroup.meetings.models import CalendarFeedToken, Meeting, MeetingStatus

PRODID = "-//credgroup//Meetings//EN"
FEED_TOKEN_PREFIX = "cgcal_"  # noqa: S105 - a label, not a secret
MAX_FEED_TOKENS = 5
# A feed shows meetings from this long ago onwards (older ones only weigh the download).
FEED_HISTORY_DAYS = 400
STATUS = {
    MeetingStatus.DRAFT: "TENTATIVE",
    MeetingStatus.PUBLISHED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.CANCELLED: "CANCELLED",
}


# --- content lines ------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = char
            limit = 74  # continuation lines start with a space
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _clean(value: str) -> str:
    """Control characters other than newlines are not allowed in TEXT."""
    return "".join(ch for ch in value if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))


# --- VTIMEZONE ----------------------------------------------------------------------------


def _transitions(
    zone: str, start: datetime, end: datetime
) -> list[tuple[datetime, timedelta, timedelta]]:
    """(UTC instant, offset before, offset after) of every offset change in [start, end)."""
    tz = ZoneInfo(zone)
    found = []
    day = timedelta(days=1)
    at = start
    before = at.astimezone(tz).utcoffset()
    while at < end:
        nxt = at + day
        after = nxt.astimezone(tz).utcoffset()
        if after != before:
            low, high = at, nxt  # bisect to the minute
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(tz).utcoffset() == before:
                    low = mid
                else:
                    high = mid
            found.append((high.replace(second=0, microsecond=0), before, after))
            before = after
        at = nxt
    return found


@lru_cache(maxsize=64)
def vtimezone(zone: str, first_year: int, last_year: int) -> tuple[str, ...]:
    """A VTIMEZONE with every observance of ``zone`` from ``first_year`` to ``last_year``."""
    tz = ZoneInfo(zone)
    start = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}"]
    first = start.astimezone(tz)
    initial = first.utcoffset() or timedelta(0)
    lines += _observance(
        "DAYLIGHT" if first.dst() else "STANDARD",
        first.replace(tzinfo=None),
        initial,
        initial,
        first.tzname() or zone,
    )
    for moment, before, after in _transitions(zone, start, end):
        local_after = moment.astimezone(tz)
        lines += _observance(
            "DAYLIGHT" if local_after.dst() else "STANDARD",
            (moment + before).replace(tzinfo=None),  # local time in the offset it leaves
            before,
            after,
            local_after.tzname() or zone,
        )
    lines.append("END:VTIMEZONE")
    return tuple(lines)


def _observance(
    kind: str, local_start: datetime, before: timedelta, after: timedelta, name: str
) -> list[str]:
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{_local(local_start)}",
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(after)}",
        f"TZNAME:{escape_text(name)}",
        f"END:{kind}",
    ]


# --- events ---------------------------------------------------------------------------------


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's life: calendar programs match updates by it."""
    return f"meeting-{meeting.public_id}@credgroup"


def agenda_text(meeting: Meeting) -> str:
    """The agenda for the event's description: local times, titles, durations. No notes."""
    tz = ZoneInfo(meeting.timezone)
    lines = [f"Agenda ({meeting.timezone}):"]
    for row in agenda_rows(meeting, None):
        lines.append(
            f"{row.number}. {row.starts_at.astimezone(tz):%H:%M} {row.item.title} "
            f"({row.item.duration_minutes} min)"
        )
    if meeting.video_link:
        lines += ["", f"Video: {meeting.video_link}"]
    return "\n".join(lines)


def _event(meeting: Meeting, page_url: str | None) -> list[str]:
    tz = ZoneInfo(meeting.timezone)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{meeting_uid(meeting)}",
        f"DTSTAMP:{_utc(meeting.updated_at)}",
        f"CREATED:{_utc(meeting.created_at)}",
        f"LAST-MODIFIED:{_utc(meeting.updated_at)}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTART;TZID={meeting.timezone}:{_local(meeting.starts_at.astimezone(tz))}",
        f"DTEND;TZID={meeting.timezone}:{_local(ends_at(meeting).astimezone(tz))}",
        f"SUMMARY:{escape_text(_clean(meeting.title))}",
        f"STATUS:{STATUS[meeting.status]}",
        "TRANSP:OPAQUE",
        f"DESCRIPTION:{escape_text(_clean(agenda_text(meeting)))}",
    ]
    location = ", ".join(part for part in (meeting.place, meeting.video_link) if part)
    if location:
        lines.append(f"LOCATION:{escape_text(_clean(location))}")
    if page_url:
        lines.append(f"URL:{page_url}")
    if meeting.status is not MeetingStatus.CANCELLED:
        minutes = int(current_app.config.get("MEETING_ALARM_MINUTES", 60))
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(_clean(meeting.title))}",
            f"TRIGGER:-PT{minutes}M",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def _page_url(meeting: Meeting) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    from flask import has_request_context

    if has_request_context():
        return url_for("meetings.meeting_detail", public_id=meeting.public_id, _external=True)
    return f"{base}/meetings/{meeting.public_id}"


def calendar(meetings: Iterable[Meeting], name: str | None = None) -> bytes:
    """A VCALENDAR with one VEVENT per meeting and the VTIMEZONEs they need."""
    meetings = list(meetings)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(_clean(name))}")
    zones: dict[str, list[int]] = {}
    for meeting in meetings:
        years = zones.setdefault(meeting.timezone, [])
        years += [meeting.starts_at.year, ends_at(meeting).year]
    for zone, years in sorted(zones.items()):
        lines += vtimezone(zone, min(years) - 1, max(years) + 1)
    for meeting in meetings:
        lines += _event(meeting, _page_url(meeting))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def meeting_ics(meeting: Meeting) -> bytes:
    """The ``.ics`` of one meeting."""
    return calendar([meeting])


def ics_filename(meeting: Meeting) -> str:
    return f"meeting-{meeting.public_id}.ics"


# --- private subscription feeds ---------------------------------------------------------------


def feed_meetings(user) -> list[Meeting]:
    """What a person's feed holds: every non-draft meeting of their groups (cancelled ones too,
    so calendars learn of the cancellation), from about a year ago on."""
    group_ids = [g.id for g in visible_groups(user)]
    if not group_ids:
        return []
    since = datetime.now(UTC) - timedelta(days=FEED_HISTORY_DAYS)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.group_id.in_(group_ids),
                Meeting.status != MeetingStatus.DRAFT,
                Meeting.starts_at >= since,
            )
            .order_by(Meeting.starts_at)
        )
    )


def create_feed_token(user) -> tuple[CalendarFeedToken, str]:
    """A new secret feed address for the person; the raw token is shown once."""
    active = active_feed_tokens(user)
    if len(active) >= MAX_FEED_TOKENS:
        raise ValidationError(
            None, f"You have {MAX_FEED_TOKENS} calendar addresses already; revoke one first."
        )
    raw, token_hash = new_token(FEED_TOKEN_PREFIX)
    token = CalendarFeedToken(user_id=user.id, token_hash=token_hash)
    db.session.add(token)
    db.session.flush()
    return token, raw


def active_feed_tokens(user) -> list[CalendarFeedToken]:
    return list(
        db.session.scalars(
            sa.select(CalendarFeedToken)
            .where(CalendarFeedToken.user_id == user.id, CalendarFeedToken.revoked_at.is_(None))
            .order_by(CalendarFeedToken.created_at)
        )
    )


def revoke_feed_token(user, public_id: str) -> None:
    """The address stops working at once."""
    token = (
        db.session.scalar(
            sa.select(CalendarFeedToken).where(
                CalendarFeedToken.public_id == public_id,
                CalendarFeedToken.user_id == user.id,
                CalendarFeedToken.revoked_at.is_(None),
            )
        )
        if isinstance(public_id, str) and len(public_id) <= 64
        else None
    )
    if token is None:
        raise NotFound("No such calendar address.")
    token.revoked_at = datetime.now(UTC)
    db.session.flush()


def user_for_feed_token(raw: str):
    """The active person behind a feed token, or None (unknown, revoked, deactivated)."""
    if not isinstance(raw, str) or not raw.startswith(FEED_TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = db.session.scalar(
        sa.select(CalendarFeedToken).where(CalendarFeedToken.token_hash == hash_token(raw))
    )
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = datetime.now(UTC)
    # Calendar programs poll often: write the last use at most once an hour.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        token.last_used_at = now
    return token.user


def feed_ics(user) -> bytes:
    return calendar(feed_meetings(user), name="credgroup meetings")

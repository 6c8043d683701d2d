"""Input rules for meetings: each cleaner returns the normalised value or raises
ValidationError(field, message) naming the form field at fault."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from credgroup.errors import ValidationError
from credgroup.groups.validation import clean_text, timezone_names
from credgroup.reports.enums import LabelledEnum

TITLE_MAX = 200
PLACE_MAX = 300
URL_MAX = 500
TEXT_MAX = 20_000
NOTE_MAX = 5_000
ACTION_MAX = 500
# A credit group meets for hours, not days; a longer value is a typo (minutes vs hours).
MAX_MEETING_MINUTES = 24 * 60
MAX_ITEM_MINUTES = 8 * 60
# Meetings are planned months ahead, not decades: a year like 20255 is a typo.
MAX_YEARS_AHEAD = 10


def clean_title(value: Any, field: str = "title") -> str:
    return clean_text(field, value, max_length=TITLE_MAX, required=True)


def clean_place(value: Any, field: str = "place") -> str:
    return clean_text(field, value, max_length=PLACE_MAX)


def clean_long_text(value: Any, field: str, max_length: int = TEXT_MAX) -> str:
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
    return clean_text(field, value, max_length=max_length)


def clean_url(value: Any, field: str = "video_link") -> str:
    """An http(s) link or nothing. Other schemes (javascript:, data:) are refused."""
    url = clean_text(field, value, max_length=URL_MAX)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise ValidationError(field, "Enter a full web address starting with https://.")
    return url


def clean_minutes(value: Any, field: str = "duration_minutes", *, maximum: int) -> int:
    """A positive whole number of minutes."""
    if isinstance(value, bool):
        raise ValidationError(field, "Enter the duration in whole minutes.")
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.lstrip("-").isdigit()) or len(value) > 6:
            raise ValidationError(field, "Enter the duration in whole minutes.")
        value = int(value)
    if not isinstance(value, int):
        raise ValidationError(field, "Enter the duration in whole minutes.")
    if value <= 0:
        raise ValidationError(
            field, "The duration must be positive: a meeting cannot end before it starts."
        )
    if value > maximum:
        raise ValidationError(field, f"Use at most {maximum} minutes.")
    return value


def clean_zone(value: Any, field: str = "timezone") -> str:
    name = clean_text(field, value, max_length=64, required=True)
    if name not in timezone_names():
        raise ValidationError(
            field, f"Unknown time zone '{name[:64]}'. Use an IANA name such as America/Chicago."
        )
    return name


def clean_enum(value: Any, enum_cls: type[LabelledEnum], field: str) -> Any:
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        try:
            return enum_cls(value.strip())
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in enum_cls)
    raise ValidationError(field, f"Choose one of: {allowed}.")


def local_to_utc(local: datetime, zone: str, field: str = "starts_at") -> datetime:
    """A wall-clock time in ``zone`` as aware UTC.

    Times that do not exist locally (skipped by a daylight-saving change) are refused rather
    than silently moved; an ambiguous time (repeated in autumn) means its first occurrence.
    """
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    tz = ZoneInfo(zone)
    aware = local.replace(tzinfo=tz, fold=0)
    roundtrip = aware.astimezone(UTC).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != local:
        raise ValidationError(
            field,
            f"{local:%H:%M} does not exist on {local:%d %b %Y} in {zone} "
            "(the clocks change that night). Choose another time.",
        )
    return aware.astimezone(UTC)


def check_plausible(moment: datetime, field: str = "starts_at") -> datetime:
    now = datetime.now(UTC)
    if moment.year < 2000 or moment > now + timedelta(days=366 * MAX_YEARS_AHEAD):
        raise ValidationError(field, "Choose a date within the next ten years.")
    return moment


def parse_local_datetime(value: Any, field: str = "starts_at") -> datetime:
    """``YYYY-MM-DDTHH:MM`` (an HTML datetime-local value) or ISO 8601 with an offset."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        raise ValidationError(field, "Enter a date and time, e.g. 2025-03-12T10:00.")
    text = value.strip().replace(" ", "T", 1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, "Enter a date and time, e.g. 2025-03-12T10:00.") from None
    return parsed.replace(second=0, microsecond=0)


def parse_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > 20:
        raise ValidationError(field, "Enter a date, e.g. 2025-03-12.")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(field, "Enter a date, e.g. 2025-03-12.") from None

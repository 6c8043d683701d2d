"""Input rules for the organisation's services: each cleaner returns the normalised value
or raises ValidationError(field, message) naming the form field at fault."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from credgroup.errors import ValidationError
from credgroup.groups.models import MIN_ANONYMITY_THRESHOLD, CustomerNaming

SLUG_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
SLUG_MIN, SLUG_MAX = 2, 60
NAME_MAX = 200
INDUSTRY_MAX = 200
DESCRIPTION_MAX = 5000
STATEMENT_MAX = 10000
TIMEZONE_MAX = 64
# Above this a group of 10-40 companies would see almost nothing; it is surely a typo.
MAX_ANONYMITY_THRESHOLD = 50
ALIAS_MAX = 200
MAX_ALIASES = 20

# Fields a facilitator may change with update_group (the slug is the group's address: fixed).
STATEMENT_FIELDS = ("antitrust_statement", "antidefamation_statement", "confidentiality_statement")
GROUP_FIELDS = (
    "name",
    "industry",
    "description",
    "timezone",
    "anonymity_threshold",
    "customer_naming",
    *STATEMENT_FIELDS,
)


@lru_cache(maxsize=1)
def timezone_names() -> frozenset[str]:
    """IANA zone names people live in (read once: the tz database does not change while we
    run). Aliases such as "Factory", "localtime" or "Etc/GMT+5" are left out: nobody picks
    them, and the Etc signs are inverted, which would confuse."""
    return frozenset(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    ) | {"UTC"}


def clean_text(field: str, value: Any, *, max_length: int, required: bool = False) -> str:
    """Trimmed text of at most ``max_length`` characters; ``required`` rejects empty text."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, "Enter text.")
    value = value.strip()
    if required and not value:
        raise ValidationError(field, "This field is required.")
    if len(value) > max_length:
        raise ValidationError(field, f"Use at most {max_length} characters.")
    return value


def clean_slug(value: Any) -> str:
    slug = clean_text("slug", value, max_length=SLUG_MAX, required=True)
    if len(slug) < SLUG_MIN or not SLUG_RE.fullmatch(slug):
        raise ValidationError(
            "slug",
            f"Use {SLUG_MIN}-{SLUG_MAX} lowercase letters, digits and hyphens, "
            "starting and ending with a letter or digit.",
        )
    return slug


def clean_timezone(value: Any) -> str:
    name = clean_text("timezone", value, max_length=TIMEZONE_MAX, required=True)
    if name not in timezone_names():
        raise ValidationError("timezone", "Choose a time zone from the list, e.g. America/Chicago.")
    return name


def clean_threshold(value: Any) -> int:
    """A whole number in [MIN_ANONYMITY_THRESHOLD, MAX_ANONYMITY_THRESHOLD]."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,6}", value.strip()):
        value = int(value.strip())
    is_number = isinstance(value, int) and not isinstance(value, bool)
    if is_number and MIN_ANONYMITY_THRESHOLD <= value <= MAX_ANONYMITY_THRESHOLD:
        return value
    raise ValidationError(
        "anonymity_threshold",
        f"Enter a whole number from {MIN_ANONYMITY_THRESHOLD} to {MAX_ANONYMITY_THRESHOLD}: "
        f"with fewer than {MIN_ANONYMITY_THRESHOLD} companies behind a figure, "
        "members could tell who reported it.",
    )


def clean_naming(value: Any) -> CustomerNaming:
    if isinstance(value, CustomerNaming):
        return value
    try:
        return CustomerNaming(value)
    except ValueError:
        choices = ", ".join(n.value for n in CustomerNaming)
        raise ValidationError("customer_naming", f"Choose one of: {choices}.") from None


def clean_aliases(aliases: Any, *, company_name: str = "") -> list[str]:
    """Trimmed, non-empty aliases, distinct ignoring case; a repeat of the name is dropped."""
    if isinstance(aliases, str) or not isinstance(aliases, Iterable):
        raise ValidationError("aliases", "Give the other names as a list.")
    seen = {company_name.casefold()} if company_name else set()
    cleaned: list[str] = []
    for alias in aliases:
        if not isinstance(alias, str):
            raise ValidationError("aliases", "Each other name must be text.")
        alias = alias.strip()
        if not alias or alias.casefold() in seen:
            continue
        if len(alias) > ALIAS_MAX:
            raise ValidationError(
                "aliases", f"Each other name may have at most {ALIAS_MAX} characters."
            )
        seen.add(alias.casefold())
        cleaned.append(alias)
    if len(cleaned) > MAX_ALIASES:
        raise ValidationError("aliases", f"Give at most {MAX_ALIASES} other names.")
    return cleaned


def _statement_cleaner(field: str):
    return lambda value: clean_text(field, value, max_length=STATEMENT_MAX, required=True)


_GROUP_CLEANERS = {
    "name": lambda v: clean_text("name", v, max_length=NAME_MAX, required=True),
    "industry": lambda v: clean_text("industry", v, max_length=INDUSTRY_MAX),
    "description": lambda v: clean_text("description", v, max_length=DESCRIPTION_MAX),
    "timezone": clean_timezone,
    "anonymity_threshold": clean_threshold,
    "customer_naming": clean_naming,
    **{field: _statement_cleaner(field) for field in STATEMENT_FIELDS},
}


def clean_group_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate every given group field; raise on the first bad one (nothing is changed)."""
    unknown = sorted(set(fields) - set(GROUP_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "This setting cannot be changed here.")
    return {name: _GROUP_CLEANERS[name](value) for name, value in fields.items()}


def clean_company(name: Any, aliases: Any, industry: Any) -> tuple[str, list[str], str]:
    """(name, aliases, industry) of a member company, cleaned."""
    name = clean_text("name", name, max_length=NAME_MAX, required=True)
    return (
        name,
        clean_aliases(aliases, company_name=name),
        clean_text("industry", industry, max_length=INDUSTRY_MAX),
    )

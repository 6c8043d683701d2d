"""Validating what a member submits for a report, from a page form or the API alike."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from credgroup.errors import ValidationError
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.reports.anonymise import month_of, today
from credgroup.reports.enums import (
    AmountBand,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    LabelledEnum,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)

LIMITS = {
    "title": 200,
    "buyer_name": 200,
    "buyer_industry": 200,
    "body": 20_000,
    "error_message": 4_000,
    "workaround": 20_000,
}
MIN_TITLE = 5
EARLIEST_INCIDENT = date(2000, 1, 1)
MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")
SCRUBBED_FIELDS = ("title", "body", "error_message", "workaround")


def _text(data: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(name, "Must be text.")
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError(name, "This field is required.")
    if len(value) > LIMITS.get(name, 200):
        raise ValidationError(name, f"At most {LIMITS.get(name, 200):,} characters.")
    return value


def _choice(data: Mapping[str, Any], name: str, enum_cls: type[LabelledEnum], *, required=False):
    value = data.get(name)
    if value in (None, ""):
        if required:
            raise ValidationError(name, "Choose one.")
        return None
    if isinstance(value, enum_cls):
        return value
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_cls)
        raise ValidationError(name, f"Not a valid choice. Use one of: {allowed}.") from None


def parse_month(value: Any, *, field: str = "incident_month") -> date | None:
    """``YYYY-MM`` (or a date) to the first of that month; not in the future."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        month = month_of(value)
    else:
        match = MONTH.match(str(value).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValidationError(field, "Give the month as YYYY-MM, for example 2026-03.")
        month = date(int(match.group(1)), int(match.group(2)), 1)
    if month > month_of(today()) or month < EARLIEST_INCIDENT:
        raise ValidationError(field, "The month must be in the past (and after 1999).")
    return month


def clean_report_fields(group: CreditGroup, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validated report fields (except the portal, which is resolved separately).

    Raises ValidationError naming the first offending field. The group's naming policy
    decides whether a customer's name or industry may be given at all.
    """
    fields: dict[str, Any] = {
        "title": _text(data, "title", required=True),
        "category": _choice(data, "category", ProblemCategory, required=True),
        "body": _text(data, "body"),
        "error_message": _text(data, "error_message"),
        "workaround": _text(data, "workaround"),
        "channel": _choice(data, "channel", SubmissionChannel),
        "invoices_band": _choice(data, "invoices_band", InvoicesBand),
        "amount_band": _choice(data, "amount_band", AmountBand),
        "fee_kind": _choice(data, "fee_kind", FeeKind),
        "fee_size_band": _choice(data, "fee_size_band", FeeSizeBand),
        "incident_month": parse_month(data.get("incident_month")),
        "status": _choice(data, "status", ReportStatus) or ReportStatus.OPEN,
    }
    if len(fields["title"]) < MIN_TITLE:
        raise ValidationError("title", f"Give a title of at least {MIN_TITLE} characters.")
    if fields["category"] is not ProblemCategory.FEES:
        # Fee details only mean something on a fee report; drop them elsewhere.
        fields["fee_kind"] = fields["fee_size_band"] = None
    fields.update(_buyer_fields(group, data))
    return fields


def _buyer_fields(group: CreditGroup, data: Mapping[str, Any]) -> dict[str, str]:
    name, industry = _text(data, "buyer_name"), _text(data, "buyer_industry")
    policy = group.customer_naming
    if policy is CustomerNaming.NOT_NAMED and (name or industry):
        raise ValidationError("buyer_name", "This group does not name customers in reports.")
    if policy is CustomerNaming.INDUSTRY_ONLY and name:
        raise ValidationError(
            "buyer_name", "This group names only the customer's industry, not the customer."
        )
    return {"buyer_name": name, "buyer_industry": industry}

"""The association's retention setting: how many months an inactive report is kept.

The association row holds it (one row per deployment). A deployment that never loaded
demo data may have no row yet: the first save creates it under ``ASSOCIATION_NAME``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app

from credgroup.audit.services import record
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_admin
from credgroup.groups.models import Association

if TYPE_CHECKING:
    from credgroup.accounts.models import User

# A year at least: trend reports compare quarters over a year and more, and members come
# back to a portal's old problems when it reappears. Twenty years at most: beyond that
# "keep for ever" (empty) says what is meant.
MIN_MONTHS = 12
MAX_MONTHS = 240
FIELD = "report_retention_months"


def association() -> Association | None:
    """The deployment's association row, if there is one."""
    return db.session.scalar(sa.select(Association).order_by(Association.id).limit(1))


def retention_months() -> int | None:
    """Months of inactivity after which reports are purged; None keeps them for ever."""
    return db.session.scalar(
        sa.select(Association.report_retention_months).order_by(Association.id).limit(1)
    )


def clean_months(value: Any) -> int | None:
    """None (keep for ever) or a whole number of months within the allowed range."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(FIELD, "Enter a whole number of months, or leave it empty.")
    if not MIN_MONTHS <= value <= MAX_MONTHS:
        raise ValidationError(
            FIELD, f"Choose between {MIN_MONTHS} and {MAX_MONTHS} months, or leave it empty."
        )
    return value


def set_retention(actor: User, months: Any) -> Association:
    """Change how long inactive reports are kept (admins only); audited. The caller commits."""
    require_admin(actor)
    months = clean_months(months)
    row = association()
    if row is None:
        row = Association(name=current_app.config["ASSOCIATION_NAME"])
        db.session.add(row)
    old = row.report_retention_months
    if old == months:
        return row
    row.report_retention_months = months
    db.session.flush()
    record(
        actor,
        "association.retention_changed",
        target_type="association",
        target_label=row.name,
        old_months=old,
        new_months=months,
    )
    return row

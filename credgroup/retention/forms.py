"""The retention setting's form (the service checks the same limits again)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from credgroup.retention.policy import MAX_MONTHS, MIN_MONTHS


class RetentionForm(FlaskForm):
    report_retention_months = IntegerField(
        "Purge reports inactive for (months)",
        validators=[Optional(), NumberRange(min=MIN_MONTHS, max=MAX_MONTHS)],
    )

"""Forms of the trend pages: the period picker (GET) and "freeze this report" (POST)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.widgets import MonthInput

from credgroup.errors import DomainError
from credgroup.reports.forms import apply_domain_error

PERIOD_CHOICES = [
    SelectChoice("quarter", "A quarter"),
    SelectChoice("month", "A month (shown with its quarter)"),
    SelectChoice("custom", "Months from-to"),
]
# The services name the inputs as they appear in the address: ?period=&from=&to=.
FIELD_NAMES = {"from": "start", "to": "end"}


class PeriodForm(FlaskForm):
    """Which period to show. Validation is the service's (``periods.parse_span``)."""

    class Meta:
        csrf = False

    period = SelectField("Period", choices=PERIOD_CHOICES, validate_choice=False)
    start = StringField("From (month)", name="from", widget=MonthInput())
    end = StringField("To (month, for months from-to)", name="to", widget=MonthInput())

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> PeriodForm:
        return cls(formdata=args)


class FreezeForm(FlaskForm):
    """Freeze the report being shown as a snapshot (facilitators)."""

    period = HiddenField()
    start = HiddenField(name="from")
    end = HiddenField(name="to")


class IndexForm(FlaskForm):
    """Months of the friction index."""

    class Meta:
        csrf = False

    start = StringField("From (month)", name="from", widget=MonthInput())
    end = StringField("To (month)", name="to", widget=MonthInput())


def show_error(form: FlaskForm, error: DomainError) -> None:
    apply_domain_error(form, error, FIELD_NAMES)

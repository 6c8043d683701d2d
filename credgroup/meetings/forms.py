"""Forms for the meeting pages. They carry the input and the CSRF token; the services check
the values (so the pages and the API give the same messages). Field names match the
services' argument names, so a ValidationError(field, ...) lands next to its input."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from credgroup.errors import DomainError, ValidationError
from credgroup.groups.forms import choices, timezone_choices
from credgroup.meetings.models import Cadence, ItemMode

LONG = 20_000


def _text(label: str, max_length: int = 500, **kwargs: Any) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=max_length)], **kwargs)


class MeetingForm(FlaskForm):
    title = _text("Title", 200)
    starts_at = StringField(
        "Starts (local time where the group meets)",
        render_kw={"type": "datetime-local"},
        validators=[Optional(), Length(max=40)],
    )
    duration_minutes = StringField(
        "Duration in minutes", render_kw={"inputmode": "numeric"}, validators=[Length(max=10)]
    )
    timezone = SelectField("Time zone", validate_choice=False)
    place = _text("Place", 300)
    video_link = _text("Video link", 500, render_kw={"type": "url"})
    description = TextAreaField("Note for members", validators=[Optional(), Length(max=LONG)])
    series = SelectField("Series", validate_choice=False)

    def __init__(self, *args: Any, series_choices=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
        self.series.choices = choices([("", "No series"), *series_choices])


class CloneForm(FlaskForm):
    series = SelectField("Series", validate_choice=False)

    def __init__(self, *args: Any, series_choices=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.series.choices = choices([("", "The group's last meeting"), *series_choices])


class CancelForm(FlaskForm):
    reason = TextAreaField("Reason (sent to the group)", validators=[Optional(), Length(max=5000)])


class ActionForm(FlaskForm):
    """Buttons that only need the CSRF token."""


class SeriesForm(FlaskForm):
    title = _text("Title", 200)
    cadence = SelectField("How often", choices=choices(Cadence.choices()), validate_choice=False)
    timezone = SelectField("Time zone", validate_choice=False)
    default_place = _text("Usual place", 300)
    default_video_link = _text("Usual video link", 500, render_kw={"type": "url"})
    default_duration_minutes = StringField(
        "Usual duration in minutes",
        validators=[Length(max=10)],
        render_kw={"inputmode": "numeric"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class StandingItemForm(FlaskForm):
    title = _text("Standing item", 200)
    duration_minutes = StringField(
        "Minutes", validators=[Length(max=10)], render_kw={"inputmode": "numeric"}
    )
    mode = SelectField("Kind", choices=choices(ItemMode.choices()), validate_choice=False)


class ItemForm(FlaskForm):
    title = _text("Title", 200)
    duration_minutes = StringField(
        "Minutes", validators=[Length(max=10)], render_kw={"inputmode": "numeric"}
    )
    mode = SelectField("For", choices=choices(ItemMode.choices()), validate_choice=False)
    description = TextAreaField(
        "Description (members see this)", validators=[Optional(), Length(max=LONG)]
    )
    notes = TextAreaField(
        "Facilitator notes (only facilitators see these)", validators=[Optional(), Length(max=LONG)]
    )
    report = _text("Linked report (its id or address)", 300)
    article = _text("Linked article (its id or address)", 300)
    kind = SelectField(
        "Kind of item",
        validate_choice=False,
        choices=choices(
            [
                ("other", "Other"),
                ("trend_report", "Trend report"),
                ("action_review", "Review of open action items"),
            ]
        ),
    )


class CallForm(FlaskForm):
    deadline = StringField(
        "Deadline for items (local time where the group meets)",
        render_kw={"type": "datetime-local"},
        validators=[Optional(), Length(max=40)],
    )


class SubmissionForm(FlaskForm):
    topic = _text("Topic", 200)
    details = TextAreaField("Details", validators=[Optional(), Length(max=5000)])
    report = _text("Linked report (its id or address, optional)", 300)
    article = _text("Linked article (its id or address, optional)", 300)
    mode = RadioField(
        "For", choices=choices(ItemMode.choices()), default="discussion", validate_choice=False
    )
    anonymous = BooleanField("Submit anonymously")


class DecideForm(FlaskForm):
    decision = HiddenField()
    duration_minutes = StringField("Minutes", validators=[Length(max=10)], default="15")
    into = SelectField("Merge into", validate_choice=False)
    note = TextAreaField("Note to the submitter", validators=[Optional(), Length(max=5000)])


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error next to its field, or in the form's error summary."""
    name = error.field if isinstance(error, ValidationError) else None
    aliases = {"starts_local": "starts_at"}
    name = aliases.get(name, name)
    if name and name in form._fields and name != "csrf_token":
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors = [*getattr(form, "form_errors", []), error.message]

"""Forms for the meeting records pages (RSVP, statements, attendance, minutes, review,
action items). They give early feedback; the services check everything again and their
``ValidationError(field, ...)`` lands next to the field of the same name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import DateInput

from credgroup.errors import DomainError, ValidationError
from credgroup.meetings.actions import LABEL_MAX
from credgroup.meetings.inputs import ACTION_MAX, NOTE_MAX, TEXT_MAX
from credgroup.meetings.models import ActionStatus, AgendaItem, AttendanceMode, RsvpAnswer

if TYPE_CHECKING:
    from credgroup.accounts.models import User


def _choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _length(limit: int) -> Length:
    return Length(max=limit, message=f"Use at most {limit:,} characters.")


def _text(value: Any) -> Any:
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class RsvpForm(FlaskForm):
    answer = RadioField(
        "Will you come?",
        choices=_choices(RsvpAnswer.choices()),
        validators=[InputRequired(message="Choose yes, no or maybe.")],
    )
    attendance = RadioField(
        "How will you attend?",
        choices=_choices(AttendanceMode.choices()),
        validators=[Optional()],
    )


class AcknowledgeForm(FlaskForm):
    # The digest of the statements shown: a form opened before they changed is refused.
    digest = HiddenField()


class AttendanceForm(FlaskForm):
    # Choices are the people on the sheet; unknown ids are refused by the service with a
    # clear message rather than by WTForms' generic "not a valid choice".
    present = SelectMultipleField("Present", choices=[], validate_choice=False)


MODE_PREFIX = "mode__"


def attendance_modes(form_data: Any, people: Iterable[User]) -> dict[str, str]:
    """The in person / remote choices posted for each person (``mode__<public id>``)."""
    modes = {}
    for person in people:
        value = form_data.get(MODE_PREFIX + person.public_id)
        if value:
            modes[person.public_id] = value
    return modes


class MinutesFormBase(FlaskForm):
    summary = TextAreaField("Summary", filters=[_text], validators=[Optional(), _length(TEXT_MAX)])


def minutes_form_class(items: Iterable[AgendaItem]) -> type[MinutesFormBase]:
    """A form with text, decisions and "not finished" for each agenda item. Field names
    carry the item's public id (never a row id)."""

    class MinutesForm(MinutesFormBase):
        pass

    for item in items:
        key = item.public_id
        setattr(
            MinutesForm,
            f"text__{key}",
            TextAreaField(
                "What was said", filters=[_text], validators=[Optional(), _length(TEXT_MAX)]
            ),
        )
        setattr(
            MinutesForm,
            f"decisions__{key}",
            TextAreaField("Decisions", filters=[_text], validators=[Optional(), _length(TEXT_MAX)]),
        )
        setattr(
            MinutesForm,
            f"unfinished__{key}",
            BooleanField("Not finished: carry it over to the next meeting's call for items"),
        )
    return MinutesForm


def minutes_entries(form: MinutesFormBase, items: Iterable[AgendaItem]) -> dict[str, Any]:
    return {
        item.public_id: {
            "text": form[f"text__{item.public_id}"].data,
            "decisions": form[f"decisions__{item.public_id}"].data,
            "unfinished": bool(form[f"unfinished__{item.public_id}"].data),
        }
        for item in items
    }


class ReviewForm(FlaskForm):
    approve = BooleanField("I approve these minutes")
    comment = TextAreaField(
        "Comment (what should change)",
        filters=[_text],
        validators=[Optional(), _length(NOTE_MAX)],
    )


class ActionForm(FlaskForm):
    what = StringField(
        "What is to be done",
        filters=[_text],
        validators=[InputRequired(message="Say what is to be done."), _length(ACTION_MAX)],
    )
    owner = SelectField("Who (a person of the group)", choices=[], validate_choice=False)
    owner_label = StringField(
        "…or who, in words", filters=[_text], validators=[Optional(), _length(LABEL_MAX)]
    )
    due_on = StringField("Due date", widget=DateInput(), filters=[_text])
    agenda_item = SelectField("Under agenda item", choices=[], validate_choice=False)
    status = SelectField("Status", choices=_choices(ActionStatus.choices()))

    def set_choices(self, people: Iterable[User], items: Iterable[AgendaItem]) -> None:
        self.owner.choices = [("", "— nobody in particular —")] + [
            (p.public_id, f"{p.name} ({p.company.name if p.company else 'staff'})") for p in people
        ]
        self.agenda_item.choices = [("", "— none —")] + [
            (item.public_id, item.title) for item in items
        ]


class ActionStatusForm(FlaskForm):
    status = HiddenField()


def apply_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error next to its field, or in the form's error summary."""
    name = error.field if isinstance(error, ValidationError) else None
    if name and name in form._fields and name != "csrf_token":
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors = [*getattr(form, "form_errors", []), error.message]

"""Forms for the group pages and the admin area. Field names match the services' argument
names, so a service's ValidationError(field, ...) lands next to the right input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from credgroup.errors import DomainError, ValidationError
from credgroup.groups.models import MIN_ANONYMITY_THRESHOLD, CustomerNaming
from credgroup.groups.validation import (
    ALIAS_MAX,
    DESCRIPTION_MAX,
    INDUSTRY_MAX,
    MAX_ALIASES,
    MAX_ANONYMITY_THRESHOLD,
    NAME_MAX,
    SLUG_MAX,
    STATEMENT_MAX,
    timezone_names,
)

EMAIL_MAX = 254
PERSON_NAME_MAX = 120
NAMING_CHOICES = [SelectChoice(n.value, n.label) for n in CustomerNaming]


def _naming_value(value: Any) -> Any:
    return value.value if isinstance(value, CustomerNaming) else value


def timezone_choices() -> list[SelectChoice]:
    return [SelectChoice(name, name.replace("_", " ")) for name in sorted(timezone_names())]


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class _GroupFields(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX)])
    industry = StringField("Industry", validators=[Optional(), Length(max=INDUSTRY_MAX)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION_MAX)])
    timezone = SelectField("Meeting time zone", validators=[DataRequired()])
    anonymity_threshold = IntegerField(
        "Anonymity threshold",
        validators=[
            InputRequired(),
            NumberRange(min=MIN_ANONYMITY_THRESHOLD, max=MAX_ANONYMITY_THRESHOLD),
        ],
    )
    customer_naming = SelectField(
        "Naming customers in reports", choices=NAMING_CHOICES, coerce=_naming_value
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()

    def group_fields(self) -> dict[str, Any]:
        """The submitted values, keyed as update_group/create_group expect them."""
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}


class GroupCreateForm(_GroupFields):
    slug = StringField(
        "Address (slug)",
        validators=[DataRequired(), Length(min=2, max=SLUG_MAX)],
    )


class GroupSettingsForm(_GroupFields):
    antitrust_statement = TextAreaField(
        "Antitrust statement", validators=[DataRequired(), Length(max=STATEMENT_MAX)]
    )
    antidefamation_statement = TextAreaField(
        "Anti-defamation statement", validators=[DataRequired(), Length(max=STATEMENT_MAX)]
    )
    confidentiality_statement = TextAreaField(
        "Confidentiality statement", validators=[DataRequired(), Length(max=STATEMENT_MAX)]
    )


class CompanyForm(FlaskForm):
    name = StringField("Company name", validators=[DataRequired(), Length(max=NAME_MAX)])
    aliases = TextAreaField(
        "Other names",
        # Room for MAX_ALIASES full-length names and their line breaks; the service
        # enforces the exact limits.
        validators=[Optional(), Length(max=MAX_ALIASES * (ALIAS_MAX + 2))],
    )
    industry = StringField("Industry", validators=[Optional(), Length(max=INDUSTRY_MAX)])

    def alias_list(self) -> list[str]:
        return (self.aliases.data or "").splitlines()

    def company_fields(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "aliases": self.alias_list(),
            "industry": self.industry.data or "",
        }


class ChooseCompanyForm(FlaskForm):
    company = SelectField("Company", coerce=int, validators=[DataRequired()])


class ChooseGroupForm(FlaskForm):
    group = SelectField("Group", validators=[DataRequired()])


class InviteMemberForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=EMAIL_MAX)])
    name = StringField("Name", validators=[DataRequired(), Length(max=PERSON_NAME_MAX)])
    company = SelectField("Company", coerce=int, validators=[DataRequired()])


class InviteStaffForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=EMAIL_MAX)])
    name = StringField("Name", validators=[DataRequired(), Length(max=PERSON_NAME_MAX)])
    role = SelectField(
        "Role",
        choices=[
            SelectChoice("facilitator", "Facilitator"),
            SelectChoice("admin", "Administrator"),
        ],
        validators=[DataRequired()],
    )
    group = SelectField("First group to facilitate", validators=[Optional()])


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error next to its field, or in the form's error summary."""
    field = getattr(form, error.field, None) if isinstance(error, ValidationError) else None
    if field is not None and error.field in form._fields:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors = [*getattr(form, "form_errors", []), error.message]

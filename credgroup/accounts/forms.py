"""Forms for sign-in, invitations, password reset, profile and API tokens.

Length limits match the columns (see ``services``), so over-long input gets a clear
message instead of a database error. Services re-check everything; forms only give early,
field-level feedback.
"""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from credgroup.accounts.rules import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, TOKEN_NAME_MAX
from credgroup.groups.forms import timezone_choices

DIGEST_CHOICES = [
    SelectChoice("immediate", "As soon as something happens"),
    SelectChoice("daily", "Once a day"),
    SelectChoice("weekly", "Once a week"),
    SelectChoice("off", "Never"),
]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address."),
            Length(max=EMAIL_MAX, message=f"An email address has at most {EMAIL_MAX} characters."),
        ],
    )


def _password_field(label: str, message: str = "Enter your password.") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message),
            Length(max=PASSWORD_MAX, message=f"A password has at most {PASSWORD_MAX} characters."),
        ],
    )


def _name_field() -> StringField:
    return StringField(
        "Your name",
        validators=[
            DataRequired("Enter your name."),
            Length(max=NAME_MAX, message=f"A name has at most {NAME_MAX} characters."),
        ],
    )


class MinPasswordLength:
    """Minimum length from PASSWORD_MIN_LENGTH, read at validation time (tests change it)."""

    def __call__(self, form: FlaskForm, field: PasswordField) -> None:
        minimum = current_app.config["PASSWORD_MIN_LENGTH"]
        if len(field.data or "") < minimum:
            raise ValidationError(f"Choose a password of at least {minimum} characters.")


def _new_password_field() -> PasswordField:
    return PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a password."),
            MinPasswordLength(),
            Length(max=PASSWORD_MAX, message=f"A password has at most {PASSWORD_MAX} characters."),
        ],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        "Type the new password again",
        validators=[
            DataRequired("Type the new password again."),
            EqualTo("password", message="The two passwords do not match."),
        ],
    )


class LoginForm(FlaskForm):
    email = _email_field()
    password = _password_field("Password")
    remember = BooleanField("Keep me signed in on this computer for two weeks")
    next = HiddenField()


class InvitationAcceptForm(FlaskForm):
    name = _name_field()
    password = _new_password_field()
    confirm = _confirm_field()


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field()
    confirm = _confirm_field()


class ProfileForm(FlaskForm):
    name = _name_field()
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address."),
            Email("That is not a valid email address."),
            Length(max=EMAIL_MAX, message=f"An email address has at most {EMAIL_MAX} characters."),
        ],
    )
    current_password = PasswordField(
        "Current password (only to change your email address)",
        validators=[Optional(), Length(max=PASSWORD_MAX)],
    )
    timezone = SelectField("Time zone", choices=[], validate_choice=True)
    meeting_reminders = BooleanField("Email me a reminder before my group's meetings")
    digest = SelectField("Email me about new reports and articles", choices=DIGEST_CHOICES)
    trends_digest = BooleanField("Email me the weekly trends of my groups")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()


class ChangePasswordForm(FlaskForm):
    current_password = _password_field("Current password", "Enter your current password.")
    password = _new_password_field()
    confirm = _confirm_field()


class ApiTokenForm(FlaskForm):
    name = StringField(
        "What the token is for",
        validators=[
            DataRequired("Give the token a name, such as the tool that will use it."),
            Length(
                max=TOKEN_NAME_MAX, message=f"A token name has at most {TOKEN_NAME_MAX} characters."
            ),
        ],
    )

"""Forms for the member-facing report pages.

Field names match what the services take (``clean_report_fields``, ``post_comment``...), so a
service's ValidationError(field, ...) lands next to the right input. The forms give early,
field-level feedback; the services re-check everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import MonthInput, SearchInput

from credgroup.errors import DomainError, ValidationError
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.portals.models import Portal
from credgroup.portals.services import MAX_NAME as PORTAL_NAME_MAX
from credgroup.reports.discussion import MAX_COMMENT, MAX_QUESTION
from credgroup.reports.enums import (
    AmountBand,
    ConfirmationKind,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    LabelledEnum,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)
from credgroup.reports.inputs import LIMITS, MIN_TITLE, SCRUBBED_FIELDS
from credgroup.reports.models import Report
from credgroup.reports.queries import SORTS

REDACT_PREFIX = "redact_"
TEXT_CHANGED = (
    "The text changed after the preview, so what to redact was checked again. "
    "Look at it below, then publish."
)


def clean_text(value: Any) -> Any:
    """Strip and use Unix line ends, exactly as the services do, so the preview's redaction
    keys (which are character offsets) match the text that is finally published."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def enum_choices(enum_cls: type[LabelledEnum], blank: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice(key, label) for key, label in enum_cls.choices()]
    return [SelectChoice("", blank), *options] if blank is not None else options


def _length(name: str, limit: int | None = None) -> Length:
    limit = limit or LIMITS[name]
    return Length(max=limit, message=f"At most {limit:,} characters.")


def _text_area(label: str, name: str) -> TextAreaField:
    return TextAreaField(label, filters=[clean_text], validators=[Optional(), _length(name)])


def _optional_choice(label: str, enum_cls: type[LabelledEnum], blank: str) -> SelectField:
    return SelectField(label, choices=enum_choices(enum_cls, blank), validators=[Optional()])


class ReportForm(FlaskForm):
    """Writing or editing a report. Customer fields are removed when the group's naming
    policy does not allow them (see ``for_group``)."""

    portal = SelectField("Portal", validators=[Optional()])
    portal_other = StringField(
        "Or the name of a portal that is not in the list",
        filters=[clean_text],
        validators=[Optional(), _length("portal", PORTAL_NAME_MAX)],
    )
    buyer_name = StringField(
        "Customer (the buyer)", filters=[clean_text], validators=[Optional(), _length("buyer_name")]
    )
    buyer_industry = StringField(
        "Customer's industry",
        filters=[clean_text],
        validators=[Optional(), _length("buyer_industry")],
    )
    category = SelectField(
        "What kind of problem",
        choices=enum_choices(ProblemCategory, "Choose a category"),
        validators=[InputRequired("Choose a category.")],
    )
    title = StringField(
        "Title",
        filters=[clean_text],
        validators=[
            DataRequired("Give the report a title."),
            Length(
                min=MIN_TITLE,
                max=LIMITS["title"],
                message=f"A title has {MIN_TITLE} to {LIMITS['title']} characters.",
            ),
        ],
    )
    body = _text_area("What happened", "body")
    error_message = _text_area("The portal's error message, word for word", "error_message")
    channel = _optional_choice("How you sent the invoices", SubmissionChannel, "Not said")
    invoices_band = _optional_choice("Invoices affected", InvoicesBand, "Not said")
    amount_band = _optional_choice("Amount affected", AmountBand, "Not said")
    fee_kind = _optional_choice("Kind of fee", FeeKind, "Not a fee report")
    fee_size_band = _optional_choice("Size of the fee", FeeSizeBand, "Not a fee report")
    incident_month = StringField(
        "Month it happened", filters=[clean_text], widget=MonthInput(), validators=[Optional()]
    )
    status = SelectField("Status", choices=enum_choices(ReportStatus), default="open")
    workaround = _text_area("The workaround that worked, if any", "workaround")
    send_to_review = BooleanField("Send to the facilitator for review")

    @classmethod
    def for_group(
        cls, group: CreditGroup, portals: Iterable[Portal], *, report: Report | None = None
    ) -> ReportForm:
        """The form as this group's naming policy allows, filled from ``report`` on a GET."""
        form = cls(data=_report_values(report, portals) if report is not None else None)
        form.portal.choices = [
            SelectChoice("", "Not in the list (type its name below)"),
            *(SelectChoice(p.slug, p.name) for p in portals),
        ]
        if group.customer_naming is not CustomerNaming.NAMED:
            del form.buyer_name
        if group.customer_naming is CustomerNaming.NOT_NAMED:
            del form.buyer_industry
        return form

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        chosen, typed = self.portal.data, self.portal_other.data
        if not chosen and not typed:
            self.portal.errors = [*self.portal.errors, "Choose the portal, or type its name."]
            return False
        if chosen and typed:
            self.portal_other.errors = [
                *self.portal_other.errors,
                "Choose a portal from the list or type one that is not listed, not both.",
            ]
            return False
        return ok

    def report_data(self) -> dict[str, Any]:
        """The submitted report, keyed as the authoring services expect it."""
        names = [n for n in self._fields if n not in ("csrf_token", "portal_other", "portal")]
        data = {name: self[name].data or "" for name in names if name != "send_to_review"}
        data["portal"] = self.portal_other.data or self.portal.data or ""
        return data

    def texts(self) -> dict[str, str]:
        """The free-text fields the scrubber and the antitrust check look at."""
        return {name: self[name].data or "" for name in SCRUBBED_FIELDS}


def _report_values(report: Report, portals: Iterable[Portal]) -> dict[str, Any]:
    listed = {p.id for p in portals}
    in_list = report.portal_id in listed
    values: dict[str, Any] = {
        "portal": report.portal.slug if in_list else "",
        "portal_other": "" if in_list else report.portal.name,
        "buyer_name": report.buyer_name,
        "buyer_industry": report.buyer_industry,
        "incident_month": report.incident_month.strftime("%Y-%m") if report.incident_month else "",
    }
    for name in ("title", "body", "error_message", "workaround"):
        values[name] = getattr(report, name)
    for name in ("category", "channel", "invoices_band", "amount_band", "fee_kind"):
        values[name] = _key(getattr(report, name))
    values["fee_size_band"] = _key(report.fee_size_band)
    values["status"] = _key(report.status)
    return values


def _key(member: LabelledEnum | None) -> str:
    return member.value if member is not None else ""


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Your comment",
        filters=[clean_text],
        validators=[
            DataRequired("Write something first."),
            Length(max=MAX_COMMENT, message=f"At most {MAX_COMMENT:,} characters."),
        ],
    )
    send_to_review = BooleanField("Send to the facilitator for review")


class QuestionForm(FlaskForm):
    question = TextAreaField(
        "Your question to the reporter",
        filters=[clean_text],
        validators=[
            DataRequired("Write your question first."),
            Length(max=MAX_QUESTION, message=f"At most {MAX_QUESTION:,} characters."),
        ],
    )


class AnswerForm(FlaskForm):
    """Answering one question; prefixed with the question's id so several can share a page."""

    answer = TextAreaField(
        "Your answer",
        filters=[clean_text],
        validators=[
            DataRequired("Write your answer first."),
            Length(max=MAX_QUESTION, message=f"At most {MAX_QUESTION:,} characters."),
        ],
    )
    share_with_group = BooleanField("Share the answer with the group")


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=enum_choices(ReportStatus))


class ConfirmForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])

    def confirmation_kind(self) -> ConfirmationKind:
        try:
            return ConfirmationKind(self.kind.data)
        except ValueError:
            raise ValidationError("kind", "Unknown kind of confirmation.") from None


class ReportFilterForm(FlaskForm):
    """The list's filters, read from the query string. Only for showing the inputs again;
    ``queries.ReportFilters.from_args`` does the validating."""

    class Meta:
        csrf = False

    q = StringField("Words in the report", widget=SearchInput())
    portal = SelectField("Portal", validate_choice=False)
    category = SelectField("Category", choices=enum_choices(ProblemCategory, "Any category"))
    status = SelectField("Status", choices=enum_choices(ReportStatus, "Any status"))
    buyer = StringField("Customer or industry")
    since = StringField("Incident from (month)", widget=MonthInput())
    until = StringField("Incident until (month)", widget=MonthInput())
    sort = SelectField("Sort by", choices=[SelectChoice(k, v) for k, v in SORTS.items()])

    @classmethod
    def for_group(
        cls, group: CreditGroup, portals: Iterable[Portal], args: Mapping[str, Any]
    ) -> ReportFilterForm:
        form = cls(formdata=args)
        options = [SelectChoice("", "Any portal"), *(SelectChoice(p.slug, p.name) for p in portals)]
        if form.portal.data and form.portal.data not in {o.value for o in options}:
            options.append(SelectChoice(form.portal.data, form.portal.data))
        form.portal.choices = options
        if group.customer_naming is CustomerNaming.NOT_NAMED:
            del form.buyer
        return form


@dataclass
class RedactionChoice:
    """What the author decided on the preview step.

    ``offered`` are the redaction keys the preview showed (hidden inputs), ``checked`` the
    ones still ticked. An author who never previewed gets everything found redacted.
    """

    previewed: bool
    offered: list[str]
    checked: list[str]

    @classmethod
    def from_form(cls, form: Mapping[str, Any]) -> RedactionChoice:
        getlist = getattr(form, "getlist", lambda name: [])
        offered = [key for key in getlist("offered") if isinstance(key, str)]
        checked = [key for key in offered if form.get(REDACT_PREFIX + key)]
        return cls(previewed=form.get("previewed") == "1", offered=offered, checked=checked)

    def redact_keys(self) -> list[str] | None:
        return self.checked if self.previewed else None

    def still_matches(self, found_keys: Iterable[str]) -> bool:
        """False when the text changed after the preview so that the findings moved: the
        author must look at them again rather than publish something they did not see."""
        return not self.previewed or set(found_keys) == set(self.offered)


def apply_domain_error(
    form: FlaskForm, error: DomainError, rename: Mapping[str, str] | None = None
) -> None:
    """Show a service's error next to its field (``rename`` maps the service's field names
    to the form's), or in the form's error summary."""
    name = error.field if isinstance(error, ValidationError) else None
    name = (rename or {}).get(name or "", name)
    if name == "portal" and "portal_other" in form and form.portal_other.data:
        name = "portal_other"
    if name and name in form._fields and name != "csrf_token":
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors = [*getattr(form, "form_errors", []), error.message]

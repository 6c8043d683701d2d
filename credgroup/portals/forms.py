"""Forms for the admins' portal catalogue pages. Field names match save_portal's and
merge_portal's arguments, so a service's ValidationError lands next to the right input."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from credgroup.errors import DomainError, ValidationError
from credgroup.portals.services import MAX_ALIASES, MAX_NAME

WEBSITE_MAX = 300
TEXT_MAX = 20_000


class UniqueIdsForm(FlaskForm):
    """A form that appears many times on one page (once per row or item). Give each instance
    ``meta={"id_prefix": ...}``: its inputs get unique ids, so every label points at its own
    input, while the names stay plain and each form posts what its view expects."""

    class Meta:
        id_prefix = ""

        def bind_field(self, form, unbound_field, options):
            if self.id_prefix:
                options = {**options, "id": f"{self.id_prefix}-{options['name']}"}
            return super().bind_field(form, unbound_field, options)


class PortalForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=MAX_NAME)])
    vendor = StringField("Vendor", validators=[Optional(), Length(max=MAX_NAME)])
    aliases = TextAreaField(
        "Other names (aliases)",
        description=f"One per line, at most {MAX_ALIASES}: the names members might type.",
        validators=[Optional(), Length(max=MAX_ALIASES * (MAX_NAME + 2))],
    )
    website = StringField("Website", validators=[Optional(), Length(max=WEBSITE_MAX)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=TEXT_MAX)])
    fees_summary = TextAreaField(
        "What suppliers are charged",
        description="Markdown. Say where the figures come from.",
        validators=[Optional(), Length(max=TEXT_MAX)],
    )
    listed = BooleanField("Listed in the catalogue (members can pick it)", default=True)

    def portal_fields(self) -> dict[str, Any]:
        """The submitted values, keyed as save_portal expects them."""
        return {
            "name": self.name.data or "",
            "vendor": self.vendor.data or "",
            "aliases": (self.aliases.data or "").splitlines(),
            "website": (self.website.data or "").strip(),
            "description": (self.description.data or "").replace("\r\n", "\n").strip(),
            "fees_summary": (self.fees_summary.data or "").replace("\r\n", "\n").strip(),
            "listed": bool(self.listed.data),
        }

    @classmethod
    def for_portal(cls, portal) -> PortalForm:
        """A form showing a portal as it is (aliases one per line)."""
        return cls(
            data={
                "name": portal.name,
                "vendor": portal.vendor,
                "aliases": "\n".join(portal.aliases),
                "website": portal.website,
                "description": portal.description,
                "fees_summary": portal.fees_summary,
                "listed": portal.listed,
            }
        )


class MergePortalForm(UniqueIdsForm):
    target = SelectField("Merge into", validators=[DataRequired()])


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error next to its field, or in the form's error summary."""
    name = error.field if isinstance(error, ValidationError) else None
    if name and name in form._fields:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors = [*form.form_errors, error.message]

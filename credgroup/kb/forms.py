"""Forms of the knowledge-base pages.

Field names match what the services take (``clean_article_fields``), so a service's
ValidationError(field, ...) lands next to the right input. The forms give early, field-level
feedback; the services check everything again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from credgroup.errors import DomainError, ValidationError
from credgroup.groups.models import CreditGroup
from credgroup.kb.inputs import LIMITS, MIN_TITLE
from credgroup.kb.models import Article, FreshnessKind
from credgroup.kb.queries import STATES
from credgroup.portals.models import Portal
from credgroup.reports.enums import ProblemCategory, SubmissionChannel

ASSOCIATION_CHOICE = ""
CONTENT_NAMES = ("title", "problem", "workaround", "error_text", "categories", "channels", "tags")


def _choices(pairs: Iterable[tuple[str, str]], blank: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice(key, label) for key, label in pairs]
    return [SelectChoice("", blank), *options] if blank is not None else options


def clean_text(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def _length(name: str) -> Length:
    return Length(max=LIMITS[name], message=f"At most {LIMITS[name]:,} characters.")


def _text_area(label: str, name: str) -> TextAreaField:
    return TextAreaField(label, filters=[clean_text], validators=[Optional(), _length(name)])


class ArticleContentForm(FlaskForm):
    """The article's content: what a revision holds and a suggestion may change."""

    title = StringField(
        "Title",
        filters=[clean_text],
        validators=[
            DataRequired("Give the article a title."),
            Length(
                min=MIN_TITLE,
                max=LIMITS["title"],
                message=f"A title has {MIN_TITLE} to {LIMITS['title']} characters.",
            ),
        ],
    )
    problem = _text_area("The problem, as members meet it", "problem")
    error_text = _text_area("The portal's error text, word for word", "error_text")
    workaround = _text_area("The workaround, step by step", "workaround")
    categories = SelectMultipleField("Categories", choices=_choices(ProblemCategory.choices()))
    channels = SelectMultipleField(
        "Submission channels it applies to", choices=_choices(SubmissionChannel.choices())
    )
    tags = StringField("Tags", filters=[clean_text], validators=[Optional(), Length(max=1_000)])
    summary = StringField(
        "What you changed (edit summary)",
        filters=[clean_text],
        validators=[Optional(), _length("summary")],
    )
    version = HiddenField()

    def content(self) -> dict[str, Any]:
        """The content as the services take it (tags stay a comma-separated string)."""
        lists = ("categories", "channels")
        return {name: self[name].data or ([] if name in lists else "") for name in CONTENT_NAMES}


class ArticleForm(ArticleContentForm):
    """Writing or editing an article."""

    scope = SelectField("Who can read it", validate_choice=True)
    portal = SelectField("Portal")
    buyer_name = StringField(
        "Buyer (only if it is about one customer's set-up)",
        filters=[clean_text],
        validators=[Optional(), _length("buyer_name")],
    )
    anonymous = BooleanField("Publish as “A member”, without my name", default=True)

    @classmethod
    def build(
        cls,
        *,
        groups: Iterable[CreditGroup],
        portals: Iterable[Portal],
        member: bool,
        creating: bool,
        values: Mapping[str, Any] | None = None,
    ) -> ArticleForm:
        """The form for this person: the request's input on a POST, else ``values``."""
        form = cls(formdata=None, data=form_values(values)) if values is not None else cls()
        form.scope.choices = [
            SelectChoice(ASSOCIATION_CHOICE, "Everyone in the association"),
            *(SelectChoice(g.slug, f"Only {g.name}") for g in groups),
        ]
        form.portal.choices = [
            SelectChoice("", "Not about one portal"),
            *(SelectChoice(p.slug, p.name) for p in portals),
        ]
        if not (member and creating):
            del form.anonymous
        if creating:
            del form.summary
        return form

    def article_data(self) -> dict[str, Any]:
        data = self.content()
        data["portal"] = self.portal.data or ""
        data["buyer_name"] = self.buyer_name.data or ""
        return data


def form_values(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Values for a form's ``data``: tags as the comma-separated text people type."""
    values = dict(values or {})
    if isinstance(values.get("tags"), list | tuple):
        values["tags"] = ", ".join(values["tags"])
    return values


def article_values(article: Article) -> dict[str, Any]:
    """An article's current values, keyed like ArticleForm."""
    return {
        "title": article.title,
        "problem": article.problem,
        "workaround": article.workaround,
        "error_text": article.error_text,
        "categories": list(article.categories or []),
        "channels": list(article.channels or []),
        "tags": list(article.tags or []),
        "scope": article.group.slug if article.group else ASSOCIATION_CHOICE,
        "portal": article.portal.slug if article.portal else "",
        "buyer_name": article.buyer_name,
        "version": str(article.version),
    }


class SuggestForm(ArticleContentForm):
    summary = StringField(
        "Why (the editor reads this)",
        filters=[clean_text],
        validators=[DataRequired("Say briefly what you changed and why."), _length("summary")],
    )


class ConfirmForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])

    def freshness_kind(self) -> FreshnessKind:
        try:
            return FreshnessKind(self.kind.data)
        except ValueError:
            raise ValidationError("kind", "Unknown kind of confirmation.") from None


class DecisionForm(FlaskForm):
    note = TextAreaField(
        "Note to the member who suggested it",
        filters=[clean_text],
        validators=[Optional(), _length("note")],
    )


class LinkForm(FlaskForm):
    report = StringField(
        "Report id or address",
        filters=[clean_text],
        validators=[InputRequired("Give the report's id."), Length(max=300)],
    )


class ArticleLinkForm(FlaskForm):
    article = StringField(
        "Article id or address",
        filters=[clean_text],
        validators=[InputRequired("Give the article's id."), Length(max=300)],
    )


class VersionForm(FlaskForm):
    """A button that acts on a version the person saw (restoring a revision)."""

    version = HiddenField(validators=[DataRequired()])


class ArticleFilterForm(FlaskForm):
    """The list's filters, read from the query string (only for showing them again)."""

    class Meta:
        csrf = False

    portal = SelectField("Portal", validate_choice=False)
    category = SelectField("Category", choices=_choices(ProblemCategory.choices(), "Any category"))
    channel = SelectField("Channel", choices=_choices(SubmissionChannel.choices(), "Any channel"))
    tag = SelectField("Tag", validate_choice=False)
    scope = SelectField("Scope", validate_choice=False)
    state = SelectField("Show", choices=_choices(STATES.items()))

    @classmethod
    def build(
        cls,
        args: Mapping[str, Any],
        *,
        portals: Iterable[Portal],
        groups: Iterable[CreditGroup],
        tags: Iterable[str],
    ) -> ArticleFilterForm:
        form = cls(formdata=args)
        form.portal.choices = _choices(((p.slug, p.name) for p in portals), "Any portal")
        form.scope.choices = _choices(
            [("association", "Association-wide"), *((g.slug, g.name) for g in groups)],
            "All I can read",
        )
        form.tag.choices = _choices(((t, t) for t in tags), "Any tag")
        return form


def apply_domain_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error next to its field, or in the form's error summary."""
    name = error.field if isinstance(error, ValidationError) else None
    if name == "group":
        name = "scope"
    if name and name in form._fields and name not in ("csrf_token", "version"):
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors = [*getattr(form, "form_errors", []), error.message]

"""Forms of the facilitator's review pages. Several items share one page, so each form gets
an ``id_prefix`` (unique input ids) while field names stay those the review services use."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from credgroup.portals.forms import UniqueIdsForm
from credgroup.reports.discussion import MAX_COMMENT
from credgroup.reports.inputs import LIMITS, MIN_TITLE, SCRUBBED_FIELDS
from credgroup.reports.review import MAX_NOTE

NOTE_HINT = (
    "The author reads this on their own reports page. Nobody learns who wrote the report, "
    "you included."
)


class _ReportTextForm(UniqueIdsForm):
    """The four texts of a report, editable so the facilitator can reword or redact."""

    title = StringField(
        "Title", validators=[InputRequired(), Length(min=MIN_TITLE, max=LIMITS["title"])]
    )
    body = TextAreaField(
        "What happened (Markdown)", validators=[Optional(), Length(max=LIMITS["body"])]
    )
    error_message = TextAreaField(
        "The portal's error message", validators=[Optional(), Length(max=LIMITS["error_message"])]
    )
    workaround = TextAreaField(
        "Workaround (Markdown)", validators=[Optional(), Length(max=LIMITS["workaround"])]
    )
    note = TextAreaField(
        "Note to the author (optional)", validators=[Optional(), Length(max=MAX_NOTE)]
    )

    def edits(self) -> dict[str, str]:
        """The texts as submitted; the service keeps only what actually changed."""
        return {name: self[name].data or "" for name in SCRUBBED_FIELDS}

    @classmethod
    def for_report(cls, report, **kwargs: Any):
        return cls(formdata=None, data={n: getattr(report, n) for n in SCRUBBED_FIELDS}, **kwargs)


class ApproveReportForm(_ReportTextForm):
    pass


class ModerateReportForm(_ReportTextForm):
    pass


class RejectForm(UniqueIdsForm):
    note = TextAreaField(
        "Why it cannot be published (to the author)",
        validators=[
            DataRequired("Tell the author why, so they can reword it."),
            Length(max=MAX_NOTE),
        ],
    )


class TakeDownForm(UniqueIdsForm):
    note = TextAreaField(
        "Why it is taken down (to the author)",
        validators=[
            DataRequired("Tell the author why, so they can reword it."),
            Length(max=MAX_NOTE),
        ],
    )


class ApproveCommentForm(UniqueIdsForm):
    body = TextAreaField(
        "Comment (Markdown)",
        validators=[DataRequired("A comment cannot be empty."), Length(max=MAX_COMMENT)],
    )


class MergeReportForm(UniqueIdsForm):
    target = SelectField(
        "Merge this report into", validators=[DataRequired("Choose the report it repeats.")]
    )

"""JSON Schemas and examples of the report endpoints (portals, reports, discussion, review).

Merged into ``SCHEMAS`` by ``credgroup/api/schemas.py``. What a report looks like is decided
by ``credgroup/reports/presenters.py``; these schemas describe exactly its dictionaries.
People appear only as labels ("Reporter", "Member A", "Facilitator", "A member"): no
schema here has room for a name, an email, a company or an internal id.

Request bodies are closed (``additionalProperties: false``): the API refuses a field it
does not know (422 naming it) rather than silently ignoring a typo.
"""

from __future__ import annotations

from typing import Any

from credgroup.reports.anonymise import MARKERS
from credgroup.reports.compliance import RULES
from credgroup.reports.enums import (
    AmountBand,
    ConfirmationKind,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    LabelledEnum,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)
from credgroup.reports.inputs import LIMITS

DATE = {"type": "string", "format": "date", "description": "A calendar day (YYYY-MM-DD)."}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
MONTH_PATTERN = r"^\d{4}-\d{2}$"
COUNT = {"type": "integer", "minimum": 0}
REVIEW_ACTIONS = ["approve", "reject", "moderate"]
COMMENT_REVIEW_ACTIONS = ["approve", "reject"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _nullable(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description, **extra}


def _keys(enum_cls: type[LabelledEnum]) -> list[str]:
    return [member.value for member in enum_cls]


def _choice(enum_cls: type[LabelledEnum], description: str) -> dict[str, Any]:
    return _string(description, enum=_keys(enum_cls))


def _nullable_choice(enum_cls: type[LabelledEnum], description: str) -> dict[str, Any]:
    return _nullable(description, enum=[*_keys(enum_cls), None])


def _array(items: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items}
    if description:
        schema["description"] = description
    return schema


def _object(
    properties: dict[str, Any],
    description: str = "",
    *,
    optional: tuple[str, ...] = (),
    closed: bool = False,
    required: list[str] | None = None,
) -> dict[str, Any]:
    """An object whose properties are all required except ``optional`` (or exactly
    ``required`` when given); ``closed`` refuses other properties (request bodies)."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": sorted(required if required is not None else set(properties) - set(optional)),
        "properties": properties,
    }
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


# --- what comes back -------------------------------------------------------------------------

PORTAL_REF = _object(
    {"slug": _string("The portal's slug."), "name": _string("The portal's name.")},
    "The portal a report is about.",
)

SUMMARY_PROPERTIES: dict[str, Any] = {
    "id": _string("The report's public id."),
    "group": _string("The group's slug."),
    "title": _string("Short description."),
    "portal": _ref("PortalRef"),
    "buyer_name": _string("The customer, if the group's naming policy allows it; else empty."),
    "buyer_industry": _string("The customer's industry, if the policy allows it; else empty."),
    "category": _choice(ProblemCategory, "Problem category (stable key)."),
    "category_label": _string("The category, for people."),
    "channel": _nullable_choice(SubmissionChannel, "How invoices were submitted."),
    "invoices_band": _nullable_choice(InvoicesBand, "How many invoices were affected."),
    "amount_band": _nullable_choice(AmountBand, "How much money was affected."),
    "fee_kind": _nullable_choice(FeeKind, "The kind of fee (fee reports only)."),
    "fee_size_band": _nullable_choice(FeeSizeBand, "The size of the fee (fee reports only)."),
    "incident_month": _nullable("The month it happened (YYYY-MM).", pattern=MONTH_PATTERN),
    "status": _choice(ReportStatus, "Where the problem stands."),
    "status_label": _string("The status, for people."),
    "state": _choice(ContributionState, "Where the report is in its life."),
    "published_on": {**NULLABLE_DATE, "description": "The day it was published."},
    "hit_too": {**COUNT, "description": 'Member companies that said "we hit this too".'},
    "workaround_worked": {**COUNT, "description": "Companies the workaround worked for."},
    "has_workaround": {"type": "boolean", "description": "A workaround is described."},
}

WORDING_FLAG = _object(
    {
        "kind": _string("What the wording touches.", enum=sorted(RULES)),
        "phrase": _string("The words that matched."),
        "sentence": _string("The sentence they are in."),
        "explanation": _string("The rule, for people."),
    },
    "Wording the antitrust and anti-defamation check flagged.",
)

COMMENT_PROPERTIES: dict[str, Any] = {
    "id": _string("The comment's public id."),
    "author": _string(
        'A label inside this report\'s discussion: "Reporter", "Member A", "Facilitator"...'
    ),
    "is_mine": {"type": "boolean", "description": "You wrote it."},
    "body": _string("Markdown source; render and sanitise it before showing it."),
    "is_workaround": {"type": "boolean", "description": "The reporter marked it as the fix."},
    "posted_on": DATE,
}

QUESTION = _object(
    {
        "id": _string("The question's public id."),
        "asked_by": _string("Who asked, as a label.", enum=["A member", "Facilitator"]),
        "is_mine": {"type": "boolean", "description": "You asked it."},
        "body": _string("The question."),
        "asked_on": DATE,
        "answer": _nullable("The reporter's answer, once given."),
        "answered_on": NULLABLE_DATE,
        "shared_with_group": {"type": "boolean", "description": "The answer is for everyone."},
        "can_answer": {"type": "boolean", "description": "You are the reporter and may answer."},
    },
    "A question to the reporter. Neither side learns who the other is.",
)

DETAIL_PROPERTIES: dict[str, Any] = {
    **SUMMARY_PROPERTIES,
    "body": _string("What happened (Markdown source)."),
    "error_message": _string("The portal's error message, verbatim."),
    "workaround": _string("The workaround that worked (Markdown source)."),
    "redactions": {
        "type": "object",
        "additionalProperties": COUNT,
        "description": "How many details of each kind the author redacted.",
    },
    "merged_into": _nullable("The report this one was merged into."),
    "comments": _array(_ref("Comment"), "The published discussion, oldest first."),
    "questions": _array(_ref("Question"), "Questions you may see."),
    "viewer": _object(
        {
            "is_reporter": {"type": "boolean"},
            "label": _nullable("Your label in this discussion, once you took part."),
            "company_confirmed": _array(
                _string("", enum=_keys(ConfirmationKind)), "What your company confirmed."
            ),
            "same_company_as_reporter": {"type": "boolean"},
        },
        "You, in relation to this report.",
    ),
    "facilitator_note": _nullable("The facilitator's note to you (reporter only)."),
    "review_flags": _array(_ref("WordingFlag"), "Why it waits for review (reporter only)."),
}

REPORT_DETAIL = _object(
    DETAIL_PROPERTIES,
    "One report with its discussion, as you may see it.",
    optional=("facilitator_note", "review_flags"),
)

MY_REPORT = _object(
    {
        **SUMMARY_PROPERTIES,
        "merged_into": _nullable("The report this one was merged into."),
        "facilitator_note": _nullable("The facilitator's note to you, if any."),
        "review_flags": _array(_ref("WordingFlag"), "Why it waits for review."),
        "questions_waiting": {**COUNT, "description": "Questions you have not answered yet."},
    },
    "One of your own reports, in any state.",
)

MY_COMMENT = _object(
    {
        **COMMENT_PROPERTIES,
        "state": _choice(ContributionState, "Waiting for review, or not published."),
        "facilitator_note": _nullable("The facilitator's note to you, if any."),
        "review_flags": _array(_ref("WordingFlag"), "Why it waits for review."),
        "report": _ref("ReportSummary"),
    },
    "One of your comments that waits for the facilitator or was not published.",
)

POSTED_COMMENT = _object(
    {**COMMENT_PROPERTIES, "state": _choice(ContributionState, "Published, or in review.")},
    "Your comment as it now stands.",
)

REVIEW_REPORT = _object(
    {**DETAIL_PROPERTIES, "review_flags": _array(_ref("WordingFlag"), "What was flagged.")},
    "A report as the facilitator reviews it: its content, never its author.",
    optional=("facilitator_note",),
)

REVIEW_COMMENT = _object(
    {
        **COMMENT_PROPERTIES,
        "state": _choice(ContributionState, "Where the comment is in its life."),
        "review_flags": _array(_ref("WordingFlag"), "What was flagged."),
        "report": _ref("ReportSummary"),
    },
    "A comment as the facilitator reviews it (its author is always just a label).",
)

FINDING = _object(
    {
        "key": _string('Put it in "redact" to redact this finding.'),
        "kind": _string("What it is.", enum=sorted(MARKERS)),
        "label": _string("What it is, for people."),
        "text": _string("The text found (your own text; only you see it)."),
    },
    "Something in your text that could identify you.",
)

FINDINGS = {
    "type": "object",
    "additionalProperties": _array(_ref("Finding")),
    "description": "Per field, what could identify you.",
}

PORTAL_PROPERTIES: dict[str, Any] = {
    "slug": _string("Stable identifier."),
    "name": _string("The portal's name."),
    "vendor": _string("Who makes it."),
    "aliases": _array(_string("Another name it goes by.")),
    "website": _string("Its website, or empty."),
    "description": _string("About the portal (Markdown source)."),
    "fees_summary": _string("What suppliers are charged (Markdown source)."),
    "listed": {"type": "boolean", "description": "False for portals a member named."},
}

CATEGORY_COUNTS = _object(
    {
        "group": _string("The group's slug."),
        "group_name": _string("The group's name."),
        "anonymity_threshold": {"type": "integer", "minimum": 1},
        "counts": _array(
            _object(
                {
                    "category": _choice(ProblemCategory, "Problem category."),
                    "category_label": _string("For people."),
                    "reports": {
                        "type": ["integer", "null"],
                        "minimum": 0,
                        "description": "Published reports; null when fewer companies than "
                        "the threshold stand behind them.",
                    },
                }
            )
        ),
    },
    "Reports about the portal per category in one of your groups.",
)

CONFIRMATIONS = _object(
    {
        "report": _string("The report's public id."),
        "hit_too": COUNT,
        "workaround_worked": COUNT,
        "company_confirmed": _array(
            _string("", enum=_keys(ConfirmationKind)), "What your company has confirmed."
        ),
    },
    "A report's confirmations after your change.",
)

# --- what goes in ----------------------------------------------------------------------------

REDACT = {
    "oneOf": [
        {"type": "string", "enum": ["all"]},
        _array(_string("A finding's key from the preview.")),
    ],
    "default": "all",
    "description": '"all" redacts everything the scrubber finds; a list redacts exactly '
    "those findings (keys from the preview) and publishes the others as written. A key that "
    "no longer matches the text is refused (422), so a stale preview cannot publish "
    "something you did not see.",
}


def _limited(description: str, field: str) -> dict[str, Any]:
    return _string(description, maxLength=LIMITS[field])


REPORT_INPUT: dict[str, Any] = {
    "group": _string("The group's slug (one of yours)."),
    "portal": _string("A catalogue portal's slug, name or alias; a new name is kept unlisted."),
    "category": _choice(ProblemCategory, "Problem category."),
    "title": _string("Short description.", minLength=5, maxLength=LIMITS["title"]),
    "body": _limited("What happened (Markdown).", "body"),
    "error_message": _limited("The portal's error message, verbatim.", "error_message"),
    "channel": _nullable_choice(SubmissionChannel, "How invoices were submitted."),
    "invoices_band": _nullable_choice(InvoicesBand, "How many invoices were affected."),
    "amount_band": _nullable_choice(AmountBand, "How much money was affected."),
    "fee_kind": _nullable_choice(FeeKind, "Fee reports only."),
    "fee_size_band": _nullable_choice(FeeSizeBand, "Fee reports only."),
    "incident_month": _nullable("YYYY-MM, not in the future.", pattern=MONTH_PATTERN),
    "status": _choice(ReportStatus, "Where the problem stands (default open)."),
    "workaround": _limited("The workaround that worked (Markdown).", "workaround"),
    "buyer_name": _limited("The customer, only where the group names customers.", "buyer_name"),
    "buyer_industry": _limited("The customer's industry, where allowed.", "buyer_industry"),
    "draft": {"type": "boolean", "description": "Keep it as a draft only you see."},
    "redact": REDACT,
    "send_to_review": {
        "type": "boolean",
        "description": "Flagged wording goes to the facilitator's review queue instead of "
        "being refused with needs_rewording.",
    },
}

NEW_REPORT = _object(
    REPORT_INPUT,
    "A report to post (or keep as a draft). Refused wording answers 422 with code "
    '"needs_rewording" and the flags.',
    required=["category", "group", "portal", "title"],
    closed=True,
)

REPORT_CHANGES = _object(
    REPORT_INPUT,
    "Changes to your report: fields given replace the current ones (null clears one). A "
    'draft stays a draft unless "draft" is false.',
    required=[],
    closed=True,
)

NEW_COMMENT = _object(
    {
        "body": _string("Markdown.", maxLength=10_000),
        "redact": REDACT,
        "send_to_review": {"type": "boolean"},
    },
    required=["body"],
    closed=True,
)

NEW_QUESTION = _object(
    {"body": _string("Your question.", maxLength=4_000), "redact": REDACT},
    required=["body"],
    closed=True,
)

ANSWER = _object(
    {
        "answer": _string("Your answer.", maxLength=4_000),
        "share_with_group": {"type": "boolean", "default": False},
        "redact": REDACT,
    },
    required=["answer"],
    closed=True,
)

EDITS = _object(
    {
        name: _string(f"New {name.replace('_', ' ')}.", maxLength=LIMITS[name])
        for name in ("title", "body", "error_message", "workaround")
    },
    "Text the facilitator rewords or redacts; fields left out stay as they are.",
    required=[],
    closed=True,
)

REPORT_SCHEMAS: dict[str, Any] = {
    "PortalRef": PORTAL_REF,
    "Portal": _object(PORTAL_PROPERTIES, "A portal of the association's catalogue."),
    "PortalDetail": _object(
        {
            **PORTAL_PROPERTIES,
            "open_reports": _array(
                _ref("ReportSummary"),
                "The newest open reports in your groups (at most 20).",
            ),
            "open_reports_total": {
                "type": "integer",
                "description": "How many open reports your groups have about the portal.",
            },
            "category_counts": _array(CATEGORY_COUNTS),
        },
        "A portal with what your groups know about it.",
    ),
    "ReportSummary": _object(SUMMARY_PROPERTIES, "A report in a list."),
    "ReportDetail": REPORT_DETAIL,
    "MyReport": MY_REPORT,
    "MyComment": MY_COMMENT,
    "Comment": _object(COMMENT_PROPERTIES, "A message in a report's discussion."),
    "PostedComment": POSTED_COMMENT,
    "Question": QUESTION,
    "WordingFlag": WORDING_FLAG,
    "Finding": FINDING,
    "Preview": _object(
        {
            "findings": FINDINGS,
            "flags": _array(_ref("WordingFlag")),
            "similar": _array(_ref("ReportSummary"), "Reports you might confirm instead."),
        },
        "What would be redacted and flagged; nothing is saved.",
    ),
    "CommentPreview": _object(
        {"findings": FINDINGS, "flags": _array(_ref("WordingFlag"))},
        "What would be redacted and flagged in a comment; nothing is saved.",
    ),
    "Confirmations": CONFIRMATIONS,
    "Withdrawn": _object(
        {
            "id": _string("Its public id."),
            "state": _string(
                "Drafts are deleted; the rest withdrawn.", enum=["withdrawn", "deleted"]
            ),
        }
    ),
    "ReviewQueue": _object(
        {
            "group": _string("The group's slug."),
            "reports": _array(_ref("ReviewReport")),
            "comments": _array(_ref("ReviewComment")),
        },
        "What waits for the facilitator, oldest first.",
    ),
    "ReviewReport": REVIEW_REPORT,
    "ReviewComment": REVIEW_COMMENT,
    "NeedsRewording": _object(
        {
            "error": _object(
                {
                    "code": _string("Always needs_rewording.", enum=["needs_rewording"]),
                    "message": _string("For people."),
                    "field": _string("The field the flags are about."),
                    "flags": _array(_ref("WordingFlag")),
                }
            )
        },
        "The 422 answer when wording is flagged and not sent to review.",
    ),
    "NewReport": NEW_REPORT,
    "ReportChanges": REPORT_CHANGES,
    "NewComment": NEW_COMMENT,
    "WorkaroundMark": _object(
        {"value": {"type": "boolean", "description": "Mark (true) or unmark (false)."}},
        required=["value"],
        closed=True,
    ),
    "NewQuestion": NEW_QUESTION,
    "Answer": ANSWER,
    "StatusChange": _object(
        {"status": _choice(ReportStatus, "The new status.")}, required=["status"], closed=True
    ),
    "ReportReview": _object(
        {
            "action": _string(
                "approve (publish from the queue), reject (keep or take down, note "
                "required), moderate (edit a published report).",
                enum=REVIEW_ACTIONS,
            ),
            "note": _string("To the author, relayed without telling you who they are."),
            "edits": _ref("ReportEdits"),
        },
        required=["action"],
        closed=True,
    ),
    "ReportEdits": EDITS,
    "CommentReview": _object(
        {
            "action": _string("What to do.", enum=COMMENT_REVIEW_ACTIONS),
            "note": _string("To the author (reject: required)."),
            "body": _string("The reworded comment (approve only).", maxLength=10_000),
        },
        required=["action"],
        closed=True,
    ),
    "Merge": _object(
        {"into": _string("The public id of the report this one repeats.")},
        required=["into"],
        closed=True,
    ),
}

# --- examples -----------------------------------------------------------------------------------

PORTAL_EXAMPLE: dict[str, Any] = {
    "slug": "sap-business-network",
    "name": "SAP Business Network",
    "vendor": "SAP",
    "aliases": ["Ariba", "SAP Ariba", "Ariba Network"],
    "website": "https://www.sap.com/products/spend-management/business-network.html",
    "description": "SAP's supplier network (formerly Ariba Network).",
    "fees_summary": "Standard accounts are free; enterprise accounts pay by volume.",
    "listed": True,
}

REPORT_SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": "q7Ry2mXc9LkPw3Va",
    "group": "building-materials",
    "title": "Invoices rejected with INV-15 for orders outside the network",
    "portal": {"slug": "sap-business-network", "name": "SAP Business Network"},
    "buyer_name": "",
    "buyer_industry": "Home improvement retail",
    "category": "rejected_format",
    "category_label": "Rejected or incompatible invoice",
    "channel": "cxml",
    "invoices_band": "6-20",
    "amount_band": "10k-100k",
    "fee_kind": None,
    "fee_size_band": None,
    "incident_month": "2026-03",
    "status": "open",
    "status_label": "Open",
    "state": "published",
    "published_on": "2026-04-02",
    "hit_too": 2,
    "workaround_worked": 1,
    "has_workaround": True,
}

FLAG_EXAMPLE: dict[str, Any] = {
    "kind": "boycott",
    "phrase": "we should all stop using",
    "sentence": "I think we should all stop using this portal.",
    "explanation": "No refusing to deal and no collective action against a customer or portal.",
}

COMMENT_EXAMPLE: dict[str, Any] = {
    "id": "Hc4nV8sQ2wEr6tYb",
    "author": "Member A",
    "is_mine": False,
    "body": "Same here since March; the payloadID fix worked for us too.",
    "is_workaround": False,
    "posted_on": "2026-04-03",
}

QUESTION_EXAMPLE: dict[str, Any] = {
    "id": "Zp5kD1fG7hJq2wLx",
    "asked_by": "A member",
    "is_mine": True,
    "body": "Which cXML version did you send?",
    "asked_on": "2026-04-03",
    "answer": "1.2.060",
    "answered_on": "2026-04-04",
    "shared_with_group": True,
    "can_answer": False,
}

REPORT_DETAIL_EXAMPLE: dict[str, Any] = {
    **REPORT_SUMMARY_EXAMPLE,
    "body": "Since March every invoice from [redacted: company] for PO [redacted: number] "
    "came back.",
    "error_message": "INV-15 customer does not accept invoices for orders sent outside Ariba SN",
    "workaround": "Reference the PO in InvoiceDetailOrderInfo with the payloadID.",
    "redactions": {"company": 1, "number": 1},
    "merged_into": None,
    "comments": [COMMENT_EXAMPLE],
    "questions": [QUESTION_EXAMPLE],
    "viewer": {
        "is_reporter": False,
        "label": None,
        "company_confirmed": ["hit_too"],
        "same_company_as_reporter": False,
    },
}

OWN_REPORT_EXAMPLE: dict[str, Any] = {
    **REPORT_DETAIL_EXAMPLE,
    "questions": [{**QUESTION_EXAMPLE, "is_mine": False}],
    "viewer": {
        "is_reporter": True,
        "label": "Reporter",
        "company_confirmed": [],
        "same_company_as_reporter": True,
    },
    "facilitator_note": None,
    "review_flags": [],
}

MY_REPORT_EXAMPLE: dict[str, Any] = {
    **REPORT_SUMMARY_EXAMPLE,
    "state": "rejected",
    "published_on": None,
    "hit_too": 0,
    "workaround_worked": 0,
    "merged_into": None,
    "facilitator_note": "Please describe what happened, not what members should do.",
    "review_flags": [FLAG_EXAMPLE],
    "questions_waiting": 0,
}

MY_COMMENT_EXAMPLE: dict[str, Any] = {
    **COMMENT_EXAMPLE,
    "is_mine": True,
    "body": "I think we should all stop using this portal.",
    "state": "rejected",
    "facilitator_note": "Facts only, please: what happened and what worked.",
    "review_flags": [FLAG_EXAMPLE],
    "report": REPORT_SUMMARY_EXAMPLE,
}

POSTED_COMMENT_EXAMPLE: dict[str, Any] = {**COMMENT_EXAMPLE, "is_mine": True, "state": "published"}

FINDING_EXAMPLE: dict[str, Any] = {
    "key": "body:company:29:50",
    "kind": "company",
    "label": "your company's name",
    "text": "Example Aggregates",
}

PREVIEW_EXAMPLE: dict[str, Any] = {
    "findings": {"body": [FINDING_EXAMPLE]},
    "flags": [],
    "similar": [REPORT_SUMMARY_EXAMPLE],
}

COMMENT_PREVIEW_EXAMPLE: dict[str, Any] = {"findings": {}, "flags": [FLAG_EXAMPLE]}

CONFIRMATIONS_EXAMPLE: dict[str, Any] = {
    "report": "q7Ry2mXc9LkPw3Va",
    "hit_too": 3,
    "workaround_worked": 1,
    "company_confirmed": ["hit_too"],
}

WITHDRAWN_EXAMPLE: dict[str, Any] = {"id": "q7Ry2mXc9LkPw3Va", "state": "withdrawn"}

REVIEW_REPORT_EXAMPLE: dict[str, Any] = {
    **REPORT_DETAIL_EXAMPLE,
    "state": "in_review",
    "published_on": None,
    "hit_too": 0,
    "workaround_worked": 0,
    "comments": [],
    "questions": [],
    "viewer": {
        "is_reporter": False,
        "label": None,
        "company_confirmed": [],
        "same_company_as_reporter": False,
    },
    "review_flags": [FLAG_EXAMPLE],
}

REVIEW_COMMENT_EXAMPLE: dict[str, Any] = {
    **COMMENT_EXAMPLE,
    "author": "Member",
    "body": "I think we should all stop using this portal.",
    "state": "in_review",
    "review_flags": [FLAG_EXAMPLE],
    "report": REPORT_SUMMARY_EXAMPLE,
}

REVIEW_QUEUE_EXAMPLE: dict[str, Any] = {
    "group": "building-materials",
    "reports": [REVIEW_REPORT_EXAMPLE],
    "comments": [REVIEW_COMMENT_EXAMPLE],
}

PORTAL_DETAIL_EXAMPLE: dict[str, Any] = {
    **PORTAL_EXAMPLE,
    "open_reports": [REPORT_SUMMARY_EXAMPLE],
    "open_reports_total": 1,
    "category_counts": [
        {
            "group": "building-materials",
            "group_name": "Building Materials Credit Group",
            "anonymity_threshold": 5,
            "counts": [
                {
                    "category": "rejected_format",
                    "category_label": "Rejected or incompatible invoice",
                    "reports": None,
                }
            ],
        }
    ],
}

NEW_REPORT_EXAMPLE: dict[str, Any] = {
    "group": "building-materials",
    "portal": "Ariba",
    "category": "rejected_format",
    "title": "Invoices rejected with INV-15 for orders outside the network",
    "body": "Since March every invoice for orders placed by email came back.",
    "error_message": "INV-15 customer does not accept invoices for orders sent outside Ariba SN",
    "channel": "cxml",
    "invoices_band": "6-20",
    "amount_band": "10k-100k",
    "incident_month": "2026-03",
    "buyer_industry": "Home improvement retail",
    "workaround": "Reference the PO in InvoiceDetailOrderInfo with the payloadID.",
    "redact": "all",
}

REPORT_CHANGES_EXAMPLE: dict[str, Any] = {
    "status": "workaround_found",
    "workaround": "Reference the PO in InvoiceDetailOrderInfo with the payloadID.",
}

NEEDS_REWORDING_EXAMPLE: dict[str, Any] = {
    "error": {
        "code": "needs_rewording",
        "message": "Some wording looks like a topic the group may not discuss. Reword it, or "
        "send it to the facilitator for review.",
        "field": "body",
        "flags": [FLAG_EXAMPLE],
    }
}

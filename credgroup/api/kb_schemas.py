"""JSON Schemas and examples of the knowledge-base endpoints (articles, revisions,
confirmations, suggested edits).

Merged into ``SCHEMAS`` by ``credgroup/api/kb.py`` when the endpoints load. What an article
looks like is decided by ``credgroup/kb/presenters.py``; these schemas describe exactly its
dictionaries. People appear as names (open authors and staff), "A member" (anonymous ones)
or "The association" (imports): no schema has room for a pseudonym, an email or an id of a
person. Request bodies are closed: an unknown field is refused (422 naming it).
"""

from __future__ import annotations

from typing import Any

from credgroup.kb.inputs import LIMITS, MAX_TAG, MAX_TAGS, MIN_TITLE
from credgroup.kb.models import ArticleState, FreshnessKind, SuggestionState
from credgroup.reports.enums import ProblemCategory, SubmissionChannel

DATE = {"type": "string", "format": "date", "description": "A calendar day (YYYY-MM-DD)."}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
MONTH = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}$"}
COUNT = {"type": "integer", "minimum": 0}
BOOLEAN = {"type": "boolean"}
PERSON = 'A name, "A member" (anonymous) or "The association" (imported).'


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _nullable(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": ["string", "null"], "description": description, **extra}


def _array(items: dict[str, Any], description: str = "", **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items, **extra}
    if description:
        schema["description"] = description
    return schema


def _keys(enum_cls: Any) -> list[str]:
    return [member.value for member in enum_cls]


def _object(
    properties: dict[str, Any],
    description: str = "",
    *,
    required: list[str] | None = None,
    closed: bool = False,
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": sorted(required if required is not None else properties),
        "properties": properties,
    }
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


FRESHNESS = _object(
    {
        "worked": {**COUNT, "description": 'Member companies whose verdict is "worked for us".'},
        "last_worked_month": {**MONTH, "description": "The latest such verdict (YYYY-MM)."},
        "no_longer_works": {**COUNT, "description": 'Companies saying "no longer works".'},
        "last_failed_month": {**MONTH, "description": "The latest such verdict (YYYY-MM)."},
        "text": _string('"Confirmed working by 3 members, most recently in March 2026."'),
        "failed_text": _string('The same for "no longer works"; empty when none.'),
        "needs_review": {"type": "boolean", "description": "Flagged for the editors' review."},
        "review_reasons": _array(_string("Why it is flagged.")),
    },
    "Is the workaround still good? Counts per member company, never which companies.",
)

SUMMARY_PROPERTIES: dict[str, Any] = {
    "id": _string("The article's public id."),
    "title": _string("Short description."),
    "group": _nullable("The group's slug; null for association-wide articles."),
    "scope_label": _string('"Association-wide" or the group\'s name.'),
    "portal": {"oneOf": [_ref("PortalRef"), {"type": "null"}], "description": "The portal."},
    "buyer_name": _string("The buyer whose configuration it is about, or empty."),
    "categories": _array(_string("", enum=_keys(ProblemCategory)), "Problem categories."),
    "category_labels": _array(_string("For people.")),
    "channels": _array(_string("", enum=_keys(SubmissionChannel)), "Channels it applies to."),
    "channel_labels": _array(_string("For people.")),
    "tags": _array(_string("A tag (lower case).")),
    "state": _string("Where the article is in its life.", enum=_keys(ArticleState)),
    "state_label": _string("For people."),
    "author": _string(PERSON),
    "published_on": {**NULLABLE_DATE, "description": "The day it was first published."},
    "updated_on": {**NULLABLE_DATE, "description": "The day of its latest revision."},
    "version": {"type": "integer", "minimum": 1, "description": "Send it back when editing."},
    "freshness": _ref("ArticleFreshness"),
}

REPORT_REF = _object(
    {
        "id": _string("The report's public id."),
        "group": _string("The report's group."),
        "title": _string("The report's title."),
    },
    "A report linked to the article (only reports you may see).",
)

DETAIL = _object(
    {
        **SUMMARY_PROPERTIES,
        "problem": _string("The problem as members meet it (Markdown source)."),
        "workaround": _string("The workaround, step by step (Markdown source)."),
        "error_text": _string("The portal's error text, verbatim."),
        "linked_reports": _array(_ref("ArticleReportRef")),
        "viewer": _object(
            {
                "is_author": BOOLEAN,
                "can_edit": BOOLEAN,
                "can_suggest": BOOLEAN,
                "can_confirm": BOOLEAN,
                "company_verdict": _nullable(
                    "What your company says.", enum=[*_keys(FreshnessKind), None]
                ),
            },
            "You, in relation to this article.",
        ),
    },
    "One article as you may see it.",
)

REVISION = _object(
    {
        "number": {"type": "integer", "minimum": 1},
        "title": _string("The title in this revision."),
        "summary": _string("What the editor said they changed."),
        "editor": _string(PERSON),
        "created_on": DATE,
        "is_current": BOOLEAN,
        "problem": _string("Markdown source."),
        "workaround": _string("Markdown source."),
        "error_text": _string("Verbatim."),
        "categories": _array(_string("", enum=_keys(ProblemCategory))),
        "tags": _array(_string("")),
        "channels": _array(_string("", enum=_keys(SubmissionChannel))),
    },
    "One saved version of an article's content.",
)

SUGGESTION = _object(
    {
        "id": _string("The suggestion's public id."),
        "article": _string("The article's public id."),
        "article_title": _string("The article's title."),
        "base_version": {"type": "integer", "minimum": 1},
        "proposed": {"type": "object", "description": "The fields it changes, new values."},
        "summary": _string("Why, in the suggester's words."),
        "suggested_by": _string('Always "A member".', enum=["A member"]),
        "suggested_on": DATE,
        "state": _string("", enum=_keys(SuggestionState)),
        "decision_note": _nullable("The editor's note."),
        "decided_by": _nullable(PERSON),
        "decided_on": NULLABLE_DATE,
    },
    "A suggested edit to an article.",
)

CONFIRMATIONS = _object(
    {
        "article": _string("The article's public id."),
        "company_verdict": _nullable("", enum=[*_keys(FreshnessKind), None]),
        "freshness": _ref("ArticleFreshness"),
    },
    "The article's freshness after your company's verdict.",
)

CONTENT_INPUT: dict[str, Any] = {
    "title": _string("Short description.", minLength=MIN_TITLE, maxLength=LIMITS["title"]),
    "problem": _string("Markdown.", maxLength=LIMITS["problem"]),
    "workaround": _string("Markdown, step by step.", maxLength=LIMITS["workaround"]),
    "error_text": _string("The portal's error text, verbatim.", maxLength=LIMITS["error_text"]),
    "categories": _array(_string("", enum=_keys(ProblemCategory))),
    "channels": _array(_string("", enum=_keys(SubmissionChannel))),
    "tags": _array(_string("", maxLength=MAX_TAG), maxItems=MAX_TAGS),
}
META_INPUT: dict[str, Any] = {
    "portal": _nullable("A catalogue portal's slug, name or alias; null: not about one."),
    "buyer_name": _string(
        "One buyer's configuration (groups that name customers).", maxLength=LIMITS["buyer_name"]
    ),
    "group": _nullable("A group's slug (yours); null or absent: association-wide."),
}

KB_SCHEMAS: dict[str, Any] = {
    "ArticleFreshness": FRESHNESS,
    "ArticleSummary": _object(SUMMARY_PROPERTIES, "An article in a list."),
    "ArticleDetail": DETAIL,
    "ArticleReportRef": REPORT_REF,
    "ArticleRevision": REVISION,
    "ArticleConfirmations": CONFIRMATIONS,
    "ArticleSuggestion": SUGGESTION,
    "NewArticle": _object(
        {
            **CONTENT_INPUT,
            **META_INPUT,
            "anonymous": {"type": "boolean", "description": 'Members: shown as "A member".'},
            "publish": {"type": "boolean", "description": "Publish at once (else a draft)."},
        },
        "An article to write.",
        required=["title"],
        closed=True,
    ),
    "ArticleChanges": _object(
        {
            "version": {"type": "integer", "minimum": 1, "description": "The version you edited."},
            "summary": _string("What you changed.", maxLength=LIMITS["summary"]),
            **CONTENT_INPUT,
            **META_INPUT,
        },
        "Changes: fields given replace the current ones. An old version answers 409.",
        required=["version"],
        closed=True,
    ),
    "NewArticleConfirmation": _object(
        {"kind": _string("Your company's verdict.", enum=_keys(FreshnessKind))},
        required=["kind"],
        closed=True,
    ),
    "NewSuggestion": _object(
        {
            "version": {"type": "integer", "minimum": 1, "description": "The version you read."},
            "summary": _string("Why (the editors read it).", maxLength=LIMITS["summary"]),
            **CONTENT_INPUT,
        },
        "A suggested edit: the content fields you would change.",
        required=["summary", "version"],
        closed=True,
    ),
    "SuggestionDecision": _object(
        {"note": _string("To the suggester (required to decline).", maxLength=LIMITS["note"])},
        required=[],
        closed=True,
    ),
    "EditConflict": _object(
        {
            "error": _object(
                {
                    "code": _string("Always edit_conflict.", enum=["edit_conflict"]),
                    "message": _string("For people."),
                    "base_version": {"type": "integer"},
                    "current_version": {"type": "integer"},
                    "changes": _string("What others changed since your version (unified diff)."),
                }
            )
        },
        "The 409 answer when the article changed since the version you edited.",
    ),
}

# --- examples ----------------------------------------------------------------------------------

FRESHNESS_EXAMPLE: dict[str, Any] = {
    "worked": 3,
    "last_worked_month": "2026-03",
    "no_longer_works": 0,
    "last_failed_month": None,
    "text": "Confirmed working by 3 members, most recently in March 2026.",
    "failed_text": "",
    "needs_review": False,
    "review_reasons": [],
}

SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": "b3Xy7Qw2LmNp9RtZ",
    "title": "INV-15: reference the PO in InvoiceDetailOrderInfo",
    "group": None,
    "scope_label": "Association-wide",
    "portal": {"slug": "sap-business-network", "name": "SAP Business Network"},
    "buyer_name": "",
    "categories": ["rejected_format"],
    "category_labels": ["Rejected or incompatible invoice"],
    "channels": ["cxml", "edi"],
    "channel_labels": ["cXML", "EDI"],
    "tags": ["inv-15", "po reference"],
    "state": "published",
    "state_label": "Published",
    "author": "A member",
    "published_on": "2026-02-10",
    "updated_on": "2026-03-02",
    "version": 3,
    "freshness": FRESHNESS_EXAMPLE,
}

DETAIL_EXAMPLE: dict[str, Any] = {
    **SUMMARY_EXAMPLE,
    "problem": "Invoices fail with INV-15 although the PO exists.",
    "workaround": "1. Put the PO's payloadID in `OrderReference`.\n2. Resubmit.",
    "error_text": "INV-15 customer does not accept invoices for orders sent outside Ariba SN",
    "linked_reports": [
        {"id": "q7Ry2mXc9LkPw3Va", "group": "building-materials", "title": "INV-15 rejections"}
    ],
    "viewer": {
        "is_author": False,
        "can_edit": False,
        "can_suggest": True,
        "can_confirm": True,
        "company_verdict": "worked",
    },
}

REVISION_EXAMPLE: dict[str, Any] = {
    "number": 3,
    "title": SUMMARY_EXAMPLE["title"],
    "summary": "Added the EDI 810 fields",
    "editor": "Carol Jennings",
    "created_on": "2026-03-02",
    "is_current": True,
    "problem": DETAIL_EXAMPLE["problem"],
    "workaround": DETAIL_EXAMPLE["workaround"],
    "error_text": DETAIL_EXAMPLE["error_text"],
    "categories": ["rejected_format"],
    "tags": ["inv-15"],
    "channels": ["cxml", "edi"],
}

SUGGESTION_EXAMPLE: dict[str, Any] = {
    "id": "Vn4kP8sQ1wEr6tYz",
    "article": SUMMARY_EXAMPLE["id"],
    "article_title": SUMMARY_EXAMPLE["title"],
    "base_version": 3,
    "proposed": {"tags": ["inv-15", "po reference", "edi 810"]},
    "summary": "EDI users search for 810",
    "suggested_by": "A member",
    "suggested_on": "2026-03-05",
    "state": "pending",
    "decision_note": None,
    "decided_by": None,
    "decided_on": None,
}

NEW_ARTICLE_EXAMPLE: dict[str, Any] = {
    "title": "Coupa: 'Unauthorized or expired account'",
    "portal": "Coupa",
    "categories": ["onboarding"],
    "channels": ["portal_ui"],
    "tags": ["login"],
    "problem": "Sign-in to the customer's Coupa fails.",
    "workaround": "1. Ask the customer's AP team to reactivate the supplier record.",
    "error_text": "Unauthorized or expired account",
    "group": None,
    "anonymous": True,
    "publish": True,
}

CHANGES_EXAMPLE: dict[str, Any] = {
    "version": 3,
    "summary": "Clearer step 2",
    "workaround": "1. Put the PO's payloadID in `OrderReference`.\n2. Resubmit under a new number.",
}

CONFIRMATIONS_EXAMPLE: dict[str, Any] = {
    "article": SUMMARY_EXAMPLE["id"],
    "company_verdict": "worked",
    "freshness": FRESHNESS_EXAMPLE,
}

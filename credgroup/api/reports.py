"""The report endpoints of /api/v1: the portal catalogue, reports, their discussion
(comments, confirmations, questions to the reporter), "my reports" and the facilitator's
review queue, so that an AR system can post reports and follow them without a browser.

Thin like the other API views: read the caller and the input, call one service of
``credgroup.reports`` / ``credgroup.portals``, commit once, answer JSON. What is said about
a report comes only from ``credgroup.reports.presenters``: never a pseudonym, a person, a
company or an internal id. A refused request rolls back (the blueprint's error handler),
so nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import jsonify, request

from credgroup.api import report_schemas as examples
from credgroup.api.auth import api_user
from credgroup.api.errors import json_body
from credgroup.api.openapi import operation, page_example, page_of, query_param, ref
from credgroup.api.pagination import Page, page_params, page_response, paginate_list
from credgroup.api.views import bp
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import (
    can_view_group,
    get_visible_group,
    require_facilitator,
    visible_groups,
)
from credgroup.groups.models import CreditGroup, CustomerNaming
from credgroup.portals import services as portals
from credgroup.portals import stats as portal_stats
from credgroup.reports import authoring, discussion, presenters, queries, review
from credgroup.reports.enums import (
    ConfirmationKind,
    ContributionState,
    LabelledEnum,
    ReportStatus,
)
from credgroup.reports.identity import contributor, is_author
from credgroup.reports.inputs import SCRUBBED_FIELDS, clean_report_fields
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion

REPORT_FIELDS = (
    "group",
    "portal",
    "category",
    "title",
    "body",
    "error_message",
    "channel",
    "invoices_band",
    "amount_band",
    "fee_kind",
    "fee_size_band",
    "incident_month",
    "status",
    "workaround",
    "buyer_name",
    "buyer_industry",
)
REPORT_OPTIONS = ("draft", "redact", "send_to_review")
MAX_REDACT_KEYS = 1_000
MAX_KEY_LENGTH = 100
MAX_ID_LENGTH = 64

PATHS = {
    "report_id": "The report's public id.",
    "comment_id": "The comment's public id.",
    "question_id": "The question's public id.",
    "kind": "hit_too or workaround_worked.",
    "portal_slug": "The portal's slug (a merged portal answers as the one it joined).",
    "slug": "The group's slug.",
}
REWORDING = (
    ' Flagged wording answers 422 with code "needs_rewording" and the flags (see the '
    "NeedsRewording schema) unless send_to_review is true."
)
DISCUSSION_ERRORS = (403,)


# --- reading input ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """How to save: as a draft, what to redact (None: everything found), review or not."""

    draft: bool | None
    redact: list[str] | None
    send_to_review: bool


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """A field we do not know is refused, so a typo cannot silently drop an input."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown field '{unknown[0]}'.")


def _flag(data: Mapping[str, Any], name: str, default: bool | None = False) -> bool | None:
    value = data.get(name)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValidationError(name, f"'{name}' must be true or false.")
    return value


def _text(data: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(name, f"'{name}' must be text.")
    return value


def _id(data: Mapping[str, Any], name: str) -> str:
    value = _text(data, name, required=True).strip()
    if not value or len(value) > MAX_ID_LENGTH:
        raise ValidationError(name, f"'{name}' must be a public id.")
    return value


def _enum(value: Any, name: str, enum_cls: type[LabelledEnum]) -> Any:
    if isinstance(value, str):
        try:
            return enum_cls(value)
        except ValueError:
            pass
    allowed = ", ".join(member.value for member in enum_cls)
    raise ValidationError(name, f"'{name}' must be one of: {allowed}.")


def _redact(data: Mapping[str, Any]) -> list[str] | None:
    """``"all"`` (or nothing) -> None, which the services read as "redact everything found";
    otherwise the list of finding keys to redact."""
    value = data.get("redact")
    if value is None or value == "all":
        return None
    if (
        not isinstance(value, list)
        or len(value) > MAX_REDACT_KEYS
        or not all(isinstance(key, str) and len(key) <= MAX_KEY_LENGTH for key in value)
    ):
        raise ValidationError("redact", "'redact' must be \"all\" or a list of finding keys.")
    return value


def _options(data: Mapping[str, Any], *, draft_default: bool | None = False) -> Options:
    return Options(
        draft=_flag(data, "draft", draft_default),
        redact=_redact(data),
        send_to_review=bool(_flag(data, "send_to_review")),
    )


def _report_input(data: Mapping[str, Any]) -> dict[str, Any]:
    """The report fields of a body; every one must be text or null (the services check the
    values: lengths, bands, categories, months, the group's naming policy)."""
    _only(data, (*REPORT_FIELDS, *REPORT_OPTIONS))
    fields = {name: data[name] for name in REPORT_FIELDS if name in data}
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise ValidationError(name, f"'{name}' must be text.")
    return fields


def _check_redact_keys(wanted: list[str] | None, found: Iterable[str]) -> None:
    """Keys that do not match the text any more mean the client previewed other text: refuse,
    rather than publish findings the author never saw."""
    if wanted is None:
        return
    stale = sorted(set(wanted) - set(found))
    if stale:
        raise ValidationError(
            "redact",
            f"These keys do not match the text (preview it again): {', '.join(stale[:5])}.",
        )


def _normal(text: str) -> str:
    """What the services store of a text, so preview keys match theirs."""
    return text.replace("\r\n", "\n").strip()


# --- loading what is acted on -----------------------------------------------------------------


def _report(report_id: str) -> Report:
    return queries.get_report(api_user(), report_id)


def _own_report(report_id: str) -> Report:
    report = _report(report_id)
    if not is_author(api_user(), report):
        raise NotFound("No such report.")  # the same answer as for a report that does not exist
    return report


def _comment_of(report: Report, comment_id: str) -> ReportComment:
    comment = next((c for c in report.comments if c.public_id == comment_id), None)
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def _question_of(report: Report, question_id: str) -> ReportQuestion:
    question = next((q for q in report.questions if q.public_id == question_id), None)
    if question is None:
        raise NotFound("No such question.")
    return question


def _group_of_request(data: Mapping[str, Any]) -> CreditGroup:
    """The group named by ``group`` (422 when missing, 404 when not one the caller sees)."""
    slug = data.get("group")
    if slug is None or (isinstance(slug, str) and not slug.strip()):
        raise ValidationError("group", "'group' is required: the slug of one of your groups.")
    if not isinstance(slug, str):
        raise ValidationError("group", "'group' must be text.")
    return get_visible_group(api_user(), slug.strip())


# --- shaping output (through the presenters only) ---------------------------------------------


def _me(report: Report) -> str:
    """The caller's pseudonym in the report's group: compared with, never shown."""
    return contributor(api_user(), report.group_id).person


def _comment(comment: ReportComment) -> dict[str, Any]:
    labels = presenters.discussion_labels(comment.report)
    view = presenters.comment_view(comment, labels, _me(comment.report))
    return {**view, "state": comment.state.value}


def _question(question: ReportQuestion) -> dict[str, Any]:
    report = question.report
    return presenters.question_view(question, _me(report), is_author(api_user(), report))


def _confirmations(report: Report) -> dict[str, Any]:
    detail = presenters.report_detail(api_user(), report)
    return {
        "report": detail["id"],
        "hit_too": detail["hit_too"],
        "workaround_worked": detail["workaround_worked"],
        "company_confirmed": detail["viewer"]["company_confirmed"],
    }


def _my_report(report: Report) -> dict[str, Any]:
    detail = presenters.report_detail(api_user(), report)
    summary_keys = presenters.report_summary(report, counts={}).keys()
    return {
        **{key: detail[key] for key in summary_keys},
        "merged_into": detail["merged_into"],
        "facilitator_note": detail.get("facilitator_note"),
        "review_flags": detail.get("review_flags", []),
        "questions_waiting": sum(1 for q in detail["questions"] if q["can_answer"]),
    }


def _review_report(report: Report) -> dict[str, Any]:
    detail = presenters.report_detail(api_user(), report)
    detail.pop("facilitator_note", None)
    return {**detail, "review_flags": report.review_flags or []}


def _review_comment(comment: ReportComment, counts: dict | None = None) -> dict[str, Any]:
    # No labels: in the queue every author is just "Member", the facilitator learns nothing.
    view = presenters.comment_view(comment, {}, "")
    return {
        **view,
        "state": comment.state.value,
        "review_flags": comment.review_flags or [],
        "report": presenters.report_summary(comment.report, counts),
    }


def _portal(portal) -> dict[str, Any]:
    return {
        "slug": portal.slug,
        "name": portal.name,
        "vendor": portal.vendor,
        "aliases": list(portal.aliases or []),
        "website": portal.website,
        "description": portal.description,
        "fees_summary": portal.fees_summary,
        "listed": portal.listed,
    }


def _summaries(reports: list[Report]) -> list[dict[str, Any]]:
    """Summaries of many reports with their confirmation counts read in one query (the
    presenter alone would ask once per report)."""
    rows = db.session.execute(
        sa.select(ReportConfirmation.report_id, ReportConfirmation.kind, sa.func.count())
        .where(ReportConfirmation.report_id.in_([r.id for r in reports]))
        .group_by(ReportConfirmation.report_id, ReportConfirmation.kind)
    ).all()
    counts: dict[int, dict[ConfirmationKind, int]] = {}
    for report_id, kind, n in rows:
        counts.setdefault(report_id, {})[kind] = n
    return [presenters.report_summary(r, counts.get(r.id, {})) for r in reports]


def _findings(preview: authoring.Preview) -> dict[str, list[dict[str, str]]]:
    return {
        name: [
            {"key": f"{name}:{f.key}", "kind": f.kind, "label": f.label, "text": f.text}
            for f in found
        ]
        for name, found in preview.findings.items()
    }


def _flags(flags: Iterable[Any]) -> list[dict[str, str]]:
    return [flag.as_dict() for flag in flags]


def _done(payload: Any, status: int = 200):
    db.session.commit()
    return jsonify(payload), status


# --- the portal catalogue ---------------------------------------------------------------------


@bp.get("/portals")
@operation(
    summary="The portal catalogue",
    description="Portals of the association's catalogue, by name. Name one of them (slug, "
    "name or alias) when posting a report.",
    tags=["portals"],
    response=page_of("Portal"),
    example=page_example(examples.PORTAL_EXAMPLE, "/portals"),
    paginated=True,
)
def list_portals():
    page = paginate_list(portals.catalogue(), page_params())
    return jsonify(page_response(page, _portal))


@bp.get("/portals/<portal_slug>")
@operation(
    summary="One portal",
    description="A portal with the open reports of your groups about it and, per group, how "
    "many reports each category has (hidden below the group's anonymity threshold).",
    tags=["portals"],
    response=ref("PortalDetail"),
    example=examples.PORTAL_DETAIL_EXAMPLE,
    path_params=PATHS,
)
def portal_detail(portal_slug: str):
    user, portal = api_user(), portals.get_portal(portal_slug)
    counts = [
        {
            "group": cell.group.slug,
            "group_name": cell.group.name,
            "anonymity_threshold": cell.threshold,
            "counts": [
                {
                    "category": c.category.value,
                    "category_label": c.category.label,
                    "reports": c.reports,
                }
                for c in cell.cells
            ],
        }
        for cell in portal_stats.category_counts(user, portal)
    ]
    return jsonify(
        {
            **_portal(portal),
            "open_reports": portal_stats.open_reports(user, portal),
            "open_reports_total": portal_stats.open_report_count(user, portal),
            "category_counts": counts,
        }
    )


# --- reports ----------------------------------------------------------------------------------

LIST_PARAMS = [
    {
        "name": "group",
        "in": "query",
        "required": True,
        "description": "The group's slug (required).",
        "schema": {"type": "string"},
    },
    query_param("portal", "A portal's slug.", {"type": "string"}),
    query_param("category", "A problem category.", examples.SUMMARY_PROPERTIES["category"]),
    query_param("status", "A status.", examples.SUMMARY_PROPERTIES["status"]),
    query_param(
        "buyer", "Part of the customer's name or industry, as the group allows.", {"type": "string"}
    ),
    query_param("since", "Incidents from this month (YYYY-MM).", {"type": "string"}),
    query_param("until", "Incidents up to this month (YYYY-MM).", {"type": "string"}),
    query_param("q", "Words in the title, text or error message.", {"type": "string"}),
    query_param(
        "sort", "Order.", {"type": "string", "enum": list(queries.SORTS), "default": "newest"}
    ),
]


@bp.get("/reports")
@operation(
    summary="Reports of a group",
    description="Published reports of one of your groups, filtered, sorted and paginated. "
    "`group` is required (422 without it); a group you cannot see answers 404.",
    tags=["reports"],
    response=page_of("ReportSummary"),
    example=page_example(examples.REPORT_SUMMARY_EXAMPLE, "/reports"),
    paginated=True,
    params=LIST_PARAMS,
)
def list_reports():
    user = api_user()
    group = _group_of_request(request.args)
    args = request.args.to_dict()
    if group.customer_naming is CustomerNaming.NOT_NAMED:
        args.pop("buyer", None)  # nothing to filter on: the group never names customers
    filters = queries.ReportFilters.from_args(args)
    params = page_params()
    _, found = queries.list_reports(
        user, group.slug, filters, page=params.page, per_page=params.per_page
    )
    page = Page(items=_summaries(found.items), params=params, total=found.total)
    return jsonify(page_response(page, dict))


@bp.get("/reports/<report_id>")
@operation(
    summary="One report",
    description="A published report of your groups, or one of your own in any state, with "
    "its discussion. Authors appear only as labels. A merged report answers with its "
    "`merged_into`.",
    tags=["reports"],
    response=ref("ReportDetail"),
    example=examples.REPORT_DETAIL_EXAMPLE,
    path_params=PATHS,
)
def report_detail(report_id: str):
    return jsonify(presenters.report_detail(api_user(), _report(report_id)))


def _save(group, data: Mapping[str, Any], options: Options, report: Report | None) -> Report:
    """Keep as a draft, or publish after checking the client's redaction keys."""
    user = api_user()
    if options.draft:
        return authoring.save_draft(user, group, data, report=report)
    if options.redact is not None:
        authoring.require_member(user, group)
        fields = clean_report_fields(group, data)
        texts = {name: fields[name] for name in SCRUBBED_FIELDS}
        _check_redact_keys(options.redact, authoring.preview_texts(user, group, texts).all_keys)
    return authoring.publish_report(
        user,
        group,
        data,
        report=report,
        redact_keys=options.redact,
        send_to_review=options.send_to_review,
    )


@bp.post("/reports")
@operation(
    summary="Post a report",
    description="Post a report into one of your groups (members only), or keep it as a "
    'draft with "draft": true. What could identify you is redacted ("redact": "all", the '
    "default) or exactly the findings you list (keys from POST /reports/preview)." + REWORDING,
    tags=["reports"],
    status=201,
    response_description="The report as it now stands (published, in review or a draft).",
    response=ref("ReportDetail"),
    example=examples.OWN_REPORT_EXAMPLE,
    body=ref("NewReport"),
    body_example=examples.NEW_REPORT_EXAMPLE,
    errors=[403],
)
def create_report():
    body = json_body()
    data = _report_input(body)
    options = _options(body)
    group = _group_of_request(data)
    report = _save(group, data, options, None)
    return _done(presenters.report_detail(api_user(), report), 201)


@bp.post("/reports/preview")
@operation(
    summary="Preview a report",
    description="Saves nothing. What the scrubber found that could identify you (each with "
    "the key to list in `redact`), the wording the antitrust check flags, and similar "
    "reports you might confirm instead.",
    tags=["reports"],
    response=ref("Preview"),
    example=examples.PREVIEW_EXAMPLE,
    body=ref("NewReport"),
    body_example=examples.NEW_REPORT_EXAMPLE,
    errors=[403],
)
def preview_report():
    user = api_user()
    body = json_body()
    data = _report_input(body)
    _options(body)  # refuse malformed options here too, not only when posting
    group = _group_of_request(data)
    authoring.require_member(user, group)
    fields = clean_report_fields(group, data)
    portal_name = _text(data, "portal").strip()
    if not portal_name:
        raise ValidationError("portal", "Choose the portal, or type its name.")
    preview = authoring.preview_texts(user, group, {n: fields[n] for n in SCRUBBED_FIELDS})
    portal = portals.find_portal(portal_name)
    similar = queries.similar_reports(
        user,
        group,
        portal_id=portal.id if portal else None,
        category=fields["category"].value,
        title=fields["title"],
    )
    return jsonify(
        {
            "findings": _findings(preview),
            "flags": _flags(preview.flags),
            "similar": [presenters.report_summary(r) for r in similar],
        }
    )


def _current_input(report: Report) -> dict[str, Any]:
    """The report's fields as a body would give them, so a PATCH changes only what it names.
    The customer comes through the presenter: a name the group no longer shows is dropped."""

    def key(member: LabelledEnum | None) -> str | None:
        return member.value if member is not None else None

    month = report.incident_month
    return {
        "portal": report.portal.slug,
        "category": report.category.value,
        "title": report.title,
        "body": report.body,
        "error_message": report.error_message,
        "channel": key(report.channel),
        "invoices_band": key(report.invoices_band),
        "amount_band": key(report.amount_band),
        "fee_kind": key(report.fee_kind),
        "fee_size_band": key(report.fee_size_band),
        "incident_month": month.strftime("%Y-%m") if month else None,
        "status": report.status.value,
        "workaround": report.workaround,
        **presenters.buyer_fields(report),
    }


@bp.patch("/reports/<report_id>")
@operation(
    summary="Change your report",
    description="Edit or publish your own report: the fields given replace the current ones. "
    'A draft stays a draft unless "draft" is false; a published report is checked and '
    "scrubbed again. Anyone else's report answers 404." + REWORDING,
    tags=["reports"],
    response=ref("ReportDetail"),
    example=examples.OWN_REPORT_EXAMPLE,
    body=ref("ReportChanges"),
    body_example=examples.REPORT_CHANGES_EXAMPLE,
    path_params=PATHS,
)
def update_report(report_id: str):
    report = _own_report(report_id)
    body = json_body()
    changes = _report_input(body)
    if changes.pop("group", report.group.slug) != report.group.slug:
        raise ValidationError("group", "A report stays in the group it was written for.")
    options = _options(body, draft_default=report.state is ContributionState.DRAFT)
    data = {**_current_input(report), **changes}
    saved = _save(report.group, data, options, report)
    return _done(presenters.report_detail(api_user(), saved))


@bp.post("/reports/<report_id>/withdraw")
@operation(
    summary="Withdraw your report",
    description="Nobody else sees it any more; a draft is deleted. Anyone else's report "
    "answers 404.",
    tags=["reports"],
    response=ref("Withdrawn"),
    example=examples.WITHDRAWN_EXAMPLE,
    path_params=PATHS,
)
def withdraw_report(report_id: str):
    report = _report(report_id)
    was_draft = report.state is ContributionState.DRAFT
    authoring.withdraw_report(api_user(), report)
    return _done({"id": report_id, "state": "deleted" if was_draft else "withdrawn"})


@bp.post("/reports/<report_id>/status")
@operation(
    summary="Change a report's status",
    description="Open, workaround found, resolved or no longer occurs: the reporter or a "
    "facilitator, on a published report.",
    tags=["reports"],
    response=ref("ReportDetail"),
    example=examples.REPORT_DETAIL_EXAMPLE,
    body=ref("StatusChange"),
    body_example={"status": "resolved"},
    path_params=PATHS,
    errors=[403],
)
def change_report_status(report_id: str):
    report = _report(report_id)
    body = json_body()
    _only(body, ("status",))
    status = _enum(body.get("status"), "status", ReportStatus)
    authoring.change_status(api_user(), report, status)
    return _done(presenters.report_detail(api_user(), report))


# --- my own -----------------------------------------------------------------------------------


@bp.get("/my/reports")
@operation(
    summary="Your reports",
    description="Everything you wrote, in every state (drafts, waiting for review, not "
    "published, published, withdrawn, merged), newest first, with the facilitator's note.",
    tags=["my"],
    response=page_of("MyReport"),
    example=page_example(examples.MY_REPORT_EXAMPLE, "/my/reports"),
    paginated=True,
)
def my_reports():
    params = page_params()
    page = paginate_list(authoring.drafts_and_own_reports(api_user()), params)
    queries.load_discussions(list(page.items))
    return jsonify(page_response(page, _my_report))


def _own_comments_waiting() -> list[ReportComment]:
    user = api_user()
    pseudonyms = [contributor(user, g.id).person for g in visible_groups(user)]
    if not pseudonyms:
        return []
    waiting = (ContributionState.IN_REVIEW, ContributionState.REJECTED)
    return list(
        db.session.scalars(
            sa.select(ReportComment)
            .where(
                ReportComment.author_pseudonym.in_(pseudonyms),
                ReportComment.state.in_(waiting),
            )
            .order_by(ReportComment.posted_on.desc(), ReportComment.id.desc())
        )
    )


def _my_comment(comment: ReportComment) -> dict[str, Any]:
    return {
        **_comment(comment),
        "facilitator_note": comment.facilitator_note or None,
        "review_flags": comment.review_flags or [],
        "report": presenters.report_summary(comment.report),
    }


@bp.get("/my/comments")
@operation(
    summary="Your comments waiting or not published",
    description="Your comments that wait for the facilitator or were not published, with "
    "the facilitator's note.",
    tags=["my"],
    response=page_of("MyComment"),
    example=page_example(examples.MY_COMMENT_EXAMPLE, "/my/comments"),
    paginated=True,
)
def my_comments():
    page = paginate_list(_own_comments_waiting(), page_params())
    return jsonify(page_response(page, _my_comment))


# --- discussion -------------------------------------------------------------------------------


@bp.get("/reports/<report_id>/comments")
@operation(
    summary="A report's discussion",
    description="Published comments, oldest first. People appear as labels consistent "
    'within this report only ("Reporter", "Member A", "Facilitator").',
    tags=["discussion"],
    response=page_of("Comment"),
    example=page_example(examples.COMMENT_EXAMPLE, "/reports/q7Ry2mXc9LkPw3Va/comments"),
    paginated=True,
    path_params=PATHS,
)
def list_comments(report_id: str):
    params = page_params()
    detail = presenters.report_detail(api_user(), _report(report_id))
    return jsonify(page_response(paginate_list(detail["comments"], params), dict))


def _comment_body(data: Mapping[str, Any]) -> str:
    return _normal(_text(data, "body"))


@bp.post("/reports/<report_id>/comments")
@operation(
    summary="Comment on a report",
    description="Members and the group's facilitators, on a published report. Scrubbed like a "
    "report (`redact`)." + REWORDING,
    tags=["discussion"],
    status=201,
    response=ref("PostedComment"),
    example=examples.POSTED_COMMENT_EXAMPLE,
    body=ref("NewComment"),
    body_example={"body": "Same here since March; the payloadID fix worked for us too."},
    path_params=PATHS,
    errors=DISCUSSION_ERRORS,
)
def create_comment(report_id: str):
    user, report = api_user(), _report(report_id)
    body = json_body()
    _only(body, ("body", "redact", "send_to_review"))
    text, options = _comment_body(body), _options(body)
    if options.redact is not None:
        preview = authoring.preview_texts(user, report.group, {"body": text})
        _check_redact_keys(options.redact, preview.all_keys)
    comment = discussion.post_comment(
        user, report, text, redact_keys=options.redact, send_to_review=options.send_to_review
    )
    return _done(_comment(comment), 201)


@bp.post("/reports/<report_id>/comments/preview")
@operation(
    summary="Preview a comment",
    description="Saves nothing: what could identify you (with keys for `redact`) and the "
    "wording the antitrust check flags.",
    tags=["discussion"],
    response=ref("CommentPreview"),
    example=examples.COMMENT_PREVIEW_EXAMPLE,
    body=ref("NewComment"),
    body_example={"body": "I think we should all stop using this portal."},
    path_params=PATHS,
)
def preview_comment(report_id: str):
    user, report = api_user(), _report(report_id)
    body = json_body()
    _only(body, ("body", "redact", "send_to_review"))
    text = _comment_body(body)
    if not text:
        raise ValidationError("body", "Write something first.")
    preview = authoring.preview_texts(user, report.group, {"body": text})
    return jsonify({"findings": _findings(preview), "flags": _flags(preview.flags)})


@bp.post("/reports/<report_id>/comments/<comment_id>/workaround")
@operation(
    summary="Mark the workaround",
    description="The reporter marks (or unmarks) the comment whose workaround solved it.",
    tags=["discussion"],
    response=ref("PostedComment"),
    example={**examples.POSTED_COMMENT_EXAMPLE, "is_mine": False, "is_workaround": True},
    body=ref("WorkaroundMark"),
    body_example={"value": True},
    path_params=PATHS,
    errors=DISCUSSION_ERRORS,
)
def mark_workaround(report_id: str, comment_id: str):
    report = _report(report_id)
    comment = _comment_of(report, comment_id)
    body = json_body()
    _only(body, ("value",))
    if not isinstance(body.get("value"), bool):
        raise ValidationError("value", "'value' must be true or false.")
    discussion.mark_workaround(api_user(), report, comment, body["value"])
    return _done(_comment(comment))


@bp.post("/reports/<report_id>/comments/<comment_id>/withdraw")
@operation(
    summary="Withdraw your comment",
    description="Your own comment only; anyone else's answers 404.",
    tags=["discussion"],
    response=ref("Withdrawn"),
    example={"id": "Hc4nV8sQ2wEr6tYb", "state": "withdrawn"},
    path_params=PATHS,
)
def withdraw_comment(report_id: str, comment_id: str):
    comment = _comment_of(_report(report_id), comment_id)
    discussion.withdraw_comment(api_user(), comment)
    return _done({"id": comment_id, "state": "withdrawn"})


def _kind(kind: str) -> ConfirmationKind:
    return _enum(kind, "kind", ConfirmationKind)


@bp.put("/reports/<report_id>/confirmations/<kind>")
@operation(
    summary="Confirm a report",
    description='"We hit this too" (hit_too) or "the workaround worked for us" '
    "(workaround_worked), for your member company: one of each per company (a second is "
    "409). The reporting company cannot say it hit its own problem too.",
    tags=["discussion"],
    status=201,
    response=ref("Confirmations"),
    example=examples.CONFIRMATIONS_EXAMPLE,
    path_params=PATHS,
    errors=[403, 409, 422],
)
def confirm_report(report_id: str, kind: str):
    report = _report(report_id)
    discussion.confirm(api_user(), report, _kind(kind))
    return _done(_confirmations(report), 201)


@bp.delete("/reports/<report_id>/confirmations/<kind>")
@operation(
    summary="Take back a confirmation",
    description="Anyone of the confirming company can take the company's confirmation back.",
    tags=["discussion"],
    response=ref("Confirmations"),
    example={**examples.CONFIRMATIONS_EXAMPLE, "hit_too": 2, "company_confirmed": []},
    path_params=PATHS,
    errors=[422],
)
def unconfirm_report(report_id: str, kind: str):
    report = _report(report_id)
    discussion.withdraw_confirmation(api_user(), report, _kind(kind))
    return _done(_confirmations(report))


@bp.get("/reports/<report_id>/questions")
@operation(
    summary="Questions to the reporter",
    description="The reporter sees every question; others their own and the answers the "
    "reporter shared with the group. Nobody learns who asked or who answers.",
    tags=["discussion"],
    response=page_of("Question"),
    example=page_example(examples.QUESTION_EXAMPLE, "/reports/q7Ry2mXc9LkPw3Va/questions"),
    paginated=True,
    path_params=PATHS,
)
def list_questions(report_id: str):
    params = page_params()
    detail = presenters.report_detail(api_user(), _report(report_id))
    return jsonify(page_response(paginate_list(detail["questions"], params), dict))


@bp.post("/reports/<report_id>/questions")
@operation(
    summary="Ask the reporter",
    description="The question reaches the reporter (in the platform and by email) without "
    "telling them who asked. What could identify you is redacted (`redact`).",
    tags=["discussion"],
    status=201,
    response=ref("Question"),
    example={**examples.QUESTION_EXAMPLE, "answer": None, "answered_on": None},
    body=ref("NewQuestion"),
    body_example={"body": "Which cXML version did you send?"},
    path_params=PATHS,
)
def ask_reporter(report_id: str):
    user, report = api_user(), _report(report_id)
    body = json_body()
    _only(body, ("body", "redact"))
    text, redact = _comment_body(body), _redact(body)
    if redact is not None:
        _check_redact_keys(
            redact, authoring.preview_texts(user, report.group, {"body": text}).all_keys
        )
    question = discussion.ask_reporter(user, report, text, redact_keys=redact)
    return _done(_question(question), 201)


@bp.post("/reports/<report_id>/questions/<question_id>/answer")
@operation(
    summary="Answer a question",
    description="The reporter answers: to the asker only, or shared with the group "
    "(`share_with_group`; then the wording check applies, and flagged wording answers 422 "
    'with code "needs_rewording" and the flags).',
    tags=["discussion"],
    response=ref("Question"),
    example={**examples.QUESTION_EXAMPLE, "is_mine": False},
    body=ref("Answer"),
    body_example={"answer": "1.2.060", "share_with_group": True},
    path_params=PATHS,
)
def answer_question(report_id: str, question_id: str):
    user, report = api_user(), _report(report_id)
    question = _question_of(report, question_id)
    body = json_body()
    _only(body, ("answer", "share_with_group", "redact"))
    answer = _normal(_text(body, "answer"))
    share, redact = bool(_flag(body, "share_with_group")), _redact(body)
    if redact is not None:
        found = authoring.preview_texts(user, report.group, {"answer": answer}).all_keys
        _check_redact_keys(redact, found)
    discussion.answer_question(user, question, answer, share_with_group=share, redact_keys=redact)
    return _done(_question(question))


# --- the facilitator's review -----------------------------------------------------------------


@bp.get("/groups/<slug>/review")
@operation(
    summary="The review queue",
    description="Reports and comments waiting for the group's facilitators, oldest first: "
    "their content and what was flagged, never who wrote them.",
    tags=["review"],
    response=ref("ReviewQueue"),
    example=examples.REVIEW_QUEUE_EXAMPLE,
    path_params=PATHS,
    errors=[403],
)
def review_queue(slug: str):
    queue = review.review_queue(api_user(), slug)
    queries.load_discussions(queue.reports)
    counts = discussion.confirmation_counts_of([c.report_id for c in queue.comments])
    return jsonify(
        {
            "group": queue.group.slug,
            "reports": [_review_report(r) for r in queue.reports],
            "comments": [_review_comment(c, counts.get(c.report_id, {})) for c in queue.comments],
        }
    )


def _edits(data: Mapping[str, Any]) -> dict[str, str]:
    edits = data.get("edits")
    if edits is None:
        return {}
    if not isinstance(edits, dict):
        raise ValidationError("edits", "'edits' must be an object of texts.")
    _only(edits, SCRUBBED_FIELDS)
    for name, value in edits.items():
        if value is not None and not isinstance(value, str):
            raise ValidationError(name, f"'{name}' must be text.")
    return edits


@bp.post("/reports/<report_id>/review")
@operation(
    summary="Review a report",
    description="Facilitators: approve a report from the queue (optionally with edits), "
    "reject it (a note to the author is required; also takes a published report down), "
    "or moderate a published report's text. Audited; the note reaches the author without "
    "you learning who they are.",
    tags=["review"],
    response=ref("ReviewReport"),
    example={**examples.REVIEW_REPORT_EXAMPLE, "state": "published", "review_flags": []},
    body=ref("ReportReview"),
    body_example={"action": "approve", "note": "Reworded one sentence.", "edits": {}},
    path_params=PATHS,
    errors=[403],
)
def review_report(report_id: str):
    user, report = api_user(), _report(report_id)
    body = json_body()
    _only(body, ("action", "note", "edits"))
    action = body.get("action")
    if action not in examples.REVIEW_ACTIONS:
        raise ValidationError("action", "'action' must be one of: approve, reject, moderate.")
    note, edits = _text(body, "note"), _edits(body)
    if action == "approve":
        review.approve_report(user, report, edits=edits, note=note)
    elif action == "reject":
        review.reject_report(user, report, note=note)
    else:
        review.moderate_report(user, report, edits=edits, note=note)
    return _done(_review_report(report))


@bp.post("/reports/<report_id>/merge")
@operation(
    summary="Merge a duplicate",
    description="Facilitators: fold a published report into the published report it repeats "
    "(same group). Confirmations carry over, one per company. Answers the target report.",
    tags=["review"],
    response=ref("ReportDetail"),
    example=examples.REPORT_DETAIL_EXAMPLE,
    body=ref("Merge"),
    body_example={"into": "q7Ry2mXc9LkPw3Va"},
    path_params=PATHS,
    errors=[403],
)
def merge_report(report_id: str):
    user, duplicate = api_user(), _report(report_id)
    require_facilitator(user, duplicate.group)
    body = json_body()
    _only(body, ("into",))
    into = _id(body, "into")
    try:
        target = queries.get_report(user, into)
    except NotFound:
        raise ValidationError("into", "No such report in this group.") from None
    try:
        review.merge_reports(user, duplicate, target)
    except ValidationError as error:
        if error.field == "target":
            raise ValidationError("into", error.message) from None
        raise
    return _done(presenters.report_detail(user, target))


def _reviewable_comment(comment_id: str) -> ReportComment:
    comment = db.session.scalar(
        sa.select(ReportComment).where(ReportComment.public_id == comment_id)
    )
    if comment is None or not can_view_group(api_user(), comment.report.group):
        raise NotFound("No such comment.")
    return comment


@bp.post("/comments/<comment_id>/review")
@operation(
    summary="Review a comment",
    description="Facilitators: approve a comment from the queue (optionally reworded with "
    "`body`) or reject it (a note to the author is required). Audited.",
    tags=["review"],
    response=ref("ReviewComment"),
    example={**examples.REVIEW_COMMENT_EXAMPLE, "state": "published", "review_flags": []},
    body=ref("CommentReview"),
    body_example={"action": "reject", "note": "Facts only, please."},
    path_params=PATHS,
    errors=[403],
)
def review_comment(comment_id: str):
    user, comment = api_user(), _reviewable_comment(comment_id)
    body = json_body()
    _only(body, ("action", "note", "body"))
    action = body.get("action")
    if action not in examples.COMMENT_REVIEW_ACTIONS:
        raise ValidationError("action", "'action' must be one of: approve, reject.")
    note, text = _text(body, "note"), body.get("body")
    if text is not None and not isinstance(text, str):
        raise ValidationError("body", "'body' must be text.")
    if action == "approve":
        review.approve_comment(user, comment, body=text)
    else:
        review.reject_comment(user, comment, note=note)
    return _done(_review_comment(comment))


# --- errors -----------------------------------------------------------------------------------


@bp.errorhandler(authoring.NeedsRewording)
def _needs_rewording(error: authoring.NeedsRewording):
    """Flagged wording: 422 with the flags, so the client can show which sentence and why."""
    db.session.rollback()  # nothing half-saved (a portal a member just named, for one)
    body = {
        "code": error.code,
        "message": error.message,
        "field": error.field,
        "flags": _flags(error.flags),
    }
    return jsonify(error=body), 422

"""The knowledge-base endpoints of /api/v1: articles (list, write, edit with a version so
nobody overwrites anybody silently, publish, archive, restore), their revisions, "worked for
us" verdicts and suggested edits.

Thin like the other API views: read the caller and the input, call one service of
``credgroup.kb``, commit once, answer JSON shaped by ``credgroup.kb.presenters`` only. A
refused request rolls back (the blueprint's error handler), so nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from flask import jsonify, request

from credgroup.api import kb_schemas as examples
from credgroup.api.auth import api_user
from credgroup.api.errors import json_body
from credgroup.api.openapi import operation, page_example, page_of, query_param, ref
from credgroup.api.pagination import page_params, page_response, paginate_list, paginate_select
from credgroup.api.schemas import SCHEMAS
from credgroup.api.views import bp
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.kb import articles, freshness, links, presenters, queries, suggestions
from credgroup.kb.diffing import unified_text
from credgroup.kb.inputs import CONTENT_FIELDS, content_of
from credgroup.kb.models import Article, EditSuggestion, FreshnessKind
from credgroup.kb.permissions import get_article
from credgroup.kb.revisions import EditConflict, get_revision, parse_version

# The shapes of these endpoints join the document's components.
SCHEMAS.update(examples.KB_SCHEMAS)

PATHS = {
    "article_id": "The article's public id.",
    "suggestion_id": "The suggestion's public id.",
}
CONTENT_KEYS = CONTENT_FIELDS
META_KEYS = ("portal", "buyer_name", "group")
TAGS = ["knowledge base"]


# --- reading input ---------------------------------------------------------------------------


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """A field we do not know is refused, so a typo cannot silently drop an input."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(unknown[0], f"Unknown field '{unknown[0]}'.")


def _flag(data: Mapping[str, Any], name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise ValidationError(name, f"'{name}' must be true or false.")
    return value


def _fields(data: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The article fields given; null means empty."""
    fields = {name: data[name] for name in names if name in data}
    for name, value in fields.items():
        if value is None:
            fields[name] = [] if name in ("categories", "channels", "tags") else ""
        elif name in ("categories", "channels", "tags") and not isinstance(value, list):
            raise ValidationError(name, f"'{name}' must be a list.")
    return fields


def _scope(data: Mapping[str, Any]):
    slug = data.get("group")
    if slug is not None and not isinstance(slug, str):
        raise ValidationError("group", "'group' must be a group's slug or null.")
    return articles.resolve_scope(api_user(), slug or None)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise ValidationError(name, f"'{name}' must be text.")
    return value


# --- shaping output (through the presenters only) ---------------------------------------------


def _detail(article: Article) -> dict[str, Any]:
    detail = presenters.article_detail(api_user(), article)
    reports = links.linked_reports(api_user(), article)
    detail["linked_reports"] = [
        {"id": r.public_id, "group": r.group.slug, "title": r.title} for r in reports
    ]
    return detail


def _done(payload: Any, status: int = 200):
    db.session.commit()
    return jsonify(payload), status


def _article(article_id: str) -> Article:
    return get_article(api_user(), article_id)


# --- articles -----------------------------------------------------------------------------------

LIST_PARAMS = [
    query_param("portal", "A portal's slug.", {"type": "string"}),
    query_param("category", "A problem category.", {"type": "string"}),
    query_param("channel", "A submission channel.", {"type": "string"}),
    query_param("tag", "A tag.", {"type": "string"}),
    query_param(
        "group",
        'A group\'s slug, or "association" for association-wide articles only.',
        {"type": "string"},
    ),
    query_param(
        "state",
        "published (default); draft or archived lists your own (staff: those you edit).",
        {"type": "string", "enum": list(queries.STATES), "default": "published"},
    ),
]


@bp.route("/articles", methods=["GET", "POST"])
@operation(
    method="GET",
    summary="Knowledge-base articles",
    description="Articles you may read (association-wide ones and your groups'), newest "
    "change first, filtered and paginated.",
    tags=TAGS,
    response=page_of("ArticleSummary"),
    example=page_example(examples.SUMMARY_EXAMPLE, "/articles"),
    paginated=True,
    params=LIST_PARAMS,
)
@operation(
    method="POST",
    summary="Write an article",
    description="A draft, or published at once with `publish`. `group` null writes for the "
    'whole association. Members may write anonymously (shown as "A member"). Unknown '
    "portals, categories or channels answer 422.",
    tags=TAGS,
    status=201,
    response=ref("ArticleDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("NewArticle"),
    body_example=examples.NEW_ARTICLE_EXAMPLE,
    errors=(403,),
)
def article_collection():
    if request.method == "POST":
        return _create_article()
    filters = queries.ArticleFilters.from_args(request.args)
    page = paginate_select(queries.articles_query(api_user(), filters), page_params())
    fresh = freshness.freshness_for(page.items)
    return jsonify(page_response(page, lambda a: presenters.article_summary(a, fresh[a.id])))


def _create_article():
    data = json_body()
    _only(data, (*CONTENT_KEYS, *META_KEYS, "anonymous", "publish"))
    if "title" not in data:
        raise ValidationError("title", "'title' is required.")
    article = articles.create_article(
        api_user(),
        _fields(data, (*CONTENT_KEYS, "portal", "buyer_name")),
        group=_scope(data),
        anonymous=_flag(data, "anonymous"),
        publish=_flag(data, "publish"),
    )
    return _done(_detail(article), 201)


@bp.route("/articles/<article_id>", methods=["GET", "PATCH"])
@operation(
    method="GET",
    summary="One article",
    tags=TAGS,
    response=ref("ArticleDetail"),
    example=examples.DETAIL_EXAMPLE,
    path_params=PATHS,
)
@operation(
    method="PATCH",
    summary="Edit an article",
    description="Send the `version` you edited; fields given replace the current ones and "
    "make a new revision. If someone saved since, the answer is 409 with code "
    "`edit_conflict`, the current version and their changes (see the EditConflict schema): "
    "nothing is overwritten. Only the article's author and its editors may edit; others "
    "suggest an edit.",
    tags=TAGS,
    response=ref("ArticleDetail"),
    example=examples.DETAIL_EXAMPLE,
    body=ref("ArticleChanges"),
    body_example=examples.CHANGES_EXAMPLE,
    path_params=PATHS,
    errors=(403, 409),
)
def article_item(article_id: str):
    article = _article(article_id)
    if request.method == "GET":
        return jsonify(_detail(article))
    data = json_body()
    _only(data, (*CONTENT_KEYS, *META_KEYS, "version", "summary"))
    if "version" not in data:
        raise ValidationError("version", "'version' is required: the version you edited.")
    articles.update_article(
        api_user(),
        article,
        _fields(data, (*CONTENT_KEYS, "portal", "buyer_name")),
        base_version=parse_version(data["version"]),
        summary=_text(data, "summary"),
        group=_scope(data) if "group" in data else articles.UNCHANGED,
    )
    return _done(_detail(article))


def _state_change(article_id: str, action) -> Any:
    article = _article(article_id)
    action(api_user(), article)
    return _done(_detail(article))


STATE_DOC = {
    "tags": TAGS,
    "response": ref("ArticleDetail"),
    "example": examples.DETAIL_EXAMPLE,
    "path_params": PATHS,
    "errors": (403,),
}


@bp.post("/articles/<article_id>/publish")
@operation(summary="Publish a draft", description="Needs a workaround.", **STATE_DOC)
def article_publish(article_id: str):
    return _state_change(article_id, articles.publish_article)


@bp.post("/articles/<article_id>/archive")
@operation(summary="Archive an article", description="Editors only; restorable.", **STATE_DOC)
def article_archive(article_id: str):
    return _state_change(article_id, articles.archive_article)


@bp.post("/articles/<article_id>/restore")
@operation(
    summary="Restore an archived article",
    description="Published again if it had been published, else a draft.",
    **STATE_DOC,
)
def article_restore(article_id: str):
    return _state_change(article_id, articles.restore_article)


@bp.get("/articles/<article_id>/revisions")
@operation(
    summary="An article's revisions",
    description="Every saved version, newest first, with its content.",
    tags=TAGS,
    response=page_of("ArticleRevision"),
    example=page_example(examples.REVISION_EXAMPLE, "/articles/b3Xy7Qw2LmNp9RtZ/revisions"),
    paginated=True,
    path_params=PATHS,
)
def article_revisions(article_id: str):
    article = _article(article_id)
    page = paginate_list(list(reversed(article.revisions)), page_params())
    return jsonify(page_response(page, presenters.revision_content))


@bp.post("/articles/<article_id>/confirmations")
@operation(
    summary='"Worked for us" or "No longer works"',
    description="Your company's current verdict (one per member company; a later one "
    "replaces it). Members only; published articles only.",
    tags=TAGS,
    response=ref("ArticleConfirmations"),
    example=examples.CONFIRMATIONS_EXAMPLE,
    body=ref("NewArticleConfirmation"),
    body_example={"kind": "worked"},
    path_params=PATHS,
    errors=(403,),
)
def article_confirm(article_id: str):
    article = _article(article_id)
    data = json_body()
    _only(data, ("kind",))
    try:
        kind = FreshnessKind(data.get("kind"))
    except ValueError:
        raise ValidationError("kind", "'kind' is worked or no_longer_works.") from None
    freshness.confirm_article(api_user(), article, kind)
    payload = {
        "article": article.public_id,
        "company_verdict": kind.value,
        "freshness": presenters.freshness_view(freshness.freshness(article)),
    }
    return _done(payload)


# --- suggested edits -----------------------------------------------------------------------------


@bp.route("/articles/<article_id>/suggestions", methods=["GET", "POST"])
@operation(
    method="GET",
    summary="Suggested edits of an article",
    description="Editors see all of them; anyone else only their own.",
    tags=TAGS,
    response=page_of("ArticleSuggestion"),
    example=page_example(examples.SUGGESTION_EXAMPLE, "/articles/b3Xy7Qw2LmNp9RtZ/suggestions"),
    paginated=True,
    path_params=PATHS,
)
@operation(
    method="POST",
    summary="Suggest an edit",
    description="For people who may read but not edit a published article. Give the "
    '`version` you read and the fields you would change; editors see "A member".',
    tags=TAGS,
    status=201,
    response=ref("ArticleSuggestion"),
    example=examples.SUGGESTION_EXAMPLE,
    body=ref("NewSuggestion"),
    body_example={"version": 3, "summary": "EDI users search for 810", "tags": ["edi 810"]},
    path_params=PATHS,
    errors=(409,),
)
def article_suggestions(article_id: str):
    article = _article(article_id)
    if request.method == "GET":
        found = suggestions.suggestions_for(api_user(), article)
        return jsonify(
            page_response(paginate_list(found, page_params()), presenters.suggestion_view)
        )
    data = json_body()
    _only(data, (*CONTENT_KEYS, "version", "summary"))
    if "version" not in data:
        raise ValidationError("version", "'version' is required: the version you read.")
    suggestion = suggestions.suggest_edit(
        api_user(),
        article,
        _fields(data, CONTENT_KEYS),
        base_version=parse_version(data["version"]),
        summary=_text(data, "summary"),
    )
    return _done(presenters.suggestion_view(suggestion), 201)


def _decide(suggestion_id: str, accept: bool):
    suggestion: EditSuggestion = suggestions.get_suggestion(api_user(), suggestion_id)
    data = json_body() if request.content_length else {}
    _only(data, ("note",))
    note = _text(data, "note")
    if accept:
        suggestions.accept_suggestion(api_user(), suggestion, note)
    else:
        suggestions.decline_suggestion(api_user(), suggestion, note)
    return _done(presenters.suggestion_view(suggestion))


DECISION_DOC = {
    "tags": TAGS,
    "response": ref("ArticleSuggestion"),
    "example": {**examples.SUGGESTION_EXAMPLE, "state": "accepted", "decided_on": "2026-03-06"},
    "body": ref("SuggestionDecision"),
    "body_example": {"note": "Thanks, added."},
    "path_params": PATHS,
    "errors": (403, 409),
}


@bp.post("/suggestions/<suggestion_id>/accept")
@operation(
    summary="Accept a suggested edit",
    description="The article's editors; makes a new revision. 409 when the fields it "
    "changes were changed by someone else since.",
    **DECISION_DOC,
)
def suggestion_accept(suggestion_id: str):
    return _decide(suggestion_id, accept=True)


@bp.post("/suggestions/<suggestion_id>/decline")
@operation(
    summary="Decline a suggested edit",
    description="The article's editors; `note` (required) tells the suggester why.",
    **DECISION_DOC,
)
def suggestion_decline(suggestion_id: str):
    return _decide(suggestion_id, accept=False)


# --- errors ------------------------------------------------------------------------------------


@bp.errorhandler(EditConflict)
def _edit_conflict(error: EditConflict):
    """Someone saved first: 409 with what they changed, so the client can merge."""
    db.session.rollback()
    article_id = (request.view_args or {}).get("article_id", "")
    article = db.session.scalar(sa.select(Article).where(Article.public_id == article_id))
    changes = ""
    if article is not None:
        base = get_revision(article, error.base_version)
        changes = unified_text(content_of(base), content_of(article))
    body = {
        "code": error.code,
        "message": error.message,
        "base_version": error.base_version,
        "current_version": error.current_version,
        "changes": changes,
    }
    return jsonify(error=body), 409

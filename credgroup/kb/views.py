"""Knowledge-base pages: the list, an article, writing and editing, publishing, archiving and
"worked for us". History, diffs and suggestions live in ``history_views``; the review list,
links to reports and exports in ``staff_views``. All share the blueprint ``bp``.

Views parse a form, call one service, commit, then redirect or render. When a service
refuses, the view rolls back (nothing half-saved) and shows the message next to the form
with the input kept. What a page shows about an article comes only from ``presenters``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, visible_groups
from credgroup.kb import articles, freshness, links, presenters, queries, suggestions
from credgroup.kb.diffing import diff_contents
from credgroup.kb.forms import (
    ArticleFilterForm,
    ArticleForm,
    ConfirmForm,
    apply_domain_error,
    article_values,
)
from credgroup.kb.inputs import content_of
from credgroup.kb.models import Article
from credgroup.kb.permissions import get_article, require_editor
from credgroup.kb.revisions import EditConflict, get_revision, parse_version
from credgroup.portals.models import Portal
from credgroup.portals.services import catalogue
from credgroup.reports import presenters as report_presenters

bp = Blueprint("kb", __name__)

PER_PAGE = 25


def rolls_back(view: Callable[..., Any]) -> Callable[..., Any]:
    """For action buttons: a refused action leaves nothing behind, then shows the error."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return view(*args, **kwargs)
        except DomainError:
            db.session.rollback()
            raise

    return wrapper


# --- partials other pages include ------------------------------------------------------------


@bp.app_template_global()
def kb_portal_articles(portal: Portal) -> dict[str, Any]:
    """The latest articles about a portal and how many there are in all, for
    templates/kb/_portal_articles.html."""
    found = queries.articles_for_portal(current_user, portal)
    fresh = freshness.freshness_for(found)
    return {
        "items": [presenters.article_summary(a, fresh[a.id]) for a in found],
        "total": queries.count_for_portal(current_user, portal) if found else 0,
    }


@bp.app_template_global()
def kb_linked_articles(report: Any) -> dict[str, Any]:
    """Articles linked to a report, and what the viewer may do, for _linked_articles.html."""
    found = links.linked_articles(current_user, report)
    return {
        "articles": [presenters.article_summary(a) for a in found],
        "can_link": is_facilitator(current_user, report.group),
        "has_workaround": bool(links.workaround_of(report)),
    }


# --- the list --------------------------------------------------------------------------------


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValidationError("page", "The page number must be a whole number from 1.")
    return int(raw)


@bp.get("/kb/")
@login_required
def article_list():
    groups = visible_groups(current_user)
    form = ArticleFilterForm.build(
        request.args, portals=catalogue(), groups=groups, tags=queries.all_tags(current_user)
    )
    page, filters, status = None, None, 200
    try:
        filters = queries.ArticleFilters.from_args(request.args)
        page = queries.list_articles(current_user, filters, page=_page_number(), per_page=PER_PAGE)
    except ValidationError as error:
        apply_domain_error(form, error)
        status = 400
    fresh = freshness.freshness_for(page.items) if page else {}
    return render_template(
        "kb/articles_list.html",
        form=form,
        page=page,
        summaries=[presenters.article_summary(a, fresh[a.id]) for a in page.items] if page else [],
        filters=filters.as_args() if filters else {},
        drafts=[presenters.article_summary(a) for a in queries.own_drafts(current_user)],
        waiting=len(suggestions.pending_suggestions(current_user)),
        is_staff=current_user.is_staff,
    ), status


# --- one article -----------------------------------------------------------------------------


def _detail_page(article: Article, status: int = 200, problem: str | None = None):
    detail = presenters.article_detail(current_user, article)
    editor = detail["viewer"]["can_edit"]
    own = suggestions.suggestions_for(current_user, article)
    return render_template(
        "kb/article_detail.html",
        article=article,
        a=detail,
        group=article.group,
        problem=problem,
        reports=report_presenters.report_summaries(links.linked_reports(current_user, article)),
        suggestions=[presenters.suggestion_view(s) for s in own],
        pending=sum(1 for s in own if s.state.value == "pending") if editor else 0,
        revisions=len(article.revisions),
        confirm_form=ConfirmForm(formdata=None),
    ), status


@bp.get("/kb/<public_id>")
@login_required
def article_detail(public_id: str):
    return _detail_page(get_article(current_user, public_id))


# --- writing and editing ---------------------------------------------------------------------


def _article_form(*, creating: bool, values: dict[str, Any] | None = None) -> ArticleForm:
    return ArticleForm.build(
        groups=visible_groups(current_user),
        portals=catalogue(),
        member=not current_user.is_staff and current_user.company_id is not None,
        creating=creating,
        values=values,
    )


def _form_page(form: ArticleForm, article: Article | None = None, status: int = 200, **extra):
    return render_template(
        "kb/article_edit.html",
        form=form,
        article=article,
        group=article.group if article else None,
        **extra,
    ), status


def _new_values() -> dict[str, Any]:
    """Preset the scope and portal from ?group= and ?portal= (links from other pages)."""
    return {
        "scope": request.args.get("group", "")[:80],
        "portal": request.args.get("portal", "")[:80],
        "anonymous": True,
    }


@bp.route("/kb/new", methods=["GET", "POST"])
@login_required
def article_create():
    if request.method == "GET":
        return _form_page(_article_form(creating=True, values=_new_values()))
    form = _article_form(creating=True)
    if not form.validate():
        return _form_page(form, status=422)
    publish = request.form.get("action") == "publish"
    try:
        group = articles.resolve_scope(current_user, form.scope.data)
        anonymous = bool(form.anonymous.data) if "anonymous" in form else False
        article = articles.create_article(
            current_user, form.article_data(), group=group, anonymous=anonymous, publish=publish
        )
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _form_page(form, status=error.status_code)
    db.session.commit()
    flash("The article is published." if publish else "Your draft is saved.", "success")
    return redirect(url_for(".article_detail", public_id=article.public_id))


@bp.route("/kb/<public_id>/edit", methods=["GET", "POST"])
@login_required
def article_edit(public_id: str):
    article = get_article(current_user, public_id)
    require_editor(current_user, article)
    if request.method == "GET":
        return _form_page(_article_form(creating=False, values=article_values(article)), article)
    form = _article_form(creating=False)
    if not form.validate():
        return _form_page(form, article, status=422)
    try:
        changed = articles.update_article(
            current_user,
            article,
            form.article_data(),
            base_version=parse_version(form.version.data),
            summary=form.summary.data or "",
            group=articles.resolve_scope(current_user, form.scope.data),
        )
    except EditConflict as conflict:
        return _conflict_page(public_id, form, conflict)
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _form_page(form, article, status=error.status_code)
    db.session.commit()
    flash("Saved as a new revision." if changed else "Nothing had changed.", "success")
    return redirect(url_for(".article_detail", public_id=public_id))


def _conflict_page(public_id: str, form: ArticleForm, conflict: EditConflict):
    """Someone saved first: show what they changed, keep the person's text, and let them
    save again on top of the current version (after they have seen it)."""
    db.session.rollback()
    article = get_article(current_user, public_id)
    base = get_revision(article, conflict.base_version)
    newer = [r for r in article.revisions if r.number > conflict.base_version]
    form.version.data = str(article.version)
    form.form_errors = [conflict.message]
    return _form_page(
        form,
        article,
        status=409,
        conflict={
            "base": conflict.base_version,
            "current": article.version,
            "revisions": [presenters.revision_view(r, article.version) for r in newer],
            "changes": diff_contents(content_of(base), content_of(article)),
        },
    )


# --- publishing, archiving, restoring --------------------------------------------------------


def _state_action(public_id: str, action: Callable[..., Article], message: str):
    article = get_article(current_user, public_id)
    try:
        action(current_user, article)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(
            get_article(current_user, public_id), error.status_code, problem=error.message
        )
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".article_detail", public_id=public_id))


@bp.post("/kb/<public_id>/publish")
@login_required
def article_publish(public_id: str):
    return _state_action(public_id, articles.publish_article, "The article is published.")


@bp.post("/kb/<public_id>/archive")
@login_required
def article_archive(public_id: str):
    return _state_action(public_id, articles.archive_article, "The article is archived.")


@bp.post("/kb/<public_id>/restore")
@login_required
def article_restore(public_id: str):
    return _state_action(public_id, articles.restore_article, "The article is back.")


# --- "worked for us" -------------------------------------------------------------------------


@bp.post("/kb/<public_id>/confirm")
@login_required
def article_confirm(public_id: str):
    article = get_article(current_user, public_id)
    try:
        if request.form.get("withdraw") == "1":
            freshness.withdraw_confirmation(current_user, article)
            message = "Your company's answer was taken back."
        else:
            kind = ConfirmForm().freshness_kind()
            freshness.confirm_article(current_user, article, kind)
            message = "Thank you: recorded for your company."
    except DomainError as error:
        db.session.rollback()
        return _detail_page(get_article(current_user, public_id), error.status_code, error.message)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".article_detail", public_id=public_id, _anchor="freshness"))


# The other pages register their routes on ``bp`` when imported.
from credgroup.kb import history_views, staff_views  # noqa: E402

__all__ = ["bp", "history_views", "staff_views"]

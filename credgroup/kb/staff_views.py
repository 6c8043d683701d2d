"""Pages for editors and facilitators: articles that need review, a report's workaround
turned into an article, links between articles and reports, and the exports."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import require_staff
from credgroup.kb import exporting, freshness, links, presenters
from credgroup.kb.forms import ArticleLinkForm, LinkForm
from credgroup.kb.permissions import get_article
from credgroup.kb.views import _detail_page, bp
from credgroup.reports.queries import get_report


@bp.get("/kb/review")
@login_required
def review_list():
    """Articles the facilitator edits that nobody confirmed lately or that stopped working."""
    require_staff(current_user)
    items = freshness.review_list(current_user)
    return render_template(
        "kb/review_list.html",
        items=[presenters.article_summary(a, fresh) for a, fresh in items],
    )


@bp.post("/reports/<public_id>/to-article")
@login_required
def report_to_article(public_id: str):
    report = get_report(current_user, public_id)
    try:
        article = links.report_to_article(current_user, report)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    flash("A draft article was written from the report's workaround. Check it, then publish.")
    return redirect(url_for(".article_edit", public_id=article.public_id))


@bp.post("/kb/<public_id>/links")
@login_required
def link_add(public_id: str):
    article = get_article(current_user, public_id)
    form = LinkForm()
    try:
        if not form.validate():
            raise _form_error(form)
        links.link_report(current_user, article, form.report.data)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(get_article(current_user, public_id), error.status_code, error.message)
    db.session.commit()
    flash("The report is linked.", "success")
    return redirect(url_for(".article_detail", public_id=public_id, _anchor="reports"))


def _form_error(form: LinkForm) -> DomainError:
    return ValidationError("report", " ".join(form.report.errors) or "Give the report's id.")


@bp.post("/kb/<public_id>/links/<report_id>/delete")
@login_required
def link_remove(public_id: str, report_id: str):
    article = get_article(current_user, public_id)
    try:
        links.unlink_report(current_user, article, report_id)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(get_article(current_user, public_id), error.status_code, error.message)
    db.session.commit()
    flash("The link is removed.", "success")
    return redirect(url_for(".article_detail", public_id=public_id, _anchor="reports"))


@bp.post("/reports/<public_id>/articles")
@login_required
def report_link_article(public_id: str):
    """From a report's page: link an article by its id (the article's editors)."""
    report = get_report(current_user, public_id)
    form = ArticleLinkForm()
    article_id = (form.article.data or "").strip().rstrip("/").rsplit("/", 1)[-1][:64]
    try:
        if not form.validate():
            raise ValidationError("article", "Give the article's id or address.")
        article = get_article(current_user, article_id)
        links.link_report(current_user, article, report.public_id)
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    flash("The article is linked.", "success")
    return redirect(url_for("reports.report_detail", public_id=public_id, _anchor="kb-articles"))


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/kb/export.jsonl")
@login_required
def export_jsonl():
    found = exporting.exportable_articles(current_user)
    return _download(exporting.to_jsonl(found), "application/x-ndjson", "articles.jsonl")


@bp.get("/kb/export.zip")
@login_required
def export_zip():
    found = exporting.exportable_articles(current_user)
    return _download(exporting.to_zip(found), "application/zip", "articles-markdown.zip")

"""An article's history: its revisions, the difference between any two, restoring an old
one; and suggested edits, from writing one to an editor's decision."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from credgroup.errors import DomainError, ValidationError
from credgroup.extensions import db
from credgroup.kb import presenters, suggestions
from credgroup.kb.diffing import diff_contents
from credgroup.kb.forms import (
    DecisionForm,
    SuggestForm,
    VersionForm,
    apply_domain_error,
    article_values,
    form_values,
)
from credgroup.kb.inputs import content_of
from credgroup.kb.models import Article
from credgroup.kb.permissions import get_article, is_editor
from credgroup.kb.revisions import (
    EditConflict,
    get_revision,
    parse_revision_number,
    parse_version,
    restore_revision,
)
from credgroup.kb.views import bp

# --- history and diffs -----------------------------------------------------------------------


@bp.get("/kb/<public_id>/history")
@login_required
def article_history(public_id: str):
    article = get_article(current_user, public_id)
    revisions = [presenters.revision_view(r, article.version) for r in reversed(article.revisions)]
    return render_template(
        "kb/article_history.html",
        article=article,
        group=article.group,
        revisions=revisions,
        can_edit=is_editor(current_user, article),
        restore_form=VersionForm(formdata=None, version=str(article.version)),
    )


def _numbers(article: Article) -> tuple[int, int]:
    """?from=&to= (defaults: the previous revision and the current one)."""
    to = parse_revision_number(request.args.get("to") or article.version, "to")
    default_from = max(to - 1, 1)
    start = parse_revision_number(request.args.get("from") or default_from, "from")
    return start, to


@bp.get("/kb/<public_id>/diff")
@login_required
def article_diff(public_id: str):
    article = get_article(current_user, public_id)
    start, to = _numbers(article)
    old, new = get_revision(article, start), get_revision(article, to)
    return render_template(
        "kb/article_diff.html",
        article=article,
        group=article.group,
        old=presenters.revision_view(old, article.version),
        new=presenters.revision_view(new, article.version),
        changes=diff_contents(content_of(old), content_of(new)),
        numbers=[r.number for r in article.revisions],
    )


@bp.get("/kb/<public_id>/revisions/<int:number>")
@login_required
def revision_detail(public_id: str, number: int):
    article = get_article(current_user, public_id)
    revision = presenters.revision_content(get_revision(article, number))
    return render_template(
        "kb/revision_detail.html", article=article, group=article.group, r=revision
    )


@bp.post("/kb/<public_id>/revisions/<int:number>/restore")
@login_required
def revision_restore(public_id: str, number: int):
    article = get_article(current_user, public_id)
    form = VersionForm()
    try:
        if not form.validate():
            raise ValidationError("version", "Reload the history page and try again.")
        restore_revision(
            current_user, article, number, base_version=parse_version(form.version.data)
        )
    except EditConflict as conflict:
        db.session.rollback()
        flash(conflict.message.split(" Your text")[0] + " Look at the history again.", "error")
        return redirect(url_for(".article_history", public_id=public_id)), 303
    except DomainError:
        db.session.rollback()
        raise
    db.session.commit()
    flash(f"Revision {number} is the current text again (as a new revision).", "success")
    return redirect(url_for(".article_detail", public_id=public_id))


# --- suggesting an edit ----------------------------------------------------------------------


def _suggest_page(article: Article, form: SuggestForm, status: int = 200):
    return render_template(
        "kb/article_suggest.html", article=article, group=article.group, form=form
    ), status


@bp.route("/kb/<public_id>/suggest", methods=["GET", "POST"])
@login_required
def article_suggest(public_id: str):
    article = get_article(current_user, public_id)
    if is_editor(current_user, article):
        return redirect(url_for(".article_edit", public_id=public_id))
    if request.method == "GET":
        values = {**article_values(article), "summary": ""}
        return _suggest_page(article, SuggestForm(formdata=None, data=form_values(values)))
    form = SuggestForm()
    if not form.validate():
        return _suggest_page(article, form, 422)
    try:
        suggestions.suggest_edit(
            current_user,
            article,
            form.content(),
            base_version=parse_version(form.version.data),
            summary=form.summary.data,
        )
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        return _suggest_page(article, form, error.status_code)
    db.session.commit()
    flash("Your suggestion went to the article's editors. They see it as from “A member”.")
    return redirect(url_for(".article_detail", public_id=public_id, _anchor="suggestions"))


# --- deciding on suggestions -----------------------------------------------------------------


@bp.get("/kb/suggestions")
@login_required
def suggestion_list():
    waiting = suggestions.pending_suggestions(current_user)
    return render_template(
        "kb/suggestions_list.html", items=[presenters.suggestion_view(s) for s in waiting]
    )


def _suggestion_page(suggestion, form: DecisionForm | None = None, status: int = 200, **extra):
    article = suggestion.article
    base = content_of(get_revision(article, suggestion.base_version))
    current = content_of(article)
    proposed = {**current, **suggestion.proposed}
    editor = is_editor(current_user, article)
    return render_template(
        "kb/suggestion_detail.html",
        article=article,
        group=article.group,
        s=presenters.suggestion_view(suggestion),
        changes=diff_contents(base, {**base, **suggestion.proposed}),
        against_current=diff_contents(current, proposed),
        clashes=suggestions.clashing_fields(suggestion) if editor else [],
        is_editor=editor,
        form=form or DecisionForm(formdata=None),
        **extra,
    ), status


@bp.get("/kb/suggestions/<public_id>")
@login_required
def suggestion_detail(public_id: str):
    return _suggestion_page(suggestions.get_suggestion(current_user, public_id))


@bp.post("/kb/suggestions/<public_id>/<decision>")
@login_required
def suggestion_decide(public_id: str, decision: str):
    if decision not in ("accept", "decline"):
        abort(404)
    suggestion = suggestions.get_suggestion(current_user, public_id)
    form = DecisionForm()
    if not form.validate():
        return _suggestion_page(suggestion, form, 422)
    try:
        if decision == "accept":
            suggestions.accept_suggestion(current_user, suggestion, form.note.data or "")
        else:
            suggestions.decline_suggestion(current_user, suggestion, form.note.data or "")
    except DomainError as error:
        db.session.rollback()
        apply_domain_error(form, error)
        suggestion = suggestions.get_suggestion(current_user, public_id)
        return _suggestion_page(suggestion, form, error.status_code)
    db.session.commit()
    flash("Accepted: the article has a new revision." if decision == "accept" else "Declined.")
    return redirect(url_for(".suggestion_list"))

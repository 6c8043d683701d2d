"""Articles and reports about the same problem, linked both ways, and turning a report's
workaround into an article in one step.

A report's author is never known to anyone, and nothing of it travels: the new article is
written by the facilitator who made it (named) and holds only the report's content, which
the reporter already approved for the group. Links are shown only to people who may see
both ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, require_facilitator
from credgroup.kb.articles import create_article
from credgroup.kb.models import Article, ArticleReportLink
from credgroup.kb.permissions import can_view, require_editor
from credgroup.kb.revisions import audit_staff_action
from credgroup.reports.anonymise import today
from credgroup.reports.enums import ContributionState
from credgroup.reports.models import Report
from credgroup.reports.presenters import buyer_fields
from credgroup.reports.queries import get_report

if TYPE_CHECKING:
    from credgroup.accounts.models import User


def workaround_of(report: Report) -> str:
    """The report's workaround, or the comment the reporter marked as the workaround."""
    if report.workaround.strip():
        return report.workaround
    marked = [
        c for c in report.comments if c.is_workaround and c.state is ContributionState.PUBLISHED
    ]
    return marked[-1].body if marked else ""


def report_to_article(user: User, report: Report) -> Article:
    """A draft article from a published report's workaround, scoped to the report's group
    and linked to it (facilitators of that group)."""
    require_facilitator(user, report.group)
    if report.state is not ContributionState.PUBLISHED:
        raise NotFound("No such report.")
    workaround = workaround_of(report)
    if not workaround:
        raise ValidationError(None, "This report has no workaround yet.")
    data = {
        "title": report.title,
        "problem": report.body,
        "workaround": workaround,
        "error_text": report.error_message,
        "categories": [report.category.value],
        "channels": [report.channel.value] if report.channel else [],
        "portal": report.portal.slug if report.portal.merged_into_id is None else "",
        "buyer_name": buyer_fields(report)["buyer_name"],
    }
    article = create_article(
        user, data, group=report.group, summary="Written from a report's workaround"
    )
    db.session.add(ArticleReportLink(article_id=article.id, report_id=report.id, linked_on=today()))
    db.session.flush()
    return article


def _find_link(article: Article, report: Report) -> ArticleReportLink | None:
    return db.session.scalar(
        sa.select(ArticleReportLink).where(
            ArticleReportLink.article_id == article.id, ArticleReportLink.report_id == report.id
        )
    )


def _linkable_report(user: User, report_public_id: str) -> Report:
    report_public_id = (report_public_id or "").strip()
    if not report_public_id:
        raise ValidationError("report", "Give the report's id (the last part of its address).")
    # The address of a report page works too: take the last part.
    report_public_id = report_public_id.rstrip("/").rsplit("/", 1)[-1][:64]
    try:
        report = get_report(user, report_public_id)
    except NotFound:
        raise ValidationError("report", "No report you can see has that id.") from None
    if report.state is not ContributionState.PUBLISHED:
        raise ValidationError("report", "Only published reports can be linked.")
    return report


def link_report(user: User, article: Article, report_public_id: str) -> Report:
    """Link an article to a report both of which the editor may see."""
    require_editor(user, article)
    report = _linkable_report(user, report_public_id)
    if _find_link(article, report) is not None:
        raise Conflict("The article and the report are already linked.")
    db.session.add(ArticleReportLink(article_id=article.id, report_id=report.id, linked_on=today()))
    db.session.flush()
    audit_staff_action(user, article, "kb.article.link_report")
    return report


def unlink_report(user: User, article: Article, report_public_id: str) -> None:
    require_editor(user, article)
    report = db.session.scalar(sa.select(Report).where(Report.public_id == report_public_id))
    link = _find_link(article, report) if report is not None else None
    if link is None:
        raise NotFound("That report is not linked to this article.")
    db.session.delete(link)
    db.session.flush()
    audit_staff_action(user, article, "kb.article.unlink_report")


def linked_reports(viewer: User, article: Article) -> list[Report]:
    """Published reports linked to the article, in groups the viewer can see."""
    reports = db.session.scalars(
        sa.select(Report)
        .join(ArticleReportLink, ArticleReportLink.report_id == Report.id)
        .where(ArticleReportLink.article_id == article.id)
        .where(Report.state == ContributionState.PUBLISHED)
        .order_by(Report.published_on.desc(), Report.id.desc())
    )
    return [r for r in reports if can_view_group(viewer, r.group)]


def linked_articles(viewer: User, report: Report) -> list[Article]:
    """Articles linked to a report that the viewer may open."""
    articles = db.session.scalars(
        sa.select(Article)
        .join(ArticleReportLink, ArticleReportLink.article_id == Article.id)
        .where(ArticleReportLink.report_id == report.id)
        .order_by(Article.title)
    )
    return [a for a in articles if can_view(viewer, a)]

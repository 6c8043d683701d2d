"""Is a workaround still good? "Worked for us" / "No longer works", one current verdict per
member company, and the "needs review" flag.

Verdicts are stored per company pseudonym (in the article's scope) with a calendar date.
They are only ever shown as counts and a month: "confirmed working by 3 members, most
recently in March 2026". An article is flagged for review when nobody confirmed it for
``KB_STALE_MONTHS`` months (counted from publication if it was never confirmed), or when a
member said "no longer works" within ``KB_RECENT_FAILURE_DAYS`` days.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from credgroup.errors import NotFound, PermissionDenied
from credgroup.extensions import db
from credgroup.groups.access import is_member, require_staff
from credgroup.kb import signals
from credgroup.kb.models import Article, ArticleConfirmation, ArticleState, FreshnessKind
from credgroup.kb.permissions import company_in, require_view, staff_scope_condition
from credgroup.kb.transactions import savepoint
from credgroup.reports.anonymise import today

if TYPE_CHECKING:
    from credgroup.accounts.models import User


@dataclass
class Freshness:
    worked: int = 0
    last_worked: date | None = None
    failed: int = 0
    last_failed: date | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons)

    @property
    def text(self) -> str:
        """ "Confirmed working by 3 members, most recently in March 2026." """
        if not self.worked:
            return "Not confirmed as working by any member yet."
        members = "1 member" if self.worked == 1 else f"{self.worked} members"
        return f"Confirmed working by {members}, most recently in {month_name(self.last_worked)}."

    @property
    def failed_text(self) -> str:
        if not self.failed:
            return ""
        members = "1 member says" if self.failed == 1 else f"{self.failed} members say"
        return f"{members} it no longer works (most recently in {month_name(self.last_failed)})."


def month_name(day: date | None) -> str:
    return day.strftime("%B %Y") if day else ""


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (clamped to that month's end)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cutoffs(on: date | None = None) -> tuple[date, date]:
    """(not confirmed since before this -> stale, "no longer works" since this -> recent)."""
    on = on or today()
    stale = months_before(on, int(current_app.config["KB_STALE_MONTHS"]))
    recent = on - timedelta(days=int(current_app.config["KB_RECENT_FAILURE_DAYS"]))
    return stale, recent


def _reasons(article: Article, fresh: Freshness, on: date | None = None) -> list[str]:
    if article.state is not ArticleState.PUBLISHED:
        return []
    stale_before, recent_since = cutoffs(on)
    reasons = []
    reference = fresh.last_worked or article.published_on
    if reference is not None and reference < stale_before:
        months = current_app.config["KB_STALE_MONTHS"]
        reasons.append(f"Not confirmed as working in the last {months} months.")
    if fresh.last_failed is not None and fresh.last_failed >= recent_since:
        reasons.append(
            "A member said it no longer works in the last "
            f"{current_app.config['KB_RECENT_FAILURE_DAYS']} days."
        )
    return reasons


def freshness_for(articles: Iterable[Article]) -> dict[int, Freshness]:
    """Freshness of many articles with one query (for lists)."""
    articles = list(articles)
    result = {article.id: Freshness() for article in articles}
    if not articles:
        return result
    rows = db.session.execute(
        sa.select(
            ArticleConfirmation.article_id,
            ArticleConfirmation.kind,
            sa.func.count(),
            sa.func.max(ArticleConfirmation.confirmed_on),
        )
        .where(ArticleConfirmation.article_id.in_(result))
        .group_by(ArticleConfirmation.article_id, ArticleConfirmation.kind)
    )
    for article_id, kind, count, last in rows:
        fresh = result[article_id]
        if kind is FreshnessKind.WORKED:
            fresh.worked, fresh.last_worked = count, last
        else:
            fresh.failed, fresh.last_failed = count, last
    for article in articles:
        result[article.id].reasons = _reasons(article, result[article.id])
    return result


def freshness(article: Article) -> Freshness:
    return freshness_for([article])[article.id]


def _require_confirmer(user: User, article: Article) -> str:
    require_view(user, article)
    if article.state is not ArticleState.PUBLISHED:
        raise NotFound("No such article.")
    company = company_in(user, article)
    if company is None or (article.group_id is not None and not is_member(user, article.group)):
        raise PermissionDenied("Only member companies can say whether a workaround works.")
    return company


def company_verdict(user: User, article: Article) -> FreshnessKind | None:
    """What the person's company currently says about the article (for their own page)."""
    company = company_in(user, article)
    if company is None:
        return None
    return db.session.scalar(
        sa.select(ArticleConfirmation.kind).where(
            ArticleConfirmation.article_id == article.id,
            ArticleConfirmation.company_pseudonym == company,
        )
    )


def _current(article: Article, company: str) -> ArticleConfirmation | None:
    return db.session.scalar(
        sa.select(ArticleConfirmation).where(
            ArticleConfirmation.article_id == article.id,
            ArticleConfirmation.company_pseudonym == company,
        )
    )


def confirm_article(user: User, article: Article, kind: FreshnessKind) -> ArticleConfirmation:
    """Record the company's current verdict (a later one replaces it, with today's date)."""
    company = _require_confirmer(user, article)
    confirmation = _current(article, company)
    if confirmation is None:
        confirmation = ArticleConfirmation(
            article_id=article.id, company_pseudonym=company, kind=kind, confirmed_on=today()
        )
        try:
            # A colleague may confirm at the same moment: the unique key decides, and the
            # loser updates the row the winner wrote instead of failing.
            with savepoint():
                db.session.add(confirmation)
        except IntegrityError:
            confirmation = _current(article, company)
            if confirmation is None:  # pragma: no cover - the winner rolled back
                raise
    confirmation.kind, confirmation.confirmed_on = kind, today()
    db.session.flush()
    signals.article_saved.send(article)
    return confirmation


def withdraw_confirmation(user: User, article: Article) -> None:
    """Take the company's verdict back."""
    company = _require_confirmer(user, article)
    confirmation = _current(article, company)
    if confirmation is None:
        raise NotFound("Your company has not said anything about this article.")
    db.session.delete(confirmation)
    db.session.flush()
    signals.article_saved.send(article)


def review_list(viewer: User) -> list[tuple[Article, Freshness]]:
    """Published articles the facilitator edits that need review, oldest confirmation first."""
    require_staff(viewer)
    stale_before, recent_since = cutoffs()
    worked = _last(FreshnessKind.WORKED)
    failed = _last(FreshnessKind.NO_LONGER_WORKS)
    query = (
        sa.select(Article)
        .outerjoin(worked, worked.c.article_id == Article.id)
        .outerjoin(failed, failed.c.article_id == Article.id)
        .where(Article.state == ArticleState.PUBLISHED, staff_scope_condition(viewer))
        .where(
            sa.or_(
                sa.func.coalesce(worked.c.last, Article.published_on) < stale_before,
                failed.c.last >= recent_since,
            )
        )
        .order_by(sa.func.coalesce(worked.c.last, Article.published_on).asc(), Article.id)
        .options(
            selectinload(Article.portal), selectinload(Article.group), selectinload(Article.author)
        )
    )
    articles = list(db.session.scalars(query))
    fresh = freshness_for(articles)
    return [(article, fresh[article.id]) for article in articles]


def _last(kind: FreshnessKind):
    return (
        sa.select(
            ArticleConfirmation.article_id,
            sa.func.max(ArticleConfirmation.confirmed_on).label("last"),
        )
        .where(ArticleConfirmation.kind == kind)
        .group_by(ArticleConfirmation.article_id)
        .subquery()
    )

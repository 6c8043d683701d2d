"""The weekly trends email: per member, what is happening in what they watch, what is
rising in their groups, and new knowledge-base articles.

It is not the reports digest (``reports.jobs``: the list of new reports someone watches,
daily or weekly). This one says nothing report by report; it carries only published
figures of the groups' trend reports for the current quarter (``trends.report``, so the
same disclosure control, "fewer than k" where hidden), article titles, and links. No name,
company, pseudonym or author appears in it.

Other features add sections through :func:`register_section` (the meetings feature adds
"the next meeting"): a provider gets the person and the day and returns a section dict
``{"title": str, "lines": [str, ...]}`` or None.

Who gets it: active members (people of a member company) with at least one group whose
``notification_prefs`` do not say ``"trends_digest": false`` (the profile's box; people who
never set it and chose ``"digest": "off"`` count as no); and only when there is something
to say.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from credgroup.accounts.models import trends_digest_chosen
from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.groups.models import CreditGroup
from credgroup.kb.models import Article, ArticleState
from credgroup.kb.permissions import visible_condition
from credgroup.notify.services import queue_email
from credgroup.reports.models import Watch
from credgroup.reports.notifications import absolute_url
from credgroup.trends.disclosure import TOTAL
from credgroup.trends.periods import Quarter, span_between
from credgroup.trends.report import build_report

if TYPE_CHECKING:
    from credgroup.accounts.models import User

Section = dict[str, Any]
SectionProvider = Callable[["User", date], Section | None]
SECTION_PROVIDERS: list[SectionProvider] = []
RISING_IN_EMAIL = 5
ARTICLES_IN_EMAIL = 10


def register_section(provider: SectionProvider) -> SectionProvider:
    """Add a section to every weekly digest (idempotent; usable as a decorator)."""
    if provider not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(provider)
    return provider


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def wants_digest(user: User) -> bool:
    return bool(user.active) and trends_digest_chosen(user.notification_prefs or {})


def send_weekly_digests(today: date) -> int:
    """Queue this ISO week's trends email for every member who wants one and has news.
    Idempotent: a second run in the same week queues nothing (dedupe key per person and
    week). Returns how many emails were queued; the caller commits."""
    from credgroup.accounts.models import User

    members = db.session.scalars(
        sa.select(User)
        .where(User.active.is_(True), User.is_staff.is_(False), User.company_id.is_not(None))
        .order_by(User.id)
    )
    reports: dict[int, dict[str, Any]] = {}  # one trend report per group for the whole run
    sent = 0
    for user in members:
        if not wants_digest(user):
            continue
        context = digest_for(user, today, reports)
        if context is None:
            continue
        queued = queue_email(
            user.email,
            f"Your weekly trends, {context['week_label']}",
            "trends_digest",
            dedupe_key=f"trends-digest:{user.public_id}:{iso_week(today)}",
            **context,
        )
        sent += queued is not None
    return sent


def digest_for(
    user: User, today: date, reports: dict[int, dict[str, Any]] | None = None
) -> dict[str, Any] | None:
    """What this person's email says, or None when there is nothing to say."""
    reports = {} if reports is None else reports
    groups = []
    for group in visible_groups(user):
        if group.id not in reports:
            reports[group.id] = _quarter_report(group, today)
        found = _group_section(user, group, reports[group.id])
        if found is not None:
            groups.append(found)
    articles = new_articles(user, today)
    extra = [s for s in (provider(user, today) for provider in SECTION_PROVIDERS) if s]
    if not groups and not articles and not extra:
        return None
    return {
        "week_label": f"week {today.isocalendar()[1]} of {today.isocalendar()[0]}",
        "quarter_label": Quarter.of(today).label,
        "groups": groups,
        "articles": articles,
        "sections": extra,
        "profile_url": absolute_url("accounts.profile"),
        "index_url": absolute_url("trends.friction_index"),
    }


def _quarter_report(group: CreditGroup, today: date) -> dict[str, Any]:
    quarter = Quarter.of(today)
    return build_report(group, span_between(quarter.start, today, today=today), today)


def _group_section(
    user: User, group: CreditGroup, payload: dict[str, Any]
) -> dict[str, Any] | None:
    if not payload["available"]:
        return None
    watched = [line for line in (_watch_line(w, payload) for w in _watches(user, group)) if line]
    rising = [
        f"{item['label']}: {_shown(item['current'], payload)}"
        + (f" (up {item['change']})" if item["trend"] == "up" else " (shown for the first time)")
        for item in payload["rising"][:RISING_IN_EMAIL]
    ]
    if not any(line["shown"] for line in watched) and not rising:
        return None
    return {
        "name": group.name,
        "watched": watched,
        "rising": rising,
        "previous_label": payload["period"]["previous_label"],
        "url": absolute_url("trends.group_trends", slug=group.slug),
    }


def _watches(user: User, group: CreditGroup) -> list[Watch]:
    return list(
        db.session.scalars(
            sa.select(Watch)
            .where(Watch.user_id == user.id, Watch.group_id == group.id)
            .order_by(Watch.id)
        )
    )


def _watch_line(watch: Watch, payload: dict[str, Any]) -> dict[str, Any] | None:
    """The current-quarter figure of what a watch is about, from the heat map."""
    heat = next((t for t in payload["tables"] if t["id"] == "heat_map"), None)
    if heat is None:
        return None
    row_key = watch.portal.slug if watch.portal is not None else TOTAL
    column = watch.category.value if watch.category is not None else TOTAL
    columns = [c["key"] for c in heat["columns"]]
    row = next((r for r in heat["rows"] if r["key"] == row_key), None)
    figure = row["cells"][columns.index(column)] if row else {"value": None, "companies": None}
    label = " · ".join(
        part
        for part in (
            watch.portal.name if watch.portal is not None else "",
            watch.category.label if watch.category is not None else "",
        )
        if part
    )
    return {"label": label, "figure": _shown(figure, payload), "shown": figure["value"] is not None}


def _shown(figure: dict[str, Any], payload: dict[str, Any]) -> str:
    if figure["value"] is None:
        return payload["hidden_label"]
    companies = figure["companies"]
    return f"{figure['value']} ({companies} compan{'y' if companies == 1 else 'ies'})"


def new_articles(user: User, today: date) -> list[dict[str, str]]:
    """Knowledge-base articles published in the last seven days that the person may read."""
    articles = db.session.scalars(
        sa.select(Article)
        .where(
            visible_condition(user),
            Article.state == ArticleState.PUBLISHED,
            Article.published_on > today - timedelta(days=7),
            Article.published_on <= today,
        )
        .order_by(Article.published_on.desc(), Article.id.desc())
        .limit(ARTICLES_IN_EMAIL)
    )
    return [
        {"title": a.title, "url": absolute_url("kb.article_detail", public_id=a.public_id)}
        for a in articles
    ]

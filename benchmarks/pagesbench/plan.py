"""What each client visits: one member of each of the busiest groups, with ids from that
group (reports, articles, the next meeting) read from the benchmark database."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from urllib.parse import urlencode

import sqlalchemy as sa

# The page kinds both benchmarks time, in the order their tables list them.
KINDS = (
    "home",
    "report list (filtered)",
    "report detail",
    "article",
    "search",
    "portal page",
    "trend report",
    "agenda",
    "post a report",
)
SEARCHES = (
    "invoice rejected",
    "coupa",
    "portal:coupa status:open",
    "PO number",
    "remittance deductions",
    "status never updates",
    "ariba fees",
    "registration",
)
CATEGORIES = ("rejected_format", "skipped", "status_stale", "fees", "short_pay", "onboarding")
PORTALS = ("sap-business-network", "coupa", "tradeshift", "basware", "tungsten-network")


@dataclass
class ClientPlan:
    """One member and the URLs they visit, page kind by page kind."""

    email: str
    group: str
    urls: dict[str, list[str]] = field(default_factory=dict)


def _rows(conn: sa.Connection, sql: str, **params) -> list[sa.Row]:
    return list(conn.execute(sa.text(sql), params))


def make_plans(url: str, clients: int, seed: int) -> list[ClientPlan]:
    """``clients`` members, each of a different group among the busiest (on a database
    with fewer groups, different members of the same groups)."""
    rng = random.Random(seed)  # noqa: S311 - which pages, not secrets
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            groups = _rows(
                conn,
                "SELECT g.id, g.slug FROM credit_groups g JOIN reports r ON r.group_id = g.id"
                " WHERE g.archived_at IS NULL AND EXISTS (SELECT 1 FROM meetings m"
                " WHERE m.group_id = g.id AND m.status = 'published') GROUP BY g.id, g.slug"
                " ORDER BY count(*) DESC LIMIT :n",
                n=clients * 3,
            )
            if len(groups) >= clients:
                chosen = [(g, 0) for g in rng.sample(groups, clients)]
            else:  # a small database: several members of the same groups
                chosen = [(groups[i % len(groups)], i // len(groups)) for i in range(clients)]
            return [_plan(conn, rng, group_id, slug, nth) for (group_id, slug), nth in chosen]
    finally:
        engine.dispose()


def _plan(
    conn: sa.Connection, rng: random.Random, group_id: int, slug: str, nth: int
) -> ClientPlan:
    email = _rows(
        conn,
        "SELECT u.email FROM users u JOIN group_memberships m ON m.company_id = u.company_id"
        " WHERE m.group_id = :g AND u.active ORDER BY u.id LIMIT 1 OFFSET :nth",
        g=group_id,
        nth=nth,
    )[0][0]
    reports = [
        r[0]
        for r in _rows(
            conn,
            "SELECT public_id FROM reports WHERE group_id = :g AND state = 'published'"
            " ORDER BY random() LIMIT 60",
            g=group_id,
        )
    ]
    articles = [
        r[0]
        for r in _rows(
            conn,
            "SELECT public_id FROM kb_articles WHERE state = 'published'"
            " AND (group_id = :g OR group_id IS NULL) ORDER BY random() LIMIT 60",
            g=group_id,
        )
    ]
    meeting = _rows(
        conn,
        "SELECT public_id FROM meetings WHERE group_id = :g AND status = 'published'"
        " ORDER BY starts_at LIMIT 1",
        g=group_id,
    )[0][0]
    filters = [
        "?" + urlencode({"status": "open", "category": c, "sort": s})
        for c in CATEGORIES
        for s in ("newest", "most_confirmed")
    ]
    rng.shuffle(filters)
    plan = ClientPlan(email=email, group=slug)
    plan.urls = {
        "home": ["/"],
        "report list (filtered)": [f"/g/{slug}/reports{f}" for f in filters],
        "report detail": [f"/reports/{r}" for r in reports],
        "article": [f"/kb/{a}" for a in articles],
        "search": ["/search?" + urlencode({"q": q}) for q in rng.sample(SEARCHES, len(SEARCHES))],
        "portal page": [f"/portals/{p}" for p in PORTALS],
        "trend report": [f"/g/{slug}/trends"],
        "agenda": [f"/meetings/{meeting}"],
        "post a report": [f"/g/{slug}/reports/new"],
    }
    return plan

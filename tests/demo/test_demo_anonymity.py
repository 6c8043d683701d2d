"""The demo, walked like the attacker suite walks company A's world: a member of the
building-materials group finds no other company or person behind any demo report."""

from __future__ import annotations

import sqlalchemy as sa

from credgroup.demo import data
from credgroup.demo.load import load_demo_data
from credgroup.extensions import db
from credgroup.reports.models import Report
from tests.anonymity.crawler import IdBook, crawl, page_start_urls
from tests.anonymity.traces import Traces, response_leaks, server_errors, stored_pseudonyms

VIEWER = "karen.holt@ridgelinegypsum.example"


def traces_of_everyone_but(viewer_email: str) -> Traces:
    """Every demo company and person other than the viewer and their company."""
    identity: dict[str, str] = {}
    for company in data.COMPANIES:
        if any(p.email == viewer_email for p in company.people):
            continue
        identity.update(
            {name: f"company {company.name}" for name in (company.name, *company.aliases)}
        )
        for person in company.people:
            identity[person.name] = f"person of {company.name}"
            identity[person.email] = f"email of {company.name}"
    reports = list(db.session.scalars(sa.select(Report)))
    return Traces(
        identity=identity,
        pseudonyms=stored_pseudonyms(),
        markers={r.public_id for r in reports} | {r.title for r in reports},
    ).compile()


# Pages that name people on purpose: articles written openly (by name) and meeting records
# (who owns an action, who attended). Names there are not tied to any report's author; the
# stored pseudonyms are still never allowed anywhere.
NAMED_BY_DESIGN = ("/kb/", "/meetings/", "/api/v1/articles", "/api/v1/meetings")


def names_by_design(leak) -> bool:
    return leak.where.startswith(NAMED_BY_DESIGN) and not leak.kind.startswith("pseudonym")


def test_a_member_walking_the_demo_finds_nobody_behind_the_reports(app, make_browser):
    load_demo_data()
    db.session.commit()
    traces = traces_of_everyone_but(VIEWER)
    browser = make_browser()
    assert browser.login(VIEWER, data.DEMO_PASSWORD).status_code == 302

    book = IdBook.from_database(per_rule=40)
    result = crawl(browser.get, page_start_urls(app, book), max_urls=1000)

    assert not server_errors(result.fetched)
    assert not result.not_fetched, "raise max_urls: the walk was cut short"
    leaks = [leak for leak in response_leaks(result.fetched, traces) if not names_by_design(leak)]
    assert not leaks, "\n".join(map(str, leaks))
    shown = [f for f in result.fetched if f.path.startswith("/reports/") and f.status == 200]
    assert len(shown) >= 12  # the building group's published reports were really read

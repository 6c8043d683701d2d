"""A busy portal's page at association scale: the newest open reports and the latest
workarounds, with counts and links to the rest (hundreds of rows made one page 600 KB)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.demo.data import DEMO_PASSWORD
from credgroup.demo.scale import generate
from credgroup.demo.scale.sizes import Sizes
from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleState
from credgroup.portals.models import Portal
from credgroup.portals.stats import OPEN_REPORTS_SHOWN
from credgroup.reports.enums import ContributionState, ReportStatus
from credgroup.reports.models import Report

BUSY = "sap-business-network"  # the generator's most reported portal


@pytest.fixture
def busy(app):
    generate(Sizes(groups=1, companies=8, people=8, reports=240, articles=160), seed=5)
    db.session.commit()
    portal = db.session.scalar(sa.select(Portal).where(Portal.slug == BUSY))
    open_reports = db.session.scalar(
        sa.select(sa.func.count(Report.id)).where(
            Report.portal_id == portal.id,
            Report.state == ContributionState.PUBLISHED,
            Report.status.in_((ReportStatus.OPEN, ReportStatus.WORKAROUND_FOUND)),
        )
    )
    articles = db.session.scalar(
        sa.select(sa.func.count(Article.id)).where(
            Article.portal_id == portal.id, Article.state == ArticleState.PUBLISHED
        )
    )
    assert open_reports > OPEN_REPORTS_SHOWN and articles > 20
    member = db.session.scalars(sa.select(User).where(~User.is_staff).order_by(User.id)).first()
    return member, open_reports, articles


def test_the_page_shows_the_newest_open_reports_and_links_to_the_rest(busy, browser):
    member, open_reports, articles = busy
    browser.login(member.email, DEMO_PASSWORD)
    html = browser.get(f"/portals/{BUSY}").get_data(as_text=True)
    table = html.split('id="open-heading"')[1].split("</table>")[0]
    assert len(re.findall(r'href="/reports/', table)) == OPEN_REPORTS_SHOWN
    assert f"The {OPEN_REPORTS_SHOWN} newest of {open_reports} open problems" in html
    assert f"portal={BUSY}" in html and "status=open" in html
    assert f"All {articles} workarounds for SAP Business Network" in html
    assert f'href="/kb/?portal={BUSY}"' in html


def test_the_api_says_how_many_open_reports_there_are(busy, factory, client):
    member, open_reports, _ = busy
    token = factory.api_token(member)
    answer = client.get(f"/api/v1/portals/{BUSY}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    body = answer.get_json()
    assert len(body["open_reports"]) == OPEN_REPORTS_SHOWN
    assert body["open_reports_total"] == open_reports

"""Helpers and fixtures for the report page tests (no tests here).

Everything is done the way a person does it: load the page, take its CSRF token, post.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from tests.fixtures.app import Browser
from tests.reports.conftest import REPORT_DATA

GROUP = "building-materials"
LIST = f"/g/{GROUP}/reports"
NEW = f"/g/{GROUP}/reports/new"
CSV = f"/g/{GROUP}/reports.csv"

# The report form as a person fills it in: the portal from the catalogue select.
FORM_DATA = {**REPORT_DATA, "portal": "sap-business-network"}

OFFERED = re.compile(r'name="offered" value="([^"]+)"')


TAG = re.compile(r"<[^>]+>")


def page_text(response) -> str:
    """What a reader sees: tags removed, entities decoded, runs of whitespace as one space."""
    text = html.unescape(TAG.sub(" ", response.get_data(as_text=True)))
    return re.sub(r"\s+", " ", text)


def offered_keys(response) -> list[str]:
    """The redaction keys the preview step offered."""
    return [html.unescape(k) for k in OFFERED.findall(response.get_data(as_text=True))]


def preview_choice(response, keep: Callable[[str], bool] = lambda key: False) -> dict:
    """Form fields that say "I previewed; redact everything offered except what ``keep``
    accepts" (like unticking those boxes)."""
    keys = offered_keys(response)
    fields: dict = {"previewed": "1", "offered": keys}
    fields.update({f"redact_{k}": "1" for k in keys if not keep(k)})
    return fields


def detail_url(report: Report) -> str:
    return f"/reports/{report.public_id}"


def location_id(response) -> str:
    """The report id in a redirect to /reports/<id> or /reports/<id>/edit."""
    match = re.search(r"/reports/([^/#?]+)", response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def report_by_id(public_id: str) -> Report:
    db.session.expire_all()
    return db.session.scalar(sa.select(Report).where(Report.public_id == public_id))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def all_pseudonyms() -> set[str]:
    """Every pseudonym stored anywhere in the report tables."""
    values: set[str] = set()
    for column in (
        Report.author_pseudonym,
        Report.company_pseudonym,
        ReportComment.author_pseudonym,
        ReportComment.company_pseudonym,
        ReportConfirmation.author_pseudonym,
        ReportConfirmation.company_pseudonym,
        ReportQuestion.asker_pseudonym,
    ):
        values.update(v for v in db.session.scalars(sa.select(column)) if v)
    return values


def browser_for(make_browser: Callable[[], Browser], user) -> Browser:
    """A browser (own cookie jar) with ``user`` signed in."""
    browser = make_browser()
    response = browser.login(user.email)
    assert response.status_code == 302, "sign-in failed"
    return browser


def publish_through_pages(browser: Browser, **changes) -> str:
    """Publish a report without a preview (everything found is redacted); its public id."""
    response = browser.post_form(NEW, {**FORM_DATA, **changes, "action": "publish"})
    assert response.status_code == 302, page_text(response)[-3000:]
    return location_id(response)

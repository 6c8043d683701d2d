"""A report's workaround becomes an article in one step, keeping the report's anonymity;
articles and reports are linked both ways; the partials for report and portal pages."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_login import login_user

from credgroup.errors import NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.kb import links
from credgroup.kb.models import Article, ArticleReportLink, ArticleState
from credgroup.portals.services import get_portal
from credgroup.reports import authoring
from tests.kb.conftest import write
from tests.reports.conftest import REPORT_DATA

ALICE_TRACES = ("Alice", "Archer", "alice@", "Northfield", "NFA", "Ned Norris")


def post_report(kb, **changes):
    report = authoring.publish_report(kb.alice, kb.group, {**REPORT_DATA, **changes})
    db.session.commit()
    return report


def signed_in(make_browser, email):
    browser = make_browser()
    browser.login(email)
    return browser


def assert_no_trace_of_reporter(text: str, report) -> None:
    for trace in (*ALICE_TRACES, report.author_pseudonym, report.company_pseudonym):
        assert trace not in text, trace


def test_facilitator_turns_a_report_into_a_draft_article_in_one_step(kb, make_browser):
    report = post_report(kb)
    fran = signed_in(make_browser, "fran@association.example")
    response = fran.post_form(
        f"/reports/{report.public_id}", {}, action=f"/reports/{report.public_id}/to-article"
    )
    assert response.status_code == 302
    assert "/edit" in response.headers["Location"]
    link = db.session.query(ArticleReportLink).one()
    article = db.session.get(Article, link.article_id)
    assert link.report_id == report.id
    assert article.state is ArticleState.DRAFT and article.group_id == kb.group.id
    assert article.portal.slug == "sap-business-network"
    assert article.categories == ["rejected_format"] and article.channels == ["cxml"]
    assert article.workaround == report.workaround and article.problem == report.body
    assert article.error_text == report.error_message
    assert article.author_id == kb.facilitator.id and not article.author_pseudonym


def test_the_article_keeps_the_reports_anonymity_everywhere(kb, make_browser):
    report = post_report(kb)
    article = links.report_to_article(kb.facilitator, report)
    db.session.commit()
    assert "[redacted: company]" in article.problem  # the reporter's redactions carry over
    from credgroup.kb.articles import publish_article

    publish_article(kb.facilitator, article)
    db.session.commit()
    for email in ("bob@granite.example", "fran@association.example", "adam@association.example"):
        browser = signed_in(make_browser, email)
        for url in (
            f"/kb/{article.public_id}",
            f"/kb/{article.public_id}/history",
            f"/kb/{article.public_id}/edit",
            f"/kb/{article.public_id}/revisions/1",
            "/kb/export.jsonl",
            "/kb/",
        ):
            response = browser.get(url)
            if response.status_code == 200:
                assert_no_trace_of_reporter(response.get_data(as_text=True), report)
    text = signed_in(make_browser, "bob@granite.example").get(f"/kb/{article.public_id}")
    assert "Fran Fields" in text.get_data(as_text=True)  # written by the facilitator, named


def test_only_the_groups_facilitators_turn_reports_into_articles(kb, make_browser):
    report = post_report(kb)
    with pytest.raises(PermissionDenied):
        links.report_to_article(kb.bob, report)
    with pytest.raises(PermissionDenied):
        links.report_to_article(kb.other_facilitator, report)
    bob = signed_in(make_browser, "bob@granite.example")
    response = bob.post_form(
        f"/reports/{report.public_id}", {}, action=f"/reports/{report.public_id}/to-article"
    )
    assert response.status_code == 403
    assert db.session.query(ArticleReportLink).count() == 0


def test_a_report_without_a_workaround_is_refused(kb):
    report = post_report(kb, workaround="")
    with pytest.raises(ValidationError):
        links.report_to_article(kb.facilitator, report)


def test_editors_link_and_unlink_reports_both_ways(kb, make_browser):
    report = post_report(kb)
    article = write(kb.facilitator, group=kb.group)
    fran = signed_in(make_browser, "fran@association.example")
    response = fran.post_form(
        f"/kb/{article.public_id}",
        {"report": f"http://localhost/reports/{report.public_id}"},
        action=f"/kb/{article.public_id}/links",
    )
    assert response.status_code == 302
    assert links.linked_articles(kb.bob, report) == [article]
    assert links.linked_reports(kb.bob, article) == [report]
    page = signed_in(make_browser, "bob@granite.example").get(f"/kb/{article.public_id}")
    assert report.title in page.get_data(as_text=True)
    again = fran.post_form(
        f"/kb/{article.public_id}",
        {"report": report.public_id},
        action=f"/kb/{article.public_id}/links",
    )
    assert again.status_code == 409
    removed = fran.post_form(
        f"/kb/{article.public_id}",
        {},
        action=f"/kb/{article.public_id}/links/{report.public_id}/delete",
    )
    assert removed.status_code == 302
    assert links.linked_articles(kb.bob, report) == []


def test_linking_needs_edit_rights_and_a_visible_report(kb):
    report = post_report(kb)
    article = write(kb.facilitator)
    with pytest.raises(PermissionDenied):
        links.link_report(kb.bob, article, report.public_id)
    with pytest.raises(ValidationError):
        links.link_report(kb.other_facilitator, article, report.public_id)  # cannot see it
    with pytest.raises(ValidationError):
        links.link_report(kb.facilitator, article, "no-such-report")
    with pytest.raises(NotFound):
        links.unlink_report(kb.facilitator, article, report.public_id)


def test_links_show_only_what_the_viewer_may_see(kb):
    report = post_report(kb)
    wide = write(kb.facilitator)
    links.link_report(kb.facilitator, wide, report.public_id)
    db.session.commit()
    assert links.linked_reports(kb.outsider, wide) == []  # the report is the group's
    assert links.linked_reports(kb.bob, wide) == [report]


def render_as(app, user, source: str, **context) -> str:
    with app.test_request_context("/"):
        login_user(user)
        return render_template_string(source, **context)


def test_linked_articles_partial_for_the_report_page(kb, app):
    report = post_report(kb)
    article = write(kb.facilitator, group=kb.group, title="Linked workaround for INV-15")
    links.link_report(kb.facilitator, article, report.public_id)
    db.session.commit()
    include = '{% include "kb/_linked_articles.html" %}'
    as_member = render_as(app, kb.bob, include, report=report)
    assert "Linked workaround for INV-15" in as_member
    assert "Turn the workaround into an article" not in as_member
    as_facilitator = render_as(app, kb.facilitator, include, report=report)
    assert "Turn the workaround into an article" in as_facilitator
    assert f"/reports/{report.public_id}/to-article" in as_facilitator


def test_portal_articles_partial_lists_what_the_viewer_may_read(kb, app):
    wide = write(kb.facilitator, title="Ariba for everyone")
    group_only = write(kb.bob, group=kb.group, title="Ariba for building materials")
    write(kb.bob, group=kb.group, title="Ariba draft", publish=False)
    write(kb.facilitator, title="Coupa article", portal="coupa")
    portal = get_portal("sap-business-network")
    include = '{% include "kb/_portal_articles.html" %}'
    as_outsider = render_as(app, kb.outsider, include, portal=portal)
    assert wide.title in as_outsider and group_only.title not in as_outsider
    assert "Ariba draft" not in as_outsider and "Coupa article" not in as_outsider
    as_member = render_as(app, kb.carol, include, portal=portal)
    assert wide.title in as_member and group_only.title in as_member


def test_report_page_link_form_links_an_article_by_its_address(kb, make_browser):
    report = post_report(kb)
    article = write(kb.facilitator)
    fran = signed_in(make_browser, "fran@association.example")
    response = fran.post_form(
        f"/reports/{report.public_id}",
        {"article": f"http://localhost/kb/{article.public_id}"},
        action=f"/reports/{report.public_id}/articles",
    )
    assert response.status_code == 302
    assert links.linked_articles(kb.facilitator, report) == [article]

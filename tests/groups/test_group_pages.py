"""The members' group page and who may reach the group pages at all.

Rule: a group you may not see answers 404 (you cannot even learn it exists); a group you
see but may not manage (a member's own group) answers 403 on its manage pages.
"""

from __future__ import annotations

import pytest

from credgroup.extensions import db
from credgroup.groups import services
from tests.groups.conftest import text

MANAGE_PAGES = ["manage/", "manage/settings", "manage/companies", "manage/people"]


def test_member_sees_their_groups_page(org, signed_in):
    org.alpha.description = "We meet quarterly.\n\nBring your <b>portal</b> issues."
    db.session.commit()
    page = signed_in(org.member_a).get("/g/alpha/")
    html = text(page)
    assert page.status_code == 200
    assert "Alpha Building Materials" in html
    assert "Building materials" in html
    assert "Acme Supply" in html  # members know who is in their group
    assert "Bolt Foods" not in html
    assert "Fay Alpha" in html and "fay@association.example" in html
    # Statements, description: shown as text, never as HTML.
    assert "Antitrust" in html and "Anti-defamation" in html and "Confidentiality" in html
    assert org.alpha.antitrust_statement.split(".")[0] in html.replace("&#39;", "'")
    assert "&lt;b&gt;portal&lt;/b&gt;" in html
    # Naming policy and threshold in plain words.
    assert "only the customer's industry" in html.replace("&#39;", "'")
    assert "at least 5 different" in html
    # The nav switcher shows the group.
    assert 'aria-current="page">Alpha Building Materials</a>' in html
    assert "Manage this group" not in html


def test_naming_policy_words_follow_the_setting(org, signed_in):
    services.update_group(org.admin, org.alpha, customer_naming="named", anonymity_threshold=8)
    db.session.commit()
    html = text(signed_in(org.member_a).get("/g/alpha/"))
    assert "may name the customer" in html
    assert "at least 8 different" in html


def test_statements_are_not_rendered_as_markup(org, signed_in):
    services.update_group(
        org.admin, org.alpha, antitrust_statement="<script>alert(1)</script> **bold**"
    )
    db.session.commit()
    html = text(signed_in(org.member_a).get("/g/alpha/"))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in html


def test_member_of_another_group_gets_404(org, signed_in):
    assert signed_in(org.member_b).get("/g/alpha/").status_code == 404


def test_unknown_group_is_404_like_a_hidden_one(org, signed_in):
    browser = signed_in(org.member_a)
    hidden, unknown = browser.get("/g/beta/"), browser.get("/g/nope/")
    assert hidden.status_code == unknown.status_code == 404


def test_visitors_are_sent_to_sign_in(org, client):
    response = client.get("/g/alpha/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_facilitator_and_admin_see_the_page_with_a_manage_link(org, signed_in):
    for person in (org.facilitator_a, org.admin):
        page = signed_in(person).get("/g/alpha/")
        assert page.status_code == 200
        assert "Manage this group" in text(page)


def test_archived_group_page_is_gone_for_everyone(org, signed_in):
    services.archive_group(org.admin, org.alpha)
    db.session.commit()
    for person in (org.member_a, org.facilitator_a, org.admin):
        browser = signed_in(person)
        assert browser.get("/g/alpha/").status_code == 404
        assert "Alpha Building Materials" not in text(browser.get("/"))


# --- the access matrix for manage pages ----------------------------------------------------


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_member_cannot_manage_own_group(org, signed_in, page):
    assert signed_in(org.member_a).get(f"/g/alpha/{page}").status_code == 403


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_member_of_another_group_cannot_find_its_manage_pages(org, signed_in, page):
    assert signed_in(org.member_b).get(f"/g/alpha/{page}").status_code == 404


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_facilitator_of_another_group_cannot_find_its_manage_pages(org, signed_in, page):
    assert signed_in(org.facilitator_b).get(f"/g/alpha/{page}").status_code == 404


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_facilitator_and_admin_manage_the_group(org, signed_in, page):
    for person in (org.facilitator_a, org.admin):
        response = signed_in(person).get(f"/g/alpha/{page}", follow_redirects=True)
        assert response.status_code == 200


def test_manage_actions_are_refused_to_outsiders(org, signed_in):
    """POST-only actions follow the same rule, checked through real forms."""
    facilitator = signed_in(org.facilitator_a)
    page = "/g/alpha/manage/companies"
    remove = f"/g/alpha/manage/companies/{org.acme.id}/remove"
    deactivate = f"/g/alpha/manage/people/{org.member_a.public_id}/deactivate"
    for who, expected in ((org.member_a, 403), (org.member_b, 404), (org.facilitator_b, 404)):
        browser = signed_in(who)
        # Borrow a valid CSRF token for this session from a page they can open.
        for action in (remove, deactivate):
            response = browser.post_form("/", {}, action=action)
            assert response.status_code == expected, (who.email, action)
    # Nothing happened: the member still sees the group and can still sign in.
    assert facilitator.get(page).status_code == 200
    assert signed_in(org.member_a).get("/g/alpha/").status_code == 200

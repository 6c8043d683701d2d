"""Watches: who may watch what in which group, and the "my watches" page and buttons."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import render_template_string
from flask_login import login_user

from credgroup.errors import Conflict, NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.models import GroupMembership
from credgroup.reports import watches
from credgroup.reports.enums import ProblemCategory
from credgroup.reports.models import Watch

ARIBA = "sap-business-network"


def count_watches() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Watch))


# --- services ----------------------------------------------------------------------------


def test_member_watches_a_portal_a_category_or_both(reporting_group):
    rg = reporting_group
    by_portal = watches.watch(rg.bob, rg.group, portal=ARIBA)
    by_category = watches.watch(rg.bob, "building-materials", category="fees", immediate=True)
    both = watches.watch(rg.bob, rg.group, portal=ARIBA, category=ProblemCategory.FEES)
    db.session.commit()
    assert by_portal.portal.slug == ARIBA and by_portal.category is None
    assert by_category.portal_id is None and by_category.category is ProblemCategory.FEES
    assert by_category.immediate and not by_portal.immediate
    assert both.portal_id == by_portal.portal_id and both.category is ProblemCategory.FEES
    assert watches.watches_for(rg.bob) == [by_portal, by_category, both]
    assert watches.watches_for(rg.carol) == []


def test_a_watch_needs_a_portal_or_a_category(reporting_group):
    with pytest.raises(ValidationError) as raised:
        watches.watch(reporting_group.bob, reporting_group.group, portal="", category=None)
    assert raised.value.field == "portal"
    assert count_watches() == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"portal": "no-such-portal"}, "portal"),
        ({"category": "prices"}, "category"),
        ({"portal": ARIBA, "category": "nonsense"}, "category"),
    ],
)
def test_unknown_portal_or_category_is_refused_by_field(reporting_group, kwargs, field):
    with pytest.raises(ValidationError) as raised:
        watches.watch(reporting_group.bob, reporting_group.group, **kwargs)
    assert raised.value.field == field
    assert count_watches() == 0


@pytest.mark.parametrize(
    "kwargs", [{"portal": ARIBA}, {"category": "fees"}, {"portal": ARIBA, "category": "fees"}]
)
def test_watching_the_same_thing_twice_is_a_conflict(reporting_group, kwargs):
    rg = reporting_group
    watches.watch(rg.bob, rg.group, **kwargs)
    db.session.commit()
    with pytest.raises(Conflict):
        watches.watch(rg.bob, rg.group, immediate=True, **kwargs)
    db.session.rollback()
    assert count_watches() == 1
    # Another person, or a colleague, may watch the same thing.
    watches.watch(rg.alice_colleague, rg.group, **kwargs)
    watches.watch(rg.alice, rg.group, **kwargs)
    db.session.commit()
    assert count_watches() == 3


def test_outsiders_cannot_watch_a_group_they_cannot_see(reporting_group):
    rg = reporting_group
    with pytest.raises(NotFound):
        watches.watch(rg.outsider, rg.group, portal=ARIBA)
    with pytest.raises(NotFound):
        watches.watch(rg.outsider, "building-materials", portal=ARIBA)
    with pytest.raises(NotFound):
        watches.watch(rg.bob, "no-such-group", portal=ARIBA)
    assert count_watches() == 0


def test_facilitators_and_admins_may_watch_groups_they_see(reporting_group):
    rg = reporting_group
    watches.watch(rg.facilitator, rg.group, category="fees")
    watches.watch(rg.admin, rg.group, category="fees")
    db.session.commit()
    assert len(watches.watches_for(rg.facilitator)) == 1
    assert len(watches.watches_for(rg.admin)) == 1


def test_unwatching_someone_elses_watch_is_not_found(reporting_group):
    rg = reporting_group
    mine = watches.watch(rg.bob, rg.group, portal=ARIBA)
    db.session.commit()
    with pytest.raises(NotFound):
        watches.unwatch(rg.carol, mine.public_id)
    with pytest.raises(NotFound):
        watches.unwatch(rg.bob, "not-a-watch")
    watches.unwatch(rg.bob, mine.public_id)
    db.session.commit()
    assert count_watches() == 0


def test_watches_of_a_group_the_company_left_are_no_longer_listed(reporting_group):
    rg = reporting_group
    watches.watch(rg.bob, rg.group, portal=ARIBA)
    db.session.commit()
    db.session.execute(
        sa.delete(GroupMembership).where(GroupMembership.company_id == rg.bob.company_id)
    )
    db.session.commit()
    assert watches.watches_for(rg.bob) == []


def test_watching_a_merged_portal_watches_the_portal_it_lives_in_now(reporting_group):
    from credgroup.portals.services import merge_portal, resolve_portal

    rg = reporting_group
    typed = resolve_portal("Acme Invoice Hub")
    merge_portal(rg.admin, typed, resolve_portal("Coupa"))
    db.session.commit()
    row = watches.watch(rg.bob, rg.group, portal=typed.slug)
    assert row.portal.slug == "coupa"


# --- pages -------------------------------------------------------------------------------


def test_my_watches_page_adds_lists_and_removes(reporting_group, browser):
    browser.login("bob@granite.example")
    page = browser.get("/my/watches")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Building Materials Credit Group" in html and "Food Credit Group" not in html
    assert "SAP Business Network" in html and "Fees charged to the supplier" in html

    added = browser.post_form(
        "/my/watches",
        {"group": "building-materials", "portal": ARIBA, "category": "", "frequency": "immediate"},
    )
    assert added.status_code == 302 and added.headers["Location"].endswith("/my/watches")
    html = browser.get("/my/watches").get_data(as_text=True)
    assert "You are now watching that" in html
    assert "Immediately" in html and "Any category" in html

    row = db.session.scalar(sa.select(Watch))
    assert row.immediate and row.portal.slug == ARIBA
    removed = browser.post_form("/my/watches", {}, action=f"/my/watches/{row.public_id}/remove")
    assert removed.status_code == 302
    assert count_watches() == 0
    assert "not watching anything" in browser.get("/my/watches").get_data(as_text=True)


def test_add_form_explains_what_is_missing_and_saves_nothing(reporting_group, browser):
    browser.login("bob@granite.example")
    response = browser.post_form(
        "/my/watches",
        {"group": "building-materials", "portal": "", "category": "", "frequency": "daily"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose a portal, a category, or both." in html
    assert 'role="alert"' in html
    assert count_watches() == 0


def test_add_form_refuses_a_group_the_member_is_not_in(reporting_group, browser):
    browser.login("olga@prairie.example")
    response = browser.post_form(
        "/my/watches", {"group": "building-materials", "portal": ARIBA, "frequency": "daily"}
    )
    assert response.status_code == 404
    assert "No such group." in response.get_data(as_text=True)
    assert count_watches() == 0


def test_removing_another_persons_watch_is_not_found(reporting_group, browser):
    rg = reporting_group
    row = watches.watch(rg.carol, rg.group, portal=ARIBA)
    db.session.commit()
    browser.login("bob@granite.example")
    response = browser.post_form("/my/watches", {}, action=f"/my/watches/{row.public_id}/remove")
    assert response.status_code == 404
    assert count_watches() == 1


def test_watches_page_needs_sign_in(reporting_group, client):
    response = client.get("/my/watches")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_watch_button_returns_to_the_page_it_was_on_and_only_to_this_site(reporting_group, browser):
    browser.login("bob@granite.example")
    back = browser.post_form(
        "/my/watches",
        {"group": "building-materials", "category": "fees", "next": "/g/building-materials/"},
    )
    assert back.headers["Location"].endswith("/g/building-materials/")
    away = browser.post_form(
        "/my/watches",
        {"group": "building-materials", "portal": ARIBA, "next": "https://evil.example/"},
    )
    assert "evil" not in away.headers["Location"]
    assert count_watches() == 2


BUTTON = (
    "{% with group=group, portal=portal, category=category %}"
    '{% include "reports/watch_button.html" %}{% endwith %}'
)


def test_watch_button_partial_offers_to_watch_then_says_it_is_watched(reporting_group, app):
    from credgroup.portals.services import get_portal

    rg = reporting_group
    portal = get_portal(ARIBA)
    with app.test_request_context("/g/building-materials/reports?page=2"):
        login_user(rg.bob)
        html = render_template_string(BUTTON, group=rg.group, portal=portal, category=None)
        assert "Watch this portal" in html
        assert f'name="portal" value="{ARIBA}"' in html
        assert 'name="category" value=""' in html
        assert 'name="next" value="/g/building-materials/reports?page=2"' in html
        both = render_template_string(
            BUTTON, group=rg.group, portal=ARIBA, category=ProblemCategory.FEES
        )
        assert "Watch this portal and category" in both and 'value="fees"' in both

        watches.watch(rg.bob, rg.group, portal=portal)
        db.session.commit()
        html = render_template_string(BUTTON, group=rg.group, portal=portal, category=None)
        assert "You watch this portal" in html and "<form" not in html
        only_category = render_template_string(BUTTON, group=rg.group, portal=None, category="fees")
        assert "Watch this category" in only_category

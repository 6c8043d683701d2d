"""Groups through the API: each person sees exactly the groups they may see; the others
look exactly like groups that do not exist."""

from __future__ import annotations

import pytest

from credgroup.groups.statements import ANTITRUST
from tests.api.conftest import Org, assert_error


def slugs(response) -> list[str]:
    return [item["slug"] for item in response.get_json()["items"]]


def test_member_lists_only_their_companys_groups(api, org: Org):
    assert slugs(api(org.member_a).get("/api/v1/groups")) == ["alpha"]
    assert slugs(api(org.member_b).get("/api/v1/groups")) == ["beta"]


def test_facilitator_lists_only_their_groups(api, org: Org):
    assert slugs(api(org.facilitator_a).get("/api/v1/groups")) == ["alpha"]


def test_admin_lists_every_group(api, org: Org):
    assert slugs(api(org.admin).get("/api/v1/groups")) == ["alpha", "beta"]


def test_group_list_item_shape(api, org: Org):
    item = api(org.member_a).get("/api/v1/groups").get_json()["items"][0]
    assert item == {
        "slug": "alpha",
        "name": "Alpha Credit Group",
        "industry": "Building materials",
        "timezone": "America/Chicago",
        "anonymity_threshold": 5,
        "customer_naming": {"key": "industry_only", "label": "Customer's industry only"},
    }


def test_member_gets_group_detail_with_statements(api, org: Org):
    response = api(org.member_a).get("/api/v1/groups/alpha")
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == "alpha"
    assert body["role_in_group"] == "member"
    assert body["statements"]["antitrust"] == ANTITRUST
    assert set(body["statements"]) == {"antitrust", "anti_defamation", "confidentiality"}
    assert body["anonymity_threshold"] == 5
    assert body["customer_naming"]["key"] == "industry_only"


def test_facilitator_sees_their_role_in_group_detail(api, org: Org):
    body = api(org.facilitator_a).get("/api/v1/groups/alpha").get_json()
    assert body["role_in_group"] == "facilitator"


@pytest.mark.parametrize("path", ["/api/v1/groups/beta", "/api/v1/groups/beta/companies"])
def test_member_of_a_gets_404_on_group_b_same_as_nonexistent(api, org: Org, path):
    client = api(org.member_a)
    hidden = client.get(path)
    missing = client.get(path.replace("beta", "no-such-group"))
    assert_error(hidden, 404, "not_found")
    assert hidden.get_json() == missing.get_json()
    assert "Beta" not in hidden.get_data(as_text=True)


def test_facilitator_gets_404_on_group_they_do_not_facilitate(api, org: Org):
    assert_error(api(org.facilitator_a).get("/api/v1/groups/beta"), 404, "not_found")


def test_archived_group_is_404(api, org: Org):
    from credgroup.db import utcnow
    from credgroup.extensions import db

    org.group_a.archived_at = utcnow()
    db.session.commit()
    assert_error(api(org.member_a).get("/api/v1/groups/alpha"), 404, "not_found")


def test_company_that_leaves_a_group_loses_api_access_at_once(api, org: Org):
    from credgroup.extensions import db
    from credgroup.groups.models import GroupMembership

    client = api(org.member_a)
    assert client.get("/api/v1/groups/alpha").status_code == 200
    db.session.execute(
        db.delete(GroupMembership).where(GroupMembership.company_id == org.company_a.id)
    )
    db.session.commit()
    assert_error(client.get("/api/v1/groups/alpha"), 404, "not_found")


def test_members_and_facilitators_see_member_companies(api, factory, org: Org):
    factory.company("Zenith Roofing", groups=[org.group_a], industry="Roofing")
    expected = [
        {"name": "Acme Aggregates", "industry": "Aggregates"},
        {"name": "Zenith Roofing", "industry": "Roofing"},
    ]
    for person in (org.member_a, org.facilitator_a, org.admin):
        body = api(person).get("/api/v1/groups/alpha/companies").get_json()
        assert body["items"] == expected
        assert body["total"] == 2

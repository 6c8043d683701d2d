"""GET /api/v1/me tells the caller who they are and where they belong, and nothing more."""

from __future__ import annotations

from tests.api.conftest import Org


def test_member_sees_own_company_and_groups(api, org: Org):
    body = api(org.member_a).get("/api/v1/me").get_json()
    assert body == {
        "public_id": org.member_a.public_id,
        "name": "Ann Acme",
        "email": "ann@acme.example",
        "role": "member",
        "company": {"name": "Acme Aggregates"},
        "timezone": org.member_a.timezone,
        "groups": [{"slug": "alpha", "name": "Alpha Credit Group", "role_in_group": "member"}],
    }


def test_member_of_two_groups_through_company_sees_both(api, factory, org: Org):
    shared_company = factory.company("Charlie Chemicals", groups=[org.group_a, org.group_b])
    person = factory.member(shared_company)
    groups = api(person).get("/api/v1/me").get_json()["groups"]
    assert [g["slug"] for g in groups] == ["alpha", "beta"]


def test_facilitator_sees_only_facilitated_groups_without_company(api, org: Org):
    body = api(org.facilitator_a).get("/api/v1/me").get_json()
    assert body["role"] == "facilitator"
    assert body["company"] is None
    assert body["groups"] == [
        {"slug": "alpha", "name": "Alpha Credit Group", "role_in_group": "facilitator"}
    ]


def test_admin_facilitates_every_group(api, org: Org):
    body = api(org.admin).get("/api/v1/me").get_json()
    assert body["role"] == "admin"
    assert [(g["slug"], g["role_in_group"]) for g in body["groups"]] == [
        ("alpha", "facilitator"),
        ("beta", "facilitator"),
    ]


def test_me_exposes_no_internal_ids_or_secrets(api, org: Org):
    client = api(org.member_a)
    text = client.get("/api/v1/me").get_data(as_text=True)
    for secret in ("password", "session_version", "token", '"id"', "company_id"):
        assert secret not in text
    assert client.token not in text


def test_archived_group_disappears_from_me(api, org: Org):
    from credgroup.db import utcnow
    from credgroup.extensions import db

    org.group_a.archived_at = utcnow()
    db.session.commit()
    assert api(org.member_a).get("/api/v1/me").get_json()["groups"] == []

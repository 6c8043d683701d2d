"""Helpers for API tests: calling with a bearer token, and a small organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from credgroup.accounts.models import User
from credgroup.groups.models import CreditGroup, MemberCompany


class ApiClient:
    """The test client with ``Authorization: Bearer <token>`` on every request."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, url: str, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def open(self, url: str, method: str, headers: dict[str, str] | None = None, **kw: Any):
        return self.client.open(url, method=method, headers=self._headers(headers), **kw)


@pytest.fixture
def api(client, factory):
    """``api(user)`` -> an ApiClient holding a fresh token of ``user``."""

    def make(user: User) -> ApiClient:
        return ApiClient(client, factory.api_token(user))

    return make


@dataclass
class Org:
    """Two groups; a member company in each; a facilitator of A only; an admin."""

    group_a: CreditGroup
    group_b: CreditGroup
    company_a: MemberCompany
    company_b: MemberCompany
    member_a: User
    member_b: User
    facilitator_a: User
    admin: User


@pytest.fixture
def org(factory) -> Org:
    group_a = factory.group(slug="alpha", name="Alpha Credit Group", timezone="America/Chicago")
    group_b = factory.group(slug="beta", name="Beta Credit Group")
    company_a = factory.company("Acme Aggregates", groups=[group_a], industry="Aggregates")
    company_b = factory.company("Bravo Foods", groups=[group_b])
    return Org(
        group_a=group_a,
        group_b=group_b,
        company_a=company_a,
        company_b=company_b,
        member_a=factory.member(company_a, email="ann@acme.example", name="Ann Acme"),
        member_b=factory.member(company_b, email="bob@bravo.example"),
        facilitator_a=factory.facilitator(groups=[group_a], email="fay@assoc.example"),
        admin=factory.admin(email="ada@assoc.example"),
    )


def assert_error(response, status: int, code: str) -> dict[str, Any]:
    """The response is the API's JSON error with this status and code; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]

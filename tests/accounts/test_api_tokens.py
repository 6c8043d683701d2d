"""Personal API tokens: shown once, stored hashed, listed, revoked, resolved to their owner."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import ApiToken
from credgroup.accounts.services import (
    create_api_token,
    list_api_tokens,
    revoke_api_token,
    user_for_api_token,
)
from credgroup.accounts.tokens import API_TOKEN_PREFIX, hash_token
from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from tests.accounts.helpers import page_text


@pytest.fixture
def member(factory):
    return factory.member(email="dana@supplier.example")


@pytest.fixture
def signed_in(browser, member):
    browser.login("dana@supplier.example")
    return browser


def create_on_page(browser, name="Aging spreadsheet"):
    return browser.post_form("/profile/tokens", {"name": name})


def shown_token(html: str) -> str:
    match = re.search(r'<p class="token-once">([^<]+)</p>', html)
    assert match, "no token shown"
    return match.group(1)


def test_token_is_shown_once_and_stored_only_as_a_hash(signed_in, member):
    response = create_on_page(signed_in)
    assert response.status_code == 200
    raw = shown_token(page_text(response))
    assert raw.startswith(API_TOKEN_PREFIX)
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert stored.token_hash == hash_token(raw) and raw not in stored.token_hash
    assert stored.prefix == raw[:10] and stored.user_id == member.id
    listing = page_text(signed_in.get("/profile/tokens"))
    assert "Aging spreadsheet" in listing and stored.prefix in listing
    assert raw not in listing and "token-once" not in listing


def test_token_list_shows_created_and_last_used(signed_in, member):
    raw = shown_token(page_text(create_on_page(signed_in)))
    assert "Never" in page_text(signed_in.get("/profile/tokens"))
    assert user_for_api_token(raw) == member
    assert "Never" not in page_text(signed_in.get("/profile/tokens"))


def test_token_is_revoked_from_the_page(signed_in, member):
    raw = shown_token(page_text(create_on_page(signed_in)))
    token = db.session.scalars(sa.select(ApiToken)).one()
    response = signed_in.post_form(
        "/profile/tokens", {}, action=f"/profile/tokens/{token.public_id}/revoke"
    )
    assert response.status_code == 302
    assert user_for_api_token(raw) is None
    assert "Aging spreadsheet" not in page_text(signed_in.get("/profile/tokens"))


def test_someone_elses_token_cannot_be_revoked(signed_in, factory):
    other = factory.member(email="erin@supplier.example")
    token, raw = create_api_token(other, "Erin's")
    db.session.commit()
    response = signed_in.post_form(
        "/profile/tokens", {}, action=f"/profile/tokens/{token.public_id}/revoke"
    )
    assert response.status_code == 404
    assert user_for_api_token(raw) == other


@pytest.mark.parametrize(
    ("name", "message"), [("", "Give the token a name"), ("n" * 101, "at most 100")]
)
def test_bad_token_name_is_explained_and_nothing_is_created(signed_in, name, message):
    response = create_on_page(signed_in, name)
    assert response.status_code == 422
    assert message in page_text(response)
    assert db.session.scalars(sa.select(ApiToken)).all() == []


def test_token_pages_need_sign_in(client):
    assert client.get("/profile/tokens").status_code == 302


def test_user_for_api_token_finds_the_owner_and_records_use(member):
    token, raw = create_api_token(member, "script")
    db.session.commit()
    assert token.last_used_at is None
    assert user_for_api_token(raw) == member
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None


@pytest.mark.parametrize("raw", ["", "cg_", "cg_not-a-real-token", "Bearer x", "x" * 500])
def test_user_for_api_token_rejects_unknown_tokens(member, raw):
    assert user_for_api_token(raw) is None


def test_user_for_api_token_rejects_a_deactivated_owner(member):
    _token, raw = create_api_token(member, "script")
    member.active = False
    db.session.commit()
    assert user_for_api_token(raw) is None


def test_revoke_api_token_service(member, factory):
    token, raw = create_api_token(member, "script")
    db.session.commit()
    with pytest.raises(NotFound):
        revoke_api_token(factory.member(), token.public_id)
    revoke_api_token(member, token.public_id)
    db.session.commit()
    assert user_for_api_token(raw) is None
    assert list_api_tokens(member) == []


def test_number_of_tokens_is_capped(member):
    for n in range(20):
        create_api_token(member, f"token {n}")
    with pytest.raises(ValidationError, match="revoke one first"):
        create_api_token(member, "one too many")


def test_last_used_is_written_at_most_once_a_minute(member):
    token, raw = create_api_token(member, "busy script")
    db.session.commit()
    user_for_api_token(raw)
    first = db.session.get(ApiToken, token.id).last_used_at
    user_for_api_token(raw)
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at == first

"""A small association for the organisation tests: two groups, a company and a member in
each, a facilitator for each, and an administrator; plus signed-in browsers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from credgroup.accounts.models import User
from credgroup.groups.models import CreditGroup, MemberCompany
from tests.fixtures.app import Browser


@dataclass
class Org:
    alpha: CreditGroup
    beta: CreditGroup
    acme: MemberCompany  # in alpha
    bolt: MemberCompany  # in beta
    member_a: User
    member_b: User
    facilitator_a: User
    facilitator_b: User
    admin: User


@pytest.fixture
def org(factory) -> Org:
    alpha = factory.group(slug="alpha", name="Alpha Building Materials")
    beta = factory.group(slug="beta", name="Beta Foods", industry="Food")
    acme = factory.company("Acme Supply", groups=[alpha])
    bolt = factory.company("Bolt Foods", groups=[beta])
    return Org(
        alpha=alpha,
        beta=beta,
        acme=acme,
        bolt=bolt,
        member_a=factory.member(acme, email="ann@acme.example", name="Ann Acme"),
        member_b=factory.member(bolt, email="bob@bolt.example", name="Bob Bolt"),
        facilitator_a=factory.facilitator(
            groups=[alpha], email="fay@association.example", name="Fay Alpha"
        ),
        facilitator_b=factory.facilitator(
            groups=[beta], email="finn@association.example", name="Finn Beta"
        ),
        admin=factory.admin(email="ada@association.example", name="Ada Admin"),
    )


@pytest.fixture
def signed_in(make_browser) -> Callable[[User], Browser]:
    """A fresh browser signed in as the given person."""

    def sign_in(user: User) -> Browser:
        browser = make_browser()
        response = browser.login(user.email)
        assert response.status_code in (302, 303), response.get_data(as_text=True)
        return browser

    return sign_in


def text(response) -> str:
    return response.get_data(as_text=True)

"""Shared meeting fixtures (owned by the meetings core; records tests use them too).

``meeting_world``: the group "building-materials" (meets in America/Chicago) with Alice and
her colleague Ned (Northfield Aggregates), Bob (Granite Ridge Supply), the facilitator
Fran, an admin, and Olga, a member of another group. ``meeting_world.meeting(...)`` makes a
meeting through the services; ``meeting_world.browser(user)`` gives a signed-in browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup

GROUP_TZ = "America/Chicago"


@dataclass
class MeetingWorld:
    group: CreditGroup
    other_group: CreditGroup
    alice: User
    ned: User
    bob: User
    fran: User
    admin: User
    olga: User
    make_browser: Any
    factory: Any
    browsers: dict[int, Any] = field(default_factory=dict)

    @property
    def members(self) -> list[User]:
        return [self.alice, self.ned, self.bob]

    def browser(self, user: User):
        """A signed-in browser for ``user`` (one per person, cookies kept)."""
        if user.id not in self.browsers:
            browser = self.make_browser()
            response = browser.login(user.email)
            assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
            self.browsers[user.id] = browser
        return self.browsers[user.id]

    def meeting(
        self,
        *,
        starts_in: timedelta = timedelta(days=30),
        title: str = "Spring meeting",
        duration_minutes: int = 120,
        publish: bool = True,
        series=None,
        **fields: Any,
    ):
        """A meeting in ``group`` starting ``starts_in`` from now (at 10:00 local time)."""
        from credgroup.meetings import meetings as services

        local_day = (datetime.now(UTC) + starts_in).date()
        meeting = services.create_meeting(
            self.fran,
            self.group,
            title=title,
            starts_local=datetime(local_day.year, local_day.month, local_day.day, 10, 0),
            duration_minutes=duration_minutes,
            timezone=fields.pop("timezone", GROUP_TZ),
            place=fields.pop("place", "Chicago, Hotel Allegro"),
            video_link=fields.pop("video_link", "https://video.example/credit"),
            series=series,
            **fields,
        )
        if publish:
            services.publish_meeting(self.fran, meeting)
        db.session.commit()
        return meeting


@pytest.fixture
def meeting_world(app, factory, make_browser) -> MeetingWorld:
    group = factory.group(slug="building-materials", name="Building Materials", timezone=GROUP_TZ)
    other = factory.group(slug="food-service", name="Food Service")
    northfield = factory.company("Northfield Aggregates Inc.", groups=[group], aliases=["NFA"])
    granite = factory.company("Granite Ridge Supply", groups=[group])
    outside = factory.company("Orchard Foods", groups=[other])
    return MeetingWorld(
        group=group,
        other_group=other,
        alice=factory.member(northfield, email="alice@northfield.example", name="Alice Archer"),
        ned=factory.member(northfield, email="ned@northfield.example", name="Ned North"),
        bob=factory.member(granite, email="bob@graniteridge.example", name="Bob Boulder"),
        fran=factory.facilitator(
            groups=[group], email="fran@association.example", name="Fran Facilitator"
        ),
        admin=factory.admin(email="root@association.example", name="Ada Admin"),
        olga=factory.member(outside, email="olga@orchard.example", name="Olga Orchard"),
        make_browser=make_browser,
        factory=factory,
    )

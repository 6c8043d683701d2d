"""The weekly trends email's "next meeting" section, as it arrives over SMTP: each group's
next published meeting with its local time, the call for items and the agenda's address;
nothing about any member."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.meetings import calls
from credgroup.meetings import meetings as meeting_services
from credgroup.meetings.digest_section import next_meetings_section
from credgroup.notify.outbox import drain_outbox
from credgroup.reports.models import Report
from credgroup.trends import digest
from credgroup.trends.digest import SECTION_PROVIDERS

CHICAGO = "America/Chicago"


@pytest.fixture
def app_config(smtp_server):
    return smtp_server.config()


def plan(tg, days: int, *, title: str, publish: bool = True, group=None, actor=None):
    """A meeting at 10:00 Chicago time ``days`` from now."""
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    meeting = meeting_services.create_meeting(
        actor or tg.facilitator,
        group or tg.group,
        title=title,
        starts_local=datetime(day.year, day.month, day.day, 10, 0),
        timezone=CHICAGO,
    )
    if publish:
        meeting_services.publish_meeting(actor or tg.facilitator, meeting)
    db.session.commit()
    return meeting


def delivered(app, smtp_server, address: str) -> str:
    today = datetime.now(UTC).date()
    digest.send_weekly_digests(today)
    db.session.commit()
    drain_outbox(app)
    (message,) = [m for m in smtp_server.messages if address in m.rcpt_tos]
    return message.text()


def test_the_meetings_feature_registers_the_section(app):
    assert next_meetings_section in SECTION_PROVIDERS


def test_a_member_reads_the_next_meeting_with_its_local_time_call_and_agenda(
    app, smtp_server, dataset
):
    meeting = plan(dataset, 10, title="Spring roundtable")
    deadline_day = (datetime.now(UTC) + timedelta(days=5)).date()
    calls.open_call(
        dataset.facilitator,
        meeting,
        deadline=datetime(deadline_day.year, deadline_day.month, deadline_day.day, 17, 0),
    )
    plan(dataset, 40, title="Summer roundtable")  # not the next one
    db.session.commit()

    text = delivered(app, smtp_server, dataset.members[0].email)
    local = meeting.starts_at.astimezone(meeting_services.local_start(meeting).tzinfo)
    assert "Your next meeting\n- Steel Credit Group: Spring roundtable, " in text
    assert f"{local:%A %d %B %Y}, 10:00 C" in text and f"({CHICAGO})" in text
    assert f"call for items is open until {deadline_day:%A %d %B %Y}, 17:00 C" in text
    assert f"Agenda: http://localhost/meetings/{meeting.public_id}#agenda" in text
    assert "Summer roundtable" not in text


def test_closed_or_no_call_far_meetings_drafts_and_other_groups_meetings(
    app, smtp_server, dataset, factory
):
    meeting = plan(dataset, 3, title="Soon meeting")
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    calls.open_call(dataset.facilitator, meeting, deadline=datetime(day.year, day.month, day.day))
    calls.close_call(dataset.facilitator, meeting)
    other = factory.group(slug="glass", name="Glass Credit Group")
    other_facilitator = factory.facilitator(groups=[other], email="fac@glass.example")
    plan(dataset, 4, title="Glass meeting", group=other, actor=other_facilitator)
    db.session.commit()

    text = delivered(app, smtp_server, dataset.members[1].email)
    assert "Soon meeting" in text and "The call for items is closed." in text
    assert "Glass meeting" not in text  # not this member's group

    # A draft is not announced, and a meeting two months away without a call is not news.
    meeting_services.cancel_meeting(dataset.facilitator, meeting)
    plan(dataset, 5, title="Draft meeting", publish=False)
    plan(dataset, 60, title="Autumn meeting")
    db.session.commit()
    assert next_meetings_section(dataset.members[1], datetime.now(UTC).date()) is None


def test_a_meeting_alone_is_enough_for_an_email_and_it_names_nobody(app, smtp_server, dataset):
    meeting = plan(dataset, 7, title="Quarterly meeting")
    text = delivered(app, smtp_server, dataset.members[2].email)
    assert "Quarterly meeting" in text and "No call for items yet." in text
    traces = [c.name for c in dataset.companies] + [m.name for m in dataset.members]
    traces += [m.email for m in dataset.members if m is not dataset.members[2]]
    traces += [dataset.facilitator.name, dataset.facilitator.email]
    for row in db.session.execute(sa.select(Report.company_pseudonym, Report.author_pseudonym)):
        traces += list(row)
    assert not [trace for trace in traces if trace in text]
    assert meeting.public_id in text

"""The weekly trends email: published figures of what people watch, rising problems and
new articles, once per ISO week, never a name or a pseudonym."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.kb.models import Article, ArticleState
from credgroup.notify.models import OutboxEmail
from credgroup.reports.enums import ProblemCategory
from credgroup.reports.models import Report, Watch
from credgroup.trends import digest
from credgroup.trends.jobs import JOBS, WEEKLY_DIGEST_JOB
from credgroup.worker.registry import collect_jobs
from credgroup.worker.scheduler import run_job

TODAY = date(2025, 3, 20)  # Q1 2025 so far; the dataset's reports are in it


def emails() -> dict[str, OutboxEmail]:
    return {e.to_addr: e for e in db.session.scalars(sa.select(OutboxEmail))}


def watch(user, group, portal=None, category=None):
    db.session.add(
        Watch(
            user_id=user.id,
            group_id=group.id,
            portal_id=portal.id if portal else None,
            category=ProblemCategory(category) if category else None,
            created_on=TODAY,
        )
    )


def article(title: str, published_on: date, group_id=None):
    db.session.add(
        Article(
            slug=title.lower().replace(" ", "-"),
            title=title,
            group_id=group_id,
            state=ArticleState.PUBLISHED,
            published_on=published_on,
        )
    )


@pytest.fixture
def watched(dataset):
    member = dataset.members[0]
    watch(member, dataset.group, portal=dataset.portals["coupa"])
    watch(member, dataset.group, category="skipped")
    watch(member, dataset.group, portal=dataset.portals["coupa"], category="fees")
    article("Coupa fee opt-out", TODAY - timedelta(days=2))
    article("An old article", TODAY - timedelta(days=30))
    db.session.commit()
    return dataset


def test_a_member_gets_published_figures_rising_problems_and_new_articles(watched):
    assert digest.send_weekly_digests(TODAY) > 0
    db.session.commit()
    mail = emails()[watched.members[0].email]
    body = mail.body_text
    assert mail.subject == "Your weekly trends, week 12 of 2025"
    assert "Steel Credit Group" in body and "Q1 2025 so far" in body
    assert "- Coupa: fewer than 3" in body  # Coupa's total is hidden in the report
    assert "- Accepted but never processed or paid: 3 (3 companies)" in body
    assert "- Coupa · Fees charged to the supplier: fewer than 3" in body
    assert "Rising against Q4 2024" in body and "(up 2)" in body
    assert "Coupa fee opt-out" in body and "An old article" not in body
    assert "http://localhost/g/steel/trends" in body


def test_the_email_names_no_company_person_or_pseudonym(watched):
    digest.send_weekly_digests(TODAY)
    db.session.commit()
    traces = [c.name for c in watched.companies] + [m.name for m in watched.members]
    for row in db.session.execute(sa.select(Report.company_pseudonym, Report.author_pseudonym)):
        traces += list(row)
    for mail in emails().values():
        others = [m.email for m in watched.members if m.email != mail.to_addr]
        for trace in traces + others:
            assert trace not in mail.body_text and trace not in mail.subject


def test_once_per_week_however_often_it_runs(watched):
    assert digest.send_weekly_digests(TODAY) > 0
    db.session.commit()
    before = len(emails())
    assert digest.send_weekly_digests(TODAY + timedelta(days=2)) == 0
    db.session.commit()
    assert len(emails()) == before
    assert digest.send_weekly_digests(TODAY + timedelta(days=7)) > 0


def test_the_worker_runs_it_once_per_iso_week(app, watched):
    article("This week's article", datetime.now(UTC).date())
    db.session.commit()
    (spec,) = [job for job in collect_jobs() if job.id == WEEKLY_DIGEST_JOB]
    assert spec in JOBS and spec.period == "weekly" and spec.misfire_grace_time >= 86400
    now = datetime.now(UTC)
    first = run_job(app, spec, now)
    assert first.status == "ok" and "queued" in first.detail
    assert run_job(app, spec, now).status == "skipped"
    assert len(emails()) > 0


def test_people_who_turned_email_off_staff_and_people_without_news_get_nothing(watched):
    watched.members[1].notification_prefs = {"digest": "off"}
    watched.members[2].notification_prefs = {"trends_digest": False}
    db.session.commit()
    digest.send_weekly_digests(TODAY)
    db.session.commit()
    got = emails()
    assert watched.members[0].email in got
    assert watched.members[1].email not in got and watched.members[2].email not in got
    assert watched.facilitator.email not in got and watched.admin.email not in got
    # The outsider's group is too small for figures; the association-wide article remains.
    outsider = got[watched.outsider.email].body_text
    assert "Coupa fee opt-out" in outsider and "Steel" not in outsider
    db.session.execute(sa.delete(Article))
    db.session.execute(sa.delete(OutboxEmail))
    db.session.commit()
    digest.send_weekly_digests(TODAY + timedelta(days=7))
    assert watched.outsider.email not in emails()


def test_other_features_add_sections_through_the_hook(watched):
    def next_meeting(user, today):
        return {
            "title": "Your next meeting",
            "lines": [f"Thursday, for {user.company.name[:0]}all"],
        }

    digest.register_section(next_meeting)
    digest.register_section(next_meeting)  # once only
    try:
        assert digest.SECTION_PROVIDERS.count(next_meeting) == 1
        digest.send_weekly_digests(TODAY)
        db.session.commit()
        assert (
            "Your next meeting\n- Thursday, for all" in emails()[watched.members[3].email].body_text
        )
    finally:
        digest.SECTION_PROVIDERS.remove(next_meeting)


def test_the_profile_box_decides_whatever_the_reports_email_setting(watched, make_browser):
    member = watched.members[0]
    browser = make_browser()
    assert browser.login(member.email).status_code in (302, 303)
    form = {
        "name": member.name,
        "email": member.email,
        "timezone": member.timezone,
        "digest": "off",  # no email about new reports...
        "trends_digest": "y",  # ...but the weekly trends, yes
    }
    assert browser.post_form("/profile", form).status_code == 302
    assert digest.send_weekly_digests(TODAY) > 0
    db.session.commit()
    assert member.email in emails()
    del form["trends_digest"]  # unticked
    form["digest"] = "daily"
    assert browser.post_form("/profile", form).status_code == 302
    db.session.execute(sa.delete(OutboxEmail))
    db.session.commit()
    digest.send_weekly_digests(TODAY + timedelta(days=7))
    db.session.commit()
    assert member.email not in emails() and watched.members[3].email in emails()

"""Email about reports: watchers of new reports (now or in the digest), and the relays
between a reporter and the people who ask them questions or review their words."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from credgroup.db import utcnow
from credgroup.extensions import db
from credgroup.groups.models import GroupMembership
from credgroup.notify.models import OutboxEmail
from credgroup.reports import authoring, discussion, review, watches
from credgroup.reports.jobs import JOBS, send_digests
from credgroup.reports.models import DigestItem
from credgroup.worker.models import JobRun
from credgroup.worker.scheduler import run_job
from tests.reports.conftest import REPORT_DATA

ARIBA = "sap-business-network"
BOYCOTT = "Let's all stop using their Ariba until they fix it."
TUESDAY = date(2026, 3, 10)
MONDAY = date(2026, 3, 16)


def publish(rg, user=None, **changes):
    report = authoring.publish_report(user or rg.alice, rg.group, {**REPORT_DATA, **changes})
    db.session.commit()
    return report


def watch(rg, user, **kwargs):
    row = watches.watch(user, rg.group, **kwargs)
    db.session.commit()
    return row


def emails(to: str | None = None) -> list[OutboxEmail]:
    query = sa.select(OutboxEmail).order_by(OutboxEmail.id)
    if to is not None:
        query = query.where(OutboxEmail.to_addr == to)
    return list(db.session.scalars(query))


def digest_items(user=None) -> list[DigestItem]:
    query = sa.select(DigestItem).order_by(DigestItem.id)
    if user is not None:
        query = query.where(DigestItem.user_id == user.id)
    return list(db.session.scalars(query))


def set_digest(user, value: str) -> None:
    user.notification_prefs = {**(user.notification_prefs or {}), "digest": value}
    db.session.commit()


def leave_group(user) -> None:
    db.session.execute(
        sa.delete(GroupMembership).where(GroupMembership.company_id == user.company_id)
    )
    db.session.commit()


# --- new reports -------------------------------------------------------------------------


def test_immediate_watcher_gets_one_email_with_the_reports_link(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    report = publish(rg)
    [email] = emails()
    assert email.to_addr == "bob@granite.example"
    assert email.subject == f"New report in Building Materials Credit Group: {report.title}"
    assert f"http://localhost/reports/{report.public_id}" in email.body_text
    assert "SAP Business Network" in email.body_text
    assert "Rejected or incompatible invoice" in email.body_text
    assert digest_items() == []


@pytest.mark.parametrize(
    ("watch_kwargs", "report_changes", "notified"),
    [
        ({"portal": ARIBA}, {}, True),
        ({"portal": ARIBA}, {"portal": "Coupa"}, False),
        ({"category": "rejected_format"}, {"portal": "Coupa"}, True),
        ({"category": "rejected_format"}, {"category": "skipped"}, False),
        ({"portal": ARIBA, "category": "rejected_format"}, {}, True),
        ({"portal": ARIBA, "category": "rejected_format"}, {"category": "skipped"}, False),
        ({"portal": ARIBA, "category": "rejected_format"}, {"portal": "Coupa"}, False),
    ],
)
def test_watch_matches_its_portal_its_category_or_both(
    reporting_group, watch_kwargs, report_changes, notified
):
    rg = reporting_group
    watch(rg, rg.bob, immediate=True, **watch_kwargs)
    watch(rg, rg.carol, **watch_kwargs)
    publish(rg, **report_changes)
    assert len(emails("bob@granite.example")) == int(notified)
    assert len(digest_items(rg.carol)) == int(notified)


def test_watch_of_a_merged_portal_matches_reports_that_moved_to_the_catalogue_entry(
    reporting_group,
):
    from credgroup.portals.services import get_portal, merge_portal, resolve_portal

    rg = reporting_group
    typed = resolve_portal("Acme Invoice Hub")
    db.session.commit()
    watch(rg, rg.bob, portal=typed, immediate=True)
    merge_portal(rg.admin, typed, get_portal("coupa"))
    db.session.commit()
    publish(rg, portal="Coupa")
    assert len(emails("bob@granite.example")) == 1


def test_digest_watcher_gets_an_item_not_an_email(reporting_group):
    rg = reporting_group
    watch(rg, rg.carol, category="rejected_format")
    report = publish(rg)
    assert emails() == []
    [item] = digest_items(rg.carol)
    assert item.report_id == report.id


def test_an_immediate_watch_wins_when_several_watches_match(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, category="rejected_format")
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    publish(rg)
    assert len(emails("bob@granite.example")) == 1
    assert digest_items(rg.bob) == []


def test_digest_off_means_no_mail_about_new_reports(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    watch(rg, rg.carol, portal=ARIBA)
    set_digest(rg.bob, "off")
    set_digest(rg.carol, "off")
    publish(rg)
    assert emails() == [] and digest_items() == []


def test_people_whose_company_left_the_group_get_nothing(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    watch(rg, rg.carol, portal=ARIBA)
    leave_group(rg.bob)
    leave_group(rg.carol)
    publish(rg)
    assert emails() == [] and digest_items() == []


def test_deactivated_people_and_unassigned_facilitators_get_nothing(reporting_group):
    from credgroup.groups.models import FacilitatorAssignment

    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    watch(rg, rg.facilitator, portal=ARIBA, immediate=True)
    rg.bob.active = False
    db.session.execute(sa.delete(FacilitatorAssignment))
    db.session.commit()
    publish(rg)
    assert emails() == []


def test_the_author_is_not_told_about_their_own_report_but_a_colleague_is(reporting_group):
    rg = reporting_group
    watch(rg, rg.alice, portal=ARIBA, immediate=True)
    watch(rg, rg.alice_colleague, portal=ARIBA, immediate=True)
    publish(rg)
    assert [e.to_addr for e in emails()] == ["ned@northfield.example"]


def test_a_rolled_back_publication_sends_nothing(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    watch(rg, rg.carol, portal=ARIBA)
    authoring.publish_report(rg.alice, rg.group, REPORT_DATA)
    assert len(emails()) == 1 and len(digest_items()) == 1  # written in the same transaction
    db.session.rollback()
    assert emails() == [] and digest_items() == []


def test_reports_waiting_for_review_are_announced_when_approved(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    report = authoring.publish_report(
        rg.alice, rg.group, {**REPORT_DATA, "body": BOYCOTT}, send_to_review=True
    )
    db.session.commit()
    assert emails() == []
    review.approve_report(rg.facilitator, report, edits={"body": "Rejected again."})
    db.session.commit()
    assert len(emails("bob@granite.example")) == 1


def test_an_edit_of_a_published_report_is_not_announced_again(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    report = publish(rg)
    authoring.publish_report(
        rg.alice, rg.group, {**REPORT_DATA, "title": "Rejected with INV-15, again"}, report=report
    )
    db.session.commit()
    assert len(emails()) == 1


# --- the digest --------------------------------------------------------------------------


def test_digest_lists_a_persons_new_reports_in_one_email_then_forgets_them(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA)
    watch(rg, rg.bob, category="rejected_format")
    watch(rg, rg.carol, category="rejected_format")
    first = publish(rg)
    second = publish(rg, title="Ariba rejects credit memos without a reference")
    third = publish(rg, user=rg.carol, portal="Coupa", title="Coupa refuses PDF invoices")
    assert send_digests(TUESDAY) == 2
    [to_bob] = emails("bob@granite.example")
    assert to_bob.subject == "3 new reports about what you watch"
    for report in (first, second, third):
        assert report.title in to_bob.body_text
        assert f"http://localhost/reports/{report.public_id}" in to_bob.body_text
    assert "Building Materials Credit Group" in to_bob.body_text
    assert "Coupa" in to_bob.body_text
    [to_carol] = emails("carol@harbor.example")
    assert "2 new reports" in to_carol.subject and third.title not in to_carol.body_text
    assert digest_items() == []
    assert send_digests(TUESDAY + timedelta(days=1)) == 0


def test_digest_job_runs_once_per_utc_day(reporting_group, app):
    rg = reporting_group
    [spec] = JOBS
    watch(rg, rg.bob, portal=ARIBA)
    publish(rg)
    now = utcnow()
    assert run_job(app, spec, now=now).status == "ok"
    assert len(emails("bob@granite.example")) == 1
    later = publish(rg, title="Another Ariba rejection")
    assert run_job(app, spec, now=now).status == "skipped"
    assert len(emails()) == 1
    assert [i.report_id for i in digest_items(rg.bob)] == [later.id]
    run = db.session.scalar(sa.select(JobRun).where(JobRun.job == "reports.digest"))
    assert run.period_key == now.date().isoformat() and run.finished_at is not None


def test_a_second_digest_the_same_day_queues_nothing_and_keeps_new_items(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA)
    publish(rg)
    assert send_digests(TUESDAY) == 1
    db.session.commit()
    later = publish(rg, title="Another Ariba rejection")
    assert send_digests(TUESDAY) == 0
    db.session.commit()
    assert len(emails()) == 1
    assert [i.report_id for i in digest_items()] == [later.id]
    assert send_digests(TUESDAY + timedelta(days=1)) == 1


def test_weekly_readers_get_their_digest_on_monday(reporting_group):
    rg = reporting_group
    set_digest(rg.bob, "weekly")
    watch(rg, rg.bob, portal=ARIBA)
    publish(rg)
    assert send_digests(TUESDAY) == 0
    assert len(digest_items(rg.bob)) == 1
    assert send_digests(MONDAY) == 1
    assert digest_items() == []


def test_digest_leaves_out_lost_access_withdrawn_reports_and_email_turned_off(reporting_group):
    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA)
    watch(rg, rg.carol, portal=ARIBA)
    watch(rg, rg.facilitator, portal=ARIBA)
    kept = publish(rg)
    withdrawn = publish(rg, title="A report its author took back")
    authoring.withdraw_report(rg.alice, withdrawn)
    leave_group(rg.bob)
    set_digest(rg.carol, "off")
    assert send_digests(TUESDAY) == 1
    [email] = emails()
    assert email.to_addr == "fran@association.example"
    assert kept.title in email.body_text and withdrawn.title not in email.body_text
    assert digest_items() == []


# --- relays ------------------------------------------------------------------------------


def test_a_question_reaches_only_the_reporter_and_never_says_who_asked(reporting_group):
    rg = reporting_group
    report = publish(rg)
    discussion.ask_reporter(rg.bob, report, "Which cXML version did you use?")
    db.session.commit()
    [email] = emails()
    assert email.to_addr == "alice@northfield.example"
    assert "A member of Building Materials Credit Group asked you a question" in email.body_text
    assert f"http://localhost/reports/{report.public_id}" in email.body_text
    assert report.title in email.subject
    assert "cXML version" not in email.body_text  # read in the platform, not by email
    discussion.ask_reporter(rg.facilitator, report, "Could you add the portal's error code?")
    db.session.commit()
    assert "The facilitator of Building Materials" in emails()[-1].body_text


def test_the_answer_reaches_the_asker_found_by_pseudonym(reporting_group):
    rg = reporting_group
    report = publish(rg)
    by_bob = discussion.ask_reporter(rg.bob, report, "Which cXML version did you use?")
    by_fran = discussion.ask_reporter(rg.facilitator, report, "Could you add the error code?")
    db.session.commit()
    discussion.answer_question(rg.alice, by_bob, "1.2.060")
    discussion.answer_question(rg.alice, by_fran, "INV-15")
    db.session.commit()
    answered = [e for e in emails() if e.subject.startswith("The reporter answered")]
    assert sorted(e.to_addr for e in answered) == [
        "bob@granite.example",
        "fran@association.example",
    ]
    assert all(f"/reports/{report.public_id}" in e.body_text for e in answered)


def test_an_asker_whose_company_left_is_not_told_of_the_answer(reporting_group):
    rg = reporting_group
    report = publish(rg)
    question = discussion.ask_reporter(rg.bob, report, "Which cXML version did you use?")
    db.session.commit()
    leave_group(rg.bob)
    discussion.answer_question(rg.alice, question, "1.2.060")
    db.session.commit()
    assert emails("bob@granite.example") == []


def test_the_facilitators_note_on_a_report_reaches_its_author(reporting_group):
    rg = reporting_group
    report = authoring.publish_report(
        rg.alice, rg.group, {**REPORT_DATA, "body": BOYCOTT}, send_to_review=True
    )
    db.session.commit()
    review.reject_report(rg.facilitator, report, note="Please describe only what happened.")
    db.session.commit()
    [email] = emails()
    assert email.to_addr == "alice@northfield.example"
    assert "left a note on your report" in email.subject
    assert "http://localhost/my/reports" in email.body_text
    assert "Please describe" not in email.body_text


def test_the_facilitators_note_on_a_comment_reaches_the_commenter(reporting_group):
    rg = reporting_group
    report = publish(rg)
    comment = discussion.post_comment(rg.bob, report, BOYCOTT, send_to_review=True)
    db.session.commit()
    review.reject_comment(rg.facilitator, comment, note="Past facts only, please.")
    db.session.commit()
    [email] = emails()
    assert email.to_addr == "bob@granite.example"
    assert "your comment on a report" in email.subject


def test_links_in_a_new_report_email_open_the_pages_for_its_recipient(reporting_group, browser):
    import re

    rg = reporting_group
    watch(rg, rg.bob, portal=ARIBA, immediate=True)
    report = publish(rg)
    [email] = emails()
    links = re.findall(r"http://localhost(/\S*[\w/])", email.body_text)
    assert f"/reports/{report.public_id}" in links and "/my/watches" in links
    browser.login("bob@granite.example")
    for path in links:
        assert browser.get(path).status_code == 200, path


def test_the_worker_schedules_the_digest_every_morning_utc_once_a_day(app):
    from datetime import UTC, datetime

    from credgroup.worker.registry import collect_jobs

    [digest] = [spec for spec in collect_jobs() if spec.id == "reports.digest"]
    trigger = digest.build_trigger(app.config)
    assert digest.period == "daily"
    assert trigger.get_next_fire_time(None, datetime(2026, 3, 10, 12, tzinfo=UTC)) == datetime(
        2026, 3, 11, 11, tzinfo=UTC
    )

"""The attacker reads every email the platform queued about reports: new-report emails,
digests, questions, answers and facilitator notes. None may say who wrote, asked or
confirmed anything."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import MemberCompany
from credgroup.notify.models import OutboxEmail
from credgroup.reports import authoring, discussion, review, watches
from credgroup.reports.enums import ConfirmationKind
from credgroup.reports.jobs import send_digests
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from credgroup.reports.notifications import users_with_pseudonym
from tests.reports.conftest import REPORT_DATA
from tests.reports.test_notifications import BOYCOTT, TUESDAY

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def busy_group(rg) -> None:
    """Reports, comments, confirmations, questions, answers, notes and watchers of every
    kind, across three companies and the facilitator."""
    group = rg.group
    for user, kwargs in [
        (rg.bob, {"portal": "sap-business-network", "immediate": True}),
        (rg.carol, {"category": "rejected_format"}),
        (rg.alice, {"category": "rejected_format", "immediate": True}),
        (rg.alice_colleague, {"portal": "sap-business-network"}),
        (rg.facilitator, {"category": "rejected_format", "immediate": True}),
        (rg.admin, {"portal": "sap-business-network"}),
    ]:
        watches.watch(user, group, **kwargs)
    db.session.commit()

    first = authoring.publish_report(rg.alice, group, REPORT_DATA)
    flagged = authoring.publish_report(
        rg.alice_colleague,
        group,
        {**REPORT_DATA, "title": "Ariba credit memos bounce", "body": BOYCOTT},
        send_to_review=True,
    )
    by_carol = authoring.publish_report(
        rg.carol, group, {**REPORT_DATA, "portal": "Coupa", "title": "Coupa refuses PDFs"}
    )
    db.session.commit()
    review.approve_report(rg.facilitator, flagged, edits={"body": "Rejected."}, note="Edited.")
    discussion.post_comment(rg.alice_colleague, first, "Same for our second plant.")
    rejected = discussion.post_comment(rg.bob, first, BOYCOTT, send_to_review=True)
    discussion.confirm(rg.bob, first, ConfirmationKind.HIT_TOO)
    discussion.confirm(rg.carol, first, ConfirmationKind.HIT_TOO)
    db.session.commit()
    review.reject_comment(rg.facilitator, rejected, note="Facts only.")
    questions = [
        discussion.ask_reporter(rg.bob, first, "Which cXML version, Alice?"),
        discussion.ask_reporter(rg.facilitator, first, "Could you add the error code?"),
        discussion.ask_reporter(rg.alice, by_carol, "Did Harbor Cement try the PO flip?"),
    ]
    db.session.commit()
    discussion.answer_question(rg.alice, questions[0], "1.2.060 from Northfield")
    discussion.answer_question(rg.alice, questions[1], "INV-15", share_with_group=True)
    discussion.answer_question(rg.carol, questions[2], "Yes, it worked.")
    db.session.commit()
    send_digests(TUESDAY)
    db.session.commit()


def forbidden_words() -> list[str]:
    """Every person's name (and first name), every company name and alias."""
    words: list[str] = []
    for user in db.session.scalars(sa.select(User)):
        words += [user.name, user.name.split()[0]]
    for company in db.session.scalars(sa.select(MemberCompany)):
        words += [company.name, *company.aliases]
    return words


def forbidden_tokens() -> list[str]:
    """Every pseudonym stored anywhere, and every person's and company's public id."""
    columns = [
        Report.author_pseudonym,
        Report.company_pseudonym,
        ReportComment.author_pseudonym,
        ReportComment.company_pseudonym,
        ReportConfirmation.author_pseudonym,
        ReportConfirmation.company_pseudonym,
        ReportQuestion.asker_pseudonym,
        User.public_id,
    ]
    tokens = {value for column in columns for value in db.session.scalars(sa.select(column))}
    if hasattr(MemberCompany, "public_id"):
        tokens |= set(db.session.scalars(sa.select(MemberCompany.public_id)))
    return sorted(token for token in tokens if token)


def word_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)


@pytest.fixture
def mail(reporting_group) -> list[OutboxEmail]:
    busy_group(reporting_group)
    return list(db.session.scalars(sa.select(OutboxEmail)))


def test_the_scenario_produced_every_kind_of_email(mail):
    subjects = " | ".join(e.subject for e in mail)
    for kind in (
        "New report in",
        "new report",
        "A question about your report",
        "The reporter answered your question",
        "left a note on your report",
        "left a note on your comment",
    ):
        assert kind in subjects


def test_no_email_names_a_person_or_a_company(mail):
    patterns = [word_pattern(word) for word in forbidden_words()]
    for email in mail:
        for text in (email.subject, email.body_text, email.body_html or ""):
            found = [p.pattern for p in patterns if p.search(text)]
            assert not found, f"{email.subject!r} names {found}"


def test_no_email_contains_an_address_beyond_its_recipient(mail):
    for email in mail:
        for text in (email.subject, email.body_text, email.body_html or ""):
            assert not EMAIL_ADDRESS.search(text), email.subject


def test_no_email_contains_a_pseudonym_or_an_identifier_of_a_person(mail):
    tokens = forbidden_tokens()
    assert len(tokens) > 5
    for email in mail:
        for text in (email.subject, email.body_text, email.body_html or "", email.to_addr):
            assert not [token for token in tokens if token in text], email.subject


def test_users_with_pseudonym_finds_members_and_staff_only_in_their_group(reporting_group):
    from credgroup.anonymity.pseudonyms import group_scope, person_pseudonym

    rg = reporting_group
    scope = group_scope(rg.group.id)
    for user in (rg.bob, rg.facilitator, rg.admin):
        assert users_with_pseudonym(rg.group.id, person_pseudonym(user.id, scope)) == [user]
    outsider = person_pseudonym(rg.outsider.id, scope)
    assert users_with_pseudonym(rg.group.id, outsider) == []
    assert users_with_pseudonym(rg.group.id, "0" * 64) == []

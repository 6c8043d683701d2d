"""Outgoing email: nobody but Zelda hears about her, and even she gets no pseudonym."""

from __future__ import annotations

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.notify.models import OutboxEmail
from tests.anonymity.world import ZELDA_EMAIL


def outbox() -> list[OutboxEmail]:
    return list(db.session.scalars(sa.select(OutboxEmail).order_by(OutboxEmail.id)))


def text_of(email: OutboxEmail) -> str:
    return "\n".join((email.to_addr, email.subject, email.body_text, email.body_html or ""))


def test_emails_to_others_carry_no_trace_of_company_a_nor_name_anyone(attack_world, traces):
    to_others = [e for e in outbox() if e.to_addr != ZELDA_EMAIL]
    # About A's work, so the check means something: new-report alerts, digests, answers.
    titles = [r.title for r in attack_world.a_published]
    about_a = [e for e in to_others if any(title in text_of(e) for title in titles)]
    assert {e.to_addr for e in about_a} >= {attack_world.member.email}, [
        e.subject for e in to_others
    ]
    people = [attack_world.member, attack_world.facilitator, *attack_world.others.values()]
    for email in to_others:
        leaks = traces.leaks(f"email to {email.to_addr}: {email.subject}", text_of(email))
        assert not leaks, "\n".join(map(str, leaks))
        # Relayed questions and answers do not say who asked or answered either.
        for person in people:
            if person.email != email.to_addr:
                assert person.name not in text_of(email), (email.to_addr, email.subject)


def test_emails_to_zelda_carry_no_pseudonym(attack_world, traces):
    to_zelda = [e for e in outbox() if e.to_addr == ZELDA_EMAIL]
    subjects = " | ".join(e.subject for e in to_zelda).lower()
    assert "question" in subjects and "note" in subjects, subjects
    others = [attack_world.member, attack_world.facilitator, *attack_world.others.values()]
    for email in to_zelda:
        found = [x for x in traces.leaks(email.subject, text_of(email)) if x.kind == "pseudonym"]
        assert not found, "\n".join(map(str, found))
        assert not any(person.name in text_of(email) for person in others), email.subject

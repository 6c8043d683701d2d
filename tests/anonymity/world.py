"""The attacker's world: company A (Quarry Quartet LLC, "QQ") and its credit manager Zelda
Quill contribute in every way the platform offers, in a group of five companies; then
others (a member, the facilitator, an admin) look for a trace of them.

Everything Zelda does goes through the services, as it would from a page or the API, so
whatever those write (rows, signals, outbox emails, digests, audit) is in the world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming, MemberCompany
from credgroup.portals.services import seed_catalogue
from credgroup.reports import authoring, discussion, review
from credgroup.reports.enums import ConfirmationKind, ReportStatus
from credgroup.reports.models import Report, ReportComment, ReportQuestion
from tests.anonymity.traces import Traces, stored_pseudonyms

A_NAME = "Quarry Quartet LLC"
A_ALIAS = "QQ"
ZELDA_NAME = "Zelda Quill"
ZELDA_EMAIL = "zelda@quarryquartet.example"
# Distinctive integer ids, so "company A's id in any form" can be searched for.
A_COMPANY_ID = 987_654
ZELDA_USER_ID = 876_543

HIT, WORKED = ConfirmationKind.HIT_TOO, ConfirmationKind.WORKAROUND_WORKED


@dataclass
class AttackWorld:
    group: CreditGroup
    second_group: CreditGroup
    company_a: MemberCompany
    zelda: User
    member: User  # Bea Birch, another company of the group: attacker (a)
    facilitator: User  # attacker (b)
    admin: User  # attacker (c)
    others: dict[str, User]
    a_published: list[Report] = field(default_factory=list)
    a_hidden: dict[str, Report] = field(default_factory=dict)  # draft, review, withdrawn...
    a_comments: list[ReportComment] = field(default_factory=list)
    a_questions: list[ReportQuestion] = field(default_factory=list)
    their_reports: dict[str, Report] = field(default_factory=dict)
    # Later features' contributions of A: {"label": object with public_id (and title)}.
    a_elsewhere: dict[str, Any] = field(default_factory=dict)

    @property
    def attackers(self) -> dict[str, User]:
        return {"member": self.member, "facilitator": self.facilitator, "admin": self.admin}

    def a_ids(self) -> set[str]:
        """Public ids of everything A wrote."""
        reports = [*self.a_published, *self.a_hidden.values()]
        return (
            {r.public_id for r in reports}
            | {c.public_id for c in self.a_comments}
            | {q.public_id for q in self.a_questions}
            | {o.public_id for o in self.a_elsewhere.values()}
        )

    def a_titles(self) -> set[str]:
        items = [*self.a_published, *self.a_hidden.values(), *self.a_elsewhere.values()]
        titles = (getattr(item, "title", "") or getattr(item, "topic", "") for item in items)
        return {t for t in titles if t}

    def traces(self) -> Traces:
        """What must never reach anyone but Zelda (collected after the world is built)."""
        identity = {
            A_NAME: "company name",
            "Quarry Quartet": "company name",
            "QuarryQuartet": "company name",
            "quarryquartet": "company email domain",
            A_ALIAS: "company alias",
            ZELDA_NAME: "person name",
            "Zelda": "person's first name",
            "Quill": "person's surname",
            ZELDA_EMAIL: "person email",
            self.zelda.public_id: "user public id",
        }
        return Traces(
            identity=identity,
            numbers={A_COMPANY_ID: "company id", ZELDA_USER_ID: "user id"},
            pseudonyms=stored_pseudonyms(),
            markers=self.a_ids() | self.a_titles(),
        ).compile()


def report_data(**fields: Any) -> dict[str, Any]:
    data = {
        "portal": "coupa",
        "category": "rejected_format",
        "title": "Invoices rejected for a missing ship-to code",
        "body": "The portal rejects invoices whose ship-to code is empty.",
        "channel": "po_flip",
        "invoices_band": "6-20",
        "amount_band": "10k-100k",
        "incident_month": "2026-01",
        "buyer_name": "Granite Peak Builders",
    }
    data.update(fields)
    return data


def build_attack_world(factory) -> AttackWorld:
    """Company A and four other companies in one group, A also in a second group; A's
    contributions of every kind, and everyone else's around them. Committed."""
    seed_catalogue()
    group = factory.group(
        slug="aggregates",
        name="Aggregates Credit Group",
        customer_naming=CustomerNaming.NAMED,
    )
    second = factory.group(slug="ready-mix", name="Ready-Mix Credit Group")
    birch = factory.company("Birch Hollow Supply", groups=[group])
    copper = factory.company("Copperline Materials", groups=[group])
    delta = factory.company("Delta Stoneworks", groups=[group])
    east = factory.company("Eastgate Cement", groups=[group])
    fox = factory.company("Foxglove Concrete", groups=[second])
    company_a = factory.company(
        A_NAME, groups=[group, second], aliases=[A_ALIAS], industry="Crushed stone", id=A_COMPANY_ID
    )
    world = AttackWorld(
        group=group,
        second_group=second,
        company_a=company_a,
        zelda=factory.member(company_a, email=ZELDA_EMAIL, name=ZELDA_NAME, id=ZELDA_USER_ID),
        member=factory.member(birch, email="bea@birchhollow.example", name="Bea Birch"),
        facilitator=factory.facilitator(
            groups=[group, second], email="fay@association.example", name="Fay Fields"
        ),
        admin=factory.admin(email="abe@association.example", name="Abe Admin"),
        others={
            "cole": factory.member(copper, email="cole@copperline.example", name="Cole Copper"),
            "dina": factory.member(delta, email="dina@deltastone.example", name="Dina Delta"),
            "ed": factory.member(east, email="ed@eastgate.example", name="Ed East"),
            "finn": factory.member(fox, email="finn@foxglove.example", name="Finn Fox"),
        },
    )
    _watches(world)
    _their_reports(world)
    _a_contributes(world)
    _others_respond(world)
    _staff_act(world)
    _a_writes_in_the_knowledge_base(world)
    _a_proposes_meeting_items(world)
    _run_jobs()
    db.session.commit()
    return world


def _watches(world: AttackWorld) -> None:
    """Others watch what A will write about (immediate and digest), so email is sent."""
    from credgroup.reports.watches import watch

    watch(world.member, world.group, portal="coupa", immediate=True)
    watch(world.others["dina"], world.group, category="fees", immediate=False)
    watch(world.facilitator, world.group, portal="sap-business-network", immediate=True)
    watch(world.others["finn"], world.second_group, portal="coupa", immediate=True)
    watch(world.zelda, world.group, category="status_stale", immediate=True)


def _their_reports(world: AttackWorld) -> None:
    o = world.others
    world.their_reports = {
        "cole": authoring.publish_report(
            o["cole"],
            world.group,
            report_data(
                category="status_stale",
                title="Invoices stuck in Pending Approval for a month",
                body="Nothing is disputed, the status just never moves.",
                buyer_name="Summit Ridge Homes",
            ),
        ),
        "dina": authoring.publish_report(
            o["dina"],
            world.group,
            report_data(
                portal="sap-business-network",
                title="INV-15 for orders placed by phone",
                body="Orders keyed later by the buyer never reach the network.",
            ),
        ),
        "bea": authoring.publish_report(
            world.member,
            world.group,
            report_data(
                portal="basware",
                category="skipped",
                title="PDF invoices dropped without a rejection notice",
                body="A logo in the email signature stopped processing.",
            ),
        ),
        "finn": authoring.publish_report(
            o["finn"],
            world.second_group,
            report_data(buyer_name="", title="Ready-mix tickets rejected as duplicates"),
        ),
    }


def _a_contributes(world: AttackWorld) -> None:
    z, g = world.zelda, world.group
    # Identifying details in the text are redacted as the author accepts by default.
    main = authoring.publish_report(
        z,
        g,
        report_data(
            title="Coupa rejects invoices without the buyer's cost code",
            body=(
                "At Quarry Quartet we saw every invoice bounce. Write to "
                "zelda@quarryquartet.example or ask Zelda Quill; QQ billing keys them by hand."
            ),
            error_message="Cost code is required",
            workaround="Add the cost code from the PO header to every line.",
            status="workaround_found",
        ),
    )
    fees = authoring.publish_report(
        z,
        g,
        report_data(
            portal="sap-business-network",
            category="fees",
            title="Enterprise account became chargeable after the second customer",
            body="Two relationships passed 5 documents and USD 50K within a year.",
            fee_kind="subscription",
            fee_size_band="100-1k",
            channel="cxml",
        ),
    )
    other_group = authoring.publish_report(
        z,
        world.second_group,
        report_data(title="Batch tickets rejected for a missing plant code", buyer_name=""),
    )
    world.a_published += [main, fees, other_group]
    authoring.change_status(z, fees, ReportStatus.RESOLVED)

    own_comment = discussion.post_comment(z, main, "We now add the code before sending.")
    world.a_comments.append(own_comment)
    cole_report = world.their_reports["cole"]
    on_cole = discussion.post_comment(
        z, cole_report, "Their approvers log in on Fridays only; we chase on Thursdays."
    )
    world.a_comments.append(on_cole)
    discussion.confirm(z, cole_report, HIT)
    discussion.confirm(z, cole_report, WORKED)
    discussion.confirm(z, world.their_reports["dina"], HIT)
    world.a_questions += [
        discussion.ask_reporter(
            z, world.their_reports["dina"], "Did the re-sent PO keep its number?"
        ),
        discussion.ask_reporter(z, world.their_reports["bea"], "Was it every PDF or only scans?"),
    ]

    flagged_body = "We should all refuse to register until the portal drops the fee."
    world.a_hidden["review"] = authoring.publish_report(
        z,
        g,
        report_data(title="Portal fee on every invoice since the spring", body=flagged_body),
        send_to_review=True,
    )
    world.a_hidden["to_reject"] = authoring.publish_report(
        z,
        g,
        report_data(title="Operators who never pay on time", body="They are crooks and cheats."),
        send_to_review=True,
    )
    world.a_hidden["to_approve"] = authoring.publish_report(
        z,
        g,
        report_data(
            portal="taulia",
            title="Early-payment offers accepted automatically",
            body="Someone said the portal is a scam; the offers were accepted automatically.",
        ),
        send_to_review=True,
    )
    world.a_comments.append(
        discussion.post_comment(
            z,
            world.their_reports["dina"],
            "Everyone should stop using this portal.",
            send_to_review=True,
        )
    )
    world.a_hidden["draft"] = authoring.save_draft(
        z, g, report_data(title="Half-written: Basware history disappears")
    )
    withdrawn = authoring.publish_report(
        z, g, report_data(portal="tradeshift", title="Duplicate number after deleting a draft")
    )
    authoring.withdraw_report(z, withdrawn)
    world.a_hidden["withdrawn"] = withdrawn
    world.a_hidden["duplicate"] = authoring.publish_report(
        z,
        g,
        report_data(title="Pending Approval for weeks with no reason", category="status_stale"),
    )


def _others_respond(world: AttackWorld) -> None:
    main, fees = world.a_published[0], world.a_published[1]
    o = world.others
    cole_comment = discussion.post_comment(o["cole"], main, "Same here since the upgrade.")
    discussion.post_comment(world.member, main, "Thanks, adding the code worked.")
    discussion.mark_workaround(world.zelda, main, cole_comment)
    discussion.mark_workaround(o["cole"], world.their_reports["cole"], world.a_comments[1])
    for person in (world.member, o["cole"], o["dina"], o["ed"]):
        discussion.confirm(person, main, HIT)
    discussion.confirm(world.member, main, WORKED)
    discussion.confirm(o["dina"], fees, HIT)

    shared = discussion.ask_reporter(world.member, fees, "Which tier did it land in?")
    discussion.answer_question(
        world.zelda, shared, "Silver, 25 to 99 documents.", share_with_group=True
    )
    private = discussion.ask_reporter(world.facilitator, fees, "Can we use this at the meeting?")
    discussion.answer_question(world.zelda, private, "Yes, without naming the customer.")
    discussion.ask_reporter(o["cole"], main, "Which line field holds the code?")
    discussion.ask_reporter(o["finn"], world.a_published[2], "Which plant code format?")

    dina_q, bea_q = world.a_questions
    discussion.answer_question(o["dina"], dina_q, "Yes, a new version.", share_with_group=True)
    discussion.answer_question(world.member, bea_q, "Only the scanned ones.")


def _staff_act(world: AttackWorld) -> None:
    f = world.facilitator
    discussion.post_comment(f, world.a_published[0], "On the agenda for the next meeting.")
    review.reject_report(f, world.a_hidden["to_reject"], note="Please state facts only.")
    review.approve_report(
        f,
        world.a_hidden["to_approve"],
        edits={"body": "The offers were accepted automatically."},
        note="Approved after removing an opinion.",
    )
    world.a_published.append(world.a_hidden.pop("to_approve"))
    review.merge_reports(f, world.a_hidden["duplicate"], world.their_reports["cole"])


def _a_writes_in_the_knowledge_base(world: AttackWorld) -> None:
    """An anonymous article, a "worked for us" and edit suggestions from A (issue 4)."""
    from credgroup.kb import articles, freshness, suggestions
    from credgroup.kb.models import FreshnessKind

    z = world.zelda
    world.a_elsewhere["anonymous article"] = articles.create_article(
        z,
        {
            "title": "Coupa cost codes live on the PO header",
            "problem": "Invoices bounce when a line has no cost code.",
            "workaround": "Copy the code from the PO header to every line.",
            "portal": "coupa",
            "categories": ["rejected_format"],
        },
        group=world.group,
        anonymous=True,
        publish=True,
    )
    theirs = articles.create_article(
        world.others["cole"],
        {
            "title": "Pending Approval: finding the approver",
            "problem": "Invoices wait for weeks.",
            "workaround": "Ask AP which approver holds them.",
            "portal": "coupa",
        },
        group=world.group,
        publish=True,
    )
    association_wide = articles.create_article(
        world.facilitator,
        {
            "title": "How SAP counts documents for its tiers",
            "problem": "The subscription tier follows the document count.",
            "workaround": "Rejected invoices and old PO versions do not count.",
            "portal": "sap-business-network",
        },
        publish=True,
    )
    freshness.confirm_article(z, theirs, FreshnessKind.WORKED)
    freshness.confirm_article(z, association_wide, FreshnessKind.NO_LONGER_WORKS)
    for label, article in (("suggestion", theirs), ("association suggestion", association_wide)):
        world.a_elsewhere[label] = suggestions.suggest_edit(
            z,
            article,
            {"workaround": article.workaround + " Then resubmit under a new number."},
            base_version=article.version,
            summary="Add the resubmission step",
        )


def _a_proposes_meeting_items(world: AttackWorld) -> None:
    """Anonymous items for the next meeting's agenda from A, one accepted (issue 5)."""
    from datetime import timedelta

    from credgroup.db import utcnow
    from credgroup.meetings import calls, meetings

    f = world.facilitator
    meeting = meetings.create_meeting(
        f, world.group, title="December video call", starts_at=utcnow() + timedelta(days=20)
    )
    meetings.publish_meeting(f, meeting)
    calls.open_call(f, meeting, deadline=utcnow() + timedelta(days=10))
    accepted = calls.submit_item(
        world.zelda,
        meeting,
        topic="Cost codes on Coupa invoices",
        details="Ten minutes on where the codes live.",
        report=world.a_published[0].public_id,
        anonymous=True,
    )
    world.a_elsewhere["anonymous item"] = accepted
    world.a_elsewhere["agenda item"] = calls.accept_submission(f, accepted)
    world.a_elsewhere["pending anonymous item"] = calls.submit_item(
        world.zelda, meeting, topic="Basware history after three months", anonymous=True
    )
    calls.submit_item(world.member, meeting, topic="Signature logos and Basware")


def _run_jobs() -> None:
    """Run the scheduled jobs as the worker would (digests, search indexing, whatever later
    features add), except the mail ones: a sent email drops its body, and the attacker
    reads the bodies in the outbox."""
    from credgroup.worker.registry import collect_jobs

    for job in collect_jobs():
        if not job.id.startswith("notify.") and "purge" not in job.id:
            job.func()


def user(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()

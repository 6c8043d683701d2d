"""Reports with their discussion: comments, "we hit this too" / "worked for us"
confirmations and questions to the reporter, plus members' watches.

The rules the reports services keep, kept here row by row: authorship only as the app's
pseudonyms in the group's scope (no user or company id on any row); a report's company is
a member of its group; at most one confirmation per company and kind, never "we hit this
too" from the reporting company; staff comments carry no company; customers named only as
far as the group's policy allows; dates are calendar days, in order, never in the future;
wording the antitrust check flags waits in the review queue with the check's own flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from credgroup.demo.scale import texts
from credgroup.demo.scale import vocabulary as words
from credgroup.demo.scale.context import GroupInfo, Run, Weighted
from credgroup.groups.models import CustomerNaming
from credgroup.reports.anonymise import month_of
from credgroup.reports.compliance import check_wording
from credgroup.reports.enums import (
    AmountBand,
    ConfirmationKind,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)
from credgroup.reports.models import (
    Report,
    ReportComment,
    ReportConfirmation,
    ReportQuestion,
    Watch,
)

HISTORY_DAYS = 3 * 365
FLUSH_EVERY = 20_000  # reports per write, with their discussion
CATEGORIES = list(ProblemCategory)
CATEGORY = Weighted(CATEGORIES, [25, 12, 8, 12, 10, 8, 12, 8, 5])
STATE = Weighted(
    [
        ContributionState.PUBLISHED,
        ContributionState.DRAFT,
        ContributionState.IN_REVIEW,
        ContributionState.WITHDRAWN,
        ContributionState.REJECTED,
    ],
    [95, 1.5, 1, 1.5, 1],
)
STATUS = Weighted(list(ReportStatus), [55, 20, 17, 8])
COMMENTS_PER_REPORT = Weighted([0, 1, 2, 3, 4, 5], [35, 25, 20, 12, 5, 3])
REJECTION_NOTE = (
    "The group cannot discuss this wording. Please describe only what happened to the "
    "invoices and post it again."
)


@dataclass
class Batch:
    reports: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    confirmations: list[dict[str, Any]]
    questions: list[dict[str, Any]]

    @classmethod
    def empty(cls) -> Batch:
        return cls([], [], [], [])


def make_reports(run: Run) -> None:
    """Every group's reports and discussion, written in batches."""
    per_group = _reports_per_group(run)
    batch = Batch.empty()
    for group, count in zip(run.org.groups, per_group, strict=True):
        writer = GroupReports(run, group)
        for _ in range(count):
            writer.one(batch)
        if len(batch.reports) >= FLUSH_EVERY:
            _flush(run, batch)
            batch = Batch.empty()
    _flush(run, batch)
    _watches(run)


def _flush(run: Run, batch: Batch) -> None:
    run.write(Report, batch.reports, "reports")
    run.write(ReportComment, batch.comments, "comments")
    run.write(ReportConfirmation, batch.confirmations, "confirmations")
    run.write(ReportQuestion, batch.questions, "questions")
    total = run.sizes.reports
    run.step(f"reports {run.counts['reports']:,} of {total:,}")


def _reports_per_group(run: Run) -> list[int]:
    """Bigger groups post more, with some groups livelier than others."""
    weights = [len(g.companies) * run.rng.uniform(0.5, 1.5) for g in run.org.groups]
    shares = [run.sizes.reports * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: run.sizes.reports - sum(counts)]:
        counts[i] += 1
    return counts


class GroupReports:
    """Makes one group's reports: the group's companies, people and staff at hand."""

    def __init__(self, run: Run, group: GroupInfo) -> None:
        self.run, self.group, self.rng = run, group, run.rng
        weights = [1 / (rank + 1) ** 0.6 for rank in range(len(group.companies))]
        self.companies = Weighted(group.companies, weights)
        self.scope = group.scope

    # --- who ---------------------------------------------------------------------------

    def company(self) -> int:
        return self.companies.draw(self.rng)

    def person_of(self, company: int) -> int:
        return self.run.pick(self.run.org.people[company])

    def person(self, user_id: int) -> str:
        return self.run.pseudonyms.person(user_id, self.scope)

    def company_ps(self, company: int) -> str:
        return self.run.pseudonyms.company(company, self.scope)

    # --- one report ----------------------------------------------------------------------

    def one(self, batch: Batch) -> None:
        run, rng = self.run, self.rng
        company = self.company()
        author = self.person_of(company)
        state = STATE.draw(rng)
        row = self._content(state)
        row.update(
            id=run.writer.next_id(Report),
            group_id=self.group.id,
            author_pseudonym=self.person(author),
            company_pseudonym=self.company_ps(company),
            state=state,
        )
        self._dates(row, state)
        batch.reports.append(row)
        if state is ContributionState.PUBLISHED:
            self.group.report_ids.append(row["id"])
            self._comments(row, author, batch)
            self._confirmations(row, company, batch)
            if run.chance(0.05):
                self._question(row, author, company, batch)

    def _content(self, state: ContributionState) -> dict[str, Any]:
        run, rng = self.run, self.rng
        category = CATEGORY.draw(rng)
        portal = run.org.portal_draw.draw(rng)
        published = state not in (ContributionState.DRAFT, ContributionState.IN_REVIEW)
        status = STATUS.draw(rng) if published else None
        has_workaround = status in (ReportStatus.WORKAROUND_FOUND, ReportStatus.RESOLVED)
        row: dict[str, Any] = texts.report_texts(
            rng, category, run.org.portal_names[portal], has_workaround and run.chance(0.7)
        )
        row.update(
            portal_id=portal,
            category=category,
            status=status or ReportStatus.OPEN,
            channel=run.pick(list(SubmissionChannel)) if run.chance(0.8) else None,
            invoices_band=run.pick(list(InvoicesBand)) if run.chance(0.7) else None,
            amount_band=run.pick(list(AmountBand)) if run.chance(0.6) else None,
            fee_kind=None,
            fee_size_band=None,
            review_flags=[],
            facilitator_note="",
            redactions={},
            **self._buyer(),
        )
        if category is ProblemCategory.FEES:
            row["fee_kind"] = run.pick(list(FeeKind))
            row["fee_size_band"] = run.pick(list(FeeSizeBand)) if run.chance(0.8) else None
        if state in (ContributionState.IN_REVIEW, ContributionState.REJECTED):
            self._flagged(row, state)
        return row

    def _buyer(self) -> dict[str, str]:
        naming, run = self.group.naming, self.run
        if naming is CustomerNaming.NOT_NAMED or not run.chance(0.7):
            return {"buyer_name": "", "buyer_industry": ""}
        industry = run.pick(words.BUYER_INDUSTRIES)
        if naming is CustomerNaming.NAMED and run.chance(0.8):
            return {"buyer_name": run.pick(words.BUYERS), "buyer_industry": industry}
        return {"buyer_name": "", "buyer_industry": industry}

    def _flagged(self, row: dict[str, Any], state: ContributionState) -> None:
        """Wording the check flags, and the check's own findings, as publish_report keeps
        them for the facilitator."""
        row["body"] += "\n\n" + self.run.pick(words.FLAGGED_SENTENCES)
        fields = ("title", "body", "error_message", "workaround")
        row["review_flags"] = [f.as_dict() for f in check_wording(*(row[f] for f in fields))]
        if state is ContributionState.REJECTED:
            row["facilitator_note"] = REJECTION_NOTE

    def _dates(self, row: dict[str, Any], state: ContributionState) -> None:
        run, today = self.run, self.run.today
        day = today - timedelta(days=int(HISTORY_DAYS * run.rng.random() ** 1.3))
        row["created_on"] = day - timedelta(days=run.rng.randrange(0, 3))
        row["incident_month"] = month_of(day - timedelta(days=run.rng.randrange(0, 90)))
        row["updated_on"] = day
        row["published_on"] = None
        row["status_changed_on"] = None
        if state in (ContributionState.PUBLISHED, ContributionState.WITHDRAWN):
            row["published_on"] = day
        if row["status"] is not ReportStatus.OPEN:
            row["status_changed_on"] = min(day + timedelta(days=run.rng.randrange(1, 120)), today)
            row["updated_on"] = row["status_changed_on"]
        if state is ContributionState.WITHDRAWN:
            row["updated_on"] = min(row["updated_on"] + timedelta(days=5), today)

    # --- discussion ----------------------------------------------------------------------

    def _after(self, day: date, most: int) -> date:
        return min(day + timedelta(days=self.rng.randrange(0, most)), self.run.today)

    def _comments(self, report: dict[str, Any], author: int, batch: Batch) -> None:
        run = self.run
        count = COMMENTS_PER_REPORT.draw(run.rng)
        day = report["published_on"]
        workaround_marked = report["status"] is not ReportStatus.WORKAROUND_FOUND
        portal = run.org.portal_names[report["portal_id"]]
        for seq in range(1, count + 1):
            day = self._after(day, 20)
            staff = run.chance(0.15) and bool(self.group.staff)
            if staff:
                who, company = run.pick(self.group.staff), ""
            elif run.chance(0.2):
                who, company = author, report["company_pseudonym"]
            else:
                other = self.company()
                who, company = self.person_of(other), self.company_ps(other)
            mark = not workaround_marked and not staff and who != author
            workaround_marked = workaround_marked or mark
            batch.comments.append(
                {
                    "id": run.writer.next_id(ReportComment),
                    "report_id": report["id"],
                    "seq": seq,
                    "author_pseudonym": self.person(who),
                    "company_pseudonym": company,
                    "by_staff": staff,
                    "body": texts.comment_text(run.rng, portal, staff),
                    "is_workaround": mark,
                    "state": ContributionState.PUBLISHED,
                    "review_flags": [],
                    "facilitator_note": "",
                    "redactions": {},
                    "posted_on": day,
                }
            )

    def _confirmations(self, report: dict[str, Any], company: int, batch: Batch) -> None:
        run = self.run
        others = [c for c in self.group.companies if c != company]
        kinds = [(ConfirmationKind.HIT_TOO, min(len(others), int(run.rng.expovariate(0.8))))]
        if report["status"] in (ReportStatus.WORKAROUND_FOUND, ReportStatus.RESOLVED):
            kinds.append(
                (ConfirmationKind.WORKAROUND_WORKED, min(len(others), run.rng.randrange(3)))
            )
        for kind, count in kinds:
            for other in run.rng.sample(others, count):  # distinct companies
                batch.confirmations.append(
                    {
                        "id": run.writer.next_id(ReportConfirmation),
                        "report_id": report["id"],
                        "kind": kind,
                        "company_pseudonym": self.company_ps(other),
                        "author_pseudonym": self.person(self.person_of(other)),
                        "confirmed_on": self._after(report["published_on"], 60),
                    }
                )

    def _question(self, report: dict[str, Any], author: int, company: int, batch: Batch) -> None:
        run = self.run
        others = [c for c in self.group.companies if c != company]
        if not others:
            return
        asker = self.person_of(run.pick(others))
        asked = self._after(report["published_on"], 30)
        answered = run.chance(0.7)
        batch.questions.append(
            {
                "id": run.writer.next_id(ReportQuestion),
                "report_id": report["id"],
                "seq": 1,
                "asker_pseudonym": self.person(asker),
                "by_staff": False,
                "body": run.pick(words.QUESTIONS),
                "asked_on": asked,
                "answer": run.pick(words.ANSWERS) if answered else "",
                "answered_on": self._after(asked, 10) if answered else None,
                "answer_public": answered and run.chance(0.5),
            }
        )


def _watches(run: Run) -> None:
    """About one person in twenty watches a portal or a category in one of their groups.
    (A watch names the reader, never a writer: it may hold the user.)"""
    rows = []
    for group in run.org.groups:
        for company in group.companies:
            for person in run.org.people[company]:
                if not run.chance(0.05):
                    continue
                by_portal = run.chance(0.6)
                rows.append(
                    {
                        "id": run.writer.next_id(Watch),
                        "user_id": person,
                        "group_id": group.id,
                        "portal_id": run.pick(run.org.portals[:6]) if by_portal else None,
                        "category": None if by_portal else run.pick(CATEGORIES),
                        "immediate": run.chance(0.2),
                        "created_on": run.today - timedelta(days=run.rng.randrange(400)),
                    }
                )
    run.write(Watch, rows, "watches")

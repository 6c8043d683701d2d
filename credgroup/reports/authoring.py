"""Writing reports: drafts, the scrub-and-check preview, publishing, editing, withdrawing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.errors import NotFound, PermissionDenied, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import is_facilitator, is_member
from credgroup.memo import remembered
from credgroup.portals.services import resolve_portal
from credgroup.reports import signals
from credgroup.reports.anonymise import Finding, ScrubContext, find_identifying, redact, today
from credgroup.reports.compliance import WordingFlag, check_wording
from credgroup.reports.enums import ContributionState, ReportStatus
from credgroup.reports.identity import contributor, group_people_for_scrubbing, is_author
from credgroup.reports.inputs import SCRUBBED_FIELDS, clean_report_fields
from credgroup.reports.models import Report

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup


class NeedsRewording(ValidationError):
    """The wording touches a topic the group may not discuss. Reword it, or send it to the
    facilitator's review queue."""

    code = "needs_rewording"

    def __init__(self, flags: list[WordingFlag]) -> None:
        super().__init__(
            "body",
            "Some wording looks like a topic the group may not discuss. Reword it, or send "
            "it to the facilitator for review.",
        )
        self.flags = flags


@dataclass
class Preview:
    """What the author sees before publishing: identifying details found in each field
    (with keys for the "redact" checkboxes) and wording the check flagged."""

    findings: dict[str, list[Finding]] = field(default_factory=dict)
    flags: list[WordingFlag] = field(default_factory=list)

    @property
    def all_keys(self) -> list[str]:
        return [f"{name}:{f.key}" for name, items in self.findings.items() for f in items]

    @property
    def is_clean(self) -> bool:
        return not self.all_keys and not self.flags


def scrub_context(user: User, group: CreditGroup) -> ScrubContext:
    """What the scrubber looks for in this author's text. Read once per request: posting
    scrubs the texts for the check against the preview and again to redact them; anything
    written in between (a new portal, say) makes the next call read it afresh."""
    return remembered(("scrub", user.id, group.id), lambda: _read_scrub_context(user, group))


def _read_scrub_context(user: User, group: CreditGroup) -> ScrubContext:
    names, emails = group_people_for_scrubbing(group)
    company = user.company
    company_names = [company.name, *company.aliases] if company else []
    return ScrubContext(company_names=company_names, people_names=names, people_emails=emails)


def preview_texts(user: User, group: CreditGroup, texts: Mapping[str, str]) -> Preview:
    """Scrub and check the given fields without saving anything."""
    context = scrub_context(user, group)
    findings = {name: find_identifying(text, context) for name, text in texts.items() if text}
    redacted = {name: redact(texts[name], found)[0] for name, found in findings.items()}
    return Preview(
        findings={name: found for name, found in findings.items() if found},
        flags=check_wording(*[redacted.get(name, text) for name, text in texts.items()]),
    )


def apply_redactions(
    user: User,
    group: CreditGroup,
    texts: Mapping[str, str],
    redact_keys: Iterable[str] | None,
) -> tuple[dict[str, str], dict[str, int]]:
    """Redact what the author accepted (everything found when ``redact_keys`` is None).
    Findings are recomputed from the same text, so the preview's keys still match."""
    context = scrub_context(user, group)
    keys = None if redact_keys is None else set(redact_keys)
    result, counts = {}, {}
    for name, text in texts.items():
        found = find_identifying(text, context)
        accepted = None if keys is None else {f.key for f in found if f"{name}:{f.key}" in keys}
        result[name], field_counts = redact(text, found, accepted)
        for kind, n in field_counts.items():
            counts[kind] = counts.get(kind, 0) + n
    return result, counts


def require_member(user: User, group: CreditGroup) -> None:
    if not is_member(user, group):
        raise PermissionDenied("Only people of this group's member companies can post reports.")


def _fill(report: Report, user: User, group: CreditGroup, data: Mapping[str, Any]) -> None:
    fields = clean_report_fields(group, data)
    report.portal = resolve_portal(str(data.get("portal") or ""))
    for name, value in fields.items():
        setattr(report, name, value)
    report.updated_on = today()


def _new_report(user: User, group: CreditGroup) -> Report:
    who = contributor(user, group.id)
    return Report(
        group_id=group.id,
        author_pseudonym=who.person,
        company_pseudonym=who.company,
        created_on=today(),
        updated_on=today(),
        state=ContributionState.DRAFT,
    )


def save_draft(
    user: User, group: CreditGroup, data: Mapping[str, Any], report: Report | None = None
) -> Report:
    """Keep a report unpublished until the author posts it. Only its author can see it."""
    require_member(user, group)
    if report is None:
        report = _new_report(user, group)
    else:
        _require_author(user, report)
        if report.state is not ContributionState.DRAFT:
            raise ValidationError(None, "Only drafts can be saved as drafts.")
    with db.session.no_autoflush:
        _fill(report, user, group, data)
    db.session.add(report)
    db.session.flush()
    return report


def publish_report(
    user: User,
    group: CreditGroup,
    data: Mapping[str, Any],
    *,
    report: Report | None = None,
    redact_keys: Iterable[str] | None = None,
    send_to_review: bool = False,
) -> Report:
    """Post a new report, a draft, or an edit of the author's own report.

    The stored text is the author's text with the redactions they accepted. Wording the
    antitrust check flags is refused (NeedsRewording) unless the author sends it to the
    facilitator's review queue, where it waits unpublished.
    """
    require_member(user, group)
    if report is None:
        report = _new_report(user, group)
    else:
        _require_author(user, report)
        if report.state in (ContributionState.WITHDRAWN, ContributionState.MERGED):
            raise ValidationError(None, "This report can no longer be changed.")
    was_published = report.state is ContributionState.PUBLISHED
    with db.session.no_autoflush:
        _fill(report, user, group, data)
        texts = {name: getattr(report, name) for name in SCRUBBED_FIELDS}
        cleaned, counts = apply_redactions(user, group, texts, redact_keys)
        for name, text in cleaned.items():
            setattr(report, name, text)
        report.redactions = _merge_counts(report.redactions if was_published else {}, counts)
        flags = check_wording(*cleaned.values())
        if flags and not send_to_review:
            raise NeedsRewording(flags)
    _enter_state(report, flags)
    db.session.add(report)
    db.session.flush()
    _announce(report, was_published)
    return report


def _merge_counts(old: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    merged = dict(old or {})
    for kind, n in new.items():
        merged[kind] = merged.get(kind, 0) + n
    return merged


def _enter_state(report: Report, flags: list[WordingFlag]) -> None:
    if flags:
        report.state = ContributionState.IN_REVIEW
        report.review_flags = [flag.as_dict() for flag in flags]
        return
    report.state = ContributionState.PUBLISHED
    report.review_flags = []
    report.published_on = report.published_on or today()


def _announce(report: Report, was_published: bool) -> None:
    if report.state is ContributionState.PUBLISHED:
        signal = signals.report_changed if was_published else signals.report_published
        signal.send(report)
    elif was_published:
        signals.report_removed.send(report)


def _require_author(user: User, report: Report) -> None:
    if not is_author(user, report):
        # Same answer as for a report that does not exist: authorship is never confirmed.
        raise NotFound("No such report.")


def withdraw_report(user: User, report: Report) -> None:
    """The author takes a report down. It stays in their "my reports", hidden from others."""
    _require_author(user, report)
    if report.state is ContributionState.DRAFT:
        db.session.delete(report)
        db.session.flush()
        return
    was_published = report.state is ContributionState.PUBLISHED
    report.state = ContributionState.WITHDRAWN
    report.updated_on = today()
    db.session.flush()
    if was_published:
        signals.report_removed.send(report)


def change_status(user: User, report: Report, status: ReportStatus) -> Report:
    """Open / workaround found / resolved / no longer occurs: the author or a facilitator."""
    if not (is_author(user, report) or is_facilitator(user, report.group)):
        raise PermissionDenied("Only the reporter or a facilitator can change the status.")
    if report.state is not ContributionState.PUBLISHED:
        raise ValidationError("status", "Only published reports have a status to change.")
    if report.status is not status:
        report.status = status
        report.status_changed_on = today()
        db.session.flush()
        signals.report_changed.send(report)
    return report


def drafts_and_own_reports(user: User) -> list[Report]:
    """Everything the user wrote, in every group they can still see ("my reports")."""
    from credgroup.groups.access import visible_groups

    pseudonyms = [contributor(user, g.id).person for g in visible_groups(user)]
    if not pseudonyms:
        return []
    return list(
        db.session.scalars(
            sa.select(Report)
            .where(Report.author_pseudonym.in_(pseudonyms))
            .options(selectinload(Report.portal), selectinload(Report.questions))
            .order_by(Report.updated_on.desc(), Report.id.desc())
        )
    )

"""The report vocabulary. Values are stable keys (stored, used in URLs and the API);
labels are what people read."""

from __future__ import annotations

import enum


class LabelledEnum(enum.Enum):
    """An enum whose members carry a human label: ``Member = ("key", "Label")``."""

    def __new__(cls, key: str, label: str):
        member = object.__new__(cls)
        member._value_ = key
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class ProblemCategory(LabelledEnum):
    REJECTED_FORMAT = ("rejected_format", "Rejected or incompatible invoice")
    SKIPPED = ("skipped", "Accepted but never processed or paid")
    CAPACITY = ("capacity", "Volume, size or line limits")
    STATUS_STALE = ("status_stale", "Status wrong or never updates")
    FEES = ("fees", "Fees charged to the supplier")
    NO_CONTACT = ("no_contact", "Nobody to talk to")
    SHORT_PAY = ("short_pay", "Short pay or unexplained deductions")
    ONBOARDING = ("onboarding", "Registration, credentials, connection")
    OTHER = ("other", "Other")


class SubmissionChannel(LabelledEnum):
    PORTAL_UI = ("portal_ui", "Portal web form")
    PO_FLIP = ("po_flip", "PO flip")
    PDF = ("pdf", "PDF (upload or email-to-portal)")
    CXML = ("cxml", "cXML")
    EDI = ("edi", "EDI")
    CSV_SFTP = ("csv_sftp", "CSV / flat file / sFTP")
    EMAIL = ("email", "Email to the customer")


class InvoicesBand(LabelledEnum):
    ONE = ("1", "1 invoice")
    FEW = ("2-5", "2 to 5 invoices")
    SOME = ("6-20", "6 to 20 invoices")
    MANY = ("21-100", "21 to 100 invoices")
    VERY_MANY = ("100+", "More than 100 invoices")


class AmountBand(LabelledEnum):
    UNDER_1K = ("lt-1k", "Under $1,000")
    TO_10K = ("1k-10k", "$1,000 to $10,000")
    TO_100K = ("10k-100k", "$10,000 to $100,000")
    TO_1M = ("100k-1m", "$100,000 to $1 million")
    OVER_1M = ("gt-1m", "Over $1 million")


class FeeKind(LabelledEnum):
    SUBSCRIPTION = ("subscription", "Subscription or tier fee")
    PER_INVOICE = ("per_invoice", "Per-invoice or per-transaction fee")
    PERCENTAGE = ("percentage", "Percentage of invoiced volume")
    EARLY_PAYMENT = ("early_payment", "Early-payment discount taken")
    ONBOARDING = ("onboarding", "Set-up or connection fee")
    OTHER = ("other", "Other fee")


class FeeSizeBand(LabelledEnum):
    UNDER_100 = ("lt-100", "Under $100 a year")
    TO_1K = ("100-1k", "$100 to $1,000 a year")
    TO_10K = ("1k-10k", "$1,000 to $10,000 a year")
    OVER_10K = ("gt-10k", "Over $10,000 a year")


class ReportStatus(LabelledEnum):
    OPEN = ("open", "Open")
    WORKAROUND_FOUND = ("workaround_found", "Workaround found")
    RESOLVED = ("resolved", "Resolved")
    NO_LONGER_OCCURS = ("no_longer_occurs", "No longer occurs")


class ContributionState(LabelledEnum):
    """Where a report, comment or question is in its life."""

    DRAFT = ("draft", "Draft")
    IN_REVIEW = ("in_review", "Waiting for the facilitator")
    PUBLISHED = ("published", "Published")
    REJECTED = ("rejected", "Not published")
    WITHDRAWN = ("withdrawn", "Withdrawn")
    MERGED = ("merged", "Merged into another report")


class ConfirmationKind(LabelledEnum):
    HIT_TOO = ("hit_too", "We hit this too")
    WORKAROUND_WORKED = ("workaround_worked", "The workaround worked for us")

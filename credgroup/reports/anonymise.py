"""Scrubbing and coarsening: pure functions, no database, no Flask.

Before a report or comment is published the author sees what these functions found that
could identify them (their company's names, people of the group, emails, phones, links,
invoice / PO / account numbers, bank details) and chooses what to redact. The stored text
is what the author approved, with each redaction marked in place.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

MARKERS = {
    "company": "[redacted: company]",
    "person": "[redacted: name]",
    "email": "[redacted: email]",
    "phone": "[redacted: phone]",
    "url": "[redacted: link]",
    "number": "[redacted: number]",
    "bank": "[redacted: bank details]",
}

KIND_LABELS = {
    "company": "your company's name",
    "person": "a person's name",
    "email": "an email address",
    "phone": "a phone number",
    "url": "a link",
    "number": "an invoice, PO or account number",
    "bank": "bank details",
}

# Company suffixes people leave off when they write the name.
COMPANY_SUFFIXES = re.compile(
    r"[,\s]+(inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|plc|gmbh|"
    r"lp|llp|sa|ag|bv|nv)\.?$",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)
PHONE = re.compile(r"(?<![\w/])\+?\(?\d[\d\s().-]{7,}\d(?![\w/])")
REFERENCE_NUMBER = re.compile(
    r"\b(?:invoice|inv|po|p\.o\.|purchase\s+order|order|account|acct|a/c|customer|vendor|"
    r"supplier|remittance|check|cheque)\s*(?:no\.?|number|num|#|id)?\s*[:#]?\s*"
    r"(?P<number>[A-Z]{0,4}[-/]?\d[\w/-]{3,})",
    re.IGNORECASE,
)
LONG_NUMBER = re.compile(r"(?<![\w$.,])\d{6,}(?![\w.,])")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
BANK_CODE = re.compile(
    r"\b(?:routing|aba|sort\s+code|swift|bic|bank\s+account|iban)\s*(?:no\.?|number|#|code)?"
    # Case-sensitive inside: a SWIFT/BIC (8 or 11 capitals/digits) or a run of digits.
    r"\s*[:#]?\s*(?P<number>(?-i:[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b|[A-Z]{0,4}\d[\d -]{4,}\d))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """Something in the text that could identify the author."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """Stable id for the preview's checkboxes."""
        return f"{self.kind}:{self.start}:{self.end}"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class ScrubContext:
    """What the scrubber knows: the author's company names, the group's people."""

    company_names: Sequence[str] = ()
    people_names: Sequence[str] = ()
    people_emails: Sequence[str] = ()
    extra_terms: Sequence[str] = field(default_factory=tuple)


def company_name_variants(names: Iterable[str]) -> list[str]:
    """Names and aliases, plus each without its legal suffix ("Acme Supply Inc." -> "Acme
    Supply"); longest first so the longest match wins."""
    variants = set()
    for name in names:
        name = name.strip()
        if len(name) < 2:
            continue
        variants.add(name)
        short = COMPANY_SUFFIXES.sub("", name).strip()
        if len(short) >= 3:
            variants.add(short)
    return sorted(variants, key=len, reverse=True)


@functools.lru_cache(maxsize=1024)
def _term_pattern(term: str) -> re.Pattern:
    """The pattern of one name or email, kept: ``re``'s own cache holds 512 patterns, fewer
    than the names and emails of a big group, and compiling each one anew for every text
    cost ~10 ms per report posted."""
    return re.compile(r"(?<!\w)" + re.escape(term) + r"(?:'s)?(?!\w)", re.IGNORECASE)


def _term_findings(text: str, kind: str, terms: Iterable[str]) -> list[Finding]:
    # A shortcut that never skips a match: for ASCII text and term, case-insensitive
    # matching is plain lower-casing, so a match needs the lower-cased term inside the
    # lower-cased text (a fast substring search; most texts name nobody). Anything
    # non-ASCII goes to the pattern itself (Unicode case-insensitive matching has more
    # equivalences: the long s U+017F matches "s", the Kelvin sign U+212A "k").
    found = []
    lowered = text.lower() if text.isascii() else None
    for term in terms:
        if lowered is not None and term.isascii() and term.lower() not in lowered:
            continue
        pattern = _term_pattern(term)
        found += [Finding(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    return found


def _pattern_findings(text: str, kind: str, pattern: re.Pattern, group: str | int = 0):
    findings = []
    for match in pattern.finditer(text):
        start, end = match.span(group)
        findings.append(Finding(kind, start, end, match.group(group)))
    return findings


def _phone_findings(text: str) -> list[Finding]:
    findings = []
    for match in PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if 10 <= digits <= 15:  # dates (8 digits) and amounts are not phone numbers
            findings.append(Finding("phone", match.start(), match.end(), match.group(0)))
    return findings


def find_identifying(text: str, context: ScrubContext) -> list[Finding]:
    """Everything that could identify the author, sorted and without overlaps."""
    if not text:
        return []
    candidates = [
        *_term_findings(text, "company", company_name_variants(context.company_names)),
        *_term_findings(text, "company", context.extra_terms),
        *_term_findings(text, "person", [n for n in context.people_names if len(n) >= 3]),
        *_term_findings(text, "email", context.people_emails),
        *_pattern_findings(text, "email", EMAIL),
        *_pattern_findings(text, "url", URL),
        *_pattern_findings(text, "bank", IBAN),
        *_pattern_findings(text, "bank", BANK_CODE, "number"),
        *_pattern_findings(text, "number", REFERENCE_NUMBER, "number"),
        *_phone_findings(text),
        *_pattern_findings(text, "number", LONG_NUMBER),
    ]
    return _without_overlaps(candidates)


def _without_overlaps(candidates: list[Finding]) -> list[Finding]:
    # Earlier in the candidate list wins ties (company before email before number...);
    # otherwise the longer span wins.
    priority = {id(f): i for i, f in enumerate(candidates)}
    ordered = sorted(candidates, key=lambda f: (-(f.end - f.start), priority[id(f)]))
    chosen: list[Finding] = []
    for finding in ordered:
        if all(finding.end <= c.start or finding.start >= c.end for c in chosen):
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


def redact(
    text: str, findings: Sequence[Finding], accepted: Iterable[str] | None = None
) -> tuple[str, dict[str, int]]:
    """Replace the accepted findings (all when ``accepted`` is None) by their markers.

    Returns the new text and how many of each kind were redacted.
    """
    keys = None if accepted is None else set(accepted)
    chosen = [f for f in findings if keys is None or f.key in keys]
    pieces, cursor = [], 0
    for finding in sorted(chosen, key=lambda f: f.start):
        pieces += [text[cursor : finding.start], MARKERS[finding.kind]]
        cursor = finding.end
    pieces.append(text[cursor:])
    return "".join(pieces), dict(Counter(f.kind for f in chosen))


def today() -> date:
    """Today's date in UTC: the only kind of timestamp contributions carry."""
    return datetime.now(UTC).date()


def month_of(day: date) -> date:
    """The first of the month: incidents are never shown finer than this."""
    return date(day.year, day.month, 1)

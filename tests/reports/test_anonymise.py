"""The scrubber finds what could identify an author; redaction marks what was removed."""

from datetime import date

import pytest

from credgroup.reports.anonymise import (
    ScrubContext,
    company_name_variants,
    find_identifying,
    month_of,
    redact,
)

CONTEXT = ScrubContext(
    company_names=["Northfield Aggregates Inc.", "NFA"],
    people_names=["Dana Whitfield"],
    people_emails=["dana@northfield.example"],
)


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_identifying(text, CONTEXT)]


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Northfield Aggregates got INV-15 again", "company", "Northfield Aggregates"),
        ("nfa's invoices bounced", "company", "nfa's"),
        ("Dana Whitfield called their AP desk", "person", "Dana Whitfield"),
        ("write to ap-help@buyer.example for status", "email", "ap-help@buyer.example"),
        ("see https://supplier.coupa.com/help/faq/ first", "url", "https://supplier.coupa.com/help/faq/"),
        ("call (555) 123-4567 ext 2", "phone", "(555) 123-4567"),
        ("PO# 4500012345 was flipped", "number", "4500012345"),
        ("Invoice no. INV-2024-00017 rejected", "number", "INV-2024-00017"),
        ("account number: 88231907", "number", "88231907"),
        ("IBAN DE89 3704 0044 0532 0130 00 on it", "bank", "DE89 3704 0044 0532 0130 00"),
        ("routing number 021000021 changed", "bank", "021000021"),
    ],
)  # fmt: skip
def test_finds_identifying_details(text, kind, found):
    findings = find_identifying(text, CONTEXT)
    assert (kind, found) in [(f.kind, f.text) for f in findings]


@pytest.mark.parametrize(
    "text",
    [
        "Ariba rejected it with INV-15 on 2026-03-01",
        "Transaction fees capped at USD 20,000 per year",
        "Coupa picks up sFTP files every 3-6 minutes",
        "About 25 invoices in March, net amount $12,500.00",
    ],
)
def test_leaves_ordinary_portal_facts_alone(text):
    assert find_identifying(text, CONTEXT) == []


def test_redaction_marks_each_accepted_finding_and_counts_kinds():
    text = "Northfield Aggregates: email dana@northfield.example or see www.nfa.example"
    findings = find_identifying(text, CONTEXT)
    new_text, counts = redact(text, findings)
    assert "Northfield" not in new_text and "dana@" not in new_text
    assert new_text.startswith("[redacted: company]: email [redacted: email]")
    assert counts == {"company": 1, "email": 1, "url": 1}


def test_author_may_keep_a_finding():
    text = "Call Dana Whitfield at dana@northfield.example"
    findings = find_identifying(text, CONTEXT)
    keep_name = [f.key for f in findings if f.kind != "person"]
    new_text, counts = redact(text, findings, accepted=keep_name)
    assert "Dana Whitfield" in new_text and counts == {"email": 1}


def test_company_variants_drop_legal_suffixes_longest_first():
    assert company_name_variants(["Acme Supply Co.", "AS"])[:2] == [
        "Acme Supply Co.",
        "Acme Supply",
    ]


def test_incidents_are_coarsened_to_the_month():
    assert month_of(date(2026, 3, 17)) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("name", "text", "found"),
    [
        # ASCII text and name: the substring shortcut, in any letter case.
        ("Dana Whitfield", "DANA WHITFIELD's team sent it back", "DANA WHITFIELD's"),
        # Non-ASCII on either side goes through the pattern: Unicode case-insensitivity.
        ("Jürgen Maß", "jÜrgen maß called the AP desk", "jÜrgen maß"),
        ("Kasper Lund", "\u212aasper Lund called", "\u212aasper Lund"),  # the Kelvin sign
        ("Jessica Moss", "Je\u017f\u017fica Moss called", "Je\u017f\u017fica Moss"),  # long s
    ],
)
def test_names_are_found_whatever_their_letter_case(name, text, found):
    context = ScrubContext(people_names=[name])
    assert [(f.kind, f.text) for f in find_identifying(text, context)] == [("person", found)]


def test_a_name_inside_a_longer_word_is_not_a_finding():
    context = ScrubContext(people_names=["Ann Lee"])
    assert find_identifying("Joann Leeds wrote", context) == []
    assert [f.text for f in find_identifying("ann lee wrote", context)] == ["ann lee"]

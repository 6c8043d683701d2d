"""The antitrust / anti-defamation check flags the sentences that need rewording."""

import pytest

from credgroup.reports.compliance import check_wording


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Let's all stop using Acme's portal until they drop the fee.", "boycott"),
        ("We should refuse to register on their Coupa.", "boycott"),
        ("Nobody should pay those fees.", "boycott"),
        ("We put them on credit hold last week.", "boycott"),
        ("Their AP team are frauds.", "defamation"),
        ("That buyer is dishonest about receipts.", "defamation"),
        ("We will raise our prices to cover the Ariba fee.", "prices"),
        ("They moved us from net 30 to net 90.", "credit_terms"),
        ("Next year we are dropping them.", "future_intentions"),
    ],
)
def test_flags_forbidden_topics(text, kind):
    assert kind in {flag.kind for flag in check_wording(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Coupa rejected the invoice because the PO number was missing.",
        "The status stayed Approved for six weeks after payment.",
        "Workaround: add a suffix letter to the invoice number and resubmit.",
        "SAP charged a transaction fee of 0.155% of volume last quarter.",
    ],
)
def test_factual_reports_pass(text):
    assert check_wording(text) == []


def test_flag_carries_sentence_and_explanation():
    [flag] = check_wording("Invoice was skipped. Let's all stop using their portal!")
    assert flag.sentence == "Let's all stop using their portal!"
    assert "collective action" in flag.explanation

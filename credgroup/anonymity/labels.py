"""Names people get inside one discussion: "Reporter", "Member A", "Member B"...

Labels depend only on the order in which pseudonyms first appear in that one discussion, so
they are consistent within it and unrelated across discussions.
"""

from __future__ import annotations

from collections.abc import Iterable
from string import ascii_uppercase

REPORTER = "Reporter"
FACILITATOR = "Facilitator"


def letter_label(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 27 -> AB ..."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = ascii_uppercase[remainder] + letters
    return letters


def participant_labels(
    reporter: str, speakers_in_order: Iterable[str], staff: Iterable[str] = ()
) -> dict[str, str]:
    """Map each pseudonym to its label in this discussion."""
    labels = {reporter: REPORTER}
    staff_set = set(staff)
    for pseudonym in speakers_in_order:
        if pseudonym in labels:
            continue
        if pseudonym in staff_set:
            labels[pseudonym] = FACILITATOR
            continue
        members = sum(1 for label in labels.values() if label.startswith("Member "))
        labels[pseudonym] = f"Member {letter_label(members)}"
    return labels

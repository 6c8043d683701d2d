"""The antitrust and anti-defamation check: flag wording before it is posted.

It cannot give legal advice; it points at sentences that look like the topics credit groups
must not discuss, shows the group's statement, and lets the author reword or send the text to
the facilitator's review queue. Patterns are deliberately broad: a false alarm costs a
rewording, a miss can cost an antitrust case.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

RULES: dict[str, tuple[str, list[str]]] = {
    "prices": (
        "Prices, costs and margins may not be discussed.",
        [
            r"\bpric(?:e|es|ing)\b",
            r"\bmargins?\b",
            r"\bmark-?ups?\b",
            r"\bsurcharges?\b",
            r"\b(?:raise|raising|increase|cut|lower)\w*\s+(?:our|the|their)\s+(?:rates|prices)",
        ],
    ),
    "credit_terms": (
        "Credit terms may be mentioned only to explain an aging line.",
        [
            r"\bnet\s*\d{2,3}\b",
            r"\b(?:credit|payment)\s+terms\b",
            r"\bcredit\s+limits?\b",
            r"\b(?:extend|shorten|tighten)\w*\s+(?:the\s+|our\s+)?terms\b",
        ],
    ),
    "boycott": (
        "No refusing to deal and no collective action against a customer or portal.",
        [
            r"\bboycott\w*",
            r"\brefus\w*\s+to\s+(?:deal|sell|ship|supply|use|register|work)",
            r"\bstop\s+(?:selling|shipping|supplying|doing\s+business|using|dealing)",
            r"\b(?:let'?s|we\s+should|everyone\s+should|we\s+all|all\s+of\s+us)\b[^.!?]*"
            r"\b(?:stop|refuse|stop\s+using|cut\s+off|drop|leave|not\s+pay|reject)\b",
            r"\bnobody\s+should\b",
            r"\bcut\s+(?:them|\w+)\s+off\b",
            r"\b(?:put|place)\s+(?:them|\w+)\s+on\s+(?:credit\s+)?hold\b",
            r"\bblacklist\w*",
        ],
    ),
    "future_intentions": (
        "Only past facts: no company's future plans or intentions.",
        [
            r"\bwe\s+(?:will|are\s+going\s+to|plan\s+to|intend\s+to|are\s+planning\s+to)\b",
            r"\bnext\s+(?:year|quarter|month)\s+we\b",
            r"\bgoing\s+forward\s+we\b",
        ],
    ),
    "defamation": (
        "State facts, not opinions: do not call anyone dishonest, fraudulent or the like.",
        [
            r"\bfraud\w*",
            r"\bdishonest\w*",
            r"\bscam\w*",
            r"\bcrook\w*",
            r"\bliars?\b",
            r"\bcheat\w*",
            r"\bthie(?:f|ves)\b",
            r"\bdeadbeats?\b",
            r"\bcorrupt\w*",
            r"\bcriminals?\b",
        ],
    ),
}

SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
COMPILED = {
    kind: (explanation, [re.compile(p, re.IGNORECASE) for p in patterns])
    for kind, (explanation, patterns) in RULES.items()
}


@dataclass(frozen=True)
class WordingFlag:
    """One sentence that looks like a forbidden topic."""

    kind: str
    phrase: str
    sentence: str
    explanation: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def check_wording(*texts: str) -> list[WordingFlag]:
    """Flags for every sentence of the given texts that matches a rule, once per kind and
    sentence."""
    flags: list[WordingFlag] = []
    seen: set[tuple[str, str]] = set()
    for text in texts:
        for sentence_match in SENTENCE.finditer(text or ""):
            sentence = sentence_match.group(0).strip()
            for kind, (explanation, patterns) in COMPILED.items():
                match = next((m for p in patterns if (m := p.search(sentence))), None)
                if match and (kind, sentence) not in seen:
                    seen.add((kind, sentence))
                    flags.append(WordingFlag(kind, match.group(0), sentence, explanation))
    return flags

"""Reading what someone typed into the search box. Forgiving on purpose: any string
gives a query (possibly empty) and a list of notices, never an exception.

Understood: words; "exact phrases"; prefix* (3+ letters); fuzzy~ or fuzzy~2; -excluded
words; OR between words (any word may match); AND and parentheses are accepted and
ignored; operators portal: category: status: type: group: whose value may be "quoted"
or list alternatives with | or ,. Everything else is punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from credgroup.search.backend import Clause

MAX_QUERY_LENGTH = 500
# Long questions need their words (CISI: 16 words gave nDCG@10 0.29, 64 gave 0.35).
MAX_CLAUSES = 64
MIN_PREFIX = 3
OPERATORS = ("portal", "category", "status", "type", "group")
EXAMPLES = {
    "portal": "portal:coupa",
    "category": "category:fees",
    "status": "status:open",
    "type": "type:article",
    "group": "group:your-group",
}

TOKEN = re.compile(
    r"""
    (?P<neg>[-!]?)
    (?:
        (?P<op>[A-Za-z]+):(?P<val>"[^"]*"?|[^\s()"]*)
      | "(?P<phrase>[^"]*)(?P<close>"?)
      | (?P<word>[^\s()"]+)
    )
    """,
    re.VERBOSE,
)
WORD = re.compile(r"\w+", re.UNICODE)
# NUL and other control characters: never useful, and PostgreSQL cannot store NUL.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FUZZY = re.compile(r"^(?P<core>.+?)~(?P<dist>[0-9]?)$")


@dataclass
class ParsedQuery:
    text: str
    clauses: list[Clause] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    any_words: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return any(not clause.negated for clause in self.clauses)

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.filters

    def note(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)


def parse(raw: str | None) -> ParsedQuery:
    """Split a search string into clauses, operator filters and notices."""
    text = " ".join(CONTROL.sub(" ", str(raw or "")).split())
    parsed = ParsedQuery(text=text[:MAX_QUERY_LENGTH])
    if len(text) > MAX_QUERY_LENGTH:
        parsed.note(f"Your search was shortened to its first {MAX_QUERY_LENGTH} characters.")
    negate_next = False
    for match in TOKEN.finditer(parsed.text):
        negated = negate_next or bool(match.group("neg"))
        negate_next = False
        if match.group("op") is not None:
            _operator(parsed, match)
        elif match.group("phrase") is not None:
            _phrase(parsed, match, negated)
        else:
            negate_next = _word(parsed, match.group("word"), negated)
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        parsed.note(f"Only the first {MAX_CLAUSES} words or phrases were used.")
    return parsed


def _operator(parsed: ParsedQuery, match: re.Match) -> None:
    name, value = match.group("op").lower(), match.group("val").strip('"').strip()
    if name not in OPERATORS:
        # "foo:bar" is not an operator: search its words.
        _word(parsed, f"{match.group('op')}:{match.group('val')}", bool(match.group("neg")))
        return
    if match.group("neg"):
        parsed.note(f"Excluding with -{name}: is not supported; that part was used as {name}:.")
    values = [v.strip() for v in re.split(r"[|,]", value) if v.strip()]
    if not values:
        parsed.note(f"'{name}:' needs a value, for example {EXAMPLES[name]}.")
        return
    parsed.filters.setdefault(name, [])
    for v in values:
        if v.lower() not in (existing.lower() for existing in parsed.filters[name]):
            parsed.filters[name].append(v[:120])


def _phrase(parsed: ParsedQuery, match: re.Match, negated: bool) -> None:
    words = WORD.findall(match.group("phrase"))
    if not match.group("close"):
        parsed.note("A quotation mark was not closed, so those words were searched separately.")
        for word in words:
            parsed.clauses.append(Clause("term", word, negated=negated))
        return
    if len(words) == 1:
        parsed.clauses.append(Clause("term", words[0], negated=negated))
    elif words:
        parsed.clauses.append(Clause("phrase", " ".join(words), negated=negated))


def _word(parsed: ParsedQuery, token: str, negated: bool) -> bool:
    """Add the clause for one bare token. Returns True when it is NOT (negate the next)."""
    if token in ("AND", "&&"):
        return False
    if token in ("OR", "||"):
        parsed.any_words = True
        return False
    if token == "NOT":  # noqa: S105 - the operator, not a password
        return True
    if token.endswith("*"):
        core = token.rstrip("*")
        if WORD.fullmatch(core) and len(core) >= MIN_PREFIX:
            parsed.clauses.append(Clause("prefix", core.lower(), negated=negated))
            return False
        if core:
            parsed.note(f"A prefix needs at least {MIN_PREFIX} letters before the *.")
        token = core
    fuzzy = FUZZY.match(token)
    if fuzzy and WORD.fullmatch(fuzzy.group("core")):
        distance = min(2, max(1, int(fuzzy.group("dist") or 1)))
        parsed.clauses.append(
            Clause("fuzzy", fuzzy.group("core"), negated=negated, maxdist=distance)
        )
        return False
    words = WORD.findall(token)
    if len(words) == 1:
        parsed.clauses.append(Clause("term", words[0], negated=negated))
    elif words:  # INV-15, foo:bar, e-invoice: the words next to each other
        parsed.clauses.append(Clause("phrase", " ".join(words), negated=negated))
    return False


def replace_word(text: str, old: str, new: str) -> str:
    """``text`` with the first whole-word ``old`` (any case) replaced by ``new``."""
    return re.sub(rf"(?<!\w){re.escape(old)}(?!\w)", new, text, count=1, flags=re.IGNORECASE)

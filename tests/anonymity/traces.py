"""What an attacker must never find about company A, and the search for it.

A *trace* is anything that would tell who wrote a contribution:

- identity: the company's name and aliases, a person's name and email, their user public id,
  the integer ids of the company and the user (in any form: ``company_id=...``, a URL, a
  bare number);
- pseudonyms: every value of every ``*_pseudonym`` column in the database (any feature's
  contribution tables), also truncated to 12 hex characters;
- field names that say "this row belongs to someone" (``company_id``, ``user_id``,
  ``*_pseudonym``...) in JSON.

Directory pages (the roster of a group, the admin's lists of companies and people) exist to
say who is in a group, so identity may appear there, but never in the same row (list item,
table row, paragraph, JSON object, CSV line) as one of A's contributions, and never with a
pseudonym. Every other page, export, API response, header and email must hold no trace at all.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

import sqlalchemy as sa

from credgroup.extensions import db

PSEUDONYM_WINDOW = 12  # hex characters: shorter runs are common (colours, hashes of CSS...)
HEX_RUN = re.compile(rf"[0-9a-fA-F]{{{PSEUDONYM_WINDOW},}}")

# Field names that would tie a row to a person or company, wherever they appear in JSON.
OWNER_FIELDS = re.compile(
    r"^(?:company_id|user_id|author_id|asker_id|owner_id|person_id|member_id|"
    r"\w*_?pseudonym|author_email|author_name|company_name|reporter_(?:id|name|email))$",
    re.IGNORECASE,
)

# Pages whose job is to say who is in a group. Regexes on the path (without query string).
DIRECTORY_PAGES: tuple[str, ...] = (
    r"^/g/[^/]+/$",  # the group home: member companies and facilitators
    r"^/g/[^/]+/manage/",  # facilitators manage the group's companies and people
    r"^/admin/(?:companies|users|facilitators|groups)/",  # the admin's directory
    r"^/admin/audit/",  # staff actions name their targets (companies, people, content)
    r"^/api/v1/groups/[^/]+/(?:companies|people|members|attendance)",
    # Meeting records: who attended (facilitators take attendance) and who owns an action.
    r"^(?:/api/v1)?/meetings/[^/]+/(?:attendance|actions)",
)

# A row of a page: the text between two of these tags (opening or closing).
ROW_BOUNDARY = re.compile(
    r"</?(?:li|tr|p|dd|dt|h[1-6]|section|article|option|ul|ol|table|div|form|main|aside|"
    r"header|footer|nav|details|summary|blockquote|pre)\b[^>]*>",
    re.IGNORECASE,
)


def is_directory(path: str) -> bool:
    return any(re.match(pattern, path) for pattern in DIRECTORY_PAGES)


@dataclass(frozen=True)
class Leak:
    where: str  # URL, "header X", "email to ..."
    kind: str  # "company name", "pseudonym", ...
    found: str  # the matched text with a little context

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: …{self.found}…"


def _boundary_pattern(term: str) -> re.Pattern[str]:
    # Not inside a longer word, nor inside a URL-safe random token ("-", "_" count as word).
    return re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", re.IGNORECASE)


def variants(term: str) -> set[str]:
    """The ways a string can be written into a page, a URL, JSON or CSV."""
    return {
        term,
        html.escape(term),
        html.escape(term, quote=False),
        quote(term),
        quote(term, safe=""),
        quote_plus(term),
        json.dumps(term)[1:-1],
    }


@dataclass
class Traces:
    """Everything that must not reach the attacker about company A, ready to search."""

    identity: dict[str, str] = field(default_factory=dict)  # term -> kind
    numbers: dict[int, str] = field(default_factory=dict)  # integer id -> kind
    pseudonyms: set[str] = field(default_factory=set)
    markers: set[str] = field(default_factory=set)  # A's contributions: public ids, titles
    _patterns: list[tuple[re.Pattern[str], str]] = field(default_factory=list, repr=False)
    _windows: set[str] = field(default_factory=set, repr=False)

    def compile(self) -> Traces:
        self._patterns = []
        for term, kind in self.identity.items():
            for variant in variants(term):
                self._patterns.append((_boundary_pattern(variant), kind))
        for number, kind in self.numbers.items():
            # A bare number, as long as it is not part of a longer number or token.
            self._patterns.append((re.compile(r"(?<![\w.-])" + str(number) + r"(?![\w-])"), kind))
        self._windows = {
            p[i : i + PSEUDONYM_WINDOW].lower()
            for p in self.pseudonyms
            for i in range(len(p) - PSEUDONYM_WINDOW + 1)
        }
        return self

    # --- searching -------------------------------------------------------------------------

    def identity_hits(self, text: str) -> Iterator[tuple[str, str, int]]:
        for pattern, kind in self._patterns:
            for match in pattern.finditer(text):
                yield kind, match.group(0), match.start()

    def pseudonym_hits(self, text: str) -> Iterator[tuple[str, int]]:
        for run in HEX_RUN.finditer(text):
            value = run.group(0).lower()
            for i in range(len(value) - PSEUDONYM_WINDOW + 1):
                if value[i : i + PSEUDONYM_WINDOW] in self._windows:
                    yield run.group(0), run.start()
                    break

    def owner_fields(self, data: object) -> Iterator[str]:
        """Keys anywhere in a JSON document that name an owner."""
        if isinstance(data, dict):
            for key, value in data.items():
                if OWNER_FIELDS.match(str(key)):
                    yield str(key)
                yield from self.owner_fields(value)
        elif isinstance(data, list):
            for value in data:
                yield from self.owner_fields(value)

    def leaks(self, where: str, text: str, *, directory: bool = False) -> list[Leak]:
        """Every trace in ``text``. On a directory page identity is allowed, but not in a
        row that also holds one of A's contributions."""
        found = [
            Leak(where, "pseudonym", _context(text, pos, value))
            for value, pos in self.pseudonym_hits(text)
        ]
        if not directory:
            found += [
                Leak(where, kind, _context(text, pos, value))
                for kind, value, pos in self.identity_hits(text)
            ]
            return found
        for row in rows_of(text):
            hits = list(self.identity_hits(row))
            marker = next((m for m in self.markers if m in row), None)
            if hits and marker:
                kind = hits[0][0]
                found.append(Leak(where, f"{kind} next to A's contribution {marker!r}", row[:300]))
        return found

    def json_leaks(self, where: str, data: object) -> list[Leak]:
        return [Leak(where, "owner field in JSON", key) for key in self.owner_fields(data)]


def json_documents(text: str) -> list[Any]:
    """A JSON body as a list of documents: one, or one per line for JSON Lines exports.
    Raises ValueError if it is neither."""
    if not text.strip():
        return []
    try:
        return [json.loads(text)]
    except ValueError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def rows_of(text: str) -> list[str]:
    """The rows of a page (HTML between block tags; CSV and text lines; JSON objects)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            documents = json_documents(text)
        except ValueError:
            pass
        else:
            return [json.dumps(obj) for doc in documents for obj in _json_objects(doc)]
    if "<" in text:
        return ROW_BOUNDARY.split(text)
    return text.splitlines()


def _json_objects(data: object) -> Iterator[object]:
    """Each object with its sub-objects but without its lists: the items of a list are
    rows of their own, an object's nested objects belong to its row."""
    if isinstance(data, dict):
        yield {k: v for k, v in data.items() if not isinstance(v, list)}
        for value in data.values():
            yield from _json_objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_objects(value)


def _context(text: str, pos: int, value: str, width: int = 60) -> str:
    start = max(0, pos - width)
    return text[start : pos + len(value) + width].replace("\n", " ")


def stored_pseudonyms() -> set[str]:
    """Every value of every ``*_pseudonym`` column of every table (all features)."""
    values: set[str] = set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("pseudonym"):
                values.update(v for v in db.session.scalars(sa.select(column)) if v)
    return values


def pseudonym_columns() -> list[str]:
    return [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
        if column.name.endswith("pseudonym")
    ]


def all_leaks(checks: Iterable[list[Leak]]) -> list[Leak]:
    return [leak for leaks in checks for leak in leaks]


def response_leaks(fetched: Iterable[Any], traces: Traces) -> list[Leak]:
    """Traces in the bodies and headers of crawled responses (``crawler.Fetched``).

    Bodies of directory pages are checked with the directory rule; headers always strictly.
    """
    found: list[Leak] = []
    for response in fetched:
        found += traces.leaks(response.url, response.body, directory=is_directory(response.path))
        for name, value in response.headers:
            found += traces.leaks(f"{response.url} (header {name})", value)
        if "json" in response.content_type:
            try:
                documents = json_documents(response.body)
            except ValueError:
                found.append(Leak(response.url, "invalid JSON", response.body[:100]))
                continue
            for document in documents:
                found += traces.json_leaks(response.url, document)
    return found


# The readiness probe answers 503 by design while the schema is not at the latest
# migration (the tests' schema comes from the models): its answer, not a server error. Its
# body is still checked for leaks like every other response (tests/ops checks the rest).
READINESS_PATH = "/readyz"


def server_errors(fetched: Iterable[Any]) -> list[str]:
    return [
        f"{f.status} {f.url}"
        for f in fetched
        if f.status >= 500 and not (f.status == 503 and f.path == READINESS_PATH)
    ]

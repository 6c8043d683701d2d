"""A bounded crawler for the attacker tests, generic on purpose: pages added later are
covered without touching this file.

Where it starts:

- every GET route of the app (``app.url_map``), its parameters filled from an
  :class:`IdBook` of everything in the database (groups, reports, comments, questions,
  portals, companies, people, watches, tokens: also those the visitor should not see, and
  a random id for the "no such thing" answer);
- for the API, every GET path of ``/api/v1/openapi.json`` filled the same way, required
  query parameters included.

Then it follows every same-site link it is given (``href``, GET form actions, redirects,
URL-looking strings in JSON), GET only, never ``/logout`` nor ``/static/``, at most
``max_urls`` fetches and a few query-string variants per path, so list filters and sort
links cannot explode the walk.

Each parameter's kind comes from the path segment in front of it (``/reports/<id>`` is a
report, ``/g/<slug>`` a group), else from its name; an unknown kind gets a random value.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
import secrets
import zipfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import sqlalchemy as sa
from flask import Flask

from credgroup.extensions import db

SKIP_PATHS = (r"^/logout\b", r"^/static/")
SAME_SITE_HOSTS = ("", "localhost")

# The segment in front of a parameter, or its name, tells what it is.
SEGMENT_KINDS = {
    "g": "group",
    "group": "group",
    "groups": "group",
    "report": "report",
    "reports": "report",
    "comment": "comment",
    "comments": "comment",
    "question": "question",
    "questions": "question",
    "answers": "question",
    "portal": "portal",
    "portals": "portal",
    "company": "company",
    "companies": "company",
    "people": "user",
    "person": "user",
    "users": "user",
    "user": "user",
    "members": "user",
    "facilitators": "user",
    "staff": "user",
    "watch": "watch",
    "watches": "watch",
    "tokens": "token",
    "token": "token",
}
NAME_HINTS = (
    ("comment", "comment"),
    ("question", "question"),
    ("portal", "portal"),
    ("report", "report"),
    ("company", "company"),
    ("user", "user"),
    ("person", "user"),
    ("watch", "watch"),
    ("slug", "group"),
    ("group", "group"),
)
PARAM = re.compile(r"<(?:(?P<conv>[^:<>]+):)?(?P<name>[^<>]+)>|\{(?P<api>[^{}]+)\}")


def _random_value(kind: str, converter: str | None) -> str:
    if converter == "int" or kind == "company":
        return str(2_000_000_000 + secrets.randbelow(1_000_000))
    return "no-such-" + secrets.token_hex(6)


@dataclass
class IdBook:
    """Known ids as rows of related values: {"group": slug, "report": id, "comment": id}.

    Rows holding a *priority* value (for example the victim's contributions) come first, so
    a bounded walk reaches them before anything else.
    """

    rows: list[dict[str, str]] = field(default_factory=list)
    priority: set[str] = field(default_factory=set)
    per_rule: int = 12

    @classmethod
    def from_database(cls, priority: Iterable[str] = (), per_rule: int = 12) -> IdBook:
        from credgroup.accounts.models import ApiToken, User
        from credgroup.groups.models import (
            CreditGroup,
            FacilitatorAssignment,
            GroupMembership,
        )
        from credgroup.portals.models import Portal
        from credgroup.reports.models import Report, Watch

        rows: list[dict[str, str]] = []
        rows += [{"group": s} for s in db.session.scalars(sa.select(CreditGroup.slug))]
        rows += [{"portal": s} for s in db.session.scalars(sa.select(Portal.slug))]
        for report in db.session.scalars(sa.select(Report)):
            base = {"group": report.group.slug, "report": report.public_id}
            rows.append({**base, "portal": report.portal.slug})
            rows += [{**base, "comment": c.public_id} for c in report.comments]
            rows += [{**base, "question": q.public_id} for q in report.questions]
        for seat in db.session.scalars(sa.select(GroupMembership)):
            rows.append({"group": seat.group.slug, "company": str(seat.company_id)})
        for user in db.session.scalars(sa.select(User)):
            rows.append({"user": user.public_id})
            for seat in user.company.memberships if user.company else []:
                rows.append({"group": seat.group.slug, "user": user.public_id})
        for assignment in db.session.scalars(sa.select(FacilitatorAssignment)):
            rows.append({"group": assignment.group.slug, "user": assignment.user.public_id})
        rows += [{"watch": w} for w in db.session.scalars(sa.select(Watch.public_id))]
        rows += [{"token": t} for t in db.session.scalars(sa.select(ApiToken.public_id))]
        rows += _other_objects({"users", "reports", "report_comments", "report_questions"})
        return cls(rows=rows, priority=set(priority), per_rule=per_rule)

    def _first(self, rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return sorted(rows, key=lambda row: not (set(row.values()) & self.priority))

    def values(self, kind: str) -> list[str]:
        """Known values of one kind, priority first."""
        if kind == "number":
            return ["1", "2"]
        if kind.startswith("object:"):
            objects = [r for r in self.rows if "object" in r]
            segment = kind.partition(":")[2]
            matching = [r for r in objects if segment.rstrip("s") in r["table"]]
            matching.sort(key=lambda r: (not r["table"].endswith(segment), len(r["table"])))
            rows = matching or objects
            return list(dict.fromkeys(r["object"] for r in self._first(rows)))
        return list(dict.fromkeys(r[kind] for r in self._first(self.rows) if kind in r))

    def fill(self, template: str) -> list[str]:
        """``template`` with its parameters filled: priority values first, then random ones
        (for the "no such thing" answer), then the rest; at most ``per_rule`` URLs.

        Values of one row belong together (a comment with its report); parameters that no
        row holds together are combined from their own values.
        """
        params = [
            (m.group(0), m.group("name") or m.group("api"), m.group("conv"), m.start())
            for m in PARAM.finditer(template)
        ]
        if not params:
            return [template]
        kinds = [param_kind(template, start, name, conv) for _, name, conv, start in params]
        urls: list[str] = []

        def add(values: Iterable[str]) -> None:
            url = template
            for (text, _, _, _), value in zip(params, values, strict=True):
                url = url.replace(text, value, 1)
            if url not in urls:
                urls.append(url)

        random_values = [
            _random_value(k, conv) for k, (_, _, conv, _) in zip(kinds, params, strict=True)
        ]
        related = self._first([r for r in self.rows if all(k in r for k in kinds)])
        if related:
            first = [r for r in related if set(r.values()) & self.priority]
            for row in first:
                add(row[k] for k in kinds)
            add(random_values)
            for row in related[len(first) :]:
                add(row[k] for k in kinds)
        else:
            add(random_values)
            for combo in itertools.product(*(self.values(k)[:5] for k in kinds)):
                add(combo)
        return urls[: self.per_rule]


def _other_objects(covered: set[str]) -> list[dict[str, str]]:
    """Public ids of every other table (later features' objects), with their table."""
    rows = []
    for table in db.metadata.sorted_tables:
        if "public_id" in table.c and table.name not in covered:
            for value in db.session.scalars(sa.select(table.c.public_id)):
                rows.append({"object": value, "table": table.name})
    return rows


def param_kind(template: str, start: int, name: str, converter: str | None = None) -> str:
    """What a parameter is: a known kind, "number" for other integers, else "object:<the
    segment in front>" (matched against table names, for later features' objects)."""
    segments = [s for s in template[:start].split("/") if s]
    previous = segments[-1].lower() if segments else ""
    if previous in SEGMENT_KINDS:
        return SEGMENT_KINDS[previous]
    lowered = name.lower()
    kind = next((kind for hint, kind in NAME_HINTS if hint in lowered), None)
    if kind is not None:
        return kind
    return "number" if converter == "int" else f"object:{previous or lowered}"


# --- where to start --------------------------------------------------------------------------


def page_start_urls(app: Flask, book: IdBook, *, exclude: Iterable[str] = ("/api/",)) -> list[str]:
    """Every GET route of the app outside ``exclude``, filled from ``book``."""
    urls: list[str] = ["/"]
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in (rule.methods or ()) or _skipped(rule.rule):
            continue
        if any(rule.rule.startswith(prefix) for prefix in exclude):
            continue
        urls += [u for u in book.fill(rule.rule) if u not in urls]
    return urls


def api_start_urls(document: Mapping[str, Any], book: IdBook) -> list[str]:
    """Every GET operation of an OpenAPI document, path and required query filled."""
    prefix = (document.get("servers") or [{"url": ""}])[0]["url"].rstrip("/")
    urls: list[str] = []
    for path, operations in sorted(document.get("paths", {}).items()):
        get = operations.get("get")
        if get is None:
            continue
        query = _required_query(get, book)
        for filled in book.fill(path):
            for q in query or [""]:
                url = prefix + filled + (f"?{q}" if q else "")
                if url not in urls:
                    urls.append(url)
    return urls


def _required_query(operation: Mapping[str, Any], book: IdBook) -> list[str]:
    """Query strings for the operation's required query parameters (one per known value of
    the first parameter, the others filled with their first value)."""
    required = [
        p["name"]
        for p in operation.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    ]
    if not required:
        return []
    values = {name: _values_for(name, book) for name in required}
    first, rest = required[0], required[1:]
    tail = "".join(f"&{name}={values[name][0]}" for name in rest if values[name])
    return [f"{first}={value}{tail}" for value in values[first]]


def _values_for(name: str, book: IdBook) -> list[str]:
    kind = SEGMENT_KINDS.get(name.lower()) or param_kind("", 0, name)
    return book.values(kind)[: book.per_rule] or [_random_value(kind, None)]


# --- the walk --------------------------------------------------------------------------------


@dataclass
class Fetched:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: str
    content_type: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class CrawlResult:
    fetched: list[Fetched] = field(default_factory=list)
    not_fetched: list[str] = field(default_factory=list)  # beyond the bounds

    def response(self, url: str) -> Fetched:
        """The response for exactly this URL (path and query); KeyError if not fetched."""
        for fetched in self.fetched:
            if fetched.url == url:
                return fetched
        raise KeyError(f"{url} was not fetched")

    def by_path(self, path: str) -> list[Fetched]:
        return [f for f in self.fetched if f.path == path]

    def statuses(self) -> Counter[int]:
        return Counter(f.status for f in self.fetched)

    def paths(self) -> set[str]:
        return {f.path for f in self.fetched}


def crawl(
    get: Callable[..., Any],
    start: Iterable[str],
    *,
    headers: Mapping[str, str] | None = None,
    max_urls: int = 400,
    max_query_variants: int = 4,
    follow: Callable[[str], bool] = lambda url: True,
) -> CrawlResult:
    """Fetch ``start`` and every same-site link found, breadth first, GET only.

    ``get`` is a test client's ``get``. ``follow`` can restrict which discovered links are
    walked (start URLs are always fetched, within ``max_urls``).
    """
    result = CrawlResult()
    queue: deque[str] = deque()
    seen: set[str] = set()
    variants: Counter[str] = Counter()

    def enqueue(url: str, discovered: bool) -> None:
        url = normalise(url)
        if url is None or url in seen or _skipped(urlsplit(url).path):
            return
        if discovered and not follow(url):
            return
        parts = urlsplit(url)
        if parts.query:
            if variants[parts.path] >= max_query_variants:
                return
            variants[parts.path] += 1
        seen.add(url)
        queue.append(url)

    for url in start:
        enqueue(url, discovered=False)
    while queue:
        url = queue.popleft()
        if len(result.fetched) >= max_urls:
            result.not_fetched.append(url)
            continue
        response = get(url, headers=dict(headers or {}))
        content_type = response.headers.get("Content-Type", "")
        body = readable_body(response.get_data())
        result.fetched.append(
            Fetched(url, response.status_code, list(response.headers.items()), body, content_type)
        )
        for link in links_in(body, content_type, url, response.headers.get("Location")):
            enqueue(link, discovered=True)
    return result


def readable_body(data: bytes | str) -> str:
    """A response as text: a ZIP archive (an export) as the text of each file in it, with
    its name; anything else decoded as UTF-8 (what is not text shows as U+FFFD)."""
    if isinstance(data, str):
        return data
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                f"=== {name} ===\n" + archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
            )
    return data.decode("utf-8", "replace")


def normalise(url: str) -> str | None:
    """A same-site URL as a path (with query), or None for other sites and schemes."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in SAME_SITE_HOSTS:
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _skipped(path: str) -> bool:
    return any(re.match(pattern, path) for pattern in SKIP_PATHS)


def links_in(body: str, content_type: str, base: str, location: str | None = None) -> list[str]:
    links = [urljoin(base, location)] if location else []
    if "html" in content_type:
        parser = _LinkParser()
        parser.feed(body)
        links += [urljoin(base, href) for href in parser.links]
    elif "json" in content_type:
        with contextlib.suppress(ValueError):  # a JSON content type with a broken body
            strings = _json_strings(json.loads(body))
            links += [urljoin(base, s) for s in strings if _looks_like_path(s)]
    return links


def _looks_like_path(value: str) -> bool:
    return bool(re.match(r"^(?:https?://localhost)?/[\w/.%?&=;+-]*$", value))


def _json_strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _json_strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _json_strings(value)


@dataclass(frozen=True)
class GetForm:
    """A GET form of a page: where it goes, its free-text fields and its hidden values."""

    action: str
    text_fields: tuple[str, ...]
    hidden: tuple[tuple[str, str], ...] = ()


def get_forms(body: str, base: str) -> list[GetForm]:
    """The GET forms of an HTML page (search boxes, list filters), actions made absolute."""
    parser = _LinkParser()
    parser.feed(body)
    return [
        GetForm(urljoin(base, f.action), f.text_fields, f.hidden)
        for f in parser.forms
        if f.text_fields
    ]


TEXT_INPUTS = ("", "text", "search")


class _LinkParser(HTMLParser):
    """``href`` of links and ``action`` of GET forms (and those forms' fields)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[GetForm] = []
        self._form: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("a", "area", "link") and values.get("href"):
            self.links.append(values["href"])
        elif tag == "form" and values.get("method", "get").lower() == "get":
            self.links.append(values.get("action") or "")
            self._form = {"action": values.get("action") or "", "text": [], "hidden": []}
        elif tag == "input" and self._form is not None and values.get("name"):
            kind = values.get("type", "").lower()
            if kind in TEXT_INPUTS:
                self._form["text"].append(values["name"])
            elif kind == "hidden":
                self._form["hidden"].append((values["name"], values.get("value", "")))
        elif tag == "iframe" and values.get("src"):
            self.links.append(values["src"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            form, self._form = self._form, None
            self.forms.append(GetForm(form["action"], tuple(form["text"]), tuple(form["hidden"])))

"""Helpers for the report API tests: callers that remember every answer, report bodies,
and what must never appear in an answer seen by someone other than the author."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask.testing import FlaskClient

from credgroup.accounts.models import User
from credgroup.extensions import db
from credgroup.reports.models import Report, ReportComment, ReportConfirmation, ReportQuestion
from tests.reports.conftest import REPORT_DATA

GROUP = "building-materials"
NEW_REPORT = {**REPORT_DATA, "group": GROUP}
BOYCOTT = "Let's all stop using their Ariba until they fix it."


class Caller:
    """One person's API client (bearer token) that keeps every response it got, so the
    anonymity check can read them all afterwards."""

    def __init__(self, client: FlaskClient, token: str, who: str) -> None:
        self.client, self.token, self.who = client, token, who
        self.seen: list[tuple[str, Any]] = []

    def call(self, method: str, url: str, json: Any = None, **kw: Any):
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        if json is not None:
            kw["json"] = json
        response = self.client.open(url, method=method, headers=headers, **kw)
        self.seen.append((f"{self.who}: {method} {url}", response))
        return response

    def get(self, url: str, **kw: Any):
        return self.call("GET", url, **kw)

    def post(self, url: str, json: Any = None, **kw: Any):
        return self.call("POST", url, json=json if json is not None else {}, **kw)

    def patch(self, url: str, json: Any = None, **kw: Any):
        return self.call("PATCH", url, json=json if json is not None else {}, **kw)

    def put(self, url: str, **kw: Any):
        return self.call("PUT", url, **kw)

    def delete(self, url: str, **kw: Any):
        return self.call("DELETE", url, **kw)


def caller(client: FlaskClient, factory, user: User, who: str = "") -> Caller:
    return Caller(client, factory.api_token(user), who or user.email)


def ok(response, status: int = 200) -> Any:
    """The JSON body of a response that must have this status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def report_url(report_id: str, rest: str = "") -> str:
    return f"/api/v1/reports/{report_id}{rest}"


def report_row(report_id: str) -> Report:
    return db.session.scalar(sa.select(Report).where(Report.public_id == report_id))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


# --- the anonymity check ---------------------------------------------------------------------


def stored_pseudonyms() -> list[str]:
    """Every pseudonym held in the contribution tables."""
    columns = [
        Report.author_pseudonym,
        Report.company_pseudonym,
        ReportComment.author_pseudonym,
        ReportComment.company_pseudonym,
        ReportConfirmation.author_pseudonym,
        ReportConfirmation.company_pseudonym,
        ReportQuestion.asker_pseudonym,
    ]
    values = {value for column in columns for value in db.session.scalars(sa.select(column))}
    return sorted(value for value in values if value)


def word(text: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])", re.IGNORECASE)


def traces_of(people: list[User], *, company_words: bool = True) -> list[tuple[str, Any]]:
    """(description, pattern or literal) of everything that would identify ``people`` (one
    company's) or any contributor: names, first names, emails, public ids, the company's
    names and aliases, and every stored pseudonym."""
    traces: list[tuple[str, Any]] = []
    for person in people:
        traces += [
            ("name", word(person.name)),
            ("first name", word(person.name.split()[0])),
            ("email", person.email),
            ("user public id", person.public_id),
        ]
        company = person.company
        if company is not None and company_words:
            traces += [("company", word(name)) for name in [company.name, *company.aliases]]
            traces.append(("company word", word(company.name.split()[0])))
    traces += [("pseudonym", value) for value in stored_pseudonyms()]
    return traces


def found_traces(text: str, traces: list[tuple[str, Any]]) -> list[str]:
    found = []
    for what, needle in traces:
        hit = needle.search(text) if isinstance(needle, re.Pattern) else needle in text
        if hit:
            found.append(f"{what}: {getattr(needle, 'pattern', needle)}")
    return found


def integer_ids(value: Any, path: str = "") -> list[str]:
    """Where a JSON document holds an id that is not a (random, public) string."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if (key == "id" or key.endswith("_id")) and not isinstance(item, str):
                found.append(f"{path}.{key}")
            found += integer_ids(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found += integer_ids(item, f"{path}[{n}]")
    return found


def assert_no_traces(callers: list[Caller], traces: list[tuple[str, Any]]) -> int:
    """No response any of ``callers`` got (body or headers) shows a trace or an internal id;
    returns how many JSON responses were read."""
    checked = 0
    for c in callers:
        for label, response in c.seen:
            text = response.get_data(as_text=True)
            headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
            found = found_traces(text + "\n" + headers, traces)
            assert not found, f"{label} shows {found}"
            if response.mimetype == "application/json":
                assert not integer_ids(response.get_json()), label
                checked += 1
    return checked

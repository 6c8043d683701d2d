"""Member clients: each signs in with its own session and browses and writes the way a
person does (load the page, take its CSRF token, post the form), timing every request."""

from __future__ import annotations

import http.client
import random
import re
import string
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REPORT_LINK_RE = re.compile(r'href="/reports/([A-Za-z0-9_-]{8,})"')
ARTICLE_LINK_RE = re.compile(r'href="/kb/([A-Za-z0-9_-]{8,})"')
PORTAL_LINK_RE = re.compile(r'href="/portals/([a-z0-9-]+)"')
CREATED_RE = re.compile(r"^/reports/([A-Za-z0-9_-]{8,})$")
SEARCHES = ("coupa", "rejected invoice", "ariba fees", "portal:coupa", "short pay", "onbording")
CATEGORIES = ("rejected_format", "skipped", "capacity", "status_stale", "fees", "short_pay")
PORTALS = ("coupa", "sap-business-network", "tungsten-network", "basware", "jaggaer")
TIMEOUT = 45.0  # above gunicorn's 30 s, so a stuck worker shows as its kill, not ours


@dataclass(frozen=True)
class Sample:
    """One request as the client saw it (wall-clock times, for the fault timeline)."""

    started: float
    ended: float
    action: str
    status: int  # 0: no HTTP answer (connection refused or reset)
    error: str = ""


@dataclass(frozen=True)
class PostAttempt:
    """One "publish a report" form post, with the marker its title carries."""

    marker: str
    started: float
    ended: float
    status: int
    created: str = ""  # the report id the redirect named, when the post succeeded

    @property
    def succeeded(self) -> bool:
        return bool(self.created)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Http:
    """A browser's cookie jar over plain HTTP/1.1 to one loopback port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for cookie in raw.headers.get_all("Set-Cookie") or []:
                self._keep(cookie)
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
        finally:
            conn.close()

    def _keep(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value in ("", '""') or "max-age=0" in header.lower():
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value


def csrf_token(body: str) -> str:
    match = CSRF_RE.search(body)
    if not match:
        raise ValueError("the page has no CSRF token")
    return match.group(1)


def marker(rng: random.Random) -> str:
    """Letters only, so the scrubber sees an ordinary word, never an id to redact."""
    return "lf" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))


@dataclass
class Member:
    """One signed-in member clicking around their groups until told to stop."""

    port: int
    email: str
    password: str
    groups: tuple[str, ...]
    seed: int
    samples: list[Sample] = field(default_factory=list)
    posts: list[PostAttempt] = field(default_factory=list)
    signed_in: bool = False

    def __post_init__(self) -> None:
        self.http = Http(self.port)
        self.rng = random.Random(self.seed)  # noqa: S311 - a repeatable click pattern
        self.reports: list[str] = []
        self.articles: list[str] = []

    # -- one request, timed -------------------------------------------------------------

    def _timed(self, action: str, method: str, path: str, form=None) -> Response | None:
        started = time.time()
        try:
            response = self.http.request(method, path, form)
        except (OSError, http.client.HTTPException) as error:
            self.samples.append(Sample(started, time.time(), action, 0, type(error).__name__))
            return None
        self.samples.append(Sample(started, time.time(), action, response.status))
        return response

    def _post_form(
        self, action: str, page: str, form: dict, target: str | None = None
    ) -> tuple[bool, Response | None]:
        """Load ``page``, post ``form`` with its CSRF token: (whether the post was sent,
        its answer or None when no answer came)."""
        shown = self._timed(f"{action}:form", "GET", page)
        if shown is None or shown.status != 200:
            return False, None
        try:
            token = csrf_token(shown.body)
        except ValueError:
            return False, None
        return True, self._timed(action, "POST", target or page, {**form, "csrf_token": token})

    # -- what a member does ---------------------------------------------------------------

    def sign_in(self) -> bool:
        _, answer = self._post_form(
            "login", "/login", {"email": self.email, "password": self.password}
        )
        self.signed_in = answer is not None and answer.status == 302
        return self.signed_in

    def watch_immediately(self) -> None:
        """Ask for an email per new report in the first group (so posting sends mail)."""
        form = {"group": self.groups[0], "category": "rejected_format", "frequency": "immediate"}
        self._post_form("watch", "/my/watches", form)

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if not self.signed_in and not self.sign_in():
                stop.wait(0.5)
                continue
            self.act()

    def act(self) -> None:
        choices = (
            (self.report_list, 22),
            (self.report_detail, 22),
            (self.home, 6),
            (self.search, 10),
            (self.article, 6),
            (self.portal, 4),
            (self.trends, 4),
            (self.post_report, 12),
            (self.comment, 5),
            (self.confirm, 4),
            (self.ask, 5),
        )
        actions, weights = zip(*choices, strict=True)
        self.rng.choices(actions, weights)[0]()

    def group(self) -> str:
        return self.rng.choice(self.groups)

    def home(self) -> None:
        self._timed("home", "GET", "/")

    def report_list(self) -> None:
        query = self.rng.choice(("", "?category=fees", "?status=open", "?sort=confirmed"))
        page = self._timed("report_list", "GET", f"/g/{self.group()}/reports{query}")
        if page is not None and page.status == 200:
            found = REPORT_LINK_RE.findall(page.body)
            self.reports = list(dict.fromkeys(found + self.reports))[:200]

    def _some_report(self) -> str | None:
        if not self.reports:
            self.report_list()
        return self.rng.choice(self.reports) if self.reports else None

    def report_detail(self) -> None:
        report = self._some_report()
        if report:
            self._timed("report_detail", "GET", f"/reports/{report}")

    def search(self) -> None:
        q = urlencode({"q": self.rng.choice(SEARCHES)})
        self._timed("search", "GET", f"/search?{q}")

    def article(self) -> None:
        if not self.articles:
            listing = self._timed("kb_list", "GET", "/kb/")
            if listing is not None and listing.status == 200:
                self.articles = ARTICLE_LINK_RE.findall(listing.body)[:50]
        if self.articles:
            self._timed("article", "GET", f"/kb/{self.rng.choice(self.articles)}")

    def portal(self) -> None:
        self._timed("portal", "GET", f"/portals/{self.rng.choice(PORTALS)}")

    def trends(self) -> None:
        self._timed("trends", "GET", f"/g/{self.group()}/trends")

    def post_report(self) -> None:
        mark = marker(self.rng)
        form = {
            "portal": self.rng.choice(PORTALS),
            "category": self.rng.choice(CATEGORIES),
            "title": f"Invoices bounced by the portal, batch {mark}",
            "body": "The portal returned every invoice of the batch without a reason.",
            "error_message": "Document rejected: validation failed",
            "incident_month": time.strftime("%Y-%m"),
            "workaround": "Resubmitting one invoice at a time went through.",
            "action": "publish",
        }
        started = time.time()
        sent, answer = self._post_form("post_report", f"/g/{self.group()}/reports/new", form)
        if not sent:
            return
        status = answer.status if answer is not None else 0
        created = ""
        if answer is not None and answer.status in (302, 303):
            match = CREATED_RE.match(urlsplit(answer.headers.get("location", "")).path)
            created = match.group(1) if match else ""
        self.posts.append(PostAttempt(mark, started, time.time(), status, created))
        if created:
            self.reports.insert(0, created)

    def comment(self) -> None:
        report = self._some_report()
        if report:
            form = {
                "body": "We see the same with this portal since last month.",
                "action": "publish",
            }
            url = f"/reports/{report}"
            self._post_form("comment", url, form, target=f"{url}/comments")

    def confirm(self) -> None:
        report = self._some_report()
        if report:
            url = f"/reports/{report}"
            self._post_form("confirm", url, {"kind": "hit_too"}, target=f"{url}/confirm")

    def ask(self) -> None:
        report = self._some_report()
        if report:
            url = f"/reports/{report}"
            form = {"question": "Did resubmitting the whole batch work as well?"}
            self._post_form("ask", url, form, target=f"{url}/questions")

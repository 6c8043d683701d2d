"""The load: client processes, each running threads that are signed-in members (own
cookies, a new connection per request as gunicorn's sync workers close them), all asking
for one kind of page at once. Timed requests start together after a warm-up."""

from __future__ import annotations

import http.client
import itertools
import math
import resource
import statistics
import threading
import time
from dataclasses import dataclass
from typing import Any

from loadfault.client import Http, csrf_token

TIMEOUT = 45.0
POST_FORM = {
    "portal": "coupa",
    "category": "rejected_format",
    "error_message": "Document rejected: validation failed",
    "status": "open",
    "action": "publish",
}


@dataclass
class Phase:
    """One measured kind of page: who asks (plans), where (port), for how long."""

    kind: str
    port: int
    warmup: float
    duration: float
    password: str = ""


def _sign_in(http: Http, email: str, password: str) -> None:
    page = http.request("GET", "/login")
    form = {"email": email, "password": password, "csrf_token": csrf_token(page.body)}
    answer = http.request("POST", "/login", form)
    if answer.status != 302:
        raise RuntimeError(f"{email} could not sign in ({answer.status})")


class Client:
    """One thread: a member (or, for the bare endpoint, anyone) asking for its URLs."""

    def __init__(self, phase: Phase, plan: dict[str, Any] | None, number: int) -> None:
        self.phase, self.plan, self.number = phase, plan, number
        self.http = Http(phase.port)
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.token = ""
        urls = plan["urls"][phase.kind] if plan else ["/"]
        self.urls = itertools.cycle(urls)

    def prepare(self) -> None:
        if self.plan is None:
            return
        _sign_in(self.http, self.plan["email"], self.phase.password)
        if self.phase.kind == "post a report":
            form_page = self.http.request("GET", self.plan["urls"]["post a report"][0])
            self.token = csrf_token(form_page.body)

    def once(self) -> tuple[float, bool, str]:
        url = next(self.urls)
        started = time.perf_counter()
        try:
            if self.phase.kind == "post a report":
                answer = self.http.request("POST", url, self._report_form())
                ok = answer.status == 302
            else:
                answer = self.http.request("GET", url)
                ok = answer.status == 200
            why = "" if ok else f"HTTP {answer.status}"
        except (OSError, http.client.HTTPException) as error:
            ok, why = False, type(error).__name__
        return (time.perf_counter() - started) * 1000, ok, why

    def _report_form(self) -> dict[str, str]:
        n = len(self.latencies) + sum(self.errors.values())
        return {
            **POST_FORM,
            "csrf_token": self.token,
            "title": f"Invoices returned without a reason, batch {self.number}-{n}",
            "body": "Every invoice of the batch came back the same day without a reason.",
            "incident_month": time.strftime("%Y-%m"),
        }

    def run(self, start_at: float) -> None:
        measure_from = start_at + self.phase.warmup
        until = measure_from + self.phase.duration
        while time.time() < start_at:
            time.sleep(0.005)
        while True:
            now = time.time()
            if now >= until:
                return
            elapsed, ok, why = self.once()
            if now < measure_from:
                continue
            if ok:
                self.latencies.append(elapsed)
            else:
                self.errors[why] = self.errors.get(why, 0) + 1


def run_process(phase: Phase, plans: list[dict | None], first: int, ready, start, results) -> None:
    """A client process: sign every client in, say ready, wait for the common start, run,
    send back latencies, errors and this process's CPU time."""
    clients = [Client(phase, plan, first + i) for i, plan in enumerate(plans)]
    for client in clients:
        client.prepare()
    ready.put(1)
    while start.value == 0.0:
        time.sleep(0.01)
    threads = [threading.Thread(target=c.run, args=(start.value,)) for c in clients]
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    errors: dict[str, int] = {}
    for client in clients:
        for why, n in client.errors.items():
            errors[why] = errors.get(why, 0) + n
    results.put(([x for c in clients for x in c.latencies], errors, cpu))


@dataclass
class Figures:
    kind: str
    requests: int
    duration: float
    p50: float
    p95: float
    p99: float
    errors: dict[str, int]
    client_cpu: float

    @property
    def throughput(self) -> float:
        return self.requests / self.duration

    @classmethod
    def of(cls, kind: str, latencies: list[float], duration: float, errors, cpu) -> Figures:
        ordered = sorted(latencies)

        def pct(q: float) -> float:
            if not ordered:
                return math.nan
            return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]

        return cls(kind, len(ordered), duration, pct(0.5), pct(0.95), pct(0.99), errors, cpu)


def run_phase(context, phase: Phase, plans: list[dict | None], processes: int) -> Figures:
    """Run one phase over ``len(plans)`` clients spread over ``processes`` processes."""
    ready, results = context.Queue(), context.Queue()
    start = context.Value("d", 0.0)
    shares = [plans[i::processes] for i in range(processes)]
    firsts = list(itertools.accumulate([0] + [len(s) for s in shares[:-1]]))
    workers = [
        context.Process(target=run_process, args=(phase, share, first, ready, start, results))
        for share, first in zip(shares, firsts, strict=True)
        if share
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get(timeout=300)
    start.value = time.time() + 0.5
    gathered = [results.get(timeout=phase.warmup + phase.duration + 300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    latencies = [x for found, _, _ in gathered for x in found]
    errors: dict[str, int] = {}
    for _, found, _ in gathered:
        for why, n in found.items():
            errors[why] = errors.get(why, 0) + n
    cpu = sum(c for _, _, c in gathered)
    return Figures.of(phase.kind, latencies, phase.duration, errors, cpu)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan

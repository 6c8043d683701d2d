"""Where a page's time goes, in-process (not part of the test suite): for each page kind of
``pages_bench.py``, one signed-in member's requests through Flask's test client against a
generated database, with the Python CPU time, the wall time, the time spent waiting for
the database and the number of SQL statements per request.

    .venv/bin/python benchmarks/pages_profile.py --db-url "$CREDGROUP_DATABASE_URL" \
        --search-backend postgres
    .venv/bin/python benchmarks/pages_profile.py --db-url ... --only "portal page" \
        --profile "portal page"      # cProfile's top functions of one page kind

The clients and URLs are the benchmark's (``pagesbench.plan``: members of the busiest
groups), so the figures are those of the pages the benchmark measures, one at a time on a
calm process: the CPU each request costs, which under load is what queues. "post a report"
adds reports to the database (as the benchmark does).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from loadfault.client import CSRF_RE  # noqa: E402
from pagesbench.load import POST_FORM  # noqa: E402
from pagesbench.plan import KINDS, make_plans  # noqa: E402

from credgroup.demo.data import DEMO_PASSWORD  # noqa: E402


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--search-backend", default=os.environ.get("CREDGROUP_SEARCH_BACKEND", ""))
    parser.add_argument("--clients", type=int, default=4, help="members taking turns")
    parser.add_argument("--requests", type=int, default=24, help="timed requests per page kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated page kinds")
    parser.add_argument("--profile", default="", help="a page kind to run under cProfile")
    parser.add_argument("--top", type=int, default=35, help="functions cProfile prints")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (tottime...)")
    parser.add_argument("--statements", action="store_true", help="print one request's SQL")
    parser.add_argument(
        "--parts",
        default="",
        help="comma-separated module:function to time inside each request (CPU ms), "
        "e.g. credgroup.portals.stats:category_counts",
    )
    return parser.parse_args()


class Meter:
    """Counts the statements and the time spent inside the database driver."""

    def __init__(self, engine) -> None:
        import sqlalchemy as sa

        self.statements: list[str] = []
        self.durations: list[float] = []
        self.db_seconds = 0.0
        self._started = 0.0
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, *_):
        self.statements.append(" ".join(statement.split())[:200])
        self._started = time.perf_counter()

    def _after(self, *_):
        spent = time.perf_counter() - self._started
        self.durations.append(spent)
        self.db_seconds += spent

    def reset(self) -> None:
        self.statements, self.durations, self.db_seconds = [], [], 0.0


def instrument(parts: str, spent: dict[str, list[float]]) -> None:
    """Wrap each named function so that its CPU time per request adds up in ``spent``
    (the module attribute is replaced: call sites that imported the function by name
    before are not seen, so name the module where it is called from)."""
    for part in filter(None, parts.split(",")):
        module_name, _, name = part.partition(":")
        owner = importlib.import_module(module_name)
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, _original=original, _part=part, **kwargs):
            started = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_part][-1] += (time.process_time() - started) * 1000

        setattr(owner, name, timed)


def make_app(args: argparse.Namespace):
    from credgroup import create_app

    config = {"DATABASE_URL": args.db_url, "LOG_LEVEL": "WARNING"}
    if args.search_backend:
        config["SEARCH_BACKEND"] = args.search_backend
    return create_app(config)


def signed_in(app, email: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(page).group(1)
    answer = client.post(
        "/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{email} could not sign in ({answer.status_code})")
    return client


def form_for(client, url: str, number: int) -> dict[str, str]:
    """The report form as a member fills it in, with the form page's CSRF token (the form
    page itself is fetched outside the timing: what is measured is the post)."""
    page = client.get(url).get_data(as_text=True)
    return {
        **POST_FORM,
        "csrf_token": CSRF_RE.search(page).group(1),
        "title": f"Invoices returned without a reason, profile {number}",
        "body": "Every invoice of the batch came back the same day without a reason.",
        "incident_month": time.strftime("%Y-%m"),
    }


def measure(kind: str, clients, plans, meter: Meter, args, spent) -> dict[str, float]:
    cpu, wall, db, counts = [], [], [], []
    for part in spent:
        spent[part] = []
    profiler = cProfile.Profile(time.process_time) if args.profile == kind else None
    total = args.requests + 2 * len(clients)  # the first round of each client is warm-up
    for n in range(total):
        which = n % len(clients)
        urls = plans[which].urls[kind]
        url = urls[(n // len(clients)) % len(urls)]
        posting = kind == "post a report"
        form = form_for(clients[which], url, n) if posting else None
        meter.reset()
        for samples in spent.values():
            samples.append(0.0)
        started_cpu, started = time.process_time(), time.perf_counter()
        if profiler and n >= 2 * len(clients):
            profiler.enable()
        if posting:
            answer, expected = clients[which].post(url, data=form), 302
        else:
            answer, expected = clients[which].get(url), 200
        if profiler:
            profiler.disable()
        if answer.status_code != expected:
            raise RuntimeError(f"{kind} {url}: HTTP {answer.status_code}")
        if n < 2 * len(clients):
            for samples in spent.values():
                samples.pop()
            continue
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        db.append(meter.db_seconds * 1000)
        counts.append(len(meter.statements))
        if args.statements and n == total - 1:
            print(f"--- {kind} {url}")
            for statement, took in zip(meter.statements, meter.durations, strict=True):
                print(f"  {took * 1000:6.1f} ms  {statement[:150]}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return {
        "cpu": statistics.median(cpu),
        "cpu95": sorted(cpu)[int(0.95 * (len(cpu) - 1))],
        "wall": statistics.median(wall),
        "db": statistics.median(db),
        "statements": statistics.median(counts),
    }


def main() -> int:
    args = arguments()
    plans = make_plans(args.db_url, args.clients, args.seed)
    app = make_app(args)
    with app.app_context():
        from credgroup.extensions import db

        meter = Meter(db.engine)
    spent: dict[str, list[float]] = {part: [] for part in filter(None, args.parts.split(","))}
    instrument(args.parts, spent)
    clients = [signed_in(app, plan.email) for plan in plans]
    kinds = [k for k in KINDS if not args.only or k in args.only.split(",")]
    print(f"{'page':24} {'CPU ms':>7} {'p95':>6} {'wall ms':>8} {'db ms':>6} {'statements':>10}")
    for kind in kinds:
        f = measure(kind, clients, plans, meter, args, spent)
        print(
            f"{kind:24} {f['cpu']:7.1f} {f['cpu95']:6.1f} {f['wall']:8.1f} {f['db']:6.1f} "
            f"{f['statements']:10.0f}"
        )
        for part, samples in spent.items():
            if samples:
                print(f"  {part}: CPU ms median {statistics.median(samples):.1f}")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

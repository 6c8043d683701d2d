"""Trends benchmark (not part of the test suite): how long one group's 24-month trend
report and the association-wide friction index take, next to a bare SQL GROUP BY over the
same rows, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/trends_bench.py             # 100,000 reports, 100 groups
    .venv/bin/python benchmarks/trends_bench.py --full      # 1,000,000 reports, 1,000 groups
    .venv/bin/python benchmarks/trends_bench.py --reports 20000 --groups 20 --db sqlite
    .venv/bin/python benchmarks/trends_bench.py --write     # also into BENCHMARKS.md

The database is filled through a bulk path (Core ``INSERT`` in batches, no ORM objects, no
services): reports spread over three years up to today, published, with companies,
statuses, fees, customers and "we hit this too" confirmations, all drawn from ``--seed``
(the same data on both databases and in every run of a day). SQLite lives in a temporary
folder; PostgreSQL uses its own database (``--pg-url``, created if missing and emptied
first). Timings are the median of ``--repeat`` runs after one warm-up run, each in a fresh
session (nothing cached between runs), a run of the product's code and a run of its bare
query taking turns, so that both meet the same load on a shared machine.

``--payloads FILE`` keeps the published payload of every group's report (up to
``--payload-groups``): the first run writes them, later runs of the same data (same size,
seed and day, either database, any version of the code) compare theirs report for report
and say which differ, so that a change made for speed is shown not to change what is
published.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_trends"
BATCH = 20_000
PORTALS = 30
BUYERS = 60
SECTION = "## Trends"


def make_app(url: str):
    from credgroup import create_app

    return create_app(
        {
            "ENV": "benchmark",
            "SECRET_KEY": "benchmark-secret-key-that-is-long-enough-0123456789",
            "PSEUDONYM_KEY": "benchmark-pseudonym-key-that-is-long-enough-0123456789",
            "DATABASE_URL": url,
            "MAIL_FOLDER": str(Path(tempfile.gettempdir()) / "trends-bench-mail"),
            "SERVER_NAME": "bench.invalid",
        }
    )


def ensure_pg_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database if it does not exist."""
    import sqlalchemy as sa

    base, _, name = url.rpartition("/")
    engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


# --- filling the database ----------------------------------------------------------------


def fill(reports: int, groups: int, companies_per_group: int, seed: int) -> dict[str, Any]:
    """Bulk-insert the organisation, portals, reports and confirmations."""
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup, CustomerNaming, GroupMembership, MemberCompany
    from credgroup.portals.models import Portal
    from credgroup.reports.enums import (
        ConfirmationKind,
        FeeKind,
        FeeSizeBand,
        ProblemCategory,
        ReportStatus,
    )
    from credgroup.reports.models import Report, ReportConfirmation

    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets

    def token(hex_digits: int) -> str:
        return f"{rng.getrandbits(hex_digits * 4):0{hex_digits}x}"

    db.drop_all()
    db.create_all()
    conn = db.session.connection()
    namings = list(CustomerNaming)
    conn.execute(
        sa.insert(CreditGroup),
        [
            {
                "slug": f"group-{g}",
                "name": f"Group {g}",
                "anonymity_threshold": 5,
                "customer_naming": namings[g % 3],
                "timezone": "America/New_York",
            }
            for g in range(groups)
        ],
    )
    group_ids = list(db.session.scalars(sa.select(CreditGroup.id).order_by(CreditGroup.id)))
    conn.execute(
        sa.insert(MemberCompany),
        [
            {"name": f"Company {g}-{c}", "aliases": [], "industry": ""}
            for g in range(groups)
            for c in range(companies_per_group)
        ],
    )
    company_ids = list(db.session.scalars(sa.select(MemberCompany.id).order_by(MemberCompany.id)))
    conn.execute(
        sa.insert(GroupMembership),
        [
            {
                "group_id": group_ids[i // companies_per_group],
                "company_id": cid,
                "joined_at": datetime.now(UTC),
            }
            for i, cid in enumerate(company_ids)
        ],
    )
    conn.execute(
        sa.insert(Portal),
        [
            {
                "slug": f"portal-{p}",
                "name": f"Portal {p}",
                "vendor": "",
                "aliases": [],
                "website": "",
                "description": "",
                "fees_summary": "",
                "listed": True,
            }
            for p in range(PORTALS)
        ],
    )
    portal_ids = list(db.session.scalars(sa.select(Portal.id).order_by(Portal.id)))
    pseudonyms = {g: [token(64) for _ in range(companies_per_group)] for g in group_ids}
    categories, statuses = list(ProblemCategory), list(ReportStatus)
    # Popular portals and chatty companies: Zipf-like weights, as in real groups.
    portal_weights = [1 / (i + 1) for i in range(PORTALS)]
    company_weights = [1 / (i + 1) ** 0.6 for i in range(companies_per_group)]
    today = date.today()
    days = 3 * 365
    rows: list[dict[str, Any]] = []
    made = 0
    for n in range(reports):
        group = group_ids[n % groups]
        published = today - timedelta(days=rng.randrange(days))
        status = rng.choices(statuses, weights=[60, 20, 15, 5])[0]
        changed = None
        if status is not ReportStatus.OPEN:
            changed = min(published + timedelta(days=rng.randrange(1, 120)), today)
        category = rng.choices(categories, weights=[25, 12, 8, 12, 10, 8, 12, 8, 5])[0]
        fees = category is ProblemCategory.FEES
        rows.append(
            {
                "public_id": token(16),
                "group_id": group,
                "portal_id": rng.choices(portal_ids, weights=portal_weights)[0],
                "author_pseudonym": token(64),
                "company_pseudonym": rng.choices(pseudonyms[group], weights=company_weights)[0],
                "buyer_name": f"Buyer {rng.randrange(BUYERS)}" if rng.random() < 0.7 else "",
                "buyer_industry": f"Industry {rng.randrange(12)}",
                "category": category,
                "title": "A portal problem",
                "body": "",
                "error_message": "",
                "fee_kind": rng.choice(list(FeeKind)) if fees else None,
                "fee_size_band": rng.choice(list(FeeSizeBand))
                if fees and rng.random() < 0.8
                else None,
                "incident_month": published.replace(day=1),
                "status": status,
                "state": "published",
                "review_flags": [],
                "facilitator_note": "",
                "redactions": {},
                "created_on": published,
                "published_on": published,
                "updated_on": changed or published,
                "status_changed_on": changed,
            }
        )
        if len(rows) == BATCH or n == reports - 1:
            conn.execute(sa.insert(Report), rows)
            made += len(rows)
            rows = []
            print(f"\r  reports: {made:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    confirm_rows = []
    # One report in five gets a confirmation, in every group (picking by id % 5 gave all of
    # them to the groups whose reports got such ids, and none to the rest).
    every = db.session.execute(
        sa.select(Report.id, Report.group_id, Report.published_on).order_by(Report.id)
    ).all()
    sample = [row for row in every if rng.random() < 0.2]
    for report_id, group, published in sample:
        confirm_rows.append(
            {
                "report_id": report_id,
                "kind": ConfirmationKind.HIT_TOO,
                "company_pseudonym": rng.choice(pseudonyms[group]),
                "author_pseudonym": token(64),
                "confirmed_on": min(published + timedelta(days=rng.randrange(60)), today),
            }
        )
        if len(confirm_rows) == BATCH:
            conn.execute(sa.insert(ReportConfirmation), confirm_rows)
            confirm_rows = []
    if confirm_rows:
        conn.execute(sa.insert(ReportConfirmation), confirm_rows)
    db.session.commit()
    analyse()
    return {"groups": groups, "reports": reports, "confirmations": len(sample)}


def analyse() -> None:
    import sqlalchemy as sa

    from credgroup.extensions import db

    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(sa.text("ANALYZE"))


# --- timing --------------------------------------------------------------------------------


def server_cpu() -> Callable[[], float]:
    """Milliseconds of CPU the PostgreSQL backend serving this session has used so far
    (from /proc, when the server runs on this machine); 0 for SQLite, whose work is done
    in this process and counted in its CPU."""
    import sqlalchemy as sa

    from credgroup.extensions import db

    if db.session.get_bind().dialect.name != "postgresql":
        return lambda: 0.0
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    stat = Path(f"/proc/{pid}/schedstat")
    if not stat.exists():
        return lambda: 0.0
    return lambda: int(stat.read_text().split()[0]) / 1e6


def timed(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median milliseconds of ``repeat`` runs of each of ``runs`` after a warm-up, each in
    a fresh session, and the median CPU they took in this process (``<name>_cpu``) and in
    the database server (``<name>_server``). The runs take turns (their order
    alternating), so that a burst of load on a shared machine falls on both sides of a
    comparison; CPU is what load does not stretch."""
    from credgroup.extensions import db

    for run in runs.values():
        run()
        db.session.remove()
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    servers: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for turn in range(repeat):
        for name in order if turn % 2 == 0 else reversed(order):
            served = server_cpu()  # the session's connection, asked before the clock starts
            server, start, cpu = served(), time.perf_counter(), time.process_time()
            runs[name]()
            walls[name].append((time.perf_counter() - start) * 1000)
            cpus[name].append((time.process_time() - cpu) * 1000)
            servers[name].append(served() - server)
            db.session.remove()
    found = {name: statistics.median(times) for name, times in walls.items()}
    found |= {f"{name}_cpu": statistics.median(times) for name, times in cpus.items()}
    return found | {f"{name}_server": statistics.median(times) for name, times in servers.items()}


def measure(repeat: int) -> dict[str, float]:
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup
    from credgroup.reports.models import Report
    from credgroup.trends.friction import friction_index, month_range
    from credgroup.trends.periods import Quarter, span_between
    from credgroup.trends.report import build_report

    today = date.today()
    last = Quarter.of(today)
    first = last.shift(-7)  # 8 quarters: 24 months
    span = span_between(first.start, today, today=today)
    rows_from = span.previous().start  # the report reads the period before too (rising)

    def group() -> CreditGroup:
        return db.session.scalar(sa.select(CreditGroup).where(CreditGroup.slug == "group-0"))

    def report() -> None:
        build_report(group(), span, today)

    def bare_group() -> None:
        year, month = (
            sa.extract("year", Report.published_on),
            sa.extract("month", Report.published_on),
        )
        db.session.execute(
            sa.select(
                Report.portal_id,
                Report.category,
                year,
                month,
                sa.func.count(),
                sa.func.count(sa.distinct(Report.company_pseudonym)),
            )
            .where(
                Report.group_id == group().id,
                Report.state == "published",
                Report.published_on >= rows_from,
                Report.published_on <= span.end,
            )
            .group_by(Report.portal_id, Report.category, year, month)
        ).all()

    months = month_range({}, today)

    def index() -> None:
        friction_index(months)

    def bare_index() -> None:
        year, month = (
            sa.extract("year", Report.published_on),
            sa.extract("month", Report.published_on),
        )
        db.session.execute(
            sa.select(
                Report.group_id,
                Report.portal_id,
                year,
                month,
                sa.func.count(sa.distinct(Report.company_pseudonym)),
            )
            .where(
                Report.state == "published",
                Report.published_on >= months.first,
                Report.published_on < months.end,
            )
            .group_by(Report.group_id, Report.portal_id, year, month)
        ).all()

    return timed({"report": report, "bare_group": bare_group}, repeat) | timed(
        {"index": index, "bare_index": bare_index}, repeat
    )


def payloads(limit: int) -> dict[str, Any]:
    """The published payload of the 24-month report of each group (the first ``limit``)."""
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup
    from credgroup.trends.periods import Quarter, span_between
    from credgroup.trends.report import build_report

    today = date.today()
    span = span_between(Quarter.of(today).shift(-7).start, today, today=today)
    groups = db.session.scalars(sa.select(CreditGroup).order_by(CreditGroup.id).limit(limit))
    found = {group.slug: build_report(group, span, today) for group in groups}
    db.session.remove()
    return found


def check_payloads(path: Path, key: dict[str, Any], found: dict[str, Any]) -> str:
    """Write the payloads to ``path``, or compare them with those written there before for
    the same data; says how it went."""
    if path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        if kept["data"] == key:
            # Through JSON, as they were kept: dates and tuples read back as text and lists.
            found = json.loads(json.dumps(found, default=str))
            differ = [
                slug for slug in kept["payloads"] if kept["payloads"][slug] != found.get(slug)
            ]
            if differ:
                return f"payloads DIFFER from {path} for {len(differ)} groups: {differ[:10]}"
            return f"payloads identical to {path}, report for report ({len(found)} groups)"
    path.write_text(
        json.dumps({"data": key, "payloads": found}, default=str, sort_keys=True), encoding="utf-8"
    )
    return f"payloads of {len(found)} groups written to {path}"


def filled_today(reports: int, groups: int) -> bool:
    """Whether the database holds this size of data, filled today (the dates are relative
    to the day of the fill): a PostgreSQL database kept from an earlier run."""
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup
    from credgroup.reports.models import Report

    try:
        found = db.session.execute(
            sa.select(
                sa.select(sa.func.count(Report.id)).scalar_subquery(),
                sa.select(sa.func.count(CreditGroup.id)).scalar_subquery(),
                sa.select(sa.func.max(Report.created_on)).scalar_subquery(),
            )
        ).one()
    except sa.exc.DBAPIError:
        db.session.rollback()
        return False
    finally:
        db.session.remove()
    return tuple(found) == (reports, groups, date.today())


def run_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    app = make_app(url)
    with app.app_context():
        if args.reuse and filled_today(args.reports, args.groups):
            filled = {"groups": args.groups, "reports": args.reports, "fill_seconds": None}
            print("  reusing the data filled today", file=sys.stderr)
        else:
            started = time.perf_counter()
            filled = fill(args.reports, args.groups, args.companies, args.seed)
            filled["fill_seconds"] = time.perf_counter() - started
            print(f"  filled in {filled['fill_seconds']:.0f} s", file=sys.stderr)
        figures = measure(args.repeat)
        if args.payloads:
            key = {
                "reports": args.reports,
                "groups": args.groups,
                "companies": args.companies,
                "seed": args.seed,
                "today": date.today().isoformat(),
            }
            said = check_payloads(args.payloads, key, payloads(args.payload_groups))
            print(f"  {said}", file=sys.stderr)
            figures["payloads"] = said
        from credgroup.extensions import db

        db.session.remove()
        db.engine.dispose()
    return {"backend": name, **filled, **figures}


# --- output --------------------------------------------------------------------------------


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| database | reports / groups | fill | group's 24-month report | bare GROUP BY "
        "(same rows) | ratio | CPU: report, bare (app + server) | ratio | friction index "
        "(12 months, all groups) | bare GROUP BY | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        fill_time = "kept" if r["fill_seconds"] is None else f"{r['fill_seconds']:.0f} s"
        report_cpu = r["report_cpu"] + r["report_server"]
        bare_cpu = r["bare_group_cpu"] + r["bare_group_server"]
        lines.append(
            f"| {r['backend']} | {r['reports']:,} / {r['groups']:,} | {fill_time} "
            f"| {r['report']:.1f} ms | {r['bare_group']:.1f} ms "
            f"| {r['report'] / r['bare_group']:.2f}x "
            f"| {report_cpu:.1f} ({r['report_cpu']:.1f} + {r['report_server']:.1f}), "
            f"{bare_cpu:.1f} ({r['bare_group_cpu']:.1f} + {r['bare_group_server']:.1f}) ms "
            f"| {report_cpu / bare_cpu:.2f}x | {r['index']:.0f} ms "
            f"| {r['bare_index']:.0f} ms | {r['index'] / r['bare_index']:.1f}x |"
        )
    return "\n".join(lines)


INTRO = f"""{SECTION}

`benchmarks/trends_bench.py` fills a database through a bulk path (Core `INSERT` in
batches: reports over three years up to the run's day, 20 member companies per group,
k = 5, 30 portals, statuses, fees, customers and "we hit this too" confirmations, all
drawn from `--seed`, so both databases and every run of a day hold the same data) and
times, as the median of `--repeat` runs after a warm-up, each in a fresh session, with
the product's run and its bare query taking turns (order alternating) so that a burst of
load falls on both:

- **a group's 24-month report**: `trends.report.build_report` for the 8 quarters up to
  today. It reads the group's published reports of the period and of the period before
  (for rising problems) in one query, the confirmations given in the period in a second
  (on PostgreSQL through the `report_id` index, by the ids of the reports just read),
  plus the member count and the portals' names; it builds and protects the 8 quarter
  publications of the period and the heat maps (with the fee table) of the 8 quarters
  before, in Python, and assembles every table. Next to it, one bare `GROUP BY portal,
  category, month` with distinct companies over the same rows (both periods);
- **the friction index**: `trends.friction.friction_index` over 12 months of all groups
  (two `GROUP BY group, portal, month` queries with distinct companies and a per-group
  threshold in `HAVING`), next to one such bare `GROUP BY` without the threshold.

"CPU" is the median per run of the benchmark process's CPU time (the app: SQLAlchemy,
the driver, Python) plus, on PostgreSQL, the CPU of the server backend serving the
session (`/proc/<pid>/schedstat`); it is what load does not stretch, so its ratio is the
steadier one on a shared machine.
"""


def write_section(subsection: str, heading: str, path: Path) -> None:
    """Put this run's figures under the Trends section of BENCHMARKS.md (replacing a run
    of the same size), re-reading the file just before writing: other benchmarks write
    their own sections into the same file."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = existing.find(f"\n{SECTION}\n")
    if start == -1:
        existing = existing.rstrip("\n") + "\n\n" + INTRO
        start = existing.find(f"\n{SECTION}\n")
    after = existing.find("\n## ", start + len(SECTION) + 2)
    section, tail = (
        (existing[start:after], existing[after:]) if after != -1 else (existing[start:], "\n")
    )
    old = section.find(f"\n{heading}\n")
    if old == -1:
        section = section.rstrip("\n") + "\n\n" + subsection.rstrip("\n") + "\n"
    else:
        nxt = section.find("\n### ", old + len(heading) + 2)
        rest = section[nxt:] if nxt != -1 else "\n"
        section = section[: old + 1] + subsection.rstrip("\n") + "\n" + rest
    path.write_text(existing[:start] + section.rstrip("\n") + "\n" + tail, encoding="utf-8")


def subsection(results: list[dict[str, Any]], args: argparse.Namespace) -> tuple[str, str]:
    heading = f"### {args.reports:,} reports, {args.groups:,} groups"
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    machine = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
    text = f"""{heading}

`--reports {args.reports} --groups {args.groups} --repeat {args.repeat}`, {when}, {machine}.

{table(results)}
"""
    return heading, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--full", action="store_true", help="1,000,000 reports, 1,000 groups")
    parser.add_argument("--companies", type=int, default=20, help="member companies per group")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default=os.environ.get("TRENDS_BENCH_PG_URL", DEFAULT_PG_URL))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--write", action="store_true", help="write the figures to BENCHMARKS.md")
    parser.add_argument(
        "--payloads", type=Path, help="keep (first run) or compare (later runs) every payload"
    )
    parser.add_argument("--payload-groups", type=int, default=100)
    parser.add_argument(
        "--reuse", action="store_true", help="PostgreSQL: keep data of this size filled today"
    )
    args = parser.parse_args()
    if args.full:
        args.reports, args.groups = 1_000_000, 1_000
    results = []
    with tempfile.TemporaryDirectory() as folder:
        if args.db in ("sqlite", "both"):
            print("SQLite", file=sys.stderr)
            results.append(run_backend("SQLite", f"sqlite:///{folder}/bench.db", args))
        if args.db in ("postgres", "both"):
            print("PostgreSQL", file=sys.stderr)
            ensure_pg_database(args.pg_url)
            results.append(run_backend("PostgreSQL", args.pg_url, args))
    print(table(results))
    if args.write:
        heading, text = subsection(results, args)
        write_section(text, heading, ROOT / "BENCHMARKS.md")
        print(f"\nWritten to {ROOT / 'BENCHMARKS.md'} under '{SECTION}'.")


if __name__ == "__main__":
    main()

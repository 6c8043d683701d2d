"""Load and fault test (not part of the test suite): many members browsing and posting at
once against gunicorn (4 workers, deploy/gunicorn.conf.py) and the worker process, while a
web worker is killed, the worker process is killed and restarted, and PostgreSQL is
restarted. Afterwards it checks that nothing was lost or done twice, and prints PASS/FAIL
per check.

    .venv/bin/pip install -e '.[deploy,test]'      # gunicorn, aiosmtpd
    .venv/bin/python benchmarks/load_fault.py                  # 16 clients, 120 s of load
    .venv/bin/python benchmarks/load_fault.py --clients 8 --duration 60
    .venv/bin/python benchmarks/load_fault.py --write          # also into BENCHMARKS.md

Everything is its own and on loopback: a PostgreSQL cluster made with initdb in a
temporary folder on a free port (the machine's PostgreSQL is never touched; under root
the cluster runs as the ``postgres`` user), the demo association (``flask demo-data``),
gunicorn, one ``flask worker``, and an SMTP server (aiosmtpd) that counts what it
receives. Each client signs in as a different demo member, asks for immediate email about
new reports, then clicks: report lists and details, search, articles, portals, trends,
and posting reports, comments, "we hit this too" and questions, each through the real
form with its CSRF token. The run is bounded: the load lasts ``--duration`` seconds, then
the script waits at most ``--drain-timeout`` seconds for the outboxes to empty.

Exit status 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from loadfault import checks  # noqa: E402
from loadfault.client import Member  # noqa: E402
from loadfault.cluster import PgCluster, free_port  # noqa: E402
from loadfault.processes import (  # noqa: E402
    BIN,
    SmtpSink,
    children,
    flask_command,
    gunicorn,
    wait_for_http,
    worker,
)

SECTION = "## Load and fault"
ABOUT = """\
`benchmarks/load_fault.py` (or `make load-fault`): members (16 by default), each signed
in with their own session, browse and post through the real forms (CSRF tokens and all)
against gunicorn with 4 workers and the worker process, on a PostgreSQL cluster of the
script's own. A fifth of the way in a web worker is killed (SIGKILL); then the worker process is
killed and started again; past half-way PostgreSQL is stopped (fast mode: connections
cut) for 5 seconds and started again; then another web worker is killed. Afterwards
nothing may be lost or done twice. Reproduce (about 5 minutes, loopback only):

```sh
.venv/bin/pip install -e '.[deploy,test]'
.venv/bin/python benchmarks/load_fault.py          # --write puts the summary here
```"""
NOTES = """\
What the checks mean: a 5xx counts against the run unless the request overlapped the
outage (from asking PostgreSQL to stop until 3 s after it accepts connections again); a
request with no answer at all only if it was not in flight in a killed web worker. Each
posted report's title carries a marker, so the database can be asked how many times each
one is stored, and the reports behind failed posts may be stored at most once. Emails are
counted by the SMTP server per outbox row (the Message-ID names the row). The latencies
are those of a 2-core machine shared with other work (see the load average) and of 16
clients on 4 sync workers; the page benchmark measures speed, this run measures loss.
Email delivery is at least once by design (DEPLOYMENT.md, "The worker"): a worker killed
in the millisecond between the SMTP server's "250 OK" and the database recording it
would send that one message again after its claim lapses, and the check above would
show it as "received twice"."""
WEB_WORKERS = 4


@dataclass
class Site:
    """Everything the run started, to stop it all at the end."""

    base: Path
    cluster: PgCluster
    sink: SmtpSink
    env: dict[str, str]
    port: int
    web: object = None
    worker: object = None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of load")
    parser.add_argument("--outage", type=float, default=5.0, help="seconds PostgreSQL is down")
    parser.add_argument("--drain-timeout", type=float, default=420.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--write", action="store_true", help="write the summary to BENCHMARKS.md")
    return parser.parse_args()


def log(message: str, started: float | None = None) -> None:
    at = f"[{time.time() - started:6.1f}s] " if started else ""
    print(f"{at}{message}", flush=True)


# --- setting up ----------------------------------------------------------------------------


def site_env(cluster: PgCluster, base: Path, smtp_port: int, web_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDGROUP_")}
    env.update(
        {
            "CREDGROUP_ENV": "loadtest",
            "CREDGROUP_DATABASE_URL": cluster.url("credgroup"),
            "CREDGROUP_SECRET_KEY": secrets.token_urlsafe(48),
            "CREDGROUP_PSEUDONYM_KEY": secrets.token_urlsafe(48),
            "CREDGROUP_BASE_URL": f"http://127.0.0.1:{web_port}",
            "CREDGROUP_SEARCH_INDEX_DIR": str(base / "search-index"),
            "CREDGROUP_MAIL_SERVER": "127.0.0.1",
            "CREDGROUP_MAIL_PORT": str(smtp_port),
            "CREDGROUP_MAIL_FROM": "Load test <no-reply@loadtest.invalid>",
            "CREDGROUP_MAIL_FOLDER": str(base / "mail"),
            "CREDGROUP_LOG_FORMAT": "json",
            # A killed worker's lease lapses in 15 s (60 in a deployment), so the
            # restarted one takes over within the run.
            "CREDGROUP_WORKER_LEASE_SECONDS": "15",
            "CREDGROUP_WORKER_OUTBOX_INTERVAL_SECONDS": "2",
            "CREDGROUP_SEARCH_APPLY_INTERVAL_SECONDS": "2",
            "CREDGROUP_SQLALCHEMY_ENGINE_OPTIONS": json.dumps(
                {"pool_pre_ping": True, "pool_size": 2, "max_overflow": 2}
            ),
            "CREDGROUP_BIND": f"127.0.0.1:{web_port}",
            "WEB_CONCURRENCY": str(WEB_WORKERS),
            "PATH": f"{BIN}:{env.get('PATH', '')}",
        }
    )
    return env


def start_site(base: Path) -> Site:
    cluster = PgCluster(base / "pg")
    cluster.init()
    cluster.start()
    cluster.create_database("credgroup")
    sink = SmtpSink(free_port())
    sink.start()
    port = free_port()
    site = Site(base, cluster, sink, site_env(cluster, base, sink.port, port), port)
    flask_command(site.env, "db", "upgrade")
    flask_command(site.env, "demo-data")
    site.web = gunicorn(site.env, base / "gunicorn.log")
    site.web.start()
    site.worker = worker(site.env, base / "worker.log")
    site.worker.start()
    wait_for_http(f"http://127.0.0.1:{port}/readyz")
    return site


def demo_members(count: int) -> list[tuple[str, tuple[str, ...]]]:
    from credgroup.demo import data

    people = [(p.email, c.groups) for c in data.COMPANIES for p in c.people]
    return people[:count]


def make_clients(site: Site, count: int, seed: int) -> list[Member]:
    from credgroup.demo.data import DEMO_PASSWORD

    members = demo_members(count)
    if len(members) < count:
        log(f"The demo association has {len(members)} members: running {len(members)} clients.")
    return [
        Member(site.port, email, DEMO_PASSWORD, groups, seed + i)
        for i, (email, groups) in enumerate(members)
    ]


# --- the faults ----------------------------------------------------------------------------


def kill_a_web_worker(site: Site, timeline: checks.Timeline, t0: float) -> None:
    pids = children(site.web.pid)
    if not pids:
        log("no web worker to kill", t0)
        return
    victim = pids[0]
    timeline.web_worker_kills.append(time.time())
    os.kill(victim, 9)
    log(f"SIGKILL web worker {victim} (gunicorn forks a new one)", t0)


def kill_and_restart_the_worker(site: Site, timeline: checks.Timeline, t0: float) -> None:
    timeline.worker_kills.append(time.time())
    site.worker.kill()
    log("SIGKILL the worker process", t0)
    time.sleep(3)
    site.worker.start()
    timeline.worker_restarts.append(time.time())
    log("worker process started again (waits for the dead one's lease to lapse)", t0)


def restart_postgres(site: Site, timeline: checks.Timeline, outage: float, t0: float) -> None:
    down = time.time()
    site.cluster.stop("fast")
    log("PostgreSQL stopped (fast: connections cut)", t0)
    time.sleep(outage)
    site.cluster.start()
    site.cluster.wait_until_accepting()
    timeline.db_down.append((down, time.time()))
    log("PostgreSQL accepting connections again", t0)


def run_load(site: Site, clients: list[Member], args) -> checks.Timeline:
    timeline = checks.Timeline()
    stop = threading.Event()
    threads = [threading.Thread(target=c.run, args=(stop,), daemon=True) for c in clients]
    t0 = timeline.started = time.time()
    for thread in threads:
        thread.start()
    plan = (
        (0.20, lambda: kill_a_web_worker(site, timeline, t0)),
        (0.35, lambda: kill_and_restart_the_worker(site, timeline, t0)),
        (0.55, lambda: restart_postgres(site, timeline, args.outage, t0)),
        (0.75, lambda: kill_a_web_worker(site, timeline, t0)),
    )
    for fraction, fault in plan:
        time.sleep(max(0.0, t0 + fraction * args.duration - time.time()))
        fault()
    time.sleep(max(0.0, t0 + args.duration - time.time()))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    log(f"load stopped after {time.time() - t0:.0f} s", t0)
    return timeline


def wait_for_outboxes(engine: sa.Engine, timeout: float) -> float:
    """Seconds until both outboxes are empty (or the timeout)."""
    started = time.monotonic()
    query = sa.text(
        "SELECT (SELECT count(*) FROM outbox_emails WHERE status = 'pending')"
        " + (SELECT count(*) FROM search_outbox)"
    )
    while time.monotonic() - started < timeout:
        with engine.connect() as conn:
            if conn.execute(query).scalar_one() == 0:
                break
        time.sleep(1)
    return time.monotonic() - started


# --- the verdict ---------------------------------------------------------------------------


def verdict(site: Site, clients: list[Member], timeline: checks.Timeline) -> list[checks.Check]:
    samples = [s for c in clients for s in c.samples]
    posts = [p for c in clients for p in c.posts]
    engine = sa.create_engine(site.cluster.url("credgroup"))
    verify = subprocess.run(  # noqa: S603 - our own command
        [str(BIN / "flask"), "--app", "app", "search", "verify"],
        cwd=ROOT,
        env=site.env,
        capture_output=True,
        text=True,
    )
    logs = [site.base / "gunicorn.log", site.base / "worker.log", site.cluster.log]
    try:
        return [
            checks.server_errors(samples, timeline),
            checks.unanswered(samples, timeline),
            checks.reports_exactly_once(engine, posts, timeline),
            checks.emails_exactly_once(engine, site.sink.counts()),
            checks.search_outbox_drained(engine),
            checks.search_verified(verify.stdout + verify.stderr, verify.returncode),
            checks.lock_errors(logs),
        ]
    finally:
        engine.dispose()


def summary(site, clients, timeline, results, figures) -> list[str]:
    samples = [s for c in clients for s in c.samples]
    posts = [p for c in clients for p in c.posts]
    t0 = timeline.started
    down = ", ".join(f"{a - t0:.0f}-{b - t0:.0f} s" for a, b in timeline.db_down)
    lines = [
        f"clients {len(clients)} (each a different demo member), gunicorn {WEB_WORKERS} sync "
        f"workers, 1 worker process, PostgreSQL {site.cluster.bin.parent.name} (own cluster)",
        f"load {figures['duration']:.0f} s: {len(samples)} requests "
        f"({len(samples) / figures['duration']:.1f}/s), {len(posts)} report posts "
        f"({sum(p.succeeded for p in posts)} succeeded)",
        "faults (seconds into the load): web worker SIGKILL at "
        + ", ".join(f"{k - t0:.0f} s" for k in timeline.web_worker_kills)
        + f"; worker process SIGKILL at {timeline.worker_kills[0] - t0:.0f} s, restarted at "
        f"{timeline.worker_restarts[0] - t0:.0f} s; PostgreSQL down {down}",
        f"outboxes empty {figures['drain']:.0f} s after the load stopped; worker takeovers "
        f"logged: {figures['takeovers']}",
        f"load average before {figures['load_before']}, after {figures['load_after']}",
        "",
        *[r.line() for r in results],
        "",
        *checks.latency_table(samples),
    ]
    return lines


def write_benchmarks(lines: list[str], passed: bool) -> None:
    path = ROOT / "BENCHMARKS.md"
    verdict_word = "all checks passed" if passed else "FAILED"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    body = "\n".join(
        [
            SECTION,
            "",
            ABOUT,
            "",
            f"Last run ({time.strftime('%Y-%m-%d')}, {verdict_word}):",
            "",
            "```",
            *lines,
            "```",
            "",
            NOTES,
            "",
        ]
    )
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end + 1 :] if end != -1 else "")
    path.write_text(text, encoding="utf-8")


def main() -> int:
    args = parse_args()
    base = Path(tempfile.mkdtemp(prefix="credgroup-load-fault-"))
    # The postgres user must reach its cluster folder inside (when we run as root).
    os.chmod(base, 0o755)  # noqa: S103
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    site = None
    try:
        log(f"setting up in {base} (PostgreSQL cluster, migrations, demo data, processes)")
        site = start_site(base)
        clients = make_clients(site, args.clients, args.seed)
        for client in clients:
            if client.sign_in():
                client.watch_immediately()
        log(
            f"{sum(c.signed_in for c in clients)} clients signed in; load for {args.duration:.0f} s"
        )
        started = time.time()
        timeline = run_load(site, clients, args)
        duration = time.time() - started
        engine = sa.create_engine(site.cluster.url("credgroup"))
        drain = wait_for_outboxes(engine, args.drain_timeout)
        engine.dispose()
        site.worker.stop()
        site.web.stop()
        results = verdict(site, clients, timeline)
        figures = {
            "duration": duration,
            "drain": drain,
            "takeovers": checks.count_lines(base / "worker.log", "holds the lease; running jobs"),
            "load_before": load_before,
            "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        }
        lines = summary(site, clients, timeline, results, figures)
        passed = all(r.passed for r in results)
        print("\n".join(["", "=" * 72, *lines, "=" * 72, "PASS" if passed else "FAIL"]))
        if args.write:
            write_benchmarks(lines, passed)
        return 0 if passed else 1
    finally:
        if site is not None:
            for process in (site.worker, site.web):
                if process is not None:
                    process.stop()
            site.sink.stop()
            site.cluster.stop("fast")
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Pages at association scale (not part of the test suite): throughput and latency of the
main pages at 16 concurrent signed-in members, next to a bare Flask endpoint served by the
same gunicorn configuration in the same run, with the peak memory of every process.

    createdb -h 127.0.0.1 -U postgres credgroup_scale
    export CREDGROUP_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/credgroup_scale
    .venv/bin/flask --app app db upgrade
    .venv/bin/flask --app app demo-data --scale full --index none        # ~25 min
    CREDGROUP_SEARCH_BACKEND=postgres .venv/bin/flask --app app search reindex   # ~20 min
    .venv/bin/python benchmarks/pages_bench.py --db-url "$CREDGROUP_DATABASE_URL" \
        --search-backend postgres
    (or --index reindex above for the Whoosh index: ~45 CPU-minutes at a million documents)
    .venv/bin/python benchmarks/pages_bench.py --db-url ... --only search,home --duration 10
    .venv/bin/python benchmarks/pages_bench.py --db-url ... --write     # into BENCHMARKS.md

What runs: gunicorn with ``deploy/gunicorn.conf.py`` (4 sync workers by default, the
production settings, ``CREDGROUP_ENV=production`` with the secrets the data was generated
with: ``instance/secrets.json`` unless ``--secrets`` names another file) and one
``flask worker``, against the given database (and the search index the generator built).
The bare endpoint (``pagesbench/bare_app.py``) is measured under the same configuration
before and after the pages. Clients are threads in ``--processes`` processes, each thread
a member of a different busy group, signed in through the login form; every request opens
a new connection (sync workers close them). Each page kind is asked for by all clients at
once: ``--warmup`` seconds untimed, then ``--duration`` seconds timed. "post a report" is
the report form posted with its CSRF token (publish, redirect to the new report): it adds
reports to the database, which the worker indexes.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from loadfault.cluster import free_port  # noqa: E402
from loadfault.processes import BIN, Process, children, wait_for_http  # noqa: E402
from pagesbench.load import Figures, Phase, run_phase  # noqa: E402
from pagesbench.plan import KINDS, make_plans  # noqa: E402

from credgroup.demo.data import DEMO_PASSWORD  # noqa: E402 - the generated people's password

SECTION = "## Pages at association scale"
P95_TARGET_MS = 150.0
SHARE_TARGET = 0.40


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--secrets", default=str(ROOT / "instance" / "secrets.json"))
    parser.add_argument("--index-dir", default=os.environ.get("CREDGROUP_SEARCH_INDEX_DIR", ""))
    parser.add_argument("--search-backend", default=os.environ.get("CREDGROUP_SEARCH_BACKEND", ""))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn web workers")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=4, help="client processes")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated page kinds")
    parser.add_argument("--write", action="store_true", help="write into BENCHMARKS.md")
    return parser.parse_args()


# --- the processes ---------------------------------------------------------------------------


def site_env(args: argparse.Namespace, port: int) -> dict[str, str]:
    secrets = json.loads(Path(args.secrets).read_text(encoding="utf-8"))
    env = dict(os.environ)
    env.update(
        CREDGROUP_ENV="production",
        CREDGROUP_DATABASE_URL=args.db_url,
        CREDGROUP_SECRET_KEY=secrets["SECRET_KEY"],
        CREDGROUP_PSEUDONYM_KEY=secrets["PSEUDONYM_KEY"],
        CREDGROUP_BIND=f"127.0.0.1:{port}",
        CREDGROUP_MAIL_FOLDER=str(Path(tempfile.gettempdir()) / "pages-bench-mail"),
        WEB_CONCURRENCY=str(args.workers),
    )
    if args.index_dir:
        env["CREDGROUP_SEARCH_INDEX_DIR"] = args.index_dir
    if args.search_backend:
        env["CREDGROUP_SEARCH_BACKEND"] = args.search_backend
    env.pop("GUNICORN_ACCESS_LOG", None)
    return env


def gunicorn(env: dict[str, str], target: str, log: Path) -> Process:
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", target]
    return Process("gunicorn", command, env, log)


class PeakMemory:
    """Samples the resident memory of the site's processes twice a second (gunicorn
    recycles workers, so every pid seen is kept) and reads each one's kernel-kept peak."""

    def __init__(self) -> None:
        self.peaks: dict[int, tuple[str, int]] = {}
        self.watched: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def watch(self, pid: int, label: str, with_children: str = "") -> None:
        self.watched[pid] = label
        if with_children:
            self.watched[-pid] = with_children

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def sample(self) -> None:
        for key, label in list(self.watched.items()):
            pids = children(-key) if key < 0 else [key]
            for pid in pids:
                peak = _peak_rss_kb(pid)
                if peak:
                    old = self.peaks.get(pid, (label, 0))[1]
                    self.peaks[pid] = (label, max(old, peak))


def _peak_rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


# --- the run -----------------------------------------------------------------------------------


def bare_phase(args, context, log_dir: Path, label: str) -> Figures:
    port = free_port()
    env = site_env(args, port)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")])
    server = gunicorn(env, "pagesbench.bare_app:app", log_dir / "bare.log")
    server.start()
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        phase = Phase(label, port, args.warmup, args.duration)
        return run_phase(context, phase, [None] * args.clients, args.processes)
    finally:
        server.stop()


def pages_phases(args, context, plans, log_dir: Path, memory: PeakMemory) -> list[Figures]:
    port = free_port()
    env = site_env(args, port)
    server = gunicorn(env, "app:app", log_dir / "gunicorn.log")
    worker = Process(
        "worker", [str(BIN / "flask"), "--app", "app", "worker"], env, log_dir / "worker.log"
    )
    server.start()
    worker.start()
    memory.watch(server.pid, "gunicorn master", with_children="web worker")
    memory.watch(worker.pid, "worker process")
    kinds = [k for k in KINDS if not args.only or k in args.only.split(",")]
    found = []
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz")
        for kind in kinds:
            phase = Phase(kind, port, args.warmup, args.duration, DEMO_PASSWORD)
            figures = run_phase(context, phase, plans, args.processes)
            say(line(figures))
            found.append(figures)
    finally:
        memory.sample()
        server.stop()
        worker.stop()
    return found


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def line(f: Figures) -> str:
    errors = sum(f.errors.values())
    extra = f" errors {errors} {f.errors}" if errors else ""
    return (
        f"{f.kind:24} {f.throughput:7.1f}/s  p50 {f.p50:6.1f}  p95 {f.p95:6.1f}  "
        f"p99 {f.p99:6.1f} ms  ({f.requests} requests){extra}"
    )


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    args = arguments()
    context = multiprocessing.get_context("spawn")
    log_dir = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    say(f"logs in {log_dir}; load average {load_average()}")
    plans = [vars(p) for p in make_plans(args.db_url, args.clients, args.seed)]
    started_load = load_average()
    bare = [bare_phase(args, context, log_dir, "bare endpoint (before)")]
    say(line(bare[0]))
    memory = PeakMemory()
    memory.start()
    pages = pages_phases(args, context, plans, log_dir, memory)
    memory.stop()
    bare.append(bare_phase(args, context, log_dir, "bare endpoint (after)"))
    say(line(bare[1]))
    report = render(args, bare, pages, memory, started_load, load_average())
    print(report)
    if args.write:
        write_section(report)
    return 0


# --- the figures -------------------------------------------------------------------------------


def render(args, bare, pages, memory, load_before: str, load_after: str) -> str:
    bare_rate = sum(b.throughput for b in bare) / len(bare)
    rows = [
        "| page | requests/s | share of bare | p50 ms | p95 ms | p99 ms | errors | meets targets |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for b in bare:
        rows.append(
            f"| {b.kind} | {b.throughput:.0f} | — | {b.p50:.1f} | {b.p95:.1f} | "
            f"{b.p99:.1f} | {sum(b.errors.values())} | — |"
        )
    for f in pages:
        share = f.throughput / bare_rate
        ok = f.p95 < P95_TARGET_MS and share >= SHARE_TARGET and not f.errors
        rows.append(
            f"| {f.kind} | {f.throughput:.1f} | {share:.0%} | {f.p50:.1f} | {f.p95:.1f} | "
            f"{f.p99:.1f} | {sum(f.errors.values())} | {'yes' if ok else '**no**'} |"
        )
    memory_rows = ["| process | peak RSS |", "|---|---:|"]
    for pid, (label, kb) in sorted(memory.peaks.items(), key=lambda item: item[1][0]):
        memory_rows.append(f"| {label} (pid {pid}) | {kb / 1024:.0f} MB |")
    setup = (
        f"{args.clients} clients in {args.processes} processes, gunicorn "
        f"deploy/gunicorn.conf.py with {args.workers} sync workers + 1 worker process, "
        f"{args.warmup:.0f} s warm-up + {args.duration:.0f} s per page, "
        f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load average "
        f"{load_before} before, {load_after} after"
    )
    return "\n".join([setup, "", *rows, "", *memory_rows])


def write_section(report: str) -> None:
    """Replace this section of BENCHMARKS.md, re-reading the file just before (other
    benchmarks write their own sections)."""
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find(f"\n{SECTION}\n")
    notes = ""
    if start != -1:
        end = text.find("\n## ", start + len(SECTION) + 2)
        old = text[start : end if end != -1 else len(text)]
        marker = "\n### Notes\n"
        notes = old[old.find(marker) :] if marker in old else ""
        text = text[:start] + (text[end:] if end != -1 else "\n")
    body = f"\n{SECTION}\n\n### Last run\n\n{report}\n{notes.rstrip()}\n"
    path.write_text(text.rstrip("\n") + "\n" + body, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())

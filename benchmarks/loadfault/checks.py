"""After the run: what the clients saw, what the database holds, what the logs say.

Server errors are classified by time: a request that overlapped a database outage (from
the moment PostgreSQL was asked to stop until a grace period after it accepted
connections again) may answer 5xx; any other 5xx fails the run. A request with no answer
at all is expected only when it was in flight while a web worker was killed.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from loadfault.client import PostAttempt, Sample

MARKER_RE = re.compile(r"batch (lf[a-z]{10})")
OUTBOX_ID_RE = re.compile(r"<outbox\.(\d+)\.")
# Lock trouble: Whoosh's writer lock, SQLite's, PostgreSQL deadlocks and lock timeouts.
LOCK_ERROR_RE = re.compile(
    r"LockError|database is locked|deadlock detected|could not obtain lock|"
    r"lock timeout|LockNotAvailable|canceling statement due to lock",
    re.IGNORECASE,
)
RESTART_GRACE = 3.0  # seconds after PostgreSQL is back in which a 5xx is still its fault
KILL_WINDOW = 2.0  # a request ending this long after a web worker's kill was in flight


@dataclass
class Timeline:
    started: float = 0.0  # when the load began (wall clock)
    db_down: list[tuple[float, float]] = field(default_factory=list)  # (asked to stop, back)
    web_worker_kills: list[float] = field(default_factory=list)
    worker_kills: list[float] = field(default_factory=list)
    worker_restarts: list[float] = field(default_factory=list)

    def during_outage(self, sample: Sample | PostAttempt) -> bool:
        return any(
            sample.started <= back + RESTART_GRACE and sample.ended >= down
            for down, back in self.db_down
        )

    def in_flight_at_kill(self, sample: Sample) -> bool:
        return any(
            sample.started <= kill and sample.ended <= kill + KILL_WINDOW
            for kill in self.web_worker_kills
        )


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str

    def line(self) -> str:
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


# --- what the clients saw ------------------------------------------------------------------


def server_errors(samples: list[Sample], timeline: Timeline) -> Check:
    errors = [s for s in samples if s.status >= 500]
    outside = [s for s in errors if not timeline.during_outage(s)]
    detail = (
        f"{len(errors)} of {len(samples)} requests answered 5xx, "
        f"{len(errors) - len(outside)} while the database was down, {len(outside)} otherwise"
    )
    if outside:
        detail += "; first: " + ", ".join(f"{s.action} {s.status}" for s in outside[:5])
    return Check("no 5xx except while the database was down", not outside, detail)


def unanswered(samples: list[Sample], timeline: Timeline) -> Check:
    lost = [s for s in samples if s.status == 0]
    unexplained = [s for s in lost if not timeline.in_flight_at_kill(s)]
    detail = (
        f"{len(lost)} requests got no answer, {len(lost) - len(unexplained)} of them in flight "
        f"when a web worker was killed"
    )
    if unexplained:
        detail += "; unexplained: " + ", ".join(f"{s.action} {s.error}" for s in unexplained[:5])
    return Check("every request answered (but those in a killed worker)", not unexplained, detail)


# --- what the database holds ---------------------------------------------------------------


def reports_exactly_once(engine: sa.Engine, posts: list[PostAttempt], timeline) -> Check:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT title, public_id FROM reports WHERE title LIKE '%batch lf%'")
        ).all()
    stored: Counter[str] = Counter()
    ids: dict[str, str] = {}
    for title, public_id in rows:
        match = MARKER_RE.search(title)
        if match:
            stored[match.group(1)] += 1
            ids[match.group(1)] = public_id
    succeeded = [p for p in posts if p.succeeded]
    missing = [p for p in succeeded if stored[p.marker] == 0]
    wrong_id = [p for p in succeeded if stored[p.marker] == 1 and ids[p.marker] != p.created]
    duplicated = [m for m, n in stored.items() if n > 1]
    failed = [p for p in posts if not p.succeeded]
    saved_anyway = [p for p in failed if stored[p.marker]]
    passed = not (missing or wrong_id or duplicated)
    detail = (
        f"{len(succeeded)} posts succeeded and each is stored once under its id"
        if passed
        else f"{len(missing)} missing, {len(wrong_id)} under another id, "
        f"{len(duplicated)} stored twice or more"
    )
    detail += (
        f"; {len(failed)} posts failed ({sum(timeline.during_outage(p) for p in failed)} during "
        f"the outage), {len(saved_anyway)} of those were saved anyway, none twice"
        if not duplicated
        else ""
    )
    return Check(
        "every report the clients were told was posted exists exactly once", passed, detail
    )


def emails_exactly_once(engine: sa.Engine, received: Counter[str]) -> Check:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, status FROM outbox_emails")).all()
    by_id: Counter[int] = Counter()
    for message_id, count in received.items():
        match = OUTBOX_ID_RE.match(message_id)
        if match:
            by_id[int(match.group(1))] += count
    statuses = Counter(status for _, status in rows)
    sent = [row_id for row_id, status in rows if status == "sent"]
    not_received = [i for i in sent if by_id[i] == 0]
    twice = [i for i in sent if by_id[i] > 1]
    strangers = [i for i in by_id if i not in set(sent)]
    passed = statuses.get("sent", 0) == len(rows) and not (not_received or twice or strangers)
    detail = (
        f"{len(rows)} outbox emails: {dict(statuses)}; the SMTP server received "
        f"{sum(by_id.values())} messages for {len(by_id)} of them; "
        f"{len(not_received)} sent but not received, {len(twice)} received twice, "
        f"{len(strangers)} received but not marked sent"
    )
    return Check("email outbox drained, every email received exactly once", passed, detail)


def search_outbox_drained(engine: sa.Engine) -> Check:
    with engine.connect() as conn:
        waiting = conn.execute(sa.text("SELECT count(*) FROM search_outbox")).scalar_one()
    return Check("search outbox drained", waiting == 0, f"{waiting} rows waiting")


def search_verified(output: str, returncode: int) -> Check:
    lines = [line for line in output.strip().splitlines() if line]
    return Check("`flask search verify` clean", returncode == 0, " / ".join(lines[-3:]))


# --- what the logs say ---------------------------------------------------------------------


def lock_errors(logs: Iterable[Path]) -> Check:
    found: list[str] = []
    for path in logs:
        if path.exists():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [
                f"{path.name}: {line.strip()[:160]}"
                for line in text.splitlines()
                if LOCK_ERROR_RE.search(line)
            ]
    detail = f"{len(found)} lines" + (": " + " | ".join(found[:3]) if found else "")
    return Check("no lock errors in the logs", not found, detail)


def count_lines(path: Path, pattern: str) -> int:
    if not path.exists():
        return 0
    needle = re.compile(pattern)
    return sum(1 for line in path.read_text(errors="replace").splitlines() if needle.search(line))


# --- figures -------------------------------------------------------------------------------


def latency_table(samples: list[Sample]) -> list[str]:
    """Per action: requests, p50 and p95 latency of those answered below 500."""
    by_action: dict[str, list[float]] = {}
    for s in samples:
        if 0 < s.status < 500:
            by_action.setdefault(s.action, []).append((s.ended - s.started) * 1000)
    lines = [f"{'action':<22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}"]
    for action in sorted(by_action):
        times = sorted(by_action[action])
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        lines.append(f"{action:<22}{len(times):>9}{statistics.median(times):>9.0f}{p95:>9.0f}")
    return lines

"""Search benchmarks (not part of the test suite): relevance on CISI, and speed at scale.

    .venv/bin/python benchmarks/search_bench.py cisi
    .venv/bin/python benchmarks/search_bench.py scale --size 100000
    .venv/bin/python benchmarks/search_bench.py all --size 20000

``cisi`` imports ../shared/data/search-eval/cisi through ``flask kb import`` into a fresh
SQLite database, applies the search outbox (the worker's path), runs the judged queries
through ``credgroup.search.service.search`` (what the page and the API call) and prints
nDCG@10, MRR@10 and Recall@10 next to a plain Whoosh BM25F baseline built in the same run.

``scale`` generates ``--size`` published reports and articles (10 groups), builds the index
with ``search reindex``, and prints the build rate and the latency of term, phrase, prefix,
fuzzy and filtered searches through the same service (p50/p95/p99), with SQLite FTS5 over
the same corpus as a yardstick. Everything lives in a temporary folder that is removed
afterwards (``--keep`` to keep it).

``--postgres URL`` adds the postgres search backend (``SEARCH_BACKEND=postgres``) on that
PostgreSQL database, whose tables are dropped and created: a row in ``cisi``, a column in
``scale`` (the same seeded corpus, loaded into PostgreSQL).
"""

# Synthetic data from a seeded random generator; SQL assembled from constant fragments only.
# ruff: noqa: S311, S608

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CISI = ROOT.parent / "shared" / "data" / "search-eval" / "cisi"
K = 10


# --- the app, in a folder of its own ------------------------------------------------------


def make_app(folder: Path, postgres_url: str = ""):
    """The app on a fresh SQLite file with the Whoosh backend, or, given ``postgres_url``,
    on that PostgreSQL database (its tables are dropped and created) with the postgres
    backend."""
    from credgroup import create_app
    from credgroup.extensions import db

    folder.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "ENV": "benchmark",
            "SECRET_KEY": "benchmark-secret-key-that-is-long-enough-0123456789",
            "PSEUDONYM_KEY": "benchmark-pseudonym-key-that-is-long-enough-0123456789",
            "DATABASE_URL": postgres_url or f"sqlite:///{folder / 'bench.db'}",
            "SEARCH_BACKEND": "postgres" if postgres_url else "whoosh",
            "SEARCH_INDEX_DIR": str(folder / "search-index"),
            "MAIL_FOLDER": str(folder / "mail"),
            "SERVER_NAME": "bench.invalid",
            "LOG_LEVEL": "WARNING",  # no request log line per API call in the figures
        }
    )
    with app.app_context():
        if postgres_url:
            db.drop_all()
        db.create_all()
    return app


def searcher_user(groups: int = 1):
    """A member of a company seated in the first ``groups`` groups (made if missing)."""
    import sqlalchemy as sa

    from credgroup.accounts.models import User
    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup, GroupMembership, MemberCompany

    user = db.session.scalar(sa.select(User).where(User.email == "bench@member.example"))
    if user is not None:
        return user
    company = MemberCompany(name="Benchmark Member Co")
    db.session.add(company)
    for group in db.session.scalars(sa.select(CreditGroup).order_by(CreditGroup.id).limit(groups)):
        db.session.add(GroupMembership(group=group, company=company))
    user = User(
        email="bench@member.example",
        name="Bench",
        company=company,
        password_hash="!",  # noqa: S106 - not a hash: nobody signs in as this user
    )
    db.session.add(user)
    db.session.commit()
    return user


def run_search(user, q: str, *, per_page: int = K, **filters: str):
    from flask import current_app

    from credgroup.search import service

    params = service.SearchParams(
        q=q, per_page=per_page, filters={k: [v] for k, v in filters.items()}
    )
    with current_app.test_request_context("/search"):
        return service.search(user, params, log=False)


# --- relevance: CISI ----------------------------------------------------------------------


def load_cisi() -> tuple[list[dict], dict[str, str], dict[str, set[str]]]:
    docs = [json.loads(line) for line in (CISI / "docs.jsonl").open(encoding="utf-8")]
    queries = {}
    for line in (CISI / "queries.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        queries[row["id"]] = row["text"]
    qrels: dict[str, set[str]] = defaultdict(set)
    with (CISI / "qrels.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            qid, doc_id, rel = line.split()
            if int(rel) > 0:
                qrels[qid].add(doc_id)
    return docs, queries, qrels


def metrics(ranked: list[str], relevant: set[str]) -> tuple[float, float, float]:
    """nDCG@10, reciprocal rank@10 and recall@10 for binary judgments."""
    top = ranked[:K]
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(top) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    rr = next((1 / (i + 1) for i, d in enumerate(top) if d in relevant), 0.0)
    recall = len([d for d in top if d in relevant]) / len(relevant)
    return (dcg / ideal if ideal else 0.0), rr, recall


def evaluate(rank: Callable[[str], list[str]], queries, qrels) -> dict[str, float]:
    scores = [metrics(rank(queries[qid]), relevant) for qid, relevant in qrels.items()]
    return {
        "nDCG@10": statistics.mean(s[0] for s in scores),
        "MRR@10": statistics.mean(s[1] for s in scores),
        "Recall@10": statistics.mean(s[2] for s in scores),
        "queries": len(scores),
    }


def whoosh_baseline(folder: Path, docs: list[dict]) -> Callable[[str], list[str]]:
    """Plain Whoosh: title and text with the default analyzer, BM25F, OR of the words."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = Schema(id=ID(stored=True, unique=True), title=TEXT, text=TEXT)
    path = folder / "baseline-index"
    path.mkdir()
    ix = index.create_in(str(path), schema)
    with ix.writer() as writer:
        for doc in docs:
            writer.add_document(id=doc["id"], title=doc["title"], text=doc["text"])
    parser = MultifieldParser(["title", "text"], schema, group=OrGroup)
    searcher = ix.searcher()

    def rank(text: str) -> list[str]:
        return [hit["id"] for hit in searcher.search(parser.parse(text), limit=K)]

    return rank


def cisi_service(folder: Path, postgres_url: str = "") -> tuple[dict, float, float, Any, float]:
    """CISI imported through ``kb import``, the outbox applied, every judged query through
    the search service: (scores, import s, indexing s, outbox result, service s)."""
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.kb.models import Article
    from credgroup.search.outbox import drain

    _, queries, qrels = load_cisi()
    app = make_app(folder, postgres_url)
    with app.app_context():
        started = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["kb", "import", str(CISI / "docs.jsonl")])
        if result.exit_code != 0:
            raise SystemExit(f"kb import failed:\n{result.output}")
        imported = time.perf_counter() - started
        started = time.perf_counter()
        applied = drain()
        indexed = time.perf_counter() - started
        external = dict(db.session.execute(sa.select(Article.public_id, Article.external_id)).all())
        user = searcher_user()

        def ours(text: str) -> list[str]:
            return [external[hit.public_id] for hit in run_search(user, text).hits]

        started = time.perf_counter()
        scores = evaluate(ours, queries, qrels)
        service_time = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return scores, imported, indexed, applied, service_time


def cisi_benchmark(folder: Path, postgres_url: str = "") -> None:
    docs, queries, qrels = load_cisi()
    service_scores, imported, indexed, applied, service_time = cisi_service(folder)
    rows = [
        ("plain Whoosh BM25F baseline", evaluate(whoosh_baseline(folder, docs), queries, qrels)),
        ("credgroup search service", service_scores),
    ]
    if postgres_url:
        pg_scores, _, pg_indexed, _, pg_time = cisi_service(folder / "postgres", postgres_url)
        rows.append(("  ... postgres backend", pg_scores))
    print(f"CISI: {len(docs)} documents, {service_scores['queries']} judged queries")
    print(f"  kb import: {imported:.1f} s; outbox applied ({applied}) in {indexed:.1f} s")
    print(f"  {'':<28}{'nDCG@10':>9}{'MRR@10':>9}{'Recall@10':>11}")
    for name, scores in rows:
        print(
            f"  {name:<28}{scores['nDCG@10']:>9.3f}{scores['MRR@10']:>9.3f}"
            f"{scores['Recall@10']:>11.3f}"
        )
    per_query = service_time / service_scores["queries"] * 1000
    print(f"  service time per query: {per_query:.1f} ms (long questions, OR of the words)")
    if postgres_url:
        pg_query = pg_time / service_scores["queries"] * 1000
        print(f"  postgres backend: outbox applied in {pg_indexed:.1f} s, {pg_query:.1f} ms/query")
    print("  published reference for the baseline: nDCG@10 0.298, MRR@10 0.540, Recall@10 0.086")


# --- speed at scale -----------------------------------------------------------------------

PORTALS = ["coupa", "sap-business-network", "tradeshift", "basware", "oracle-supplier-portal"]
CATEGORIES = ["rejected_format", "skipped", "capacity", "status_stale", "fees", "onboarding"]
STATUSES = ["open", "workaround_found", "resolved", "no_longer_occurs"]
DOMAIN = """invoice invoices rejected rejection portal supplier buyer purchase order PO flip
    cXML EDI PDF upload remittance payment paid unpaid short pay deduction fee fees subscription
    tier account registration onboarding credentials status pending approved approver workflow
    duplicate tax VAT line item quantity price mismatch receipt goods received three-way match
    network relationship enterprise standard catalog punchout attachment error message code
    validation field required missing format date currency""".split()  # noqa: SIM905
ERRORS = ["INV-15", "ERR 4012", "E-INV-0042", "Status 400", "VAL-MISSING-PO", "DUP-INV-7"]


def vocabulary() -> list[str]:
    """Words ranked by natural frequency: the CISI abstracts' words, with the portal jargon
    spread among the common ones (ranks 20 to 400), so a jargon word is in roughly 5 to
    40% of the documents, as "invoice" or "portal" would be in a real knowledge base."""
    counts: dict[str, int] = defaultdict(int)
    for line in (CISI / "docs.jsonl").open(encoding="utf-8"):
        for word in json.loads(line)["text"].lower().split():
            word = word.strip(".,;:()[]\"'")
            if word.isalpha() and 3 <= len(word) <= 14:
                counts[word] += 1
    words = sorted(counts, key=counts.get, reverse=True)[:4000]
    step = 380 // len(DOMAIN)
    for n, word in enumerate(DOMAIN):
        words.insert(20 + n * step, word.lower())
    return words


def generated_rows(size: int, groups: list[int], portal_ids: dict[str, int], seed: int = 7):
    """(reports, articles) as column dictionaries; about 70% reports."""
    rng = random.Random(seed)
    words = vocabulary()
    weights = [1 / (rank + 10) for rank in range(len(words))]  # Zipf-like

    def text(n: int) -> str:
        return " ".join(rng.choices(words, weights, k=n))

    today = date.today()
    reports, articles = [], []
    for n in range(size):
        portal = rng.choice(PORTALS)
        title = f"{text(6).capitalize()} on {portal.replace('-', ' ')}"
        body = f"{text(60)}. {rng.choice(ERRORS)} {text(20)}"
        day = today - timedelta(days=rng.randrange(900))
        common = {
            "public_id": f"bench{n:08d}",
            "title": title[:200],
            "portal_id": portal_ids[portal],
            "workaround": text(25),
            "published_on": day,
        }
        if rng.random() < 0.7:
            reports.append(
                {
                    **common,
                    "group_id": rng.choice(groups),
                    "author_pseudonym": f"p{n}",
                    "company_pseudonym": f"c{n % 500}",
                    "buyer_name": "",
                    "buyer_industry": "",
                    "category": rng.choice(CATEGORIES),
                    "body": body,
                    "error_message": rng.choice(ERRORS),
                    "status": rng.choice(STATUSES),
                    "state": "published",
                    "review_flags": [],
                    "facilitator_note": "",
                    "redactions": {},
                    "created_on": day,
                    "updated_on": day,
                }
            )
        else:
            articles.append(
                {
                    **common,
                    "slug": f"bench-{n}",
                    "group_id": rng.choice([None, None, None, *groups]),
                    "buyer_name": "",
                    "problem": body,
                    "error_text": rng.choice(ERRORS),
                    "categories": [rng.choice(CATEGORIES)],
                    "tags": [rng.choice(DOMAIN)],
                    "channels": [],
                    "state": "published",
                    "author_pseudonym": "",
                    "anonymous": False,
                    "version": 1,
                }
            )
    return reports, articles


def load_corpus(size: int) -> tuple[int, int, float]:
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.groups.models import CreditGroup
    from credgroup.kb.models import Article
    from credgroup.portals.models import Portal
    from credgroup.portals.services import seed_catalogue
    from credgroup.reports.models import Report

    seed_catalogue()
    for n in range(10):
        db.session.add(CreditGroup(slug=f"group-{n}", name=f"Group {n}", industry="Bench"))
    db.session.commit()
    groups = list(db.session.scalars(sa.select(CreditGroup.id)))
    portal_ids = dict(db.session.execute(sa.select(Portal.slug, Portal.id)).all())
    started = time.perf_counter()
    reports, articles = generated_rows(size, groups, portal_ids)
    for model, rows in ((Report, reports), (Article, articles)):
        for start in range(0, len(rows), 5000):
            db.session.execute(sa.insert(model), rows[start : start + 5000])
    db.session.commit()
    return len(reports), len(articles), time.perf_counter() - started


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)

    def pick(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return f"{pick(50):>8.1f}{pick(95):>8.1f}{pick(99):>8.1f}"


@dataclass
class Timing:
    wall: list[float]  # ms per query, what a user waits on this machine now
    cpu: list[float]  # ms of this process's CPU per query: the wait on an idle machine
    found: int


def timed(fn: Callable[[str], Any], queries: Iterable[str]) -> Timing:
    timing = Timing([], [], 0)
    for q in queries:
        wall, cpu = time.perf_counter(), time.process_time()
        timing.found += fn(q) or 0
        timing.cpu.append((time.process_time() - cpu) * 1000)
        timing.wall.append((time.perf_counter() - wall) * 1000)
    return timing


def query_sets(rng: random.Random, n: int) -> dict[str, list[str]]:
    words = [w for w in DOMAIN if w.isalpha() and len(w) > 4]
    pairs = [("purchase", "order"), ("short", "pay"), ("line", "item"), ("goods", "received")]
    return {
        "term": [rng.choice(words) for _ in range(n)],
        "two terms": [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(n)],
        "phrase": ['"{} {}"'.format(*rng.choice(pairs)) for _ in range(n)],
        "prefix": [f"{rng.choice(words)[:4]}*" for _ in range(n)],
        "fuzzy (typo)": [_typo(rng, rng.choice(words)) for _ in range(n)],
        "filtered": [
            f"{rng.choice(words)} portal:{rng.choice(PORTALS)} status:{rng.choice(STATUSES)}"
            for _ in range(n)
        ],
    }


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swap two letters


def fts5_yardstick(db_path: Path, sets: dict[str, list[str]], scopes: list[str]) -> dict:
    """The same corpus in an FTS5 table (porter stemming): build time, then for each query
    the top 10 by bm25 and the total, among the documents the same member may see."""
    connection = sqlite3.connect(db_path)
    started = time.perf_counter()
    connection.executescript(
        """
        CREATE VIRTUAL TABLE fts USING fts5(
            title, body, error, portal UNINDEXED, status UNINDEXED, scope UNINDEXED,
            tokenize='porter'
        );
        INSERT INTO fts (title, body, error, portal, status, scope)
        SELECT r.title, r.body || ' ' || r.workaround, r.error_message, p.slug, r.status,
               'g' || r.group_id
        FROM reports r JOIN portals p ON p.id = r.portal_id;
        INSERT INTO fts (title, body, error, portal, status, scope)
        SELECT a.title, a.problem || ' ' || a.workaround, a.error_text, p.slug, '',
               coalesce('g' || a.group_id, 'all')
        FROM kb_articles a JOIN portals p ON p.id = a.portal_id;
        """
    )
    connection.commit()
    build = time.perf_counter() - started
    rows = connection.execute("SELECT count(*) FROM fts").fetchone()[0]
    visible = f"AND scope IN ({', '.join('?' * len(scopes))})"

    def run(match: str, extra: str = "", args: tuple = ()) -> int:
        where = f"WHERE fts MATCH ? {visible} {extra}"
        params = (match, *scopes, *args)
        connection.execute(f"SELECT rowid FROM fts {where} ORDER BY rank LIMIT 10", params)
        return connection.execute(f"SELECT count(*) FROM fts {where}", params).fetchone()[0]

    def filtered(q: str) -> int:
        word, portal, status = q.split()
        return run(word, "AND portal = ? AND status = ?", (portal[7:], status[7:]))

    timings: dict[str, Timing | None] = {}
    for name, queries in sets.items():
        if name.startswith("fuzzy"):
            timings[name] = None  # FTS5 has no edit-distance matching
        else:
            timings[name] = timed(filtered if name == "filtered" else run, queries)
    connection.close()
    return {"build": build, "rows": rows, "timings": timings}


def api_client(app, user):
    """A test client that calls GET /api/v1/search with the user's bearer token."""
    from credgroup.accounts.services import create_api_token
    from credgroup.extensions import db

    _, raw = create_api_token(user, "benchmark")
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {raw}"}

    def call(q: str) -> int:
        response = client.get("/api/v1/search", query_string={"q": q}, headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()["total"]

    return call


@dataclass
class Measured:
    """One backend's build and query timings over the generated corpus."""

    reports: int
    articles: int
    generated: float
    count: int
    build: float
    build_cpu: float
    index_mb: float
    scopes: list[str]
    timings: dict[str, Timing]


def measure_backend(folder: Path, size: int, per_type: int, postgres_url: str = "") -> Measured:
    from credgroup.extensions import db
    from credgroup.search.maintenance import reindex

    app = make_app(folder, postgres_url)
    with app.app_context():
        reports, articles, generated = load_corpus(size)
        started, cpu = time.perf_counter(), time.process_time()
        count = reindex()
        build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
        member = searcher_user(groups=1)
        scopes = ["all", *(f"g{g.id}" for g in _member_groups(member))]
        sets = query_sets(random.Random(11), per_type)
        for q in sets["term"][:5]:
            run_search(member, q)  # warm the searcher and caches
        ours = {
            name: timed(lambda q: run_search(member, q).total, queries)
            for name, queries in sets.items()
        }
        ours["API term"] = timed(api_client(app, member), sets["term"])
        ours["after a write"] = after_writes(member, sets["term"][:40])
        size_mb = _index_mb(postgres_url)
        db.session.remove()
        db.engine.dispose()
    return Measured(reports, articles, generated, count, build, build_cpu, size_mb, scopes, ours)


def _index_mb(postgres_url: str) -> float:
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.search.backend import get_backend

    if not postgres_url:
        return _folder_mb(Path(get_backend().live_path()))
    tables = "pg_total_relation_size('search_documents') + pg_total_relation_size('search_words')"
    return db.session.scalar(sa.text(f"SELECT {tables}")) / 1e6


def scale_benchmark(folder: Path, size: int, per_type: int, postgres_url: str = "") -> None:
    ours = measure_backend(folder, size, per_type)
    pg = (
        measure_backend(folder / "postgres", size, per_type, postgres_url) if postgres_url else None
    )
    sets = query_sets(random.Random(11), per_type)
    fts = fts5_yardstick(folder / "bench.db", sets, ours.scopes)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    count = ours.count
    print(
        f"Scale: {count:,} documents ({ours.reports:,} reports, {ours.articles:,} articles,"
        " 10 groups)"
    )
    print(f"  load average at the end: {load} (2 cores)")
    print(f"  corpus generated and inserted in {ours.generated:.1f} s")
    for name, m in (("credgroup index (search reindex)", ours), ("  ... postgres backend", pg)):
        if m is not None:
            print(
                f"  {name:<33} {m.build:.1f} s = {m.count / m.build:,.0f} docs/s"
                f" ({m.count / m.build_cpu:,.0f} docs per CPU-second), {m.index_mb:.0f} MB"
            )
    print(
        f"  SQLite FTS5 yardstick build:      {fts['build']:.1f} s = "
        f"{fts['rows'] / fts['build']:,.0f} docs/s"
    )
    print(f"  ms per query, {per_type} queries each, as a member of 1 of 10 groups")
    columns = ["credgroup wall", "credgroup CPU", *(["postgres wall"] if pg else []), "FTS5 wall"]
    print(f"  {'':<14} " + " ".join(f"{c:>24}" for c in columns) + "  hits")
    print(f"  {'query':<14} " + " ".join(f"{'p50 p95 p99':>24}" for _ in columns))
    for name, timing in ours.timings.items():
        yard = fts["timings"].get(name)
        cells = [percentiles(timing.wall), percentiles(timing.cpu)]
        if pg is not None:
            cells.append(percentiles(pg.timings[name].wall))
        cells.append(percentiles(yard.wall) if yard else f"{'n/a':>24}")
        print(f"  {name:<14} {' '.join(cells)}  {timing.found / len(timing.wall):>5.0f}")
    print("  credgroup = the search service (parse, visibility inside the engine, total, five")
    print("  facets, 10 hits reloaded and checked in the database, snippets); 'API term' adds")
    print("  token check, JSON and the query log; 'after a write' is the first search after")
    print("  the writer applied a change. FTS5 = top 10 by bm25 + count, no facets.")
    if pg is not None:
        print("  postgres = the same service with SEARCH_BACKEND=postgres on the PostgreSQL")
        print("  database given (its CPU is the server's, so only wall time is shown).")


def after_writes(member, queries: list[str]) -> Timing:
    """Each search right after the writer applied one changed report (a new segment): the
    first search of a new index generation."""
    import sqlalchemy as sa

    from credgroup.extensions import db
    from credgroup.reports.models import Report
    from credgroup.search.outbox import drain, enqueue

    ids = list(db.session.scalars(sa.select(Report.id).limit(len(queries))))
    timing = Timing([], [], 0)
    for report_id, q in zip(ids, queries, strict=False):
        enqueue("report", report_id)
        db.session.commit()
        drain()
        step = timed(lambda text: run_search(member, text).total, [q])
        timing.wall += step.wall
        timing.cpu += step.cpu
        timing.found += step.found
    return timing


def _member_groups(user):
    from credgroup.groups.access import visible_groups

    return visible_groups(user)


def _folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["cisi", "scale", "all"], nargs="?", default="all")
    parser.add_argument("--size", type=int, default=100_000, help="documents for 'scale'")
    parser.add_argument("--queries", type=int, default=200, help="queries per type for 'scale'")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--postgres",
        default="",
        metavar="URL",
        help="also measure the postgres backend on this database (its tables are replaced)",
    )
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="credgroup-search-bench-"))
    try:
        if args.what in ("cisi", "all"):
            cisi_benchmark(folder / "cisi", args.postgres)
        if args.what in ("scale", "all"):
            scale_benchmark(folder / "scale", args.size, args.queries, args.postgres)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()

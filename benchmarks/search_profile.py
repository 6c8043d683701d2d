"""Where a search's time goes, on an index kept by ``search_bench.py scale --keep``.

    .venv/bin/python benchmarks/search_bench.py scale --size 100000 --keep   # prints the folder
    .venv/bin/python benchmarks/search_profile.py /tmp/credgroup-search-bench-XXXX
    .venv/bin/python benchmarks/search_profile.py FOLDER --profile prefix   # cProfile one kind

Prints, per kind of query of ``search_bench``, the CPU milliseconds of the whole service
call and of its parts (matching set, scoring, snippets, database reload, spelling), after
the caches are warm; then the first search of each portal-jargon word in this fresh
process next to its second search ("cold": its postings are read from the index files
once per process and segment, as after a web worker starts or recycles).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import pstats
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search_bench as bench

PARTS = (
    ("credgroup.search.whoosh_backend", "matched_mask", "matching set"),
    ("credgroup.search.whoosh_backend:WhooshBackend", "_page", "scoring"),
    ("credgroup.search.results", "snippets", "snippets"),
    ("credgroup.search.results", "_load", "db reload"),
    ("credgroup.search.service", "_correction", "spelling"),
)


def instrument(spent: dict[str, float]) -> None:
    """Wrap the service's parts so each adds its CPU time to ``spent``."""
    import importlib

    for where, name, label in PARTS:
        module_name, _, class_name = where.partition(":")
        owner = importlib.import_module(module_name)
        if class_name:
            owner = getattr(owner, class_name)
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, _original=original, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] += time.process_time() - started

        setattr(owner, name, timed)


def cold_and_warm(member) -> None:
    words = [w for w in bench.DOMAIN if w.isalpha() and len(w) > 4]
    cold, warm = [], []
    for word in words:
        for samples in (cold, warm):
            started = time.process_time()
            bench.run_search(member, word)
            samples.append((time.process_time() - started) * 1000)
    print(f"first search of each of {len(words)} jargon words in this process (CPU ms):")
    for name, samples in (("cold", cold), ("warm", warm)):
        print(
            f"  {name}: median {statistics.median(samples):.1f}, "
            f"p95 {bench.percentiles(samples).split()[1]}, max {max(samples):.1f}"
        )


def parts(member, sets: dict[str, list[str]], count: int) -> None:
    spent: dict[str, float] = defaultdict(float)
    instrument(spent)
    print(f"CPU ms per search, mean of {count} warm searches each (p95 of the whole call):")
    for name, queries in sets.items():
        for q in queries[:count]:
            bench.run_search(member, q)  # warm
        spent.clear()
        totals = []
        for q in queries[:count]:
            started = time.process_time()
            bench.run_search(member, q)
            totals.append((time.process_time() - started) * 1000)
        detail = ", ".join(f"{label} {spent[label] / count * 1000:.1f}" for _, _, label in PARTS)
        p95 = bench.percentiles(totals).split()[1]
        print(f"  {name:<13} {statistics.mean(totals):6.1f} (p95 {p95}): {detail}")


def profile(member, queries: list[str]) -> None:
    for q in queries:
        bench.run_search(member, q)  # warm
    profiler = cProfile.Profile()
    profiler.enable()
    for q in queries:
        bench.run_search(member, q)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder kept by search_bench.py --keep")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument(
        "--profile", choices=["term", "two", "phrase", "prefix", "fuzzy", "filtered"]
    )
    args = parser.parse_args()
    folder = args.folder / "scale" if (args.folder / "scale").is_dir() else args.folder
    app = bench.make_app(folder)
    with app.app_context():
        member = bench.searcher_user(groups=1)
        sets = bench.query_sets(random.Random(11), max(args.queries, 1))  # noqa: S311 - seeded
        bench.run_search(member, "warm")  # opens the searcher
        if args.profile:
            kind = next(name for name in sets if name.startswith(args.profile))
            profile(member, sets[kind][: args.queries])
            return
        cold_and_warm(member)
        parts(member, sets, args.queries)


if __name__ == "__main__":
    main()

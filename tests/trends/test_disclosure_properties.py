"""Property tests: an attacker who sees everything published (totals, margins, every
quarter, month and custom period, rising problems) and is told which figures are zero
tries to recover a hidden figure, and must fail.

The blocks and report tables are built by the real code (no database needed); the
attacker in ``attacker.py`` knows only what a reader sees plus the zeros.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from credgroup.reports.enums import FeeKind, FeeSizeBand, ProblemCategory, ReportStatus
from credgroup.trends import tables as report_tables
from credgroup.trends.blocks import CATEGORIES, GRAND, OTHER, build_block, heat_id, quarter_tables
from credgroup.trends.data import ConfirmationRow, PortalInfo, ReportRow
from credgroup.trends.disclosure import (
    TOTAL,
    Contributions,
    Grid,
    Line,
    fails_primary,
    protect,
)
from credgroup.trends.periods import Quarter
from tests.trends.attacker import LinearAttacker, pinned_by_bounds

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUARTERS = [Quarter(2025, 1), Quarter(2025, 2)]
MONTHS = [m for q in QUARTERS for m in q.months]
STATUSES = ["open", "resolved"]
USED_CATEGORIES = ["rejected_format", "fees", "skipped"]

report_tuples = st.lists(
    st.tuples(
        st.integers(0, 2),  # portal
        st.sampled_from(USED_CATEGORIES),
        st.integers(0, len(MONTHS) - 1),
        st.integers(0, 6),  # company
        st.sampled_from(STATUSES),
        st.sampled_from([None, "per_invoice", "subscription"]),
        st.sampled_from([None, "lt-100", "1k-10k"]),
        st.sampled_from(["", "Acme", "Globex"]),
    ),
    max_size=45,
)
confirmation_tuples = st.lists(
    st.tuples(st.sampled_from(USED_CATEGORIES), st.integers(0, 6), st.integers(0, 5)),
    max_size=15,
)


def rows_from(tuples) -> list[ReportRow]:
    return [
        ReportRow(
            portal_id=portal + 1,
            category=ProblemCategory(category).value,
            status=ReportStatus(status).value,
            company=f"company-{company}",
            published_on=MONTHS[month].replace(day=5),
            status_changed_on=None,
            fee_kind=FeeKind(kind).value if kind and category == "fees" else None,
            fee_size_band=FeeSizeBand(band).value if band and category == "fees" else None,
            buyer=buyer,
        )
        for portal, category, month, company, status, kind, band, buyer in tuples
    ]


def blocks_for(rows: list[ReportRow], confirmations, k: int, with_buyers: bool = True):
    return {
        q: build_block(
            q,
            [r for r in rows if Quarter.of(r.published_on) == q],
            [c for c in confirmations if Quarter.of(c.confirmed_on) == q],
            k,
            with_buyers=with_buyers,
        )
        for q in QUARTERS
    }


# --- the attacker at the level of one publication's tables ---------------------------------


def table_equations(tables) -> list[dict[str, int]]:
    """Each table's additivity: sum of parts minus the total is zero."""
    equations = []
    for table in tables:
        if isinstance(table, Line):
            equations.append({**dict.fromkeys(table.parts, 1), table.total: -1})
            continue
        rows = {r for r, _ in table.cells}
        columns = {c for _, c in table.cells}
        for r in rows:
            eq = {table.cells[(r, c)]: 1 for c in columns if c != TOTAL}
            eq[table.cells[(r, TOTAL)]] = -1
            equations.append(eq)
        for c in columns:
            eq = {table.cells[(r, c)]: 1 for r in rows if r != TOTAL}
            eq[table.cells[(TOTAL, c)]] = -1
            equations.append(eq)
    return equations


def assert_nothing_recoverable(tables, values: dict[str, int], hidden: set[str]) -> None:
    """Every hidden, non-zero figure survives both attacks, knowing all zeros."""
    unknown = {fid for fid in hidden if values.get(fid, 0) > 0}
    attacker = LinearAttacker()
    bounded = []
    for equation in table_equations(tables):
        coefs = {fid: c for fid, c in equation.items() if fid in unknown}
        known = sum(c * values.get(fid, 0) for fid, c in equation.items() if fid not in unknown)
        if coefs:
            attacker.learn(coefs)
            bounded.append((coefs, -known))
    for fid in unknown:
        assert not attacker.determines({fid: 1}), f"{fid} can be worked out exactly"
    assert not (pinned_by_bounds(bounded, unknown) & unknown), "a hidden figure is pinned"


@SETTINGS
@given(report_tuples, confirmation_tuples, st.sampled_from([3, 4, 5]), st.booleans())
def test_no_hidden_figure_of_a_quarter_can_be_recovered_from_its_tables(
    tuples, confirmation_spec, k, with_buyers
):
    rows = rows_from(tuples)
    confirmations = [
        ConfirmationRow(ProblemCategory(c).value, f"company-{who}", MONTHS[m].replace(day=9))
        for c, who, m in confirmation_spec
    ]
    for block in blocks_for(rows, confirmations, k, with_buyers).values():
        tables = quarter_tables(
            block.quarter, block.portal_rows, block.buyer_rows, with_buyers=with_buyers
        )
        values = {fid: entry.value for fid, entry in block.raw.items()}
        assert_nothing_recoverable(tables, values, block.hidden)
        for fid in block.published_ids - block.hidden:
            # What is shown has at least k companies behind it.
            assert not fails_primary(block.raw[fid], k)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_tuples, confirmation_tuples, st.sampled_from([3, 4, 5]), st.booleans())
# The fee table at work: one size band holds every fee report and one company dominates
# it, so the fee table hides its grand total, which is the heat map's fees total.
@example(
    [(0, "fees", 0, c, "open", "per_invoice", "lt-100", "") for c in (0, 0, 1, 2)]
    + [(1, "rejected_format", 1, c, "open", None, None, "") for c in range(5)],
    [],
    3,
    False,
)
def test_a_heat_map_built_alone_shows_and_hides_what_the_whole_quarter_does(
    tuples, confirmation_spec, k, with_buyers
):
    """The period before a report's is built as its heat map only (with the fee table it
    shares a total with), for rising problems: every heat map figure, shown or hidden,
    and whether it is zero, must be exactly what the quarter with all its tables says."""
    rows = rows_from(tuples)
    confirmations = [
        ConfirmationRow(ProblemCategory(c).value, f"company-{who}", MONTHS[m].replace(day=9))
        for c, who, m in confirmation_spec
    ]
    for q in QUARTERS:
        mine = [r for r in rows if Quarter.of(r.published_on) == q]
        given_in = [c for c in confirmations if Quarter.of(c.confirmed_on) == q]
        full = build_block(q, mine, given_in, k, with_buyers=with_buyers)
        alone = build_block(q, mine, given_in, k, with_buyers=with_buyers, heat_only=True)
        assert alone.portal_rows == full.portal_rows
        heat = {fid for fid in full.values if fid.startswith("heat|") or fid == GRAND}
        heat |= {fid for fid in full.published_ids if fid.startswith("heat|") or fid == GRAND}
        assert heat == {fid for fid in alone.values if fid.startswith("heat|") or fid == GRAND} | {
            fid for fid in alone.published_ids if fid.startswith("heat|") or fid == GRAND
        }
        for fid in heat:
            assert alone.figure(fid) == full.figure(fid), fid
            assert alone.is_zero(fid) == full.is_zero(fid), fid
            assert (fid in alone.published_ids) == (fid in full.published_ids), fid
            assert (fid in alone.hidden) == (fid in full.hidden), fid


grid_values = st.lists(
    st.lists(st.lists(st.integers(0, 5), min_size=0, max_size=3), min_size=1, max_size=4),
    min_size=1,
    max_size=4,
)


@SETTINGS
@given(grid_values, st.lists(st.integers(0, 3), min_size=1, max_size=4), st.integers(3, 5))
def test_protect_leaves_no_bridge_in_any_linked_grid_and_line(cells, extra, k):
    """A free-form grid (cells given as lists of company ids) linked to a line through its
    grand total, as the quarter's tables are."""
    figures: dict[str, Contributions] = {}
    n_rows, n_cols = len(cells), max(len(r) for r in cells)
    grid: dict[tuple[str, str], str] = {}
    for i, j in itertools.product(range(n_rows + 1), range(n_cols + 1)):
        r = TOTAL if i == n_rows else f"r{i}"
        c = TOTAL if j == n_cols else f"c{j}"
        fid = GRAND if (r, c) == (TOTAL, TOTAL) else f"g|{r}|{c}"
        grid[(r, c)] = fid
        entry = Contributions()
        for ii in range(n_rows) if r == TOTAL else [i]:
            for jj in range(n_cols) if c == TOTAL else [j]:
                companies = cells[ii][jj] if jj < len(cells[ii]) else []
                for company in companies:
                    entry.add(f"co{company}")
        figures[fid] = entry
    # The line's parts split the grand total's contributions in order.
    owners = [c for c, n in sorted(figures[GRAND].by_company.items()) for _ in range(n)]
    parts = [f"line|{n}" for n in range(len(extra) + 1)]
    for index, owner in enumerate(owners):
        figures.setdefault(parts[index % len(parts)], Contributions()).add(owner)
    tables = [Grid(grid), Line(tuple(parts), GRAND)]
    hidden = protect(figures, tables, k)
    values = {fid: entry.value for fid, entry in figures.items()}
    assert_nothing_recoverable(tables, values, hidden)


# --- the attacker over every period a reader can ask for -----------------------------------


def atom_key(portal: str, category: str, month: date, status: str) -> tuple:
    return (portal, category, month, status)


def functional(portals, categories, months, statuses) -> dict[tuple, int]:
    return {
        atom_key(p, c, m, s): 1
        for p, c, m, s in itertools.product(portals, categories, months, statuses)
    }


def published_figures(blocks, portals_info):
    """(functional over month-level counts, shown figure) for every figure of every report
    a reader can ask for: each quarter, each month (widened to its quarter), both quarters
    together, rising problems of the second quarter against the first."""
    all_portals = [str(p) for p in portals_info]
    slug_to_id = {info.slug: str(pid) for pid, info in portals_info.items()}
    spans = [[blocks[q]] for q in QUARTERS] + [[blocks[q] for q in QUARTERS]]
    found = []
    for span in spans:
        months_of = {b.quarter.key: b.quarter.months for b in span}
        span_months = [m for b in span for m in b.quarter.months]
        order = report_tables.ordered_rows(
            span, lambda b: b.portal_rows, lambda p: heat_id(p, TOTAL)
        )

        def portals_for(key: str, quarter_blocks) -> list[str]:
            if key == TOTAL:
                return all_portals
            if key == OTHER:
                (only,) = quarter_blocks
                return [p for p in all_portals if p not in only.portal_rows]
            return [slug_to_id[key]]

        heat = report_tables.heat_map_table(span, order, portals_info)
        for row in heat["rows"]:
            for column, cell in zip(heat["columns"], row["cells"], strict=True):
                cats = CATEGORIES if column["key"] == TOTAL else [column["key"]]
                f = functional(portals_for(row["key"], span), cats, span_months, STATUSES)
                found.append((f, cell))
        monthly = report_tables.monthly_table(span)
        for row in monthly["rows"]:
            months = (
                span_months if row["key"] == TOTAL else [date.fromisoformat(row["key"] + "-01")]
            )
            found.append((functional(all_portals, CATEGORIES, months, STATUSES), row["cells"][0]))
        status = report_tables.status_table(span)
        for row in status["rows"]:
            statuses = STATUSES if row["key"] == TOTAL else [row["key"]]
            statuses = [s for s in statuses if s in STATUSES]
            f = functional(all_portals, CATEGORIES, span_months, statuses)
            found.append((f, row["cells"][0]))
        for table in report_tables.quarter_trend_tables(span, order, portals_info):
            for row in table["rows"]:
                for column, cell in zip(table["columns"], row["cells"], strict=True):
                    months = span_months if column["key"] == TOTAL else months_of[column["key"]]
                    if table["id"] == "portals_by_quarter":
                        f = functional(portals_for(row["key"], span), CATEGORIES, months, STATUSES)
                    else:
                        cats = CATEGORIES if row["key"] == TOTAL else [row["key"]]
                        f = functional(all_portals, cats, months, STATUSES)
                    found.append((f, cell))
    current, previous = [blocks[QUARTERS[1]]], [blocks[QUARTERS[0]]]
    for item in report_tables.rising(current, previous, portals_info):
        for when, span in (("current", current), ("previous", previous)):
            months = [m for b in span for m in b.quarter.months]
            if item["kind"] == "portal":
                f = functional([slug_to_id[item["key"]]], CATEGORIES, months, STATUSES)
            elif item["kind"] == "category":
                f = functional(all_portals, [item["key"]], months, STATUSES)
            else:
                slug, _, category = item["key"].partition(":")
                f = functional([slug_to_id[slug]], [category], months, STATUSES)
            found.append((f, item[when]))
    return found


@SETTINGS
@given(report_tuples, st.sampled_from([3, 4]))
def test_no_period_month_or_margin_combination_recovers_a_hidden_figure(tuples, k):
    rows = rows_from(tuples)
    blocks = blocks_for(rows, [], k)
    portals_info = {pid: PortalInfo(pid, f"p{pid}", f"Portal {pid}") for pid in (1, 2, 3)}
    truth = Counter(
        atom_key(str(r.portal_id), r.category, r.published_on.replace(day=1), r.status)
        for r in rows
    )
    figures = published_figures(blocks, portals_info)
    attacker = LinearAttacker()
    # The attacker is told every zero: a zero figure means each count in it is zero.
    for f, _ in figures:
        if sum(truth[a] for a in f) == 0:
            for atom in f:
                attacker.learn({atom: 1})
    for f, cell in figures:
        if cell["value"] is not None:
            assert cell["value"] == sum(truth[a] for a in f), "a shown figure is wrong"
            attacker.learn(f)
    for f, cell in figures:
        if cell["value"] is None and sum(truth[a] for a in f) > 0:
            assert not attacker.determines(f), "a hidden figure can be worked out"

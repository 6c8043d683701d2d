"""Disclosure control: the one place that decides which aggregate figures may be shown.

Every count, total, median or index the product shows about members' reports (trend
reports and their snapshots, exports and API, the portal pages, the friction index, the
weekly digest) is decided here. The rules:

1. **Threshold.** A figure is shown only when at least k distinct member companies stand
   behind it, k being the group's anonymity threshold and never below
   ``MIN_THRESHOLD``. Companies are counted by their pseudonym in the group, so two people
   of one company count once. A zero has nobody behind it; it is still shown the same way
   as a small figure ("fewer than k"), so that a hidden figure never reads as "at least
   one".
2. **Dominance.** A money-like figure (a count of fees of a given size band) is also
   hidden when one company contributes more than ``DOMINANCE_SHARE`` of it. Figures that
   say nothing about sizes (fee reports of one kind, all fee reports) are plain counts.
3. **Complementary suppression.** Figures come in tables whose margins are published
   (row and column totals, grand totals, a line of parts with its total). A hidden figure
   must not be recoverable by subtraction, so more figures are hidden until every hidden,
   non-zero figure lies on a *cycle* of hidden non-zero figures: a closed path through
   the table along which +1/-1 can be added alternately without changing any published
   total. Then every hidden value could be one more or one less (and stay >= 0), whatever
   an attacker knows about zeros, so it cannot be pinned down from totals, margins or
   other published figures. In a table this is the classic bridge test (a hidden cell
   that is a bridge of the hidden cells' row/column graph is determined); in a line it
   means zero or at least two hidden non-zero entries. Zeros are treated as known to the
   attacker throughout: a cycle never runs through a zero. The extra figures to hide are
   chosen along the cheapest closed path (smallest figures first).
4. **Linked tables.** Tables of one publication share figures (the quarter's total of new
   reports is the heat map's grand total, the monthly line's total, the status line's
   total...). A figure hidden in one table is hidden in all of them, and protection is
   repeated until nothing changes. The tables of one quarter are linked through single
   shared figures in a tree (heat map - total - lines; heat map - fees total - fee
   table), and for such a tree the per-table cycles join into one, so the guarantee above
   holds for the publication as a whole.
5. **No narrower filters or periods.** Figures are computed only for fixed calendar
   quarters from all of the group's published reports (never for a subset someone can
   choose), so reports cannot be differenced to isolate a month or a filter. Longer
   periods only add up quarter figures that are themselves shown (or are zero), and never
   show a sum that contains a hidden part. See ``trends.blocks``.

Company counts shown next to figures are distinct counts; they do not add up, and are
only shown for figures that are shown.

Limitations, on purpose documented: the live report of the current quarter changes as
reports arrive, so comparing it day by day shows what was added (members see the new
reports in the list anyway; snapshots freeze a report); company counts of two overlapping
figures bound how many companies they share.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MIN_THRESHOLD = 3
DOMINANCE_SHARE = 0.25
TOTAL = "total"


def threshold_for(configured: int | None) -> int:
    """The k actually applied: the group's setting, never below the floor."""
    return max(int(configured or 0), MIN_THRESHOLD)


def hidden_label(k: int) -> str:
    """How a hidden figure reads, everywhere."""
    return f"fewer than {k}"


class Contributions:
    """Who stands behind a figure: how much each company (by pseudonym) contributed.

    Internal only: never rendered, exported or stored. Kept lean (a dict and a running
    total): a group's report counts thousands of these.
    """

    __slots__ = ("by_company", "value")

    def __init__(
        self, by_company: Mapping[str, int] | None = None, counted: int | None = None
    ) -> None:
        """``counted``: the caller hands over a dict of positive counts and their sum,
        taken as they are (no copy, no check): counting makes thousands of these."""
        if counted is not None:
            self.by_company = by_company
            self.value = counted
            return
        self.by_company: dict[str, int] = (
            {k: v for k, v in by_company.items() if v > 0} if by_company else {}
        )
        self.value: int = sum(self.by_company.values())

    @classmethod
    def counted(cls, by_company: dict[str, int]) -> Contributions:
        """Wrap a dict of positive counts as it is (no copy: the caller hands it over)."""
        return cls(by_company, sum(by_company.values()))

    def add(self, company: str, amount: int = 1) -> None:
        self.by_company[company] = self.by_company.get(company, 0) + amount
        self.value += amount

    @property
    def companies(self) -> int:
        return len(self.by_company)

    def merged(self, other: Contributions) -> Contributions:
        combined = Contributions(self.by_company)
        for company, amount in other.by_company.items():
            combined.add(company, amount)
        return combined

    def __repr__(self) -> str:
        return f"<Contributions value={self.value} companies={self.companies}>"


@dataclass(frozen=True)
class Figure:
    """A published figure: its value and how many member companies stand behind it, or
    hidden (both None)."""

    value: int | float | None
    companies: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "companies": self.companies}


HIDDEN = Figure(None, None)


def disclosed_count(reports: int, companies: int, threshold: int) -> int | None:
    """The primary rule for one count: the number, or None when fewer than ``threshold``
    (never below the floor) distinct member companies stand behind it."""
    if reports <= 0 or companies < threshold_for(threshold):
        return None
    return reports


def fails_primary(entry: Contributions, k: int, dominance: float | None = None) -> bool:
    """True when the figure must be hidden on its own: too few companies, or (for
    money-like tables) one company dominates it."""
    if entry.companies < threshold_for(k):
        return True
    return dominance is not None and dominated(entry, dominance)


def dominated(entry: Contributions, share: float = DOMINANCE_SHARE) -> bool:
    total = entry.value
    return total > 0 and max(entry.by_company.values()) > share * total


def meets_threshold(companies: int, k: int) -> bool:
    """For figures built from distinct-company counts alone (the friction index)."""
    return companies >= threshold_for(k)


def publish(entry: Contributions | None, hidden: bool) -> Figure:
    if entry is None or hidden or entry.value <= 0:
        return HIDDEN
    return Figure(entry.value, entry.companies)


# --- tables and their protection ---------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    """A two-way table with its margins: ``cells[(row, column)]`` is a figure id, where a
    row or column named ``TOTAL`` is the margin. Figure ids are global to a publication:
    the same id in two tables is the same figure."""

    cells: Mapping[tuple[str, str], str]
    # Money-like figures of the table (fees by size): also hidden when one company
    # contributes more than DOMINANCE_SHARE of them.
    money: frozenset[str] = frozenset()

    def figure_ids(self) -> Iterable[str]:
        return self.cells.values()

    def complete(self, hidden: set[str], figures: Mapping[str, Contributions]) -> set[str]:
        """Figures to hide as well, so that no hidden non-zero figure is a bridge: take
        the smallest bridge, hide the cheapest path that closes a cycle through it, and
        repeat. Hiding more cells never makes a new bridge (every hidden cell added lies
        on the cycle it closes), so the bridges are found once and each is only checked
        again before its turn."""
        added: set[str] = set()
        edges = {key: fid for key, fid in self.cells.items() if fid in figures}
        edges = {key: fid for key, fid in edges.items() if figures[fid].value > 0}
        suppressed = {key for key, fid in edges.items() if fid in hidden}
        candidates = bridges(suppressed)
        if not candidates:
            return added
        everywhere = _node_edges(edges)
        for bridge in sorted(candidates):
            if not still_a_bridge(bridge, suppressed):
                continue
            path = cheapest_cycle(bridge, edges, suppressed, figures, everywhere)
            new = [key for key in path if key not in suppressed]
            added.update(edges[key] for key in new)
            suppressed.update(new)
        return added


@dataclass(frozen=True)
class Line:
    """Parts that add up to a total (figure ids): a month line, a status line..."""

    parts: tuple[str, ...]
    total: str
    money: frozenset[str] = frozenset()

    def figure_ids(self) -> Iterable[str]:
        return (*self.parts, self.total)

    def complete(self, hidden: set[str], figures: Mapping[str, Contributions]) -> set[str]:
        """A line with exactly one hidden non-zero entry gives it away: hide the smallest
        other non-zero entry too (a part before the total)."""
        entries = [fid for fid in self.figure_ids() if _value(figures, fid) > 0]
        if sum(1 for fid in entries if fid in hidden) != 1:
            return set()
        candidates = [fid for fid in entries if fid not in hidden]
        # A part before the total: the total goes only when the one hidden part is the
        # line's only other non-zero entry. blocks.build_block(heat_only=True) relies on
        # this (see its docstring): change it and the period before, protected with the
        # heat map's tables alone, may hide less than its full report
        # (tests/trends/test_disclosure_properties.py would fail).
        best = min(candidates, key=lambda fid: (_value(figures, fid), fid == self.total))
        return {best}


Table = Grid | Line


def protect(figures: Mapping[str, Contributions], tables: Iterable[Table], k: int) -> set[str]:
    """The ids of the figures to hide in a publication made of ``tables``: those failing
    the primary rule, then complementary suppression until every table is safe."""
    tables = list(tables)
    hidden: set[str] = set()
    k = threshold_for(k)
    for table in tables:
        # fails_primary, unrolled: a publication checks a few hundred figures.
        for fid in table.figure_ids():
            entry = figures.get(fid)
            if (
                entry is None
                or len(entry.by_company) < k
                or (fid in table.money and dominated(entry, DOMINANCE_SHARE))
            ):
                hidden.add(fid)
    # Repeat until stable, looking again only at the other tables that share a newly
    # hidden figure: a table just completed is safe as it is (completing it again adds
    # nothing: hiding more never makes a new bridge, and a line then has two hidden).
    dirty = list(range(len(tables)))
    ids = [set(table.figure_ids()) for table in tables]
    while dirty:
        index = dirty.pop(0)
        more = tables[index].complete(hidden, figures) - hidden
        if more:
            hidden |= more
            for other, other_ids in enumerate(ids):
                if other != index and other not in dirty and other_ids & more:
                    dirty.append(other)
    return hidden


def _value(figures: Mapping[str, Contributions], fid: str) -> int:
    entry = figures.get(fid)
    return entry.value if entry is not None else 0


Key = tuple[str, str]


def _node_edges(edges: Iterable[Key]) -> dict[tuple[str, str], list[Key]]:
    """Adjacency of the bipartite row/column graph: nodes ("r", row) and ("c", column)."""
    adjacency: dict[tuple[str, str], list[Key]] = {}
    for key in edges:
        adjacency.setdefault(("r", key[0]), []).append(key)
        adjacency.setdefault(("c", key[1]), []).append(key)
    return adjacency


def _other_end(node: tuple[str, str], key: Key) -> tuple[str, str]:
    return ("c", key[1]) if node[0] == "r" else ("r", key[0])


def first_bridge(edges: set[Key]) -> Key | None:
    """The smallest bridge of the graph whose edges are the hidden cells (row-column
    pairs); None when every hidden cell lies on a cycle."""
    found = bridges(edges)
    return min(found) if found else None


def bridges(edges: set[Key]) -> list[Key]:
    """Every bridge of the graph whose edges are the hidden cells. The set of bridges does
    not depend on the order of the search, so nodes are plain numbers here (rows and
    columns numbered as met): this runs for every table of every quarter of a report."""
    keys = list(edges)
    rows: dict[str, int] = {}
    columns: dict[str, int] = {}
    adjacency: list[list[tuple[int, int]]] = []  # node -> (neighbour, edge)
    for edge, (row, column) in enumerate(keys):
        a = rows.get(row)
        if a is None:
            a = rows[row] = len(adjacency)
            adjacency.append([])
        b = columns.get(column)
        if b is None:
            b = columns[column] = len(adjacency)
            adjacency.append([])
        adjacency[a].append((b, edge))
        adjacency[b].append((a, edge))
    order = [-1] * len(adjacency)
    low = [0] * len(adjacency)
    found: list[Key] = []
    counter = 0
    for root in range(len(adjacency)):
        if order[root] != -1:
            continue
        # Iterative depth-first search (Tarjan's bridge test).
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            node, via, pending = stack[-1]
            step = next(pending, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                    if low[node] > order[parent]:
                        found.append(keys[via])
                continue
            nxt, edge = step
            if edge == via:
                continue
            if order[nxt] != -1:
                if order[nxt] < low[node]:
                    low[node] = order[nxt]
            else:
                order[nxt] = low[nxt] = counter
                counter += 1
                stack.append((nxt, edge, iter(adjacency[nxt])))
    return found


def still_a_bridge(edge: Key, edges: set[Key]) -> bool:
    """Whether ``edge`` (one of ``edges``) is still the only way between its row and its
    column: a search from the row through the other edges that never reaches the column."""
    adjacency = _node_edges(key for key in edges if key != edge)
    start, goal = ("r", edge[0]), ("c", edge[1])
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for key in adjacency.get(node, ()):
            nxt = _other_end(node, key)
            if nxt == goal:
                return False
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return True


def cheapest_cycle(
    bridge: Key,
    edges: Mapping[Key, str],
    suppressed: set[Key],
    figures: Mapping[str, Contributions],
    adjacency: Mapping[tuple[str, str], list[Key]] | None = None,
) -> list[Key]:
    """The cheapest path between the bridge's row and column through non-zero cells other
    than the bridge; hidden cells cost nothing, others their value. Hiding it closes a
    cycle through the bridge. A non-zero cell always has one (through the margins).
    ``adjacency``: ``_node_edges(edges)``, when the caller has it already."""
    if adjacency is None:
        adjacency = _node_edges(edges)
    start, goal = ("r", bridge[0]), ("c", bridge[1])
    queue: list[tuple[int, int, tuple[str, str], list[Key]]] = [(0, 0, start, [])]
    seen: set[tuple[str, str]] = set()
    tie = 0
    while queue:
        cost, _, node, path = heapq.heappop(queue)
        if node == goal:
            return path
        if node in seen:
            continue
        seen.add(node)
        for key in adjacency.get(node, ()):
            nxt = _other_end(node, key)
            if nxt in seen or key == bridge:
                continue
            step = 0 if key in suppressed else _value(figures, edges[key])
            tie += 1
            heapq.heappush(queue, (cost + step, tie, nxt, [*path, key]))
    raise AssertionError(f"no cycle through {bridge}: a margin is missing from the table")

"""The disclosure rules, one by one, on small tables worked out by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from credgroup.trends.disclosure import (
    HIDDEN,
    MIN_THRESHOLD,
    TOTAL,
    Contributions,
    Figure,
    Grid,
    Line,
    disclosed_count,
    dominated,
    fails_primary,
    first_bridge,
    hidden_label,
    meets_threshold,
    protect,
    publish,
    threshold_for,
)


def by(**amounts: int) -> Contributions:
    return Contributions(Counter(amounts))


def companies(n: int, start: int = 0) -> Contributions:
    return Contributions(Counter({f"c{i}": 1 for i in range(start, start + n)}))


def grid_figures(inner: dict[tuple[str, str], Contributions]):
    """A grid with its margins computed from the inner cells."""
    rows = sorted({r for r, _ in inner})
    columns = sorted({c for _, c in inner})
    figures, cells = {}, {}
    for r in [*rows, TOTAL]:
        for c in [*columns, TOTAL]:
            fid = f"{r}|{c}"
            cells[(r, c)] = fid
            entry = Contributions()
            for (ir, ic), value in inner.items():
                if r in (ir, TOTAL) and c in (ic, TOTAL):
                    entry = entry.merged(value)
            figures[fid] = entry
    return figures, Grid(cells)


def test_threshold_is_never_below_three():
    assert MIN_THRESHOLD == 3
    assert threshold_for(1) == 3 and threshold_for(0) == 3 and threshold_for(None) == 3
    assert threshold_for(5) == 5 and threshold_for(11) == 11


@pytest.mark.parametrize(
    ("reports", "distinct", "k", "shown"),
    [
        (0, 0, 3, None),
        (2, 2, 3, None),
        (9, 2, 3, None),
        (3, 3, 3, 3),
        (4, 4, 5, None),
        (7, 5, 5, 7),
        (3, 3, 1, 3),
        (2, 2, 1, None),
    ],
)
def test_a_count_is_shown_only_from_k_distinct_companies(reports, distinct, k, shown):
    assert disclosed_count(reports, distinct, k) == shown


def test_many_reports_from_one_company_are_still_hidden():
    assert fails_primary(by(a=12), 3)
    assert fails_primary(by(a=5, b=5), 3)
    assert not fails_primary(by(a=5, b=5, c=1), 3)


def test_zero_is_hidden_like_a_small_figure():
    assert publish(Contributions(), hidden=False) == HIDDEN
    assert publish(companies(5), hidden=False) == Figure(5, 5)
    assert publish(companies(5), hidden=True) == HIDDEN
    assert hidden_label(5) == "fewer than 5"


def test_dominance_hides_a_figure_one_company_carries():
    assert dominated(by(a=2, b=1, c=1, d=1, e=1))  # 2 of 6 = 33%
    assert not dominated(by(a=1, b=1, c=1, d=1))  # exactly 25% is not above
    assert fails_primary(by(a=3, b=1, c=1, d=1, e=1, f=1), 5, dominance=0.25)
    assert not fails_primary(by(a=3, b=1, c=1, d=1, e=1, f=1), 5)  # a plain count


def test_friction_counts_meet_the_threshold_on_their_own():
    assert meets_threshold(3, 3) and meets_threshold(5, 2)
    assert not meets_threshold(2, 3) and not meets_threshold(4, 5)


def test_a_line_with_one_hidden_part_hides_the_smallest_other_part():
    figures = {"a": companies(6), "b": companies(1), "c": companies(4), "t": companies(11)}
    assert protect(figures, [Line(("a", "b", "c"), "t")], 3) == {"b", "c"}


def test_a_line_hides_the_total_when_no_other_part_is_non_zero():
    figures = {"a": companies(5), "b": by(x=2), "t": companies(5).merged(by(x=2))}
    figures["c"] = Contributions()
    assert protect(figures, [Line(("a", "b", "c"), "t")], 3) == {"a", "b", "c"}


def test_a_line_with_two_hidden_parts_needs_nothing_more():
    figures = {
        "a": companies(6),
        "b": by(x=1),
        "c": by(y=2),
        "t": companies(6).merged(by(x=1, y=2)),
    }
    assert protect(figures, [Line(("a", "b", "c"), "t")], 3) == {"b", "c"}


def test_a_single_small_cell_in_a_grid_is_protected_by_a_cycle():
    figures, grid = grid_figures(
        {
            ("p", "x"): companies(5),
            ("p", "y"): by(q=1),
            ("s", "x"): companies(5, 10),
            ("s", "y"): companies(5, 20),
        }
    )
    hidden = protect(figures, [grid], 3)
    assert "p|y" in hidden
    # The hidden cells close a cycle: no hidden cell is alone in its row or column.
    keys = {key for key, fid in grid.cells.items() if fid in hidden}
    assert first_bridge(keys) is None
    assert len(hidden) >= 4


def test_hidden_zero_cells_are_not_used_to_protect_anything():
    """Zeros are treated as known: a small cell alone among zeros in its row must be
    protected by other non-zero figures (here the row's total and more)."""
    figures, grid = grid_figures(
        {
            ("p", "x"): companies(5),
            ("p", "y"): Contributions(),
            ("s", "x"): companies(4, 10),
            ("s", "y"): by(q=1),
        }
    )
    hidden = protect(figures, [grid], 3)
    assert "s|y" in hidden
    nonzero = {k for k, fid in grid.cells.items() if fid in hidden and figures[fid].value > 0}
    assert first_bridge(nonzero) is None


def test_a_figure_hidden_in_one_table_is_hidden_in_every_table_it_is_in():
    figures, grid = grid_figures({("p", "x"): companies(6), ("p", "y"): companies(6, 10)})
    # The grand total "TOTAL|TOTAL" is also the total of a month line with one small month.
    figures["m1"], figures["m2"] = companies(11), by(c10=1)
    line = Line(("m1", "m2"), f"{TOTAL}|{TOTAL}")
    hidden = protect(figures, [grid, line], 3)
    assert "m2" in hidden and "m1" in hidden  # the line's smallest other part
    # and the grid stays as it was: nothing in it is small.
    assert f"{TOTAL}|{TOTAL}" not in hidden


def test_nothing_is_hidden_when_everything_is_big_enough():
    figures, grid = grid_figures({("p", "x"): companies(5), ("s", "y"): companies(5, 10)})
    hidden = protect(figures, [grid], 3)
    assert all(figures[fid].value == 0 for fid in hidden)


def test_bridges_are_found_in_a_stable_order():
    assert first_bridge(set()) is None
    assert first_bridge({("a", "x")}) == ("a", "x")
    square = {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    assert first_bridge(square) is None
    assert first_bridge(square | {("b", "z")}) == ("b", "z")

"""An attacker for the disclosure tests, written without the code under test.

It gets every published figure as a linear equation over unknowns (the figures, or the
month-level counts they add up), is told every figure that is truly zero (more than any
real reader knows), and tries two things to pin down a hidden, non-zero figure:

- linear algebra over the rationals: a hidden figure is recovered when its vector lies in
  the span of what is known (``LinearAttacker.determines``);
- bounds: every unknown is >= 0, and each equation narrows the others' ranges until
  nothing moves (``pinned_by_bounds``); a figure whose range shrinks to one value is
  recovered.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction

Vector = dict[Hashable, Fraction]


class LinearAttacker:
    """Keeps a reduced basis of the known linear functionals (sparse, exact)."""

    def __init__(self) -> None:
        self.basis: dict[Hashable, Vector] = {}  # pivot variable -> row with 1 at pivot

    def _reduce(self, vector: Mapping[Hashable, int | Fraction]) -> Vector:
        row = {k: Fraction(v) for k, v in vector.items() if v}
        changed = True
        while changed:
            changed = False
            for pivot in [k for k in row if k in self.basis]:
                factor = row.get(pivot)
                if not factor:
                    continue
                for k, v in self.basis[pivot].items():
                    new = row.get(k, Fraction(0)) - factor * v
                    if new:
                        row[k] = new
                    else:
                        row.pop(k, None)
                changed = True
        return row

    def learn(self, vector: Mapping[Hashable, int | Fraction]) -> None:
        row = self._reduce(vector)
        if not row:
            return
        pivot = min(row, key=repr)
        scale = row[pivot]
        row = {k: v / scale for k, v in row.items()}
        # Keep the basis fully reduced: remove the new pivot from the other rows.
        for other in self.basis.values():
            factor = other.get(pivot)
            if factor:
                for k, v in row.items():
                    new = other.get(k, Fraction(0)) - factor * v
                    if new:
                        other[k] = new
                    else:
                        other.pop(k, None)
        self.basis[pivot] = row

    def determines(self, vector: Mapping[Hashable, int | Fraction]) -> bool:
        """True when the functional's value follows from what is known."""
        return not self._reduce(vector)


def pinned_by_bounds(
    equations: Iterable[tuple[Mapping[Hashable, int], int]],
    unknowns: Iterable[Hashable],
    rounds: int = 200,
) -> set[Hashable]:
    """Unknowns whose value interval (all unknowns integer >= 0) collapses to one value
    under repeated propagation of ``sum(coef * x) == value`` equations (coef +-1)."""
    equations = [(dict(coefs), value) for coefs, value in equations]
    low = {u: 0 for u in unknowns}
    high: dict[Hashable, float] = {u: float("inf") for u in low}
    for _ in range(rounds):
        moved = False
        for coefs, value in equations:
            for var, coef in coefs.items():
                rest_low = sum(
                    c * (low[v] if c > 0 else high[v]) for v, c in coefs.items() if v != var
                )
                rest_high = sum(
                    c * (high[v] if c > 0 else low[v]) for v, c in coefs.items() if v != var
                )
                # coef * var = value - rest
                lo, hi = value - rest_high, value - rest_low
                if coef < 0:
                    lo, hi = -hi, -lo
                if lo > low[var]:
                    low[var], moved = lo, True
                if hi < high[var]:
                    high[var], moved = hi, True
        if not moved:
            break
    return {u for u in low if low[u] == high[u]}

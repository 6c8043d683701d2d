"""How much a scale run generates: the association's full size and fractions of it."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

# A national association hosting every one of its groups on one credgroup (issue 7).
FULL = {
    "groups": 1_000,
    "companies": 20_000,
    "people": 60_000,
    "reports": 1_000_000,
    "articles": 20_000,
}

# Named steps for ``demo-data --scale``.
STEPS = {"tiny": 0.001, "small": 0.01, "medium": 0.1, "full": 1.0}

# A group needs enough companies for its figures to clear the anonymity threshold (k is 5
# by default) and people enough to discuss; below these floors a scaled size stops looking
# like a credit group.
MIN_COMPANIES_PER_GROUP = 8
MIN_PEOPLE_PER_COMPANY = 1


@dataclass(frozen=True)
class Sizes:
    """Row counts of one run. Derived rows (memberships, comments, confirmations,
    meetings...) follow from these in realistic proportions."""

    groups: int
    companies: int
    people: int
    reports: int
    articles: int
    # How far back each group's meetings go (then the next one, still to come).
    history_months: int = 24

    @classmethod
    def scaled(cls, factor: float) -> Sizes:
        """The full size times ``factor`` (at least one group, and the floors above)."""
        if factor <= 0:
            raise ValueError("the scale must be above zero")
        groups = max(1, round(FULL["groups"] * factor))
        companies = max(groups * MIN_COMPANIES_PER_GROUP, round(FULL["companies"] * factor))
        people = max(companies * MIN_PEOPLE_PER_COMPANY, round(FULL["people"] * factor))
        return cls(
            groups=groups,
            companies=companies,
            people=people,
            reports=round(FULL["reports"] * factor),
            articles=round(FULL["articles"] * factor),
        )

    def with_counts(self, **counts: int) -> Sizes:
        return replace(self, **counts)

    def describe(self) -> str:
        counted = [f.name for f in fields(self) if f.name != "history_months"]
        parts = [f"{getattr(self, name):,} {name}" for name in counted]
        return ", ".join(parts) + f", meetings over {self.history_months} months"


def parse_scale(value: str) -> float:
    """``--scale`` accepts a named step (tiny, small, medium, full) or a positive number."""
    text = value.strip().lower()
    if text in STEPS:
        return STEPS[text]
    try:
        factor = float(text)
    except ValueError:
        raise ValueError(f"'{value}' is neither a number nor one of {', '.join(STEPS)}") from None
    if not 0 < factor <= 10:
        raise ValueError("the scale must be above 0 and at most 10")
    return factor

"""Counting one quarter's figures: for every figure id of the quarter's tables (see
``blocks``), how many of the quarter's reports or confirmations each company contributed.

The portals and customers big enough for a row of their own are picked first, from plain
counts, so that every report is counted once straight into its row or into "other": the
figures of rows that do not exist are never tallied company by company, only their
values are kept (a sum over quarters must know a part is there to refuse to add it up).
All (figure, company) pairs of the quarter go into one ``Counter``, which counts in C; a
quarter of a busy group has hundreds of reports, each adding to eight or more figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from credgroup.reports.enums import ProblemCategory, ReportStatus
from credgroup.trends.data import ConfirmationRow, ReportRow
from credgroup.trends.disclosure import TOTAL, Contributions, threshold_for
from credgroup.trends.periods import Quarter

OTHER = "other"
NONE = "none"
GRAND = "total"
FEES = ProblemCategory.FEES.value
WORKAROUND_STATUSES = frozenset({ReportStatus.WORKAROUND_FOUND.value, ReportStatus.RESOLVED.value})
# Rows beyond these are added into "other": a table people can read in a minute.
MAX_PORTAL_ROWS = 15
MAX_BUYER_ROWS = 10
_first = itemgetter(0)


def buyer_key(name: str) -> str:
    """A customer as one key whatever its spelling; "" when none. Prefixed so that a
    customer called "Other" or "None" stays apart from the rows of those names."""
    key = " ".join(name.casefold().split())
    return f"c:{key}" if key else ""


def own_rows(keys: Sequence[str], companies: Sequence[str], k: int, limit: int) -> list[str]:
    """The keys (one per report, with the report's company) that at least k companies
    stand behind, biggest first, at most ``limit``. Only a row's own total decides, so a
    row's presence says nothing about hidden figures."""
    k = threshold_for(k)
    sizes = Counter(keys)
    spread = Counter(map(_first, set(zip(keys, companies, strict=True))))
    eligible = [key for key, n in spread.items() if n >= k]
    eligible.sort(key=lambda key: (-sizes[key], key))
    return eligible[:limit]


def tally(
    fids: Sequence[str], companies: Sequence[str], sums: Counter[str]
) -> dict[str, Contributions]:
    """Figure ``fids[i]`` counts one for company ``companies[i]``, for every i;
    ``sums``: ``Counter(fids)``."""
    by_figure: dict[str, dict[str, int]] = {}
    for (fid, company), n in Counter(zip(fids, companies, strict=True)).items():
        entry = by_figure.get(fid)
        if entry is None:
            by_figure[fid] = {company: n}
        else:
            entry[company] = n
    return {fid: Contributions(entry, sums[fid]) for fid, entry in by_figure.items()}


@dataclass
class QuarterCounts:
    """What one quarter's reports add up to, before anything is hidden."""

    figures: dict[str, Contributions]  # the figures of the quarter's tables
    values: dict[str, int]  # every figure's value, rows of its own or not
    portal_rows: list[str]  # portal ids (as text) with a row of their own, biggest first
    buyer_rows: list[str]  # customer keys with a row of their own
    buyer_names: Counter[tuple[str, str]]  # (customer key, name as written) -> reports


def count_quarter(
    quarter: Quarter,
    reports: Sequence[ReportRow],
    confirmations: Iterable[ConfirmationRow],
    k: int,
    *,
    with_buyers: bool,
    heat_only: bool = False,
) -> QuarterCounts:
    """Count every figure of the quarter, each report into its portal's row or "other"
    and into its customer's row, "other" or "not given". ``heat_only``: only the heat map
    and the fee table (see ``blocks.build_block``)."""
    companies = [r.company for r in reports]
    portals = [str(r.portal_id) for r in reports]
    categories = [r.category for r in reports]
    portal_rows = own_rows(portals, companies, k, MAX_PORTAL_ROWS)
    own = set(portal_rows)
    rows = [p if p in own else OTHER for p in portals]
    months = {m.month: f"month|{m:%Y-%m}" for m in quarter.months}
    fids = [f"heat|{r}|{c}" for r, c in zip(rows, categories, strict=True)]
    fids += [f"heat|{r}|{TOTAL}" for r in rows]
    fids += [f"heat|{TOTAL}|{c}" for c in categories]
    fids += [GRAND] * len(reports)
    who = companies * 4
    fee_ids, fee_companies = _fee_figures([r for r in reports if r.category == FEES])
    fids += fee_ids
    who += fee_companies
    # The portals without a row: their heat map figures are known only by value.
    outside = [i for i, p in enumerate(portals) if p not in own]
    hidden_rows = [f"heat|{portals[i]}|{categories[i]}" for i in outside]
    hidden_rows += [f"heat|{portals[i]}|{TOTAL}" for i in outside]
    buyer_rows: list[str] = []
    buyer_names: Counter[tuple[str, str]] = Counter()
    if heat_only:
        return _counted(fids, who, hidden_rows, portal_rows, buyer_rows, buyer_names)
    fids += [months[r.published_on.month] for r in reports]
    fids += [f"status|{r.status}" for r in reports]
    who += companies * 2
    if with_buyers:
        keys = {name: buyer_key(name) or NONE for name in {r.buyer for r in reports}}
        buyers = [keys[r.buyer] for r in reports]
        buyer_names = Counter(zip(buyers, [r.buyer for r in reports], strict=True))
        named = [i for i, key in enumerate(buyers) if key != NONE]
        buyer_rows = own_rows(
            [buyers[i] for i in named], [companies[i] for i in named], k, MAX_BUYER_ROWS
        )
        shown = {*buyer_rows, NONE}
        fids += [f"buyer|{key if key in shown else OTHER}" for key in buyers]
        who += companies
        hidden_rows += [f"buyer|{key}" for key in buyers if key not in shown]
    confirmations = list(confirmations)
    fids += [f"confirm|{c.category}" for c in confirmations]
    fids += ["confirm|total"] * len(confirmations)
    who += [c.company for c in confirmations] * 2
    return _counted(fids, who, hidden_rows, portal_rows, buyer_rows, buyer_names)


def _counted(
    fids: list[str],
    who: list[str],
    hidden_rows: list[str],
    portal_rows: list[str],
    buyer_rows: list[str],
    buyer_names: Counter[tuple[str, str]],
) -> QuarterCounts:
    """The quarter's counts, from its table figures (one per report and company in
    ``fids``/``who``) and the figures of rows it does not have (``hidden_rows``)."""
    values = Counter(fids)
    figures = tally(fids, who, values)
    values.update(hidden_rows)  # after tallying: only their values are kept
    return QuarterCounts(figures, values, portal_rows, buyer_rows, buyer_names)


def _fee_figures(fees: Sequence[ReportRow]) -> tuple[list[str], list[str]]:
    """The fee table's figure ids of the fee reports, and the company of each."""
    kinds = [r.fee_kind or NONE for r in fees]
    bands = [r.fee_size_band or NONE for r in fees]
    fids = [f"fee|{k}|{b}" for k, b in zip(kinds, bands, strict=True)]
    fids += [f"fee|{k}|{TOTAL}" for k in kinds]
    fids += [f"fee|{TOTAL}|{b}" for b in bands]
    return fids, [r.company for r in fees] * 3


def workaround_days(reports: Iterable[ReportRow]) -> tuple[list[int], Contributions]:
    """Days from publication to the last status change of the reports now marked
    "workaround found" or "resolved", and who reported them."""
    days: list[int] = []
    companies: dict[str, int] = {}
    for report in reports:
        if report.status in WORKAROUND_STATUSES and report.status_changed_on is not None:
            waited = (report.status_changed_on - report.published_on).days
            if waited >= 0:
                days.append(waited)
                companies[report.company] = companies.get(report.company, 0) + 1
    return days, Contributions.counted(companies)

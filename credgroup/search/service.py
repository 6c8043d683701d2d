"""The search service behind the search page and ``GET /api/v1/search``.

One call, :func:`search`, does it all for one viewer: read the query (``query.parse``),
resolve operators against the catalogue and the viewer's own groups, expand portal
aliases, ask the backend with the visibility filter inside the engine (so totals and facet
counts only ever include what the viewer may see), fall back sensibly when nothing
matches (spelling correction, then "any of the words"), reload the hits from the database
and check each again there, and log the query for the group's analytics without the user.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from credgroup.errors import ValidationError
from credgroup.groups.access import visible_groups
from credgroup.search import analytics
from credgroup.search.backend import (
    ASSOCIATION_SCOPE,
    FACETS,
    BackendQuery,
    BackendResults,
    Clause,
    get_backend,
)
from credgroup.search.query import CONTROL, ParsedQuery, parse, replace_word
from credgroup.search.results import FacetValue, SearchHit, facet_values, load_hits
from credgroup.search.vocabulary import (
    TYPE_ALIASES,
    find_category,
    find_status,
    normal,
    portal_names,
    scopes_of,
)

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

SORTS = {"relevance": "Best match", "newest": "Newest first", "confirmed": "Most confirmed"}
SORT_ALIASES = {"most_confirmed": "confirmed", "score": "relevance", "date": "newest"}
PAGE_SIZE = 10
MAX_PER_PAGE = 50
MAX_RESULT_WINDOW = 1000
# Longer queries read like questions: any word may match, documents with more rank higher.
LONG_QUERY_WORDS = 5
FEW_RESULTS = 3
FILTER_FIELDS = {
    "type": "type",
    "portal": "portal",
    "category": "categories",
    "status": "status",
    "group": "scope",
}


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = PAGE_SIZE
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    correct: bool = True  # False: search exactly what was typed (no spelling correction)

    @classmethod
    def from_args(cls, args: Mapping[str, Any], per_page: int = PAGE_SIZE) -> SearchParams:
        """Read ``q``, ``sort``, ``page``, ``per_page`` and operator parameters
        (``type``, ``portal``, ...); bad paging or sort values raise ValidationError."""
        sort = str(args.get("sort") or "relevance").strip().lower()
        sort = SORT_ALIASES.get(sort, sort)
        if sort not in SORTS:
            raise ValidationError("sort", f"Sort by one of: {', '.join(SORTS)}.")
        page = _int(args, "page", 1, 1, MAX_RESULT_WINDOW)
        size = _int(args, "per_page", per_page, 1, MAX_PER_PAGE)
        if (page - 1) * size >= MAX_RESULT_WINDOW:
            raise ValidationError(
                "page", f"Only the first {MAX_RESULT_WINDOW} results can be paged through."
            )
        getlist = getattr(args, "getlist", None)
        filters = {
            name: [
                CONTROL.sub("", str(v))[:120]
                for v in (getlist(name) if getlist else [args[name]])
                if v
            ]
            for name in FILTER_FIELDS
            if args.get(name)
        }
        exact = str(args.get("exact") or "") in ("1", "true", "yes")
        return cls(str(args.get("q") or ""), sort, page, size, filters, correct=not exact)


def _int(args: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = str(args.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or not low <= int(raw) <= high:
        raise ValidationError(name, f"'{name}' must be a whole number from {low} to {high}.")
    return int(raw)


@dataclass
class SearchOutcome:
    """What one search found, ready for a page or a JSON response."""

    query: str
    params: SearchParams
    searched: bool = False
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    did_you_mean: str | None = None
    corrected_from: str | None = None  # we searched the correction instead of this
    any_words: bool = False  # no result had every word; these have some
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        shown = min(self.total, MAX_RESULT_WINDOW)
        return max(1, math.ceil(shown / self.params.per_page))


@dataclass
class _Context:
    """The viewer's side of one search: what they may see, and the filters they asked for."""

    scope_groups: dict[str, CreditGroup]
    filters: dict[str, frozenset[str]]
    params: SearchParams

    def query(self, clauses: Sequence[Clause], *, match_all: bool, **extra: Any) -> BackendQuery:
        return BackendQuery(
            clauses=tuple(clauses),
            scopes=frozenset(self.scope_groups) | {ASSOCIATION_SCOPE},
            filters=self.filters,
            match_all_words=match_all,
            sort=self.params.sort,  # type: ignore[arg-type]
            offset=(self.params.page - 1) * self.params.per_page,
            limit=self.params.per_page,
            **extra,
        )

    def count(self, clauses: Sequence[Clause]) -> int:
        return get_backend().count(self.query(clauses, match_all=True, facets=False))


def search(viewer: User, params: SearchParams, *, log: bool = True) -> SearchOutcome:
    """Search the published reports and articles ``viewer`` may see."""
    parsed = parse(params.q)
    for name, values in params.filters.items():
        parsed.filters.setdefault(name, []).extend(v for v in values if v)
    outcome = SearchOutcome(query=parsed.text, params=params, filters=dict(parsed.filters))
    if parsed.is_empty:
        outcome.notices = parsed.notices
        return outcome
    scope_groups = scopes_of(visible_groups(viewer))
    ctx = _Context(scope_groups, _resolve_filters(parsed, scope_groups), params)
    parsed.clauses = _expand_aliases(parsed.clauses)
    results = _run(ctx, parsed, outcome)
    outcome.searched = True
    outcome.total = results.total
    outcome.hits = load_hits(results.hits, scope_groups, results.highlight_terms)
    outcome.facets = {
        name: facet_values(name, results.facets.get(name, {}), scope_groups, parsed.filters)
        for name in FACETS
    }
    outcome.notices = parsed.notices
    if log and params.page == 1:
        analytics.log_search(viewer, parsed.text, outcome.total, _logged_groups(ctx))
    return outcome


def _run(ctx: _Context, parsed: ParsedQuery, outcome: SearchOutcome) -> BackendResults:
    backend = get_backend()
    positive = [c for c in parsed.clauses if not c.negated]
    match_all = not parsed.any_words and len(positive) < LONG_QUERY_WORDS
    results = backend.search(ctx.query(parsed.clauses, match_all=match_all))
    if results.total >= FEW_RESULTS or not parsed.has_text:
        return results
    corrected = _correction(ctx, parsed, results.total) if ctx.params.correct else None
    if corrected is not None:
        clauses, text = corrected
        if results.total:
            outcome.did_you_mean = text
            return results
        better = backend.search(ctx.query(clauses, match_all=match_all))
        if better.total:
            outcome.corrected_from, outcome.query = parsed.text, text
            parsed.note(f"Showing results for “{text}”.")
            return better
    if not results.total and match_all and len(positive) > 1:
        some = backend.search(ctx.query(parsed.clauses, match_all=False))
        if some.total:
            outcome.any_words = True
            parsed.note("No result has all of your words; these have some of them.")
            return some
    return results


def _correction(ctx: _Context, parsed: ParsedQuery, found: int) -> tuple[list[Clause], str] | None:
    """Replace words that nothing (or little) visible contains by close words that are in
    documents the viewer may see. Every suggestion is counted against the viewer's own
    results, so it never reveals a word from a document they cannot read."""
    clauses, text = list(parsed.clauses), parsed.text
    for i, clause in enumerate(clauses):
        if clause.kind == "term" and not clause.negated and len(clause.text) >= 3:
            better = _better_word(ctx, clause, found)
            if better is not None:
                clauses[i] = replace(clause, text=better, expansions=(), portals=())
                text = replace_word(text, clause.text, better)
    if text == parsed.text or ctx.count(clauses) <= found:
        return None
    return clauses, text


def _better_word(ctx: _Context, clause: Clause, found: int) -> str | None:
    own = ctx.count([clause])
    if own and not found:
        return None  # the word is fine; it is the combination that finds nothing
    for candidate in get_backend().suggestions(clause.text, limit=4):
        count = ctx.count([Clause("term", candidate)])
        if (count > own * 3) if own else count > 0:
            return candidate
    return None


MAX_NAME_WORDS = 5


def _expand_aliases(clauses: list[Clause]) -> list[Clause]:
    """A word, a phrase, or words in a row naming a portal also find that portal's
    documents and its other names ("Ariba" finds "SAP Business Network", and so do the
    three words sap business network)."""
    names = portal_names()
    expanded: list[Clause] = []
    i = 0
    while i < len(clauses):
        span, portal = _portal_at(clauses, i, names)
        if portal is None:
            expanded.append(clauses[i])
            i += 1
            continue
        text = " ".join(c.text for c in clauses[i : i + span])
        others = tuple(n for n in names.names_of(portal) if normal(n) != normal(text))
        kind = "term" if span == 1 and clauses[i].kind == "term" else "phrase"
        slugs = tuple(sorted(names.slugs_of(portal)))
        expanded.append(Clause(kind, text, expansions=others, portals=slugs))
        i += span
    return expanded


def _portal_at(clauses: list[Clause], start: int, names) -> tuple[int, Any]:
    """The longest run of plain words (or one phrase) from ``start`` naming a portal."""
    for span in range(min(MAX_NAME_WORDS, len(clauses) - start), 0, -1):
        run = clauses[start : start + span]
        plain = all(c.kind == "term" and not c.negated for c in run)
        if span > 1 and not plain:
            continue
        if run[0].negated or run[0].kind not in ("term", "phrase"):
            return 0, None
        portal = names.find(" ".join(c.text for c in run))
        if portal is not None:
            return span, portal
    return 0, None


def _resolve_filters(
    parsed: ParsedQuery, scope_groups: dict[str, CreditGroup]
) -> dict[str, frozenset[str]]:
    """Operator values -> index values. An unknown value matches nothing and says why."""
    resolved: dict[str, frozenset[str]] = {}
    by_slug = {group.slug: scope for scope, group in scope_groups.items()}
    names = portal_names()
    for name, values in parsed.filters.items():
        found: set[str] = set()
        for value in values:
            found |= _resolve_value(name, value, by_slug, names, parsed)
        resolved[FILTER_FIELDS[name]] = frozenset(found)
    return resolved


def _resolve_value(name: str, value: str, by_slug, names, parsed: ParsedQuery) -> set[str]:
    key = normal(value)
    if name == "type" and key in TYPE_ALIASES:
        return {TYPE_ALIASES[key]}
    if name == "portal" and (portal := names.find(value)) is not None:
        return names.slugs_of(portal)
    if name == "category" and (category := find_category(value)):
        return {category}
    if name == "status" and (status := find_status(value)):
        return {status}
    if name == "group" and key in by_slug:
        return {by_slug[key]}
    if name == "group" and key in ("association", "all"):
        return {ASSOCIATION_SCOPE}
    parsed.note(_unknown(name, value))
    return set()


def _unknown(name: str, value: str) -> str:
    hints = {
        "type": "use type:article or type:report",
        "portal": "check the name in the portal catalogue",
        "category": "for example category:fees or category:rejected_format",
        "status": "for example status:open or status:resolved",
        "group": "use the short name of one of your groups",
    }
    return f"No {name} “{value}”: {hints[name]}."


def _logged_groups(ctx: _Context) -> list[CreditGroup]:
    wanted = ctx.filters.get("scope")
    return [g for s, g in ctx.scope_groups.items() if wanted is None or s in wanted]

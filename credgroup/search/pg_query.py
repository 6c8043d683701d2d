"""From our clause objects to PostgreSQL full-text SQL, for ``pg_backend``.

Nothing here parses what people typed: ``query.parse`` did that, into clauses of plain
words. Each piece of a clause is analysed by PostgreSQL itself (``phraseto_tsquery`` and
``to_tsquery`` with the ``english`` configuration: the stemmer and stop words the
documents were indexed with), and the resulting ``tsquery`` texts are joined here with
``&``, ``|`` and ``!``, like websearch_to_tsquery would, but from our clauses: a clause
matches by its words, by a portal's other names, or by its portal (a lexeme of its own).
Every value reaches SQL as a bound parameter; the SQL text is built from constants only.

Visibility is a condition of the same statement that counts and facets: only documents
in the viewer's scopes are ever counted, grouped or ranked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from credgroup.search.backend import BackendQuery, Clause

#: Rank weights for D (labels: a word naming the portal), C (text), B (error text, tags),
#: A (title): title over text, as the Whoosh backend's field boosts (1.5 / 1.0, portal 1.2).
WEIGHTS = [0.8, 0.67, 0.8, 1.0]
#: Normalisation: divide by 1 + log(document length), so a long text does not win by
#: repeating a word (Whoosh's BM25F normalises length too).
NORMALIZATION = 1
#: When every word must match, cover density ranks documents where they stand close
#: together first. When any may (OR, long questions), frequency ranks better: on CISI's
#: questions ts_rank scores nDCG@10 0.29, ts_rank_cd 0.22 (benchmarks/search_bench.py cisi).
RANK = {True: "ts_rank_cd", False: "ts_rank"}
#: Lexemes standing for "this document is about that portal", "is a report", "has status
#: open"...: operators are matched inside the word index with the words, so only documents
#: meeting both are ever read from the table. No text produces them: the parser never
#: yields a word with a space or a tilde in it.
LABELS = {
    "portal": "~portal {}",
    "type": "~type {}",
    "categories": "~category {}",
    "status": "~status {}",
}
LABEL_PREFIX = "~"
ORDER = {
    "relevance": "score DESC, published_day DESC, doc_type, doc_id",
    "newest": "published_day DESC, doc_type, doc_id",
    "confirmed": "confirmed DESC, published_day DESC, doc_type, doc_id",
}
# (facet name, column expression, FROM addition, condition): the same names as FACETS.
FACET_SQL = {
    "type": ("doc_type", "", "TRUE"),
    "portal": ("portal", "", "portal <> ''"),
    "category": ("c", ", unnest(categories) AS c", "TRUE"),
    "status": ("status", "", "status <> ''"),
    "group": ("scope", "", "TRUE"),
}

ANALYSE = """
SELECT CASE p.kind
    WHEN 'words' THEN phraseto_tsquery('english', p.text)
    WHEN 'prefix' THEN to_tsquery('english', p.text)
    ELSE to_tsquery('simple', p.text)
END::text
FROM unnest(CAST(:kinds AS text[]), CAST(:texts AS text[])) WITH ORDINALITY AS p(kind, text, n)
ORDER BY p.n
"""
LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'(:\*)?")
UNQUOTE = re.compile(r"\\(.)|''")


def literal(lexeme: str, *, prefix: bool = False) -> str:
    """``lexeme`` as a quoted tsquery/tsvector item (taken as is, not analysed again)."""
    quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def label(field: str, value: str) -> str:
    """The lexeme of an operator's value (``label("portal", "coupa")``)."""
    return LABELS[field].format(value)


def labels(doc) -> list[str]:
    """The label lexemes of an index document (empty values have none)."""
    values = [("type", doc.doc_type), ("portal", doc.portal), ("status", doc.status)]
    values += [("categories", category) for category in doc.categories]
    return sorted({label(field, value) for field, value in values if value})


# --- what to analyse ---------------------------------------------------------------------


def pieces(clause: Clause, fuzzy_words: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(kind, text) pieces for PostgreSQL to analyse, whose tsqueries any match the clause:
    ``words`` (a word or a phrase), ``prefix`` (stemmed) and ``typed`` (a prefix as typed:
    "subscription*" must find "subscriptions", stemmed "subscript")."""
    if clause.kind == "prefix":
        text = literal(clause.text.lower(), prefix=True)
        found = [("typed", text), ("prefix", text)]
    elif clause.kind == "fuzzy":
        found = [("words", word) for word in fuzzy_words.get(clause.text.lower(), [clause.text])]
    else:
        found = [("words", clause.text)]
    return found + [("words", alternative) for alternative in clause.expansions]


def all_pieces(clauses: Iterable[Clause], fuzzy_words: dict[str, list[str]]) -> list:
    return sorted({p for clause in clauses for p in pieces(clause, fuzzy_words)})


# --- joining the analysed pieces -----------------------------------------------------------


@dataclass(frozen=True)
class TextQuery:
    """What the words of a search became: a tsquery text (None: every visible document
    matches, as when only operators or stop words were typed), whether there is anything
    to rank by, and the lexemes to highlight."""

    tsquery: str | None = None
    scored: bool = False
    lexemes: frozenset[str] = frozenset()


def _any(parts: list[str]) -> str | None:
    parts = [part for part in parts if part]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else " | ".join(f"( {part} )" for part in parts)


def clause_tsquery(clause: Clause, analysed: dict, fuzzy_words: dict) -> str | None:
    parts = [analysed[p] for p in pieces(clause, fuzzy_words)]
    parts += [literal(label("portal", slug)) for slug in clause.portals]
    return _any(sorted(set(parts), key=parts.index))


def text_query(q: BackendQuery, analysed: dict, fuzzy_words: dict) -> TextQuery:
    positive = [clause_tsquery(c, analysed, fuzzy_words) for c in q.clauses if not c.negated]
    negative = [clause_tsquery(c, analysed, fuzzy_words) for c in q.clauses if c.negated]
    positive = [p for p in positive if p]
    joiner = " & " if q.match_all_words else " | "
    main = joiner.join(f"( {p} )" for p in positive) if positive else None
    excluded = _any([n for n in negative if n])
    if excluded:
        main = f"( {main} ) & !( {excluded} )" if main else f"!( {excluded} )"
    return TextQuery(main, bool(positive), _lexemes(positive))


def _lexemes(tsqueries: list[str]) -> frozenset[str]:
    """Lexemes to highlight (a prefix keeps its ``:*``); never a label."""
    found = set()
    for tsquery in tsqueries:
        for match in LEXEME.finditer(tsquery):
            lexeme = UNQUOTE.sub(lambda m: m.group(1) or "'", match.group(1))
            if not lexeme.startswith(LABEL_PREFIX):
                found.add(lexeme + (match.group(2) or ""))
    return frozenset(found)


def highlight_tsquery(terms: frozenset[str]) -> str:
    items = sorted(terms)
    return " | ".join(
        literal(t[:-2], prefix=True) if t.endswith(":*") else literal(t) for t in items
    )


# --- the statements ----------------------------------------------------------------------


#: A search over few scopes (a member's groups and the association) holding few documents
#: matches its words on the scopes' own rows instead of through the word index. At a
#: million documents a scope holds a few thousand (the association's articles ~4,500, a
#: busy group ~2,000): checking those one by one took 7-43 ms for the benchmark's
#: searches, while the word index, whatever the scope, read the postings of every
#: document with a common word ("invoice", "coupa", "fee": 150,000-200,000 of them) in
#: 37-135 ms. Over many scopes (admins, facilitators of many groups) or many documents,
#: where reading every row would cost more, the word index stays.
FEW_SCOPES = 8
FEW_ROWS = 20_000
#: How many documents the scopes hold, counted up to FEW_ROWS (from the scope index).
SCOPE_ROWS = """
SELECT count(*) FROM (
    SELECT 1 FROM search_documents WHERE scope = ANY(CAST(:scopes AS varchar[])) LIMIT :limit
) AS found
"""
#: The same test as the ``@@`` operator, written as a function call: PostgreSQL only
#: takes an operator to an index, so this is checked on the rows the scope index finds.
MATCH_ROWS = "ts_match_vq(vector, CAST(:match AS tsquery))"
MATCH_INDEX = "vector @@ CAST(:match AS tsquery)"


def searched_scopes(q: BackendQuery) -> list[str]:
    """The viewer's scopes, narrowed by the group operator."""
    return sorted(set(q.scopes) & set(q.filters.get("scope", q.scopes)))


def conditions(q: BackendQuery, text: TextQuery, *, on_rows: bool = False) -> tuple[str, dict]:
    """The WHERE clause: the viewer's scopes (and the group operator) by column, the other
    operators and the words together, through the word index or (``on_rows``) on the
    scopes' rows. Either way the same documents match."""
    where = ["scope = ANY(CAST(:scopes AS varchar[]))"]
    params: dict = {"scopes": searched_scopes(q)}
    match = [f"( {text.tsquery} )"] if text.tsquery else []
    for field, values in sorted(q.filters.items()):
        if not values:
            where.append("FALSE")  # an operator naming nothing that exists
        elif field != "scope":
            match.append("( " + " | ".join(literal(label(field, v)) for v in sorted(values)) + " )")
    if match:
        where.append(MATCH_ROWS if on_rows else MATCH_INDEX)
        params["match"] = " & ".join(match)
    return " AND ".join(where), params


def count_sql(q: BackendQuery, text: TextQuery) -> tuple[str, dict]:
    where, params = conditions(q, text)
    return f"SELECT count(*) FROM search_documents WHERE {where}", params  # noqa: S608


def search_sql(q: BackendQuery, text: TextQuery, *, on_rows: bool = False) -> tuple[str, dict]:
    """One statement: the matched documents once (materialised), then their count, the
    requested page in order, and each facet's counts grouped in SQL."""
    where, params = conditions(q, text, on_rows=on_rows)
    sort = q.sort if q.sort in ORDER else "relevance"
    if sort == "relevance" and not text.scored:
        sort = "newest"  # nothing to rank by
    score = "0.0"
    if sort == "relevance":
        rank = RANK[q.match_all_words]
        score = f"{rank}(CAST(:weights AS real[]), vector, CAST(:query AS tsquery), :norm)"
        params.update(weights=WEIGHTS, norm=NORMALIZATION, query=text.tsquery)
    order = ORDER[sort]
    params.update(limit=q.limit, offset=q.offset)
    facets = "".join(_facet(name) for name in FACET_SQL) if q.facets else ""
    sql = f"""
WITH matched AS MATERIALIZED (
    SELECT doc_type, doc_id, portal, categories, status, scope, published_day, confirmed,
           {score} AS score
    FROM search_documents WHERE {where}
)
SELECT (SELECT count(*) FROM matched) AS total,
       (SELECT json_agg(json_build_array(doc_type, doc_id, score) ORDER BY {order})
        FROM (SELECT * FROM matched ORDER BY {order} LIMIT :limit OFFSET :offset) AS page
       ) AS hits{facets}
"""  # noqa: S608 - constants only; every value is a bound parameter
    return sql, params


def _facet(name: str) -> str:
    column, source, condition = FACET_SQL[name]
    return f""",
       (SELECT json_object_agg(v, n) FROM (
            SELECT {column} AS v, count(*) AS n FROM matched{source}
            WHERE {condition} GROUP BY {column}) AS f
       ) AS "f_{name}"
"""  # noqa: S608 - constants only

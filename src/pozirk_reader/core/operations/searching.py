"""Searching the cache and "more like this": a query parsed, run on the store's index, and turned into hits.

The query language, highlights and similarity scoring are pure functions (:mod:`pozirk_reader.core.search`);
the store's :class:`~pozirk_reader.core.store.search_index.SearchIndex` runs the queries. This module joins them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pozirk_reader.core.search.filters import NO_FILTERS, SearchFilters
from pozirk_reader.core.search.highlight import highlight_spans, make_snippet
from pozirk_reader.core.search.query import Query, parse_query
from pozirk_reader.core.search.similarity import (
    any_of,
    candidate_stems,
    count_ceiling,
    distinctive_stems,
    term_frequencies,
)
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline

FEW_MATCHES = 3
"""A query word found in fewer articles than this finds "little": it is also matched as a prefix."""

MIN_FORGIVEN_LETTERS = 5
"""Shorter words are never widened to a prefix ("кот*" would find "который")."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: the headline, its relevance, a line of the body around the first match, and highlights."""

    headline: Headline
    score: float
    """bm25 relevance, higher is better; 0 for results listed by date (no words looked for, or past the ranked ones)."""
    snippet: str
    """One line of the body around its first match (or its start), with "…" where it was cut."""
    title_spans: tuple[tuple[int, int], ...]
    """Matched ``(start, end)`` spans of ``headline.title``."""
    snippet_spans: tuple[tuple[int, int], ...] = ()
    """Matched spans of ``snippet``."""


def forgiven(store: Store, query: str) -> tuple[str, ...]:
    """The words of ``query`` that find little as they are (fewer than :data:`FEW_MATCHES` articles) and are
    therefore also matched as prefixes: "трамвай" finds "трамвайную" as трамвай*. Single words of at least
    :data:`MIN_FORGIVEN_LETTERS` letters only, never a prefix, a phrase or an excluded word."""
    widened: list[str] = []
    for term in parse_query(query).positive:
        if term.prefix or len(term.words) != 1 or len(term.words[0]) < MIN_FORGIVEN_LETTERS:
            continue
        if store.search_index.capped_count(term.expression(), FEW_MATCHES) < FEW_MATCHES:
            widened.append(term.words[0])
    return tuple(dict.fromkeys(widened))


def _parsed(store: Store, query: str, forgive: bool) -> Query:
    parsed = parse_query(query)
    return parsed.widened(set(forgiven(store, query))) if forgive else parsed


def search(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    filters: SearchFilters | None = None,
    forgive: bool = True,
) -> list[SearchHit]:
    """Articles matching ``query`` (and ``filters``), best first; with no words to look for, newest first.

    Ranking is bm25 with the headline weighted four times the body; past
    :data:`~pozirk_reader.core.limits.SEARCH_CANDIDATES` matches, the rest follow newest first
    (see :meth:`~pozirk_reader.core.store.search_index.SearchIndex.ranked`). With ``forgive``, a word
    that finds little is also matched as a prefix (see :func:`forgiven`).
    """
    parsed = _parsed(store, query, forgive)
    filters = filters or NO_FILTERS
    limit, offset = max(0, limit), max(0, offset)
    if limit == 0:
        return []
    expression = parsed.match_expression()
    if expression is None:
        listed = store.search_index.listing(parsed.exclusion_expression(), filters, limit, offset)
        scored = [(rowid, 0.0) for rowid in listed]
    else:
        scored = store.search_index.ranked(expression, filters, limit, offset)
    if not scored:
        return []
    rows = store.search_index.hit_rows([rowid for rowid, _ in scored])
    hits = []
    for rowid, score in scored:
        found = rows.get(rowid)
        if found is None:  # deleted meanwhile
            continue
        headline, body = found
        snippet = make_snippet(body, parsed, headline.language)
        hits.append(
            SearchHit(
                headline,
                score,
                snippet,
                tuple(highlight_spans(headline.title, parsed, headline.language)),
                tuple(highlight_spans(snippet, parsed, headline.language)),
            )
        )
    return hits


def count(store: Store, query: str, filters: SearchFilters | None = None, forgive: bool = True) -> int:
    """How many articles :func:`search` would find in all."""
    parsed = _parsed(store, query, forgive)
    expression = parsed.match_expression()
    exclusion = parsed.exclusion_expression() if expression is None else None
    return store.search_index.count(expression, exclusion, filters or NO_FILTERS)


def similar(store: Store, article_id: str, limit: int = 5) -> list[Headline]:
    """Up to ``limit`` articles most like ``article_id``, best first: never itself nor an exact duplicate of it.

    The article's most distinctive stems (:mod:`pozirk_reader.core.search.similarity`) make one OR
    query ranked by bm25. A duplicate has the same headline key and the same body (or the same file
    content); of several results that duplicate each other, only the first is kept.
    """
    index = store.search_index
    seed = index.similarity_seed(article_id)
    if seed is None or limit <= 0:
        return []
    frequency = term_frequencies(seed.title, seed.body, seed.language)
    if not frequency:
        return []
    candidates = candidate_stems(frequency)
    total = index.article_total()
    counts = index.document_counts(candidates, count_ceiling(total) + 1)
    stems = distinctive_stems(frequency, candidates, counts, total)
    if not stems:
        return []
    seen = {(seed.title_key, seed.body), (seed.title_key, seed.content_hash)}
    results: list[Headline] = []
    for row in index.more_like(any_of(stems), seed.rowid, limit * 3 + 5):
        if (row.title_key, row.body) in seen or (row.title_key, row.content_hash) in seen:
            continue
        seen.update({(row.title_key, row.body), (row.title_key, row.content_hash)})
        results.append(row.headline)
        if len(results) == limit:
            break
    return results

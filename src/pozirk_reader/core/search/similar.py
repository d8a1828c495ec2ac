""" "More like this": articles that share an article's most distinctive words.

The article's words are stemmed as the index holds them and weighed by TF-IDF: how often the article
uses a stem (a headline word counts :data:`TITLE_WEIGHT` times) against how many articles hold it. Stems
found in more than :data:`MAX_SHARE` of the articles, or in more than :data:`COMMON` of them, carry
little meaning and are left out; so are stems only this article has. The best :data:`TERMS` stems make
one OR query ranked by bm25. Document frequencies are counted in the index, stopping at
:data:`COMMON`, so a common stem costs no more than a rare one.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from pozirk_reader.core.search.engine import _HEADLINE_COLUMNS, INDEX
from pozirk_reader.core.search.stemming import index_text
from pozirk_reader.core.store.read_models import Headline

if TYPE_CHECKING:
    from pozirk_reader.core.store.library import Store

TITLE_WEIGHT = 3
TERMS = 12
"""How many of the article's stems the query uses."""

COMMON = 300
"""A stem in more articles than this is too common to tell articles apart (counting stops here)."""

MAX_SHARE = 0.35
"""Nor is a stem in more than this share of the articles (what counts in a small library)."""

CANDIDATE_STEMS = 60
"""How many of the article's stems (the most frequent in it, longest first on ties) have their frequency counted."""

MIN_STEM = 3
_BATCH = 100


def similar(store: Store, article_id: str, limit: int = 5) -> list[Headline]:
    """Up to ``limit`` articles most like ``article_id``, best first: never itself nor an exact duplicate of it.

    A duplicate has the same headline key and the same body (or the same file content); of several
    results that duplicate each other, only the first is kept.
    """
    rows = store._read(
        "SELECT rowid, title, body, language, title_key, content_hash FROM articles WHERE id = ?", (article_id,)
    )
    if not rows or limit <= 0:
        return []
    rowid, title, body, language, key, content_hash = rows[0]
    stems = _distinctive(store, title, body, language)
    if not stems:
        return []
    expression = " OR ".join(f'"{stem}"' for stem in stems)
    found = store._read(
        f"SELECT a.rowid, {_HEADLINE_COLUMNS}, a.title_key, a.content_hash, a.body FROM"
        f" (SELECT rowid, rank FROM {INDEX} WHERE {INDEX} MATCH ? AND rowid != ? ORDER BY rank LIMIT ?) f"
        " JOIN articles a ON a.rowid = f.rowid ORDER BY f.rank",
        (expression, rowid, limit * 3 + 5),
    )
    seen = {(key, body), (key, content_hash)}
    results: list[Headline] = []
    for row in found:
        other_key, other_hash, other_body = row[10], row[11], row[12]
        if (other_key, other_body) in seen or (other_key, other_hash) in seen:
            continue
        seen.update({(other_key, other_body), (other_key, other_hash)})
        results.append(Headline.from_row(tuple(row[1:10])))
        if len(results) == limit:
            break
    return results


def _distinctive(store: Store, title: str, body: str, language: str) -> list[str]:
    """The article's :data:`TERMS` stems of highest TF-IDF that other articles share."""
    frequency: Counter[str] = Counter()
    for weight, text in ((TITLE_WEIGHT, title), (1, body)):
        for stem in index_text(text, language).split():
            if len(stem) >= MIN_STEM and not stem.isdigit():
                frequency[stem] += weight
    if not frequency:
        return []
    candidates = sorted(frequency, key=lambda stem: (-frequency[stem], -len(stem), stem))[:CANDIDATE_STEMS]
    total = int(store._read("SELECT max(rowid) FROM articles")[0][0] or 1)
    ceiling = min(COMMON, max(2, int(total * MAX_SHARE)))
    counts = _document_counts(store, candidates, ceiling + 1)
    weighed = [
        (frequency[stem] * math.log(total / counts[stem]), stem)
        for stem in candidates
        if 2 <= counts[stem] <= ceiling  # another article has it, and not too many
    ]
    weighed.sort(key=lambda pair: (-pair[0], pair[1]))
    return [stem for _, stem in weighed[:TERMS]]


def _document_counts(store: Store, stems: list[str], cap: int) -> dict[str, int]:
    """How many articles hold each stem, counting up to ``cap``."""
    counts: dict[str, int] = {}
    for start in range(0, len(stems), _BATCH):
        batch = stems[start : start + _BATCH]
        sql = " UNION ALL ".join(
            f"SELECT ?, (SELECT count(*) FROM (SELECT 1 FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT ?))" for _ in batch
        )
        params = tuple(value for stem in batch for value in (stem, f'"{stem}"', cap))
        counts.update((row[0], int(row[1])) for row in store._read(sql, params))
    return counts

""" "More like this" scoring: an article's most distinctive stems by TF-IDF, from counts alone.

The article's words are stemmed as the index holds them and weighed by TF-IDF: how often the article
uses a stem (a headline word counts :data:`TITLE_WEIGHT` times) against how many articles hold it. Stems
found in more than :data:`MAX_SHARE` of the articles, or in more than :data:`COMMON` of them, carry
little meaning and are left out; so are stems only this article has. The best :data:`TERMS` stems make
one OR query (:func:`any_of`). The functions here are pure: the store counts the documents
(:meth:`~pozirk_reader.core.store.search_index.SearchIndex.document_counts`, stopping at
:func:`count_ceiling` + 1, so a common stem costs no more than a rare one) and runs the query.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from pozirk_reader.core.search.stemming import index_text

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


def term_frequencies(title: str, body: str, language: str) -> Counter[str]:
    """How often the article uses each stem of :data:`MIN_STEM` letters or more (not numbers), headline weighed."""
    frequency: Counter[str] = Counter()
    for weight, text in ((TITLE_WEIGHT, title), (1, body)):
        for stem in index_text(text, language).split():
            if len(stem) >= MIN_STEM and not stem.isdigit():
                frequency[stem] += weight
    return frequency


def candidate_stems(frequency: Mapping[str, int]) -> list[str]:
    """The :data:`CANDIDATE_STEMS` stems whose document counts are worth reading: most frequent, longest first."""
    return sorted(frequency, key=lambda stem: (-frequency[stem], -len(stem), stem))[:CANDIDATE_STEMS]


def count_ceiling(total: int) -> int:
    """The most articles a stem may be in and still count as distinctive, in a library of ``total``."""
    return min(COMMON, max(2, int(total * MAX_SHARE)))


def distinctive_stems(
    frequency: Mapping[str, int], candidates: list[str], counts: Mapping[str, int], total: int
) -> list[str]:
    """The :data:`TERMS` ``candidates`` of highest TF-IDF that other articles share, best first.

    ``counts`` says how many articles hold each candidate (the article itself included, counted up to
    at least :func:`count_ceiling` + 1) and ``total`` how many articles there are.
    """
    ceiling = count_ceiling(total)
    weighed = [
        (frequency[stem] * math.log(total / counts[stem]), stem)
        for stem in candidates
        if 2 <= counts[stem] <= ceiling  # another article has it, and not too many
    ]
    weighed.sort(key=lambda pair: (-pair[0], pair[1]))
    return [stem for _, stem in weighed[:TERMS]]


def any_of(stems: list[str]) -> str:
    """The FTS5 expression matching any of ``stems`` (index terms: letters and digits only)."""
    return " OR ".join(f'"{stem}"' for stem in stems)

""" "More like this" scoring without a database: term frequencies, candidates and TF-IDF over document counts."""

from __future__ import annotations

import math
from collections import Counter

from pozirk_reader.core.search.similarity import (
    CANDIDATE_STEMS,
    COMMON,
    TERMS,
    TITLE_WEIGHT,
    any_of,
    candidate_stems,
    count_ceiling,
    distinctive_stems,
    term_frequencies,
)


def test_headline_words_weigh_more_and_short_words_and_numbers_not_at_all() -> None:
    frequency = term_frequencies("Новая библиотека в Бресте", "Библиотека открылась. 2024 год, библиотека.", "ru")
    assert frequency == Counter(
        {"библиотек": TITLE_WEIGHT + 2, "нов": TITLE_WEIGHT, "брест": TITLE_WEIGHT, "откр": 1, "год": 1}
    )
    assert term_frequencies("", "", "ru") == Counter()
    assert term_frequencies("В и на", "12 345", "ru") == Counter()


def test_candidates_are_the_most_frequent_then_the_longest() -> None:
    frequency = Counter({"библиотек": 5, "нов": 3, "брест": 3, "откр": 1, "год": 1})
    assert candidate_stems(frequency) == ["библиотек", "брест", "нов", "откр", "год"]
    many = Counter({f"stem{number:03d}": number for number in range(CANDIDATE_STEMS * 2)})
    chosen = candidate_stems(many)
    assert len(chosen) == CANDIDATE_STEMS
    assert chosen[0] == f"stem{CANDIDATE_STEMS * 2 - 1:03d}"


def test_the_ceiling_follows_the_library_size() -> None:
    assert count_ceiling(1) == 2  # another article must be able to share a stem
    assert count_ceiling(100) == 35
    assert count_ceiling(100_000) == COMMON


def test_distinctive_stems_are_shared_but_not_common_and_ranked_by_tf_idf() -> None:
    frequency = Counter({"rare": 1, "often": 4, "alone": 9, "everywhere": 9, "shared": 2})
    counts = {"rare": 2, "often": 10, "alone": 1, "everywhere": 60, "shared": 3}
    total = 100  # ceiling 35: "everywhere" is too common, "alone" is in no other article
    found = distinctive_stems(frequency, list(frequency), counts, total)
    scores = {stem: frequency[stem] * math.log(total / counts[stem]) for stem in ("rare", "often", "shared")}
    assert found == sorted(scores, key=lambda stem: -scores[stem])
    assert "alone" not in found and "everywhere" not in found


def test_at_most_terms_stems_and_ties_by_name() -> None:
    frequency = Counter({f"s{number:02d}": 1 for number in range(TERMS + 5)})
    counts = dict.fromkeys(frequency, 2)
    found = distinctive_stems(frequency, sorted(frequency), counts, 1000)
    assert found == sorted(frequency)[:TERMS]


def test_the_query_matches_any_stem() -> None:
    assert any_of(["библиотек", "брест"]) == '"библиотек" OR "брест"'

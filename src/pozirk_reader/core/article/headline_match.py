"""Matching "see also" headlines to articles: normalised keys and a guarded similarity test.

Two headlines are the same when their keys are equal. The key ignores letter case,
quotation-mark style, ё/е, dashes, punctuation, spacing, and trailing markers such as
"(обновлено)", "(абноўлена)" or "(updated)". When no key is equal, a near match
resolves only if its similarity (:class:`difflib.SequenceMatcher` ratio over the keys)
is at least :data:`SIMILARITY_THRESHOLD` and clearly better than the runner-up: one
word changed in a long headline passes, a different city in a short one does not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from difflib import SequenceMatcher

SIMILARITY_THRESHOLD = 0.9
"""Lowest similarity (0..1) at which a near match resolves a link."""

RUNNER_UP_MARGIN = 0.03
"""A near match must beat the next best candidate by this much, or the link stays unresolved."""

AFFIX_SHARE = 3
"""Candidates share the first or the last 1/AFFIX_SHARE of the key: one change leaves one of them intact."""

_MARKERS = re.compile(
    r"\s*[(\[]\s*(?:обновлено|дополнено|обновляется|видео|фото|абноўлена|дапоўнена|відэа|фота|updated|update|"
    r"video|photos?)\s*[)\]]\s*$",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[\W_]+")


def title_key(title: str) -> str:
    """The headline's key: lower case, ё→е, markers, quotes, dashes and punctuation gone, single spaces."""
    text = title.casefold().replace("ё", "е")
    while "(" in text or "[" in text:  # (a marker is in brackets: most headlines have none to look for)
        stripped = _MARKERS.sub("", text)
        if stripped == text:
            break
        text = stripped
    return " ".join(_NOT_WORD.sub(" ", text).split())


def similarity(a: str, b: str) -> float:
    """How alike two keys are, from 0 to 1."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def affixes(key: str) -> tuple[str, str]:
    """The key's leading and trailing share, used to find near-match candidates through an index."""
    size = max(1, len(key) // AFFIX_SHARE)
    return key[:size], key[-size:]


def _lengths_close(key: str, candidate_key: str) -> bool:
    """Whether two keys' lengths are close enough for a near match at all."""
    return abs(len(candidate_key) - len(key)) <= len(key) * (1 - SIMILARITY_THRESHOLD) * 2 + 2


def length_range(key: str) -> tuple[int, int]:
    """The lengths a candidate key may have to be a near match for ``key`` (for an SQL range on ``length()``)."""
    room = int(len(key) * (1 - SIMILARITY_THRESHOLD) * 2 + 2)
    return len(key) - room, len(key) + room


def lengths_answered_by(key: str) -> tuple[int, int]:
    """The lengths of link keys for which a headline with ``key`` passes the length test (the inverse range)."""
    share = (1 - SIMILARITY_THRESHOLD) * 2
    return math.floor((len(key) - 2) / (1 + share)), math.ceil((len(key) + 2) / (1 - share))


class Matchers:
    """difflib matchers kept by their second key, so each key's index is built once per resolution.

    :func:`best_match` and :func:`near_match` score ``ratio(key, candidate)`` with the candidate as
    difflib's second sequence, whose index (``b2j``) is the costly part; the same candidates come up for
    many links. One instance serves one thread (a matcher is changed as it is used).
    """

    def __init__(self, size: int = 4096) -> None:
        self._size = size
        self._kept: dict[str, SequenceMatcher[str]] = {}

    def __call__(self, key: str, candidate_key: str) -> SequenceMatcher[str]:
        """A matcher of ``key`` against ``candidate_key``."""
        matcher = self._kept.get(candidate_key)
        if matcher is None:
            if len(self._kept) >= self._size:
                self._kept.clear()
            matcher = self._kept[candidate_key] = SequenceMatcher(None, "", candidate_key, autojunk=False)
        matcher.set_seq1(key)
        return matcher


def _at_least(matcher: SequenceMatcher[str], floor: float) -> float | None:
    """The ratio, if difflib's cheap upper bounds allow it to reach ``floor``; else ``None`` (not computed)."""
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return None
    return matcher.ratio()


def near_match(key: str, candidate_key: str, matchers: Matchers | None = None) -> bool:
    """Whether ``candidate_key`` is equal to ``key`` or similar enough to resolve it (as :func:`best_match` scores)."""
    if candidate_key == key:
        return True
    if not _lengths_close(key, candidate_key):
        return False
    matcher = (matchers or Matchers(1))(key, candidate_key)
    score = _at_least(matcher, SIMILARITY_THRESHOLD)
    return score is not None and score >= SIMILARITY_THRESHOLD


def best_match(key: str, candidates: Iterable[tuple[str, str]], matchers: Matchers | None = None) -> str | None:
    """Pick the id among ``(id, key)`` candidates that resolves ``key``, or ``None``.

    An equal key wins outright; otherwise the most similar at or above the threshold,
    when no other candidate comes within :data:`RUNNER_UP_MARGIN` of it. A candidate whose
    similarity cannot reach ``threshold - margin`` can neither win nor stop the winner, so
    difflib's cheap upper bounds drop it before its ratio is computed.
    """
    scored: dict[str, float] = {}
    floor = SIMILARITY_THRESHOLD - RUNNER_UP_MARGIN
    matchers = matchers or Matchers(256)
    for candidate_id, candidate_key in candidates:
        if candidate_key == key:
            return candidate_id
        if not _lengths_close(key, candidate_key):
            continue
        score = _at_least(matchers(key, candidate_key), floor)
        if score is None:
            continue
        scored[candidate_id] = max(score, scored.get(candidate_id, 0.0))
    ranked = sorted(scored.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < SIMILARITY_THRESHOLD:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < RUNNER_UP_MARGIN:
        return None
    return ranked[0][0]


def reverse(key: str) -> str:
    """The key reversed, stored so trailing shares can use an index too."""
    return key[::-1]

"""Matching "see also" headlines to articles: normalised keys and a guarded similarity test.

Two headlines are the same when their keys are equal. The key ignores letter case,
quotation-mark style, ё/е, dashes, punctuation, spacing, and trailing markers such as
"(обновлено)", "(абноўлена)" or "(updated)". When no key is equal, a near match
resolves only if its similarity (:class:`difflib.SequenceMatcher` ratio over the keys)
is at least :data:`SIMILARITY_THRESHOLD` and clearly better than the runner-up: one
word changed in a long headline passes, a different city in a short one does not.
"""

from __future__ import annotations

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
    while True:
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


def best_match(key: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """Pick the id among ``(id, key)`` candidates that resolves ``key``, or ``None``.

    An equal key wins outright; otherwise the most similar at or above the threshold,
    when no other candidate comes within :data:`RUNNER_UP_MARGIN` of it.
    """
    scored: dict[str, float] = {}
    for candidate_id, candidate_key in candidates:
        if candidate_key == key:
            return candidate_id
        if abs(len(candidate_key) - len(key)) > len(key) * (1 - SIMILARITY_THRESHOLD) * 2 + 2:
            continue
        score = similarity(key, candidate_key)
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

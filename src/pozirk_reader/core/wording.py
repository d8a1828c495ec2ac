"""Counts in words: "1 article", "2 articles", "1,234 feeds", for every message and status line."""

from __future__ import annotations

IRREGULAR = {"match": "matches", "entry": "entries", "was": "were"}
"""Plurals that are not the singular and an "s"."""


def plural(noun: str, count: int) -> str:
    """``noun`` for ``count`` of it: the singular for one, else its plural ("cached article" → "cached articles")."""
    if count == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    many = IRREGULAR.get(last, last + "s")
    return f"{head} {many}" if head else many


def counted(count: int, noun: str) -> str:
    """``count`` and ``noun`` agreeing, the count with thousands separated: "1 article", "1,234 articles"."""
    return f"{count:,} {plural(noun, count)}"

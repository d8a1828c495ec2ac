"""Counts agree with their nouns (defect 9: "1 articles", "1 feeds")."""

from __future__ import annotations

from pozirk_reader.core.wording import counted, plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert counted(1, "article") == "1 article"
    assert counted(0, "article") == "0 articles"
    assert counted(1234, "feed") == "1,234 feeds"
    assert counted(1, "cached article") == "1 cached article"
    assert counted(2, "cached article") == "2 cached articles"
    assert counted(3, "match") == "3 matches" and plural("entry", 2) == "entries"

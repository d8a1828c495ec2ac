"""Which cached article a feed entry is: its identity within its feed, and caches written before there was one.

An entry is found by its feed (``source_id``) and its key (``FeedEntry.key``: guid or id, else link, else
title and date), kept in ``articles.entry_key``. A cache written before keys (schema 4 and older) held a
feed's articles by their link's id and no key; the first refresh after the upgrade gives each such article
to one of the entries whose old id it has (the one whose text it holds, else the first), so its read state,
star and history stay with it, and the other entries that shared its link become articles of their own.
Used through :meth:`WriteTransaction.identify_entries <pozirk_reader.core.store.writing.WriteTransaction>`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import NamedTuple

_CHUNK = 500
"""Keys or ids looked up in one ``IN (...)`` query."""


class EntryClaim(NamedTuple):
    """A feed entry asking for its article: its key, the id a new article gets, its old id, and its content hash
    (asked for only where a cached article of the feed has its old id and no key: converting an entry is dear)."""

    key: str
    new_id: str
    legacy_id: str
    content_hash: Callable[[], str]


def assign_ids(db: sqlite3.Connection, source_id: int, claims: Sequence[EntryClaim]) -> list[str]:
    """The article id of each entry, in order: its cached article's, else a legacy article's it inherits, else new.

    Legacy articles inherited are given the entry's key at once (inside the caller's transaction).
    """
    found: dict[str, str] = {}
    keys = [claim.key for claim in claims]
    for chunk in _chunks(keys):
        rows = db.execute(
            f"SELECT entry_key, id FROM articles WHERE source_id = ? AND entry_key IN ({','.join('?' * len(chunk))})",
            (source_id, *chunk),
        )
        found.update((row[0], row[1]) for row in rows)
    legacy: dict[str, str] = {}  # legacy id -> its content hash, for rows of this feed that have no key yet
    wanted = sorted({claim.legacy_id for claim in claims if claim.key not in found and claim.legacy_id})
    for chunk in _chunks(wanted):
        rows = db.execute(
            "SELECT id, content_hash FROM articles WHERE source_id = ? AND entry_key IS NULL"
            f" AND id IN ({','.join('?' * len(chunk))})",
            (source_id, *chunk),
        )
        legacy.update((row[0], row[1]) for row in rows)
    heirs: dict[str, int] = {}  # legacy id -> the index of the claim inheriting it
    for index, claim in enumerate(claims):
        if claim.key in found or claim.legacy_id not in legacy:
            continue
        old_hash = legacy[claim.legacy_id]
        if claim.legacy_id not in heirs or (
            claim.content_hash() == old_hash and claims[heirs[claim.legacy_id]].content_hash() != old_hash
        ):
            heirs[claim.legacy_id] = index
    for legacy_id, index in heirs.items():
        found[claims[index].key] = legacy_id
    db.executemany(
        "UPDATE articles SET entry_key = ? WHERE id = ?", [(claims[index].key, lid) for lid, index in heirs.items()]
    )
    return [found.get(claim.key, claim.new_id) for claim in claims]


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[start : start + _CHUNK] for start in range(0, len(items), _CHUNK)]

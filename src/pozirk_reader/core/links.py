"""Resolving stored "see also" links to cached articles, in both directions over time.

A link resolves by URL when it has one (an article whose ``url`` or ``origin`` is that
URL), else by headline key, else by a guarded near match (see
:mod:`pozirk_reader.core.resolve`). A link never resolves to the article it stands in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable

from pozirk_reader.core.resolve import affixes, best_match

CANDIDATE_LIMIT = 40
"""Near-match candidates read per affix query."""

_HIGHEST = "\U0010ffff"

# Each pass sets the target and clears the keys (only unresolved links need them) in one update.
_BY_URL = """
UPDATE related SET target_id = found.target, title_key = NULL, title_rkey = NULL
FROM (
    SELECT r.article_id AS article_id, r.position AS position, (
        SELECT a.id FROM articles AS a
        WHERE (a.url = r.url OR a.origin = r.url) AND a.id != r.article_id
        ORDER BY a.sort_key DESC LIMIT 1) AS target
    FROM related AS r WHERE r.target_id IS NULL AND r.url IS NOT NULL
) AS found
WHERE related.article_id = found.article_id AND related.position = found.position AND found.target IS NOT NULL
"""

_BY_KEY = """
UPDATE related SET target_id = found.target, title_key = NULL, title_rkey = NULL
FROM (
    SELECT r.article_id AS article_id, r.position AS position, (
        SELECT a.id FROM articles AS a
        WHERE a.title_key = r.title_key AND a.id != r.article_id
        ORDER BY a.sort_key DESC LIMIT 1) AS target
    FROM related AS r WHERE r.target_id IS NULL AND r.title_key IN (SELECT title_key FROM articles)
) AS found
WHERE related.article_id = found.article_id AND related.position = found.position AND found.target IS NOT NULL
"""

_SET_TARGET = (
    "UPDATE related SET target_id = ?, title_key = NULL, title_rkey = NULL WHERE article_id = ? AND position = ?"
)


def resolve_pending(connection: sqlite3.Connection, changed: Collection[str]) -> int:
    """Resolve what can now be resolved after the articles ``changed`` were added or updated.

    Exact passes (URL, headline key) run over every unresolved link, set-wise in SQL.
    Near matches are then tried where something changed: for the changed articles' own
    unresolved links, and for unresolved links elsewhere that a changed article may now
    answer. When more articles changed than links are left unresolved (a first, bulk
    import), every unresolved link is tried once against the whole cache instead, which
    covers both directions at a cost bounded by the links, not the articles. Returns how
    many links were resolved. Runs inside the caller's transaction.
    """
    before = _unresolved_count(connection)
    connection.execute(_BY_URL)
    connection.execute(_BY_KEY)
    if changed:
        remaining = _unresolved_count(connection)
        if len(changed) >= remaining:
            _near_matches(connection, connection.execute(_UNRESOLVED).fetchall())
        else:
            _near_matches(connection, _unresolved_of(connection, changed))
            _near_matches_to(connection, changed)
    return before - _unresolved_count(connection)


_UNRESOLVED = "SELECT article_id, position, title_key FROM related WHERE target_id IS NULL"


def _unresolved_of(connection: sqlite3.Connection, changed: Collection[str]) -> list[tuple[str, int, str]]:
    """The changed articles' links that have no target yet."""
    rows: list[tuple[str, int, str]] = []
    for chunk in _chunks(list(changed), 500):
        marks = ",".join("?" * len(chunk))
        rows += connection.execute(f"{_UNRESOLVED} AND article_id IN ({marks})", chunk).fetchall()
    return rows


def _near_matches(connection: sqlite3.Connection, links: Iterable[tuple[str, int, str]]) -> None:
    """Try a near match against the whole cache for each ``(article_id, position, key)`` link."""
    for article_id, position, key in links:
        candidates = [(cid, ckey) for cid, ckey in _article_candidates(connection, key) if cid != article_id]
        target = best_match(key, candidates)
        if target is not None:
            connection.execute(_SET_TARGET, (target, article_id, position))


def _near_matches_to(connection: sqlite3.Connection, changed: Collection[str]) -> None:
    """Try the changed articles as near-match targets of unresolved links elsewhere (index-backed ranges)."""
    for chunk in _chunks(list(changed), 500):
        marks = ",".join("?" * len(chunk))
        articles = connection.execute(f"SELECT id, title_key FROM articles WHERE id IN ({marks})", chunk).fetchall()
        for article_id, key in articles:
            head, tail = affixes(key)
            links = connection.execute(
                f"{_UNRESOLVED} AND title_key >= ?1 AND title_key < ?1 || ?3"
                f" UNION {_UNRESOLVED} AND title_rkey >= ?2 AND title_rkey < ?2 || ?3 LIMIT ?4",
                (head, tail[::-1], _HIGHEST, CANDIDATE_LIMIT * 5),
            ).fetchall()
            for link_article, position, link_key in links:
                if link_article == article_id:
                    continue
                candidates = [(c, k) for c, k in _article_candidates(connection, link_key) if c != link_article]
                if best_match(link_key, candidates) == article_id:
                    connection.execute(_SET_TARGET, (article_id, link_article, position))


def _article_candidates(connection: sqlite3.Connection, key: str) -> list[tuple[str, str]]:
    """Articles whose key shares the leading or trailing part of ``key``: the near-match candidates."""
    if not key:
        return []
    head, tail = affixes(key)
    return connection.execute(
        "SELECT id, title_key FROM articles WHERE title_key >= ?1 AND title_key < ?1 || ?3"
        " UNION SELECT id, title_key FROM articles WHERE title_rkey >= ?2 AND title_rkey < ?2 || ?3 LIMIT ?4",
        (head, tail[::-1], _HIGHEST, CANDIDATE_LIMIT * 2),
    ).fetchall()


def _unresolved_count(connection: sqlite3.Connection) -> int:
    """How many links have no target yet."""
    return int(connection.execute("SELECT count(*) FROM related WHERE target_id IS NULL").fetchone()[0])


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]

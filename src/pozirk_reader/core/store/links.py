"""Resolving stored "see also" links to cached articles, in both directions over time.

A link resolves by URL when it has one (an article whose ``url`` or ``origin`` is that
URL), else by headline key, else by a guarded near match (see
:mod:`pozirk_reader.core.article.headline_match`). A link never resolves to the article it stands in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable

from pozirk_reader.core.article.headline_match import affixes, best_match

CANDIDATE_LIMIT = 40
"""Near-match candidates read per affix query."""

_HIGHEST = "\U0010ffff"

STAGED = "temp.staged_links"
"""Links of the articles saved in the current import wait here (outside the cache file) to be resolved.

Written to ``related`` once, with their targets, they take no room twice: resolving links in place
would grow and shrink every row and leave the table's pages half empty.
"""

_CREATE_STAGED = """
CREATE TEMP TABLE IF NOT EXISTS staged_links (
    article_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL, url TEXT,
    title_key TEXT, title_rkey TEXT, target_id TEXT, PRIMARY KEY (article_id, position)
) WITHOUT ROWID
"""

# Each pass sets the target and clears the keys (only unresolved links need them) in one update.
_BY_URL = """
UPDATE {table} SET target_id = found.target, title_key = NULL, title_rkey = NULL
FROM (
    SELECT r.article_id AS article_id, r.position AS position, (
        SELECT a.id FROM articles AS a
        WHERE (a.url = r.url OR a.origin = r.url) AND a.id != r.article_id
        ORDER BY a.sort_key DESC LIMIT 1) AS target
    FROM {table} AS r WHERE r.target_id IS NULL AND r.url IS NOT NULL{only}
) AS found
WHERE {name}.article_id = found.article_id AND {name}.position = found.position AND found.target IS NOT NULL
"""

_BY_KEY = """
UPDATE {table} SET target_id = found.target, title_key = NULL, title_rkey = NULL
FROM (
    SELECT r.article_id AS article_id, r.position AS position, (
        SELECT a.id FROM articles AS a
        WHERE a.title_key = r.title_key AND a.id != r.article_id
        ORDER BY a.sort_key DESC LIMIT 1) AS target
    FROM {table} AS r WHERE r.target_id IS NULL AND r.title_key IN (SELECT title_key FROM articles){only}
) AS found
WHERE {name}.article_id = found.article_id AND {name}.position = found.position AND found.target IS NOT NULL
"""

# The cache's links need looking at only where a changed article could answer them.
_CHANGED = "temp.changed_articles"
_ONLY_CHANGED_URLS = (
    f" AND r.url IN (SELECT url FROM articles WHERE id IN {_CHANGED} AND url IS NOT NULL"
    f" UNION SELECT origin FROM articles WHERE id IN {_CHANGED})"
)
_ONLY_CHANGED_KEYS = f" AND r.title_key IN (SELECT title_key FROM articles WHERE id IN {_CHANGED})"

_SET_TARGET = (
    "UPDATE {table} SET target_id = ?, title_key = NULL, title_rkey = NULL WHERE article_id = ? AND position = ?"
)
_UNRESOLVED = "SELECT article_id, position, title_key FROM {table} WHERE target_id IS NULL"


def stage_links(connection: sqlite3.Connection, rows: list[tuple[str, int, str, str | None, str, str]]) -> None:
    """Stage new links ``(article_id, position, title, url, key, reversed key)`` for :func:`resolve_pending`."""
    connection.execute(_CREATE_STAGED)
    connection.executemany(
        f"INSERT INTO {STAGED} (article_id, position, title, url, title_key, title_rkey) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def resolve_pending(connection: sqlite3.Connection, changed: Collection[str]) -> int:
    """Resolve the staged links and what the articles ``changed`` may now answer, then store the links.

    Exact passes (URL, headline key) run set-wise in SQL over the staged links and over the
    cache's unresolved links. Near matches are tried for every staged link still unresolved,
    and for the cache's unresolved links that a changed article may now answer: all of them
    when more articles changed than such links remain (a first, bulk import), else through
    index ranges from each changed article. Returns how many links resolved (staged ones
    counted too). Runs inside the caller's transaction.
    """
    connection.execute(_CREATE_STAGED)
    resolved = 0
    for sql in (_BY_URL, _BY_KEY):
        resolved += connection.execute(sql.format(table=STAGED, name="staged_links", only="")).rowcount
    resolved += _near_matches(connection, STAGED, connection.execute(_UNRESOLVED.format(table=STAGED)).fetchall())
    if changed:
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS changed_articles (id TEXT PRIMARY KEY) WITHOUT ROWID")
        connection.execute(f"DELETE FROM {_CHANGED}")
        connection.executemany(f"INSERT OR IGNORE INTO {_CHANGED} (id) VALUES (?)", ((i,) for i in changed))
        for sql, only in ((_BY_URL, _ONLY_CHANGED_URLS), (_BY_KEY, _ONLY_CHANGED_KEYS)):
            resolved += connection.execute(sql.format(table="related", name="related", only=only)).rowcount
        connection.execute(f"DELETE FROM {_CHANGED}")
        if _has_more_unresolved_than(connection, len(changed)):
            resolved += _near_matches_to(connection, changed)
        else:
            unresolved = connection.execute(_UNRESOLVED.format(table="related")).fetchall()
            resolved += _near_matches(connection, "related", unresolved)
    connection.execute(
        "INSERT INTO related (article_id, position, title, url, title_key, title_rkey, target_id)"
        f" SELECT article_id, position, title, url, title_key, title_rkey, target_id FROM {STAGED}"
        " ORDER BY article_id, position"
    )
    connection.execute(f"DELETE FROM {STAGED}")
    return resolved


def _near_matches(connection: sqlite3.Connection, table: str, links: Iterable[tuple[str, int, str]]) -> int:
    """Try a near match against the whole cache for each ``(article_id, position, key)`` link of ``table``.

    Returns how many resolved.
    """
    resolved = 0
    for article_id, position, key in links:
        candidates = [(cid, ckey) for cid, ckey in _article_candidates(connection, key) if cid != article_id]
        target = best_match(key, candidates)
        if target is not None:
            resolved += connection.execute(_SET_TARGET.format(table=table), (target, article_id, position)).rowcount
    return resolved


def _near_matches_to(connection: sqlite3.Connection, changed: Collection[str]) -> int:
    """Try the changed articles as near-match targets of the cache's unresolved links (index-backed ranges).

    Returns how many resolved.
    """
    resolved = 0
    unresolved = _UNRESOLVED.format(table="related")
    for chunk in _chunks(list(changed), 500):
        marks = ",".join("?" * len(chunk))
        articles = connection.execute(f"SELECT id, title_key FROM articles WHERE id IN ({marks})", chunk).fetchall()
        for article_id, key in articles:
            head, tail = affixes(key)
            links = connection.execute(
                f"{unresolved} AND title_key >= ?1 AND title_key < ?1 || ?3"
                f" UNION {unresolved} AND title_rkey >= ?2 AND title_rkey < ?2 || ?3 LIMIT ?4",
                (head, tail[::-1], _HIGHEST, CANDIDATE_LIMIT * 5),
            ).fetchall()
            for link_article, position, link_key in links:
                if link_article == article_id:
                    continue
                candidates = [(c, k) for c, k in _article_candidates(connection, link_key) if c != link_article]
                if best_match(link_key, candidates) == article_id:
                    values = (article_id, link_article, position)
                    resolved += connection.execute(_SET_TARGET.format(table="related"), values).rowcount
    return resolved


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


def _has_more_unresolved_than(connection: sqlite3.Connection, count: int) -> bool:
    """Whether the cache holds more than ``count`` unresolved links (counting no further than that)."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM related WHERE target_id IS NULL LIMIT ?)"
    return int(connection.execute(sql, (count + 1,)).fetchone()[0]) > count


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]

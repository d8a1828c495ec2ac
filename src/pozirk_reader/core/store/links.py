"""Resolving stored "see also" links to cached articles, in both directions over time.

A link resolves by URL when it has one (an article whose ``url`` or ``origin`` is that
URL), else by headline key, else by a guarded near match (see
:mod:`pozirk_reader.core.article.headline_match`). A link never resolves to the article it stands in.

Near-match candidates come from the headline-key indexes (a shared leading or trailing third of the
key) and a length range, so that difflib weighs only headlines that could pass. Long work (an import)
resolves exactly as it writes each batch and near-matches once at the end, in short transactions of
its own: :func:`near_match_plan`, :func:`find_near_links` and :func:`find_near_targets` read (difflib
runs there, holding no lock), and :func:`set_targets` writes what they found in a short transaction.
Near matches that would have been tried, in vain, for links whose exact target was only in a later
batch are not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable

from pozirk_reader.core.article.headline_match import (
    Matchers,
    affixes,
    best_match,
    length_range,
    lengths_answered_by,
    near_match,
)

Target = tuple[str, str, int, str]
"""A near match found: ``(target_id, article_id, position, title_key)`` of the link it resolves."""

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
    FROM {table} AS r WHERE r.target_id IS NULL AND r.title_key IS NOT NULL{only}
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
    "UPDATE {table} SET target_id = ?, title_key = NULL, title_rkey = NULL"
    " WHERE article_id = ? AND position = ? AND target_id IS NULL AND title_key = ?"
)
_UNRESOLVED = "SELECT article_id, position, title_key FROM {table} WHERE target_id IS NULL"


def stage_links(connection: sqlite3.Connection, rows: list[tuple[str, int, str, str | None, str, str]]) -> None:
    """Stage new links ``(article_id, position, title, url, key, reversed key)`` for :func:`resolve_pending`."""
    connection.execute(_CREATE_STAGED)
    connection.executemany(
        f"INSERT INTO {STAGED} (article_id, position, title, url, title_key, title_rkey) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def resolve_pending(connection: sqlite3.Connection, changed: Collection[str], near: bool = True) -> int:
    """Resolve the staged links and what the articles ``changed`` may now answer, then store the links.

    Exact passes (URL, headline key) run set-wise in SQL over the staged links and over the
    cache's unresolved links. With ``near``, near matches are tried for every staged link still
    unresolved, and for the cache's unresolved links that a changed article may now answer: all
    of them when more articles changed than such links remain (a first, bulk import), else through
    index ranges from each changed article; without, the caller near-matches later (see the
    module's docstring). Returns how many links resolved (staged ones counted too). Runs inside
    the caller's transaction.
    """
    connection.execute(_CREATE_STAGED)
    resolved = 0
    matchers = Matchers()
    for sql in (_BY_URL, _BY_KEY):
        resolved += connection.execute(sql.format(table=STAGED, name="staged_links", only="")).rowcount
    if near:
        unresolved_staged = connection.execute(_UNRESOLVED.format(table=STAGED)).fetchall()
        resolved += _near_matches(connection, STAGED, unresolved_staged, matchers)
    if changed and _has_more_unresolved_than(connection, 0):  # (none on a first refresh: nothing to answer)
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS changed_articles (id TEXT PRIMARY KEY) WITHOUT ROWID")
        connection.execute(f"DELETE FROM {_CHANGED}")
        connection.executemany(f"INSERT OR IGNORE INTO {_CHANGED} (id) VALUES (?)", ((i,) for i in changed))
        for sql, only in ((_BY_URL, _ONLY_CHANGED_URLS), (_BY_KEY, _ONLY_CHANGED_KEYS)):
            resolved += connection.execute(sql.format(table="related", name="related", only=only)).rowcount
        connection.execute(f"DELETE FROM {_CHANGED}")
        if not near:
            pass
        elif _has_more_unresolved_than(connection, len(changed)):
            resolved += _near_matches_to(connection, changed, matchers)
        else:
            unresolved = connection.execute(_UNRESOLVED.format(table="related")).fetchall()
            resolved += _near_matches(connection, "related", unresolved, matchers)
    connection.execute(
        "INSERT INTO related (article_id, position, title, url, title_key, title_rkey, target_id)"
        f" SELECT article_id, position, title, url, title_key, title_rkey, target_id FROM {STAGED}"
        " ORDER BY article_id, position"
    )
    connection.execute(f"DELETE FROM {STAGED}")
    return resolved


def _near_matches(
    connection: sqlite3.Connection,
    table: str,
    links: Iterable[tuple[str, int, str]],
    matchers: Matchers | None = None,
) -> int:
    """Try a near match against the whole cache for each ``(article_id, position, key)`` link of ``table``.

    Returns how many resolved.
    """
    return set_targets(connection, _found_for_links(connection, links, matchers), table)


def _found_for_links(
    connection: sqlite3.Connection, links: Iterable[tuple[str, int, str]], matchers: Matchers | None = None
) -> list[Target]:
    """The near-match target of each ``(article_id, position, key)`` link that has one (reads only)."""
    matchers = matchers or Matchers()
    found: dict[str, list[tuple[str, str]]] = {}  # many links name the same headline
    targets: list[Target] = []
    for article_id, position, key in links:
        if key not in found:
            found[key] = _article_candidates(connection, key)
        candidates = [(cid, ckey) for cid, ckey in found[key] if cid != article_id]
        target = best_match(key, candidates, matchers)
        if target is not None:
            targets.append((target, article_id, position, key))
    return targets


def set_targets(connection: sqlite3.Connection, targets: Iterable[Target], table: str = "related") -> int:
    """Resolve links to the targets found (see :data:`Target`); a link resolved or rewritten meanwhile is left."""
    return sum(connection.execute(_SET_TARGET.format(table=table), values).rowcount for values in targets)


def _near_matches_to(connection: sqlite3.Connection, changed: Collection[str], matchers: Matchers | None = None) -> int:
    """Try the changed articles as near-match targets of the cache's unresolved links; returns how many resolved."""
    return set_targets(connection, _found_for_targets(connection, changed, matchers))


def _found_for_targets(
    connection: sqlite3.Connection, changed: Collection[str], matchers: Matchers | None = None
) -> list[Target]:
    """The unresolved links of the cache that a changed article is the best near match for (reads only).

    Candidates come through index-backed ranges; a link is weighed against all its candidates only if
    the changed article is itself a near match for it (it cannot be the best one otherwise), so most
    links cost one comparison.
    """
    targets: list[Target] = []
    matchers = matchers or Matchers()
    unresolved = _UNRESOLVED.format(table="related")
    for chunk in _chunks(list(changed), 500):
        marks = ",".join("?" * len(chunk))
        articles = connection.execute(f"SELECT id, title_key FROM articles WHERE id IN ({marks})", chunk).fetchall()
        for article_id, key in articles:
            if not key:
                continue
            head, tail = affixes(key)
            shortest, longest = lengths_answered_by(key)
            links = connection.execute(
                f"{unresolved} AND title_key >= ?1 AND title_key < ?1 || ?3 AND length(title_key) BETWEEN ?5 AND ?6"
                f" UNION {unresolved} AND title_rkey >= ?2 AND title_rkey < ?2 || ?3"
                " AND length(title_key) BETWEEN ?5 AND ?6 LIMIT ?4",
                (head, tail[::-1], _HIGHEST, CANDIDATE_LIMIT * 5, shortest, longest),
            ).fetchall()
            for link_article, position, link_key in links:
                if link_article == article_id or not near_match(link_key, key, matchers):
                    continue
                candidates = [(c, k) for c, k in _article_candidates(connection, link_key) if c != link_article]
                if best_match(link_key, candidates, matchers) == article_id:
                    targets.append((article_id, link_article, position, link_key))
    return targets


def _article_candidates(connection: sqlite3.Connection, key: str) -> list[tuple[str, str]]:
    """Articles whose key shares the leading or trailing part of ``key``, of a length that could match:
    the near-match candidates."""
    if not key:
        return []
    head, tail = affixes(key)
    shortest, longest = length_range(key)
    return connection.execute(
        "SELECT id, title_key FROM articles WHERE title_key >= ?1 AND title_key < ?1 || ?3"
        " AND length(title_key) BETWEEN ?5 AND ?6"
        " UNION SELECT id, title_key FROM articles WHERE title_rkey >= ?2 AND title_rkey < ?2 || ?3"
        " AND length(title_key) BETWEEN ?5 AND ?6 LIMIT ?4",
        (head, tail[::-1], _HIGHEST, CANDIDATE_LIMIT * 2, shortest, longest),
    ).fetchall()


def near_match_plan(
    connection: sqlite3.Connection, changed: Collection[str]
) -> tuple[list[tuple[str, int, str]], bool]:
    """What a deferred near pass for the articles ``changed`` has to try (a read; no transaction needed).

    Returns the unresolved links to weigh against the whole cache, and whether the changed articles must
    also be tried as targets of the cache's other unresolved links (see :func:`find_near_targets`): when
    no more links are unresolved than articles changed, every unresolved link is returned instead.
    """
    if not changed:
        return [], False
    if not _has_more_unresolved_than(connection, len(changed)):
        return [tuple(row) for row in connection.execute(_UNRESOLVED.format(table="related"))], False
    links: list[tuple[str, int, str]] = []
    for chunk in _chunks(list(changed), 500):
        marks = ",".join("?" * len(chunk))
        rows = connection.execute(f"{_UNRESOLVED.format(table='related')} AND article_id IN ({marks})", chunk)
        links += [tuple(row) for row in rows]
    return links, True


def find_near_links(connection: sqlite3.Connection, links: Iterable[tuple[str, int, str]]) -> list[Target]:
    """Near-match these unresolved links of ``related`` against the whole cache: the targets found.

    A read (no transaction needed): :func:`set_targets` then writes them in a short one.
    """
    return _found_for_links(connection, links)


def find_near_targets(connection: sqlite3.Connection, articles: Collection[str]) -> list[Target]:
    """Try ``articles`` as near-match targets of the cache's unresolved links: the targets found (a read)."""
    return _found_for_targets(connection, articles)


def _has_more_unresolved_than(connection: sqlite3.Connection, count: int) -> bool:
    """Whether the cache holds more than ``count`` unresolved links (counting no further than that)."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM related WHERE target_id IS NULL LIMIT ?)"
    return int(connection.execute(sql, (count + 1,)).fetchone()[0]) > count


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    """``items`` in lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]

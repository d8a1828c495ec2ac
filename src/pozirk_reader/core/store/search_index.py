"""The search index: its upkeep on the store's connection, and the queries that run on it.

The index (``search_index``, an FTS5 table made by schema version 3) holds, for each article's rowid,
the stems of its headline and its body (:func:`pozirk_reader.core.search.stemming.index_text`); it keeps
no copy of the text. The store's connection keeps it in step with ``articles``: :func:`attach_index`
registers the stemming function on the connection and adds temporary triggers on update and delete (a
trigger in the schema itself would break every other program writing to the cache, which has no such
function); new articles are added by :func:`index_article`. An index that is empty after the migration,
or was built with other stems, is built anew when the store opens the cache.

:class:`SearchIndex` runs the queries: counting, listing and ranking the matches of an FTS5 expression
(built by :mod:`pozirk_reader.core.search.query`) among articles passing :class:`SearchFilters`, the rows
of the hits, and the document counts and candidates of "more like this".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from pozirk_reader.core import limits
from pozirk_reader.core.search import stemming
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.search.stemming import index_text
from pozirk_reader.core.store.kept_counts import StemCounts
from pozirk_reader.core.store.read_models import UNDATED_SORT_PREFIX, Headline, headline_columns

INDEX = "search_index"
INDEX_FUNCTION = "pozirk_index_text"
"""The SQL function ``pozirk_index_text(text, language)``: what the index holds for a text."""

FILTERED = 5000
"""Filters keeping at most this many articles are applied first; above it, the index is walked first."""

FILTERED_CANDIDATES = 500
"""The ranking bound when the index is walked first and joined with filters (each match costs a row lookup)."""

RANK_WEIGHTS = "4.0, 1.0"
"""bm25 weights of the headline and the body: the same as the index's ``rank`` (schema version 3)."""

_HEADLINE_COLUMNS = headline_columns("a")
_BATCH = 100
"""Stems whose document counts one query reads."""

Reader = Callable[[str, tuple[Any, ...]], list[sqlite3.Row]]
"""Runs one query on the store's connection (under its lock) and returns the rows."""

Version = Callable[[], Hashable | None]
"""The index's version now, for the counts kept (``None``: keep nothing, e.g. inside a transaction)."""

# -- the index's upkeep --------------------------------------------------------------------------

_TRIGGERS = (
    f"""CREATE TEMP TRIGGER IF NOT EXISTS search_index_after_delete AFTER DELETE ON main.articles BEGIN
        INSERT INTO {INDEX} ({INDEX}, rowid, title, body) VALUES
            ('delete', old.rowid, {INDEX_FUNCTION}(old.title, old.language),
             {INDEX_FUNCTION}(old.body, old.language));
    END""",
    f"""CREATE TEMP TRIGGER IF NOT EXISTS search_index_after_update AFTER UPDATE OF title, body, language
    ON main.articles WHEN old.title IS NOT new.title OR old.body IS NOT new.body
        OR old.language IS NOT new.language BEGIN
        INSERT INTO {INDEX} ({INDEX}, rowid, title, body) VALUES
            ('delete', old.rowid, {INDEX_FUNCTION}(old.title, old.language),
             {INDEX_FUNCTION}(old.body, old.language));
        INSERT INTO {INDEX} (rowid, title, body) VALUES
            (new.rowid, {INDEX_FUNCTION}(new.title, new.language), {INDEX_FUNCTION}(new.body, new.language));
    END""",
)


def attach_index(connection: sqlite3.Connection, *, writable: bool = True) -> None:
    """Make ``connection`` keep the search index in step with ``articles``, building it first if it must be.

    Registers :data:`INDEX_FUNCTION` and (when ``writable``) the temporary triggers; then, if
    ``meta.search_index`` does not name the stemming in use (a cache just migrated, or indexed by
    another version), rebuilds the index from every article in one transaction.
    """
    connection.create_function(INDEX_FUNCTION, 2, index_text, deterministic=True)
    if not writable or not _has_index(connection):
        return
    for trigger in _TRIGGERS:
        connection.execute(trigger)
    if _index_state(connection) != stemming.STEMMER_VERSION:
        connection.execute("BEGIN IMMEDIATE")
        try:
            if _index_state(connection) != stemming.STEMMER_VERSION:  # another process may have built it
                rebuild(connection)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def index_article(db: sqlite3.Connection, rowid: int | None, title: str, body: str, language: str) -> None:
    """Add a new article (the row of ``articles`` just inserted) to the index, inside the caller's transaction.

    :meth:`~pozirk_reader.core.store.writing.WriteTransaction.save_article` calls this for every article it
    adds, rather than an insert trigger: a statement with a trigger makes FTS5 write its pending
    terms to disk at once, a new segment for every article, which would halve the import's speed.
    """
    db.execute(
        f"INSERT INTO {INDEX} (rowid, title, body) VALUES (?, ?, ?)",
        (rowid, index_text(title, language), index_text(body, language)),
    )


def rebuild(db: sqlite3.Connection) -> int:
    """Build the index anew from every article, inside the caller's transaction; returns how many."""
    db.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('delete-all')")
    count = db.execute(
        f"INSERT INTO {INDEX} (rowid, title, body) SELECT rowid, {INDEX_FUNCTION}(title, language),"
        f" {INDEX_FUNCTION}(body, language) FROM articles"
    ).rowcount
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('search_index', json_quote(?))"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (stemming.STEMMER_VERSION,),
    )
    return count


def _has_index(connection: sqlite3.Connection) -> bool:
    """Whether the cache has the index table (schema version 3 and later)."""
    return (
        connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (INDEX,)).fetchone()
        is not None
    )


def _index_state(connection: sqlite3.Connection) -> str | None:
    """The stemming the index was built with, as ``meta.search_index`` names it."""
    row = connection.execute("SELECT json_extract(value, '$') FROM meta WHERE key = 'search_index'").fetchone()
    return row[0] if row else None


# -- queries -------------------------------------------------------------------------------------

_KEPT = "+rowid IN (SELECT a.rowid FROM articles a WHERE {})"
"""Keeps the matches among the filtered articles: the ``+`` makes SQLite walk the matches once and look
each up in the (small) set, rather than look each filtered article up in the index, which for a
``word*`` prefix means gathering the prefix's words again every time."""


@dataclass(frozen=True, slots=True)
class SimilaritySeed:
    """What "more like this" reads of the article it starts from."""

    rowid: int
    title: str
    body: str
    language: str
    title_key: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class SimilarRow:
    """A "more like this" candidate: its headline, and what tells a duplicate (headline key, content hash, body)."""

    headline: Headline
    title_key: str
    content_hash: str
    body: str


class SearchIndex:
    """The queries on the search index, each run through the store's ``read`` (its connection, under its lock).

    The document counts of "more like this" are kept in ``stem_counts`` for the index's ``version`` (see
    :mod:`~pozirk_reader.core.store.kept_counts`).
    """

    def __init__(self, read: Reader, version: Version | None = None, stem_counts: StemCounts | None = None) -> None:
        self._read = read
        self._version: Version = version or (lambda: None)
        self.stem_counts = stem_counts or StemCounts()
        """The document counts kept (:meth:`StemCounts.forget` forgets them, as a benchmark's cold run does)."""

    def count(self, expression: str | None, exclusion: str | None, filters: SearchFilters) -> int:
        """How many articles match ``expression`` and pass ``filters``.

        With no ``expression``, the articles passing ``filters`` that match no ``exclusion``. It counts
        every match: about a millisecond for a word in half of 100,000 articles; with filters that keep
        many articles but few of the matches, up to a few hundred.
        """
        where, params = _conditions(filters)
        if expression is None:
            if exclusion is not None:
                where.append(f"a.rowid NOT IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?)")
                params.append(exclusion)
            sql = "SELECT count(*) FROM articles a" + (" WHERE " + " AND ".join(where) if where else "")
            return int(self._read(sql, tuple(params))[0][0])
        if not where:
            return int(self._read(f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ?", (expression,))[0][0])
        if self._filtered_size(where, params) <= FILTERED:
            sql = f"SELECT count(*) FROM {INDEX} WHERE {INDEX} MATCH ? AND {_KEPT.format(' AND '.join(where))}"
            return int(self._read(sql, (expression, *params))[0][0])
        sql = f"SELECT count(*) FROM {INDEX} f JOIN articles a ON a.rowid = f.rowid WHERE f.{INDEX} MATCH ?"
        return int(self._read(sql + "".join(f" AND {w}" for w in where), (expression, *params))[0][0])

    def capped_count(self, expression: str, cap: int) -> int:
        """How many articles match ``expression``, counted up to ``cap`` (cheap however many match)."""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT ?)"
        return int(self._read(sql, (expression, cap))[0][0])

    def listing(self, exclusion: str | None, filters: SearchFilters, limit: int, offset: int) -> list[int]:
        """Rowids of the articles passing ``filters`` (and matching no ``exclusion``), newest first."""
        where, params = _conditions(filters)
        order = "a.sort_key DESC, a.id DESC"
        if where:
            if self._filtered_size(where, params) <= FILTERED:
                order = "+a.sort_key DESC, +a.id DESC"  # few: find them by the filters' indexes, then sort
            else:
                where = [condition.replace("a.source_id", "+a.source_id") for condition in where]  # many: by date
        if exclusion is not None:
            where.append(f"a.rowid NOT IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ?)")
            params.append(exclusion)
        sql = (
            "SELECT a.rowid FROM articles a"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {order} LIMIT ? OFFSET ?"
        )
        return [row[0] for row in self._read(sql, (*params, limit, offset))]

    def ranked(self, expression: str, filters: SearchFilters, limit: int, offset: int) -> list[tuple[int, float]]:
        """(rowid, score) of the matches of ``expression`` passing ``filters``, best first.

        Ranking is bm25 with the headline weighted four times the body (higher scores are better).
        When more than :data:`~pozirk_reader.core.limits.SEARCH_CANDIDATES` articles match, the newest
        that many (the last added) are ranked and the rest follow newest first with a score of 0:
        ranking every match of a word found in most articles would take far longer, and tells little
        more. With filters that keep at most :data:`FILTERED` articles, every match among them is ranked
        (the matches are walked once and checked against the set). With filters that keep more, the
        index is walked as without them, joined with the filters, and the ranking bound is
        :data:`FILTERED_CANDIDATES`.
        """
        where, params = _conditions(filters)
        if where and self._filtered_size(where, params) <= FILTERED:
            rows = self._read(
                f"SELECT rowid, bm25({INDEX}, {RANK_WEIGHTS}) AS score FROM {INDEX} WHERE {INDEX} MATCH ?"
                f" AND {_KEPT.format(' AND '.join(where))} ORDER BY score LIMIT ? OFFSET ?",
                (expression, *params, limit, offset),
            )
            return [(row[0], -float(row[1])) for row in rows]
        candidates = FILTERED_CANDIDATES if where else limits.SEARCH_CANDIDATES
        join = " JOIN articles a ON a.rowid = f.rowid" if where else ""
        conditions = "".join(f" AND {condition}" for condition in where)
        base = f"FROM {INDEX} f{join} WHERE f.{INDEX} MATCH ?{conditions}"
        # The candidates-th newest match, if there are that many: a walk down the matches' rowids, cheap.
        bound = self._read(
            f"SELECT f.rowid {base} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?", (expression, *params, candidates - 1)
        )
        lowest = bound[0][0] if bound else None
        found: list[tuple[int, float]] = []
        if lowest is None or offset < candidates:
            limit_rows = limit if lowest is None else min(limit, candidates - offset)
            rows = self._read(
                f"SELECT f.rowid, f.rank {base}{' AND f.rowid >= ?' if lowest is not None else ''}"
                " ORDER BY f.rank LIMIT ? OFFSET ?",
                (expression, *params, *([lowest] if lowest is not None else []), limit_rows, offset),
            )
            found = [(row[0], -float(row[1])) for row in rows]
        if lowest is not None and len(found) < limit:
            rows = self._read(
                f"SELECT f.rowid {base} AND f.rowid < ? ORDER BY f.rowid DESC LIMIT ? OFFSET ?",
                (expression, *params, lowest, limit - len(found), max(0, offset - candidates)),
            )
            found.extend((row[0], 0.0) for row in rows)
        return found

    def hit_rows(self, rowids: list[int]) -> dict[int, tuple[Headline, str]]:
        """The headline and body of each article among ``rowids`` still in the cache, by rowid."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self._read(
            f"SELECT a.rowid, {_HEADLINE_COLUMNS}, a.body FROM articles a WHERE a.rowid IN ({marks})", tuple(rowids)
        )
        return {row[0]: (Headline.from_row(tuple(row[1:10])), row[10] or "") for row in rows}

    def position(self, article_id: str, filters: SearchFilters) -> tuple[int, bool] | None:
        """Where ``article_id`` is in the list of articles passing ``filters``, newest first: its row and
        whether it passes (if not, the row of the first article older than it). ``None`` if it is not cached."""
        anchor = self._read("SELECT sort_key FROM articles WHERE id = ?", (article_id,))
        if not anchor:
            return None
        where, params = _conditions(filters)
        conditions = "".join(f" AND {condition}" for condition in where)
        above = self._read(
            "SELECT count(*) FROM articles a WHERE (a.sort_key > ? OR (a.sort_key = ? AND a.id > ?))" + conditions,
            (anchor[0][0], anchor[0][0], article_id, *params),
        )
        passes = self._read(f"SELECT 1 FROM articles a WHERE a.id = ?{conditions}", (article_id, *params))
        return int(above[0][0]), bool(passes)

    def next_unread(self, article_id: str | None, filters: SearchFilters, forward: bool = True) -> str | None:
        """The unread article passing ``filters`` after (``forward``: older than) or before ``article_id``
        in the list, newest first; with no ``article_id``, the newest."""
        where, params = _conditions(filters)
        where.append("a.read = 0")
        anchor = self._read("SELECT sort_key FROM articles WHERE id = ?", (article_id,)) if article_id else []
        if article_id is not None and not anchor:
            return None
        order = "a.sort_key DESC, a.id DESC"
        if anchor:
            if forward:
                where.append("(a.sort_key < ? OR (a.sort_key = ? AND a.id < ?))")
            else:
                where.append("(a.sort_key > ? OR (a.sort_key = ? AND a.id > ?))")
                order = "a.sort_key, a.id"
            params += [anchor[0][0], anchor[0][0], article_id]
        rows = self._read(
            f"SELECT a.id FROM articles a WHERE {' AND '.join(where)} ORDER BY {order} LIMIT 1", tuple(params)
        )
        return rows[0][0] if rows else None

    def _filtered_size(self, where: list[str], params: list[object]) -> int:
        """How many articles pass the filters, counted (from an index) up to :data:`FILTERED` + 1."""
        sql = f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {' AND '.join(where)} LIMIT ?)"
        return int(self._read(sql, (*params, FILTERED + 1))[0][0])

    # -- "more like this" ------------------------------------------------------------------------

    def similarity_seed(self, article_id: str) -> SimilaritySeed | None:
        """The article "more like this" starts from, or ``None`` if it is not cached."""
        rows = self._read(
            "SELECT rowid, title, body, language, title_key, content_hash FROM articles WHERE id = ?", (article_id,)
        )
        return SimilaritySeed(*rows[0]) if rows else None

    def article_total(self) -> int:
        """About how many articles there are (the highest rowid: no count needed), at least 1."""
        return int(self._read("SELECT max(rowid) FROM articles", ())[0][0] or 1)

    def document_counts(self, stems: list[str], cap: int) -> dict[str, int]:
        """How many articles hold each stem, counting up to ``cap``.

        About 0.1 ms a stem at 100,000 articles (6 ms an article): those counted before, while the index stayed
        as it is, are kept.
        """
        version = self._version()
        key = None if version is None else (version, cap)
        known = {} if key is None else self.stem_counts.known(key, stems)
        counted = self._count_documents([stem for stem in stems if stem not in known], cap)
        if key is not None:
            self.stem_counts.keep(key, counted)
        return {stem: known[stem] if stem in known else counted[stem] for stem in stems}

    def _count_documents(self, stems: list[str], cap: int) -> dict[str, int]:
        """:meth:`document_counts`, each read from the index."""
        counts: dict[str, int] = {}
        for start in range(0, len(stems), _BATCH):
            batch = stems[start : start + _BATCH]
            sql = " UNION ALL ".join(
                f"SELECT ?, (SELECT count(*) FROM (SELECT 1 FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT ?))" for _ in batch
            )
            params = tuple(value for stem in batch for value in (stem, f'"{stem}"', cap))
            counts.update((row[0], int(row[1])) for row in self._read(sql, params))
        return counts

    def more_like(self, expression: str, rowid: int, limit: int) -> list[SimilarRow]:
        """The best ``limit`` matches of ``expression`` other than the article at ``rowid``, best first."""
        found = self._read(
            f"SELECT a.rowid, {_HEADLINE_COLUMNS}, a.title_key, a.content_hash, a.body FROM"
            f" (SELECT rowid, rank FROM {INDEX} WHERE {INDEX} MATCH ? AND rowid != ? ORDER BY rank LIMIT ?) f"
            " JOIN articles a ON a.rowid = f.rowid ORDER BY f.rank",
            (expression, rowid, limit),
        )
        return [SimilarRow(Headline.from_row(tuple(row[1:10])), row[10], row[11], row[12]) for row in found]


def _conditions(filters: SearchFilters) -> tuple[list[str], list[object]]:
    """Conditions on ``articles a`` for ``filters``, and their parameters."""
    where: list[str] = []
    params: list[object] = []
    if filters.unread_only:
        where.append("a.read = 0")
    if filters.starred_only:
        where.append("a.starred = 1")
    if filters.source_id is not None:
        where.append("a.source_id = ?")
        params.append(filters.source_id)
    if filters.since is not None:
        where.append("a.sort_key >= ?")
        params.append(filters.since.isoformat())
    if filters.until is not None:
        where.append("a.sort_key >= ? AND a.sort_key < ?")  # a file with no date is in no range of dates
        params.extend((UNDATED_SORT_PREFIX + "~", filters.until.isoformat() + "U"))  # "U": after "…T23:59"
    return where, params

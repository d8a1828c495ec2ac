"""Writing to the cache: the typed methods of one write transaction.

``with store.writing() as tx:`` begins a ``BEGIN IMMEDIATE`` transaction and yields a
:class:`WriteTransaction`; all of it commits when the block ends, or none of it if the block raises.
Articles saved in it stage their "see also" links; :meth:`WriteTransaction.resolve_links` stores them
with their targets and must run before the transaction ends (the store refuses to commit otherwise,
since staged links are kept outside the cache file and would be lost).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime

from pozirk_reader.core.article.headline_match import reverse, title_key
from pozirk_reader.core.article.model import Article, ContentKind
from pozirk_reader.core.store.identity import EntryClaim, assign_ids
from pozirk_reader.core.store.inline_links import replace_inline_links
from pozirk_reader.core.store.links import Target, resolve_pending, set_targets, stage_links
from pozirk_reader.core.store.outbox import Field, queue_changes
from pozirk_reader.core.store.read_models import (
    LINE_BREAK,
    UNDATED_SORT_PREFIX,
    EntryFingerprint,
    KnownEntry,
    KnownFile,
    SaveOutcome,
    SourceKind,
)
from pozirk_reader.core.store.search_index import index_article, rebuild

_CHUNK = 500
"""Ids looked up in one ``IN (...)`` query."""

BATCH_ARTICLES = 200
"""Long work (an import, a feed's entries) writes at most this many articles in one transaction: a
few tens of milliseconds, so that a star, a read mark or another writer waits no longer than that."""

BATCH_BYTES = 8 * 1024 * 1024
"""…and at most about this many bytes of files, so that a batch of large files stays short too."""


class WriteTransaction:
    """The writes of one transaction on the store's connection (see the module's docstring)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._staged = False
        """Whether links were staged since the last :meth:`resolve_links`."""
        self._links: list[tuple[str, int, str, str | None, str, str]] = []
        """The links of the articles saved since then, staged in one statement when they are resolved."""

    # -- sources ---------------------------------------------------------------------------------

    def ensure_source(self, kind: SourceKind, location: str, title: str | None = None) -> int:
        """The id of the source at ``location``, adding it if new."""
        row = self._db.execute("SELECT id FROM sources WHERE location = ?", (location,)).fetchone()
        if row:
            return int(row[0])
        cursor = self._db.execute(
            "INSERT INTO sources (kind, location, title, added_at) VALUES (?, ?, ?, ?)",
            (kind, location, title, time.time()),
        )
        return int(cursor.lastrowid or 0)

    def has_source(self, location: str) -> bool:
        """Whether a source at ``location`` exists."""
        return self._db.execute("SELECT 1 FROM sources WHERE location = ?", (location,)).fetchone() is not None

    def has_source_id(self, source_id: int) -> bool:
        """Whether the source ``source_id`` still exists (another process may have removed it)."""
        return self._db.execute("SELECT 1 FROM sources WHERE id = ?", (source_id,)).fetchone() is not None

    def remove_source(self, source_id: int) -> int:
        """Delete a source and its articles; returns how many articles went.

        Links from other articles to them become unresolved again, so they resolve anew if
        the articles come back.
        """
        self._unresolve_links_to("SELECT id FROM articles WHERE source_id = ?", (source_id,))
        removed = int(self._db.execute("DELETE FROM articles WHERE source_id = ?", (source_id,)).rowcount)
        self._db.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return removed

    def drop_oldest(self, source_id: int, keep: int, limit: int, spare: Collection[str] = ()) -> tuple[int, bool]:
        """Delete up to ``limit`` of the source's articles older than its newest ``keep``; returns how many went
        and whether more are due.

        Never deleted: a starred article, one of the ids ``spare`` (the entries the feed lists now, so they
        do not come back as new at the next refresh), and the target of a "see also" link from an article
        that stays (one level: a link from an article deleted too spares nothing). Newest is by the headline
        list's order (date, then first seen). Links to the deleted become unresolved again, as
        :meth:`remove_source` leaves them.
        """
        db = self._db
        for table in ("dropped_articles", "spared_articles"):
            db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute(f"DELETE FROM temp.{table}")
        db.executemany("INSERT OR IGNORE INTO temp.spared_articles (id) VALUES (?)", ((id_,) for id_ in spare))
        db.execute(
            "INSERT INTO temp.dropped_articles (id) SELECT id FROM articles WHERE source_id = ?1 AND starred = 0"
            " AND id NOT IN (SELECT id FROM temp.spared_articles)"
            " AND id NOT IN (SELECT id FROM articles WHERE source_id = ?1"
            " ORDER BY sort_key DESC, first_seen DESC, id DESC LIMIT ?2)",
            (source_id, keep),
        )
        db.execute(
            "DELETE FROM temp.dropped_articles WHERE id IN (SELECT r.target_id FROM related r"
            " WHERE r.target_id IN (SELECT id FROM temp.dropped_articles)"
            " AND r.article_id NOT IN (SELECT id FROM temp.dropped_articles))"
        )
        due = int(db.execute("SELECT count(*) FROM temp.dropped_articles").fetchone()[0])
        if due > limit:
            db.execute(
                "DELETE FROM temp.dropped_articles WHERE id NOT IN"
                " (SELECT d.id FROM temp.dropped_articles d JOIN articles a ON a.id = d.id"
                " ORDER BY a.sort_key, a.first_seen, a.id LIMIT ?)",
                (limit,),
            )
        self._unresolve_links_to("SELECT id FROM temp.dropped_articles", ())
        removed = int(db.execute("DELETE FROM articles WHERE id IN (SELECT id FROM temp.dropped_articles)").rowcount)
        db.execute("DELETE FROM temp.dropped_articles")
        db.execute("DELETE FROM temp.spared_articles")
        return removed, due > limit

    def _unresolve_links_to(self, doomed: str, params: tuple[object, ...]) -> None:
        """Make the links of other articles to the articles ``doomed`` selects unresolved, with their keys again."""
        db = self._db
        rows = db.execute(
            f"SELECT r.article_id, r.position, r.title FROM related r WHERE r.target_id IN ({doomed})"
            f" AND r.article_id NOT IN ({doomed})",
            params * 2,
        ).fetchall()
        for article_id, position, title in rows:
            key = title_key(title)
            db.execute(
                "UPDATE related SET title_key = ?, title_rkey = ?, target_id = NULL"
                " WHERE article_id = ? AND position = ?",
                (key, reverse(key), article_id, position),
            )

    def record_check(
        self,
        source_id: int,
        *,
        error: str | None = None,
        warning: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
        title: str | None = None,
        site_url: str | None = None,
    ) -> None:
        """Note a refresh of a source: its error (or success), warning, new validators, title and site."""
        now = time.time()
        db = self._db
        db.execute("UPDATE sources SET checked_at = ?, last_error = ? WHERE id = ?", (now, error, source_id))
        if error is None:
            db.execute(
                "UPDATE sources SET refreshed_at = ?, last_warning = ?, title = coalesce(?, title),"
                " site_url = coalesce(?, site_url) WHERE id = ?",
                (now, warning, title, site_url, source_id),
            )
        if validators is not None:
            db.execute("UPDATE sources SET etag = ?, last_modified = ? WHERE id = ?", (*validators, source_id))

    def mark_imported(self, source_id: int) -> None:
        """Note that a folder or file source was imported now, without error."""
        self._db.execute(
            "UPDATE sources SET refreshed_at = strftime('%s', 'now'), last_error = NULL WHERE id = ?", (source_id,)
        )

    # -- reading state ---------------------------------------------------------------------------

    def set_read_many(self, article_ids: Iterable[str], read: bool = True) -> list[str]:
        """Mark the articles among ``article_ids`` read (or unread); returns those whose flag changed, so that
        the change can be undone exactly. Every bulk mark (a view, a source, an undo) goes through here. An
        account's articles that changed get their outbox rows in the same transaction, as :meth:`Store.set_read`
        does for one."""
        ids = list(dict.fromkeys(article_ids))
        changed: list[str] = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id FROM articles WHERE id IN ({marks}) AND read = ?", (*chunk, int(not read))
            ).fetchall()
            found = [row[0] for row in rows]
            if found:
                marks = ",".join("?" * len(found))
                self._db.execute(f"UPDATE articles SET read = ? WHERE id IN ({marks})", (int(read), *found))
            changed.extend(found)
        queue_changes(self._db, changed, Field.READ, read)
        return changed

    # -- what the cache already holds ------------------------------------------------------------

    def known_files(self, source_id: int) -> dict[str, KnownFile]:
        """What the cache knows of each file of a source, by origin (the file's path)."""
        return {
            row[0]: KnownFile(row[1], row[2], bool(row[3]), row[4])
            for row in self._db.execute(
                "SELECT origin, file_mtime, file_size, gone, content_hash FROM articles WHERE source_id = ?",
                (source_id,),
            )
        }

    def known_entries(self, ids: list[str]) -> dict[str, KnownEntry]:
        """Content hash and kind of the cached articles among ``ids``."""
        found: dict[str, KnownEntry] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._db.execute(
                f"SELECT id, content_hash, content_kind FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((row[0], KnownEntry(row[1], ContentKind(row[2]))) for row in rows)
        return found

    def known_fingerprints(self, source_id: int, keys: Sequence[str]) -> dict[str, EntryFingerprint]:
        """The cached articles of the feed ``source_id`` that have a fingerprint, by the entry keys among ``keys``:
        an entry whose fingerprint is its article's is unchanged, and its content hash is the article's."""
        found: dict[str, EntryFingerprint] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            rows = self._db.execute(
                "SELECT entry_key, id, raw_hash, content_hash, content_kind, feed_item FROM articles WHERE source_id = ?"
                " AND raw_hash IS NOT"
                f" NULL AND entry_key IN ({','.join('?' * len(chunk))})",
                (source_id, *chunk),
            )
            found.update(
                (row[0], EntryFingerprint(row[1], row[2], row[3], ContentKind(row[4]), row[5])) for row in rows
            )
        return found

    def record_fingerprint(self, article_id: str, raw_hash: str, feed_item: str | None = None) -> None:
        """Note the fingerprint of an entry found unchanged (its content hash the article's) once converted, so
        that the next refresh knows it unchanged without converting it (and its ``feed_item``, without reading it:
        see :data:`~pozirk_reader.core.store.schema.FEED_ITEMS`)."""
        self._db.execute(
            "UPDATE articles SET raw_hash = ?, feed_item = ? WHERE id = ?", (raw_hash, feed_item, article_id)
        )

    def identify_entries(self, source_id: int, claims: Sequence[EntryClaim]) -> list[str]:
        """The article id of each entry of the feed ``source_id``, in order: its cached article's (by its key),
        else that of an article cached before keys that it inherits, else its new id.

        See :mod:`~pozirk_reader.core.store.identity`; an inherited article gets the entry's key at once.
        """
        return assign_ids(self._db, source_id, claims)

    def source_and_hash(self, article_id: str) -> tuple[int, str] | None:
        """The source id and content hash of a cached article, or ``None``."""
        row = self._db.execute("SELECT source_id, content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    # -- articles --------------------------------------------------------------------------------

    def save_article(
        self,
        source_id: int,
        article: Article,
        content_hash: str,
        file_mtime: float | None = None,
        file_size: int | None = None,
        entry_key: str | None = None,
        raw_hash: str | None = None,
        feed_item: str | None = None,
    ) -> SaveOutcome:
        """Add or update ``article``; returns added, updated or unchanged (the same ``content_hash``).

        ``file_mtime`` is the file's ``st_mtime``, kept as it is so an unchanged file is known
        without reading it. ``entry_key`` is a feed entry's identity within its feed (an update
        without one keeps the article's); ``raw_hash`` the fingerprint of the feed entry the article was
        converted from (else none: see :data:`~pozirk_reader.core.store.schema.RAW_HASHES`), ``feed_item`` how
        the fast reader knew that entry (:data:`~pozirk_reader.core.store.schema.FEED_ITEMS`; kept only with a
        ``raw_hash``). An update keeps the article's read, starred and history.
        Its links are replaced: staged (kept until :meth:`resolve_links`, which stages the links of every
        article saved since in one statement), then stored with their targets by it; so
        are the links in its text (resolved when read). Line breaks inside a paragraph (preformatted
        text) are kept in ``body`` as :data:`LINE_BREAK`.
        """
        db = self._db
        now = time.time()
        modified = datetime.fromtimestamp(file_mtime) if file_mtime is not None else None
        row = db.execute("SELECT content_hash FROM articles WHERE id = ?", (article.id,)).fetchone()
        if row is not None and row[0] == content_hash:
            self.mark_unchanged(article.id, source_id, file_mtime, file_size)
            return SaveOutcome.UNCHANGED
        key = title_key(article.title)
        body = "\n".join(paragraph.replace("\n", LINE_BREAK) for paragraph in article.paragraphs)
        values = {
            "id": article.id,
            "source_id": source_id,
            "origin": article.origin,
            "url": article.url,
            "title": article.title,
            "title_key": key,
            "title_rkey": reverse(key),
            "language": article.language,
            "source_name": article.source_name,
            "published": article.date.isoformat() if article.date else None,
            "place_time": article.place_time,
            "photo_credit": article.photo_credit,
            "body": body,
            "encoding": article.encoding,
            "content_kind": article.content,
            "content_hash": content_hash,
            "blocks": article.blocks or None,
            "file_mtime": file_mtime,
            "file_size": file_size,
            "sort_key": _sort_key(article, modified),
            "entry_key": entry_key,
            "raw_hash": raw_hash,
            "feed_item": feed_item if raw_hash is not None else None,
            "now": now,
        }
        if row is None:
            cursor = db.execute(
                "INSERT INTO articles (id, source_id, origin, url, title, title_key, title_rkey, language,"
                " source_name, published, place_time, photo_credit, body, encoding, content_kind, content_hash,"
                " blocks, file_mtime, file_size, sort_key, entry_key, raw_hash, feed_item, first_seen, updated_at) VALUES (:id,"
                " :source_id, :origin, :url, :title, :title_key, :title_rkey, :language, :source_name, :published,"
                " :place_time, :photo_credit, :body, :encoding, :content_kind, :content_hash, :blocks, :file_mtime,"
                " :file_size, :sort_key, :entry_key, :raw_hash, :feed_item, :now, :now)",
                values,
            )
            index_article(db, cursor.lastrowid, article.title, body, article.language)
        else:
            db.execute(
                "UPDATE articles SET source_id = :source_id, origin = :origin, url = :url, title = :title,"
                " title_key = :title_key, title_rkey = :title_rkey, language = :language,"
                " source_name = :source_name, published = :published, place_time = :place_time,"
                " photo_credit = :photo_credit, body = :body, encoding = :encoding, content_kind = :content_kind,"
                " content_hash = :content_hash, blocks = :blocks, entry_key = coalesce(:entry_key, entry_key),"
                " raw_hash = :raw_hash, feed_item = :feed_item,"
                " file_mtime = :file_mtime, file_size = :file_size, sort_key = :sort_key, updated_at = :now,"
                " gone = 0 WHERE id = :id",
                values,
            )
            db.execute("DELETE FROM related WHERE article_id = ?", (article.id,))
        if article.links or row is not None:
            replace_inline_links(db, article.id, article.links)
        self._links += [
            (article.id, position, link.title, link.url, key, reverse(key))
            for position, link in enumerate(article.related)
            for key in (title_key(link.title),)
        ]
        self._staged = True
        return SaveOutcome.ADDED if row is None else SaveOutcome.UPDATED

    def mark_unchanged(self, article_id: str, source_id: int, file_mtime: float | None, file_size: int | None) -> None:
        """Note that an article's file is present, with the same bytes (and perhaps a new time)."""
        self._db.execute(
            "UPDATE articles SET gone = 0, file_mtime = ?, file_size = ?, source_id = ? WHERE id = ?",
            (file_mtime, file_size, source_id, article_id),
        )

    def mark_gone(self, source_id: int, origins: Iterable[str]) -> None:
        """Mark the source's articles from ``origins`` gone from it (they stay cached and readable)."""
        for origin in origins:
            self._db.execute("UPDATE articles SET gone = 1 WHERE source_id = ? AND origin = ?", (source_id, origin))

    def save_full_text(
        self,
        source_id: int,
        article: Article,
        entry_hash: str,
        raw_hash: str | None = None,
        feed_item: str | None = None,
    ) -> None:
        """Save an entry's full text under the entry's own hash (so the unchanged entry does not replace it), and
        its fingerprint ``raw_hash`` with its ``feed_item`` (by default the article's, if its content hash is
        ``entry_hash``).

        Its links are resolved at once (see :meth:`resolve_links`).
        """
        if raw_hash is None:
            row = self._db.execute(
                "SELECT raw_hash, feed_item FROM articles WHERE id = ? AND content_hash = ?", (article.id, entry_hash)
            ).fetchone()
            raw_hash, feed_item = (row[0], row[1]) if row is not None else (None, None)
        self._db.execute("UPDATE articles SET content_hash = '' WHERE id = ?", (article.id,))  # same entry, new text
        self.save_article(source_id, article, entry_hash, raw_hash=raw_hash, feed_item=feed_item)
        self.resolve_links([article.id])

    def resolve_links(self, changed: Collection[str], near: bool = True) -> int:
        """Store the staged links with their targets, and resolve what the articles ``changed`` now answer.

        Without ``near``, only exact matches (URL, headline key) are tried now, and the caller runs
        :meth:`Store.resolve_near_matches` for all it changed once its batches are written. Returns how
        many links resolved; see :func:`pozirk_reader.core.store.links.resolve_pending`.
        """
        stage_links(self._db, self._links)
        self._links = []
        resolved = resolve_pending(self._db, changed, near)
        self._staged = False
        return resolved

    def set_near_targets(self, targets: Iterable[Target]) -> int:
        """Resolve links to the near matches found by :meth:`Store.resolve_near_matches`; returns how many.

        A link resolved or rewritten meanwhile (by another writer) is left as it is.
        """
        return set_targets(self._db, targets)

    # -- the search index ------------------------------------------------------------------------

    def rebuild_search_index(self) -> int:
        """Build the search index anew from every article (e.g. after a tool outside the reader changed them)."""
        return rebuild(self._db)

    def _check_finished(self) -> None:
        """Refuse to commit links that were staged and never stored."""
        if self._staged:
            raise RuntimeError("articles were saved without resolve_links(): their links would be lost")


def _sort_key(article: Article, modified: datetime | None) -> str:
    """The headline list's order: dateline date and time. A file with no date goes under every dated
    article (:data:`UNDATED_SORT_PREFIX`, then its file's time); a feed entry with none sorts at its fetch."""
    if article.date:
        return f"{article.date.isoformat()}T{(article.time or '00:00').zfill(5)}"
    when = modified or datetime.now()
    key = f"{when.date().isoformat()}T{(article.time or when.strftime('%H:%M')).zfill(5)}"
    return UNDATED_SORT_PREFIX + key if modified is not None else key

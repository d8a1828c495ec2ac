"""The cache's schema and its forward migrations, versioned with ``PRAGMA user_version``.

Each entry of :data:`MIGRATIONS` takes the database from version ``n`` to ``n + 1``;
a new schema change is a new entry, never an edit of an old one.
"""

from __future__ import annotations

import sqlite3

V1 = """
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('folder', 'file', 'feed')),
    location TEXT NOT NULL UNIQUE,
    title TEXT,
    added_at REAL NOT NULL,
    refreshed_at REAL,
    last_error TEXT
);

CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    origin TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    title_key TEXT NOT NULL,
    title_rkey TEXT NOT NULL,
    language TEXT NOT NULL,
    source_name TEXT,
    published TEXT,
    place_time TEXT,
    photo_credit TEXT,
    body TEXT NOT NULL,
    encoding TEXT,
    content_hash TEXT NOT NULL,
    file_mtime REAL,
    file_size INTEGER,
    sort_key TEXT NOT NULL,
    first_seen REAL NOT NULL,
    updated_at REAL NOT NULL,
    gone INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    last_opened REAL
);
CREATE INDEX articles_by_date ON articles (sort_key, id);
CREATE INDEX articles_unread_by_date ON articles (sort_key, id) WHERE read = 0;
CREATE INDEX articles_by_title_key ON articles (title_key);
CREATE INDEX articles_by_title_rkey ON articles (title_rkey);
CREATE INDEX articles_by_url ON articles (url) WHERE url IS NOT NULL;
CREATE INDEX articles_by_source ON articles (source_id);

CREATE TABLE related (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    title_key TEXT,
    title_rkey TEXT,
    target_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX related_by_target ON related (target_id) WHERE target_id IS NOT NULL;
CREATE INDEX related_unresolved_by_key ON related (title_key) WHERE target_id IS NULL;
CREATE INDEX related_unresolved_by_rkey ON related (title_rkey) WHERE target_id IS NULL;
CREATE INDEX related_unresolved_by_url ON related (url) WHERE target_id IS NULL AND url IS NOT NULL;

CREATE TABLE history (
    seq INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    opened_at REAL NOT NULL
);
CREATE INDEX history_by_article ON history (article_id);

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

V2 = """
CREATE TABLE sources_v2 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('folder', 'file', 'feed', 'page')),
    location TEXT NOT NULL UNIQUE,
    title TEXT,
    added_at REAL NOT NULL,
    refreshed_at REAL,
    last_error TEXT,
    site_url TEXT,
    etag TEXT,
    last_modified TEXT,
    checked_at REAL,
    last_warning TEXT
);
INSERT INTO sources_v2 (id, kind, location, title, added_at, refreshed_at, last_error)
    SELECT id, kind, location, title, added_at, refreshed_at, last_error FROM sources;
DROP TABLE sources;
ALTER TABLE sources_v2 RENAME TO sources;
ALTER TABLE articles ADD COLUMN content_kind TEXT NOT NULL DEFAULT 'full' CHECK (content_kind IN ('full', 'summary'))
"""
"""Feeds: a ``page`` source kind (a web page fetched on its own, e.g. by following a link), the
feed's conditional-GET validators and last warning, and whether an article holds its full text
or only a feed's summary."""

# related.title_key and title_rkey are kept only while a link is unresolved (they find its target) and
# cleared when it resolves; resolution code that ever unresolves a link must compute them again.

V3 = """
CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 2', detail=full
);
INSERT INTO search_index (search_index, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
CREATE INDEX articles_starred_by_date ON articles (sort_key, id) WHERE starred = 1;
INSERT INTO meta (key, value) VALUES ('search_index', '"empty"')
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
"""
"""Search: a full-text index of each article's headline and body, by the article's rowid. It is
contentless (it keeps no copy of the text) and holds stems, not words, which SQL cannot make: so
this migration leaves it empty and ``meta.search_index`` says so, and the store fills it (and keeps
it in step with ``articles``) when it opens the cache: see :func:`pozirk_reader.core.store.search_index.attach_index`.
Also an index of starred articles for the "starred only" filter."""

V4 = """
CREATE INDEX articles_by_origin ON articles (origin)
"""
"""Links resolve by an article's URL or its origin (a feed entry's link, a page's address): both indexed."""

V5 = """
ALTER TABLE articles ADD COLUMN entry_key TEXT;
CREATE INDEX articles_by_entry_key ON articles (source_id, entry_key) WHERE entry_key IS NOT NULL;
ALTER TABLE articles ADD COLUMN blocks TEXT;
CREATE TABLE inline_links (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID
"""
"""Real feeds: a feed entry's identity within its feed (``entry_key``: its guid or id, else its link,
else its title and date; NULL for files and pages, and for feed articles cached before it, which the
first refresh keys: see :mod:`pozirk_reader.core.store.identity`); each paragraph's kind (``blocks``: one
letter a paragraph, ``p`` text, ``1``-``6`` a heading of that level, ``c`` preformatted; NULL when all
are text); and the links inside an article's text, numbered as the text marks them (``position + 1``),
resolved by URL when read."""


V6 = """
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('greader', 'fever')),
    base_url TEXT NOT NULL,
    username TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    added_at REAL NOT NULL,
    synced_at REAL,
    last_error TEXT,
    cursor TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE sources_v6 (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('folder', 'file', 'feed', 'page', 'subscription')),
    location TEXT NOT NULL UNIQUE,
    title TEXT,
    added_at REAL NOT NULL,
    refreshed_at REAL,
    last_error TEXT,
    site_url TEXT,
    etag TEXT,
    last_modified TEXT,
    checked_at REAL,
    last_warning TEXT,
    account_id INTEGER REFERENCES accounts(id),
    remote_id TEXT,
    feed_url TEXT
);
INSERT INTO sources_v6 (id, kind, location, title, added_at, refreshed_at, last_error, site_url, etag, last_modified,
    checked_at, last_warning)
    SELECT id, kind, location, title, added_at, refreshed_at, last_error, site_url, etag, last_modified, checked_at,
    last_warning FROM sources;
DROP TABLE sources;
ALTER TABLE sources_v6 RENAME TO sources;
CREATE UNIQUE INDEX sources_by_remote_id ON sources (account_id, remote_id) WHERE account_id IS NOT NULL;
CREATE TABLE remote_items (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    item_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX remote_items_by_item ON remote_items (account_id, item_id);
CREATE TABLE outbox (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    field TEXT NOT NULL CHECK (field IN ('read', 'starred')),
    value INTEGER NOT NULL,
    queued_at REAL NOT NULL,
    PRIMARY KEY (article_id, field)
) WITHOUT ROWID;
CREATE TABLE subscription_outbox (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    feed TEXT NOT NULL,
    subscribed INTEGER NOT NULL CHECK (subscribed IN (0, 1)),
    feed_url TEXT,
    title TEXT,
    queued_at REAL NOT NULL,
    PRIMARY KEY (account_id, feed)
) WITHOUT ROWID
"""
"""Sync with news servers: ``accounts`` (a Google Reader API or Fever server, its URL and user name, settings
as JSON; never a password or token), whose subscriptions are sources of the new kind ``subscription``
(``account_id``, the server's feed id ``remote_id``, the feed's own ``feed_url``); ``remote_items`` maps an
account's item ids to the articles they became; ``outbox`` holds the latest read or starred value the reader
set on such an article and has not yet pushed (one row an article and field, written in the same transaction
as the change); ``subscription_outbox`` the latest subscribing or unsubscribing done here and not yet pushed
(one row an account and ``feed``: the server's feed id once known, else the feed's URL). A subscription made
here and not yet on the server is a source with no ``remote_id``. ``sources`` is rebuilt for the new kind, as
in V2."""

DISPLAY_NAMES = """
ALTER TABLE sources ADD COLUMN display_name TEXT
"""
"""The daily-reading issue (15): a short name for a source, given by the reader (the sources pane's rename), shown
in the headline list and by ``list`` instead of the articles' own source name. ``NULL``: none given. Comes after
V6 (sync), which rebuilds ``sources``."""

UNDATED_LAST = """
UPDATE articles SET sort_key = '0000-00-00 ' || sort_key
WHERE published IS NULL AND file_mtime IS NOT NULL AND sort_key NOT LIKE '0000-00-00 %'
"""
"""The daily-reading issue (15): a file whose dateline has no date sorts under every dated article
(``read_models.UNDATED_SORT_PREFIX`` before its key), not at the file's time (when it was copied) above them."""

RAW_HASHES = """
ALTER TABLE articles ADD COLUMN raw_hash TEXT
"""
"""Issue 13: a feed article's ``raw_hash``, the fingerprint of the entry as the feed's parser gave it (see
:mod:`pozirk_reader.core.web.feed_entry`), by which a refresh knows an entry unchanged without converting it.
Whenever set, converting an entry with that fingerprint gives the article's ``content_hash``; ``NULL`` (files,
pages, articles cached before it, and any article written without one) makes the next refresh convert the entry
and compare content hashes, as before."""

FEED_ITEMS = """
ALTER TABLE articles ADD COLUMN feed_item TEXT
"""
"""Issue 13: a feed article's ``feed_item``, how the fast reader knew the entry by its bytes (JSON: their digest
and the entry's key before duplicates were told apart, URL, title and origin; see
:mod:`pozirk_reader.core.web.feed_digests`), so that a refresh need not even read an entry whose bytes are unchanged.
Set only with the ``raw_hash`` of the same reading (and cleared with it)."""

MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V6, DISPLAY_NAMES, UNDATED_LAST, RAW_HASHES, FEED_ITEMS]
"""``MIGRATIONS[n]`` upgrades a version-``n`` database to version ``n + 1``."""

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(connection: sqlite3.Connection) -> int:
    """The database's ``PRAGMA user_version``."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration from the current version up to ``target``, each in its own transaction.

    Returns the version reached. A database newer than this program is left alone. Foreign keys
    are off while a migration runs (so a table can be rebuilt, as SQLite's ALTER TABLE advice
    says) and checked before it commits.
    """
    version = schema_version(connection)
    foreign_keys = int(connection.execute("PRAGMA foreign_keys").fetchone()[0])
    connection.execute("PRAGMA foreign_keys = OFF")
    try:
        while version < target:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if schema_version(connection) == version:  # another process may have migrated meanwhile
                    for statement in _statements(MIGRATIONS[version]):
                        connection.execute(statement)
                    if connection.execute("PRAGMA foreign_key_check").fetchone() is not None:
                        raise sqlite3.IntegrityError(f"migration to schema {version + 1} broke a foreign key")
                    connection.execute(f"PRAGMA user_version = {version + 1}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            version = schema_version(connection)
    finally:
        connection.execute(f"PRAGMA foreign_keys = {foreign_keys}")
    return version


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (the schema has no ``;`` inside strings)."""
    return [statement.strip() for statement in script.split(";") if statement.strip()]

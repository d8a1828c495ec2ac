"""Schema migrations: a cache at every earlier version upgrades to the current one and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.schema import (
    DISPLAY_NAMES,
    FEED_ITEMS,
    MIGRATIONS,
    RAW_HASHES,
    SCHEMA_VERSION,
    UNDATED_LAST,
    migrate,
    schema_version,
)

# Rows written as each schema version would hold them; a new migration adds its version here.
ROWS_AT_VERSION = {
    1: [
        "INSERT INTO sources (id, kind, location, added_at) VALUES (1, 'folder', '/library', 0)",
        "INSERT INTO articles (id, source_id, origin, title, title_key, title_rkey, language, body, content_hash,"
        " sort_key, first_seen, updated_at, read, starred) VALUES ('a1', 1, '/library/a.txt', 'Старая статья',"
        " 'старая статья', 'яьтатс яартс', 'ru', 'Абзац.', 'h', '2024-05-13T10:00', 0, 0, 1, 1)",
        "INSERT INTO related (article_id, position, title, title_key, title_rkey) VALUES ('a1', 0, 'Ссылка',"
        " 'ссылка', 'акылсс')",
        "INSERT INTO history (article_id, opened_at) VALUES ('a1', 5)",
    ],
    2: [
        "INSERT INTO sources (id, kind, location, added_at, etag) VALUES (1, 'feed', 'https://pozirk.example/rss',"
        " 0, '\"v1\"')",
        "INSERT INTO articles (id, source_id, origin, title, title_key, title_rkey, language, body, content_hash,"
        " sort_key, first_seen, updated_at, read, starred, content_kind) VALUES ('a1', 1,"
        " 'https://pozirk.example/a1', 'Старая статья', 'старая статья', 'яьтатс яартс', 'ru', 'Абзац.', 'h',"
        " '2024-05-13T10:00', 0, 0, 1, 1, 'summary')",
        "INSERT INTO related (article_id, position, title, title_key, title_rkey) VALUES ('a1', 0, 'Ссылка',"
        " 'ссылка', 'акылсс')",
        "INSERT INTO history (article_id, opened_at) VALUES ('a1', 5)",
    ],
    # version 3 adds the search index, which the store fills on opening: rows written without it still load
    3: [
        "INSERT INTO sources (id, kind, location, added_at) VALUES (1, 'folder', '/library', 0)",
        "INSERT INTO articles (id, source_id, origin, title, title_key, title_rkey, language, body, content_hash,"
        " sort_key, first_seen, updated_at, read, starred) VALUES ('a1', 1, '/library/a.txt', 'Старая статья',"
        " 'старая статья', 'яьтатс яартс', 'ru', 'Абзац.', 'h', '2024-05-13T10:00', 0, 0, 1, 1)",
        "INSERT INTO related (article_id, position, title, title_key, title_rkey) VALUES ('a1', 0, 'Ссылка',"
        " 'ссылка', 'акылсс')",
        "INSERT INTO history (article_id, opened_at) VALUES ('a1', 5)",
    ],
}
ROWS_AT_VERSION[4] = ROWS_AT_VERSION[3]  # version 4 adds an index only
ROWS_AT_VERSION[5] = [
    ROWS_AT_VERSION[2][0],
    "INSERT INTO articles (id, source_id, origin, title, title_key, title_rkey, language, body, content_hash,"
    " sort_key, first_seen, updated_at, read, starred, content_kind, entry_key, blocks) VALUES ('a1', 1,"
    " 'https://pozirk.example/a1', 'Старая статья', 'старая статья', 'яьтатс яартс', 'ru', 'Абзац.', 'h',"
    " '2024-05-13T10:00', 0, 0, 1, 1, 'full', 'id:a1', 'p')",
    *ROWS_AT_VERSION[2][2:],
    "INSERT INTO inline_links (article_id, position, title, url) VALUES ('a1', 0, 'здесь', 'https://pozirk.example/')",
]
ROWS_AT_VERSION[6] = [  # the sync's migration rebuilds sources: a feed's columns carry over
    *ROWS_AT_VERSION[5],
    "UPDATE sources SET title = 'Лента', last_modified = 'Mon, 01 Jan 2024', checked_at = 7, last_warning = 'w'",
]
DISPLAY_NAMES_VERSION = MIGRATIONS.index(DISPLAY_NAMES) + 1
ROWS_AT_VERSION[DISPLAY_NAMES_VERSION] = [*ROWS_AT_VERSION[6], "UPDATE sources SET display_name = 'Моя'"]
ROWS_AT_VERSION[MIGRATIONS.index(UNDATED_LAST) + 1] = ROWS_AT_VERSION[DISPLAY_NAMES_VERSION]
RAW_HASHES_VERSION = MIGRATIONS.index(RAW_HASHES) + 1
ROWS_AT_VERSION[RAW_HASHES_VERSION] = [*ROWS_AT_VERSION[DISPLAY_NAMES_VERSION], "UPDATE articles SET raw_hash = 'r'"]
FEED_ITEMS_VERSION = MIGRATIONS.index(FEED_ITEMS) + 1
ROWS_AT_VERSION[FEED_ITEMS_VERSION] = [
    *ROWS_AT_VERSION[RAW_HASHES_VERSION],
    """UPDATE articles SET feed_item = '["d", "id:k", null, "Старая статья", "o"]'""",
]


def test_every_version_has_rows_to_carry() -> None:
    assert sorted(ROWS_AT_VERSION) == list(range(1, SCHEMA_VERSION + 1))


@pytest.mark.parametrize("start", range(SCHEMA_VERSION + 1))
def test_migrates_from_every_earlier_version(tmp_path: Path, start: int) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    assert migrate(connection, start) == start
    for statement in ROWS_AT_VERSION.get(start, []):
        connection.execute(statement)
    connection.close()
    with Store.open(path) as store:
        assert schema_version(store._db) == SCHEMA_VERSION
        if start >= 1:
            stored = store.get("a1")
            assert stored is not None
            assert stored.article.title == "Старая статья"
            assert (stored.read, stored.starred) == (True, True)
            assert [link.title for link in store.related("a1")] == ["Ссылка"]
            assert len(store.history()) == 1
            if start >= DISPLAY_NAMES_VERSION:
                assert store.headlines()[0].source_name == "Моя"
            source_id = store.sources()[0].id
            with store.writing() as tx:
                fingerprints = {found.raw_hash for found in tx.known_fingerprints(source_id, ["id:a1"]).values()}
            assert fingerprints == ({"r"} if start >= RAW_HASHES_VERSION else set())
            items = store.known_items(source_id)
            assert {digest: item[:5] for digest, item in items.items()} == (
                {"d": ("r", "id:k", None, "Старая статья", "o")} if start >= FEED_ITEMS_VERSION else {}
            )
        if start >= 6:
            (feed,) = store.sources()
            assert (feed.kind, feed.etag, feed.title, feed.last_modified) == (
                "feed",
                '"v1"',
                "Лента",
                "Mon, 01 Jan 2024",
            )
            assert (feed.checked_at, feed.last_warning) == (7, "w")


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    assert migrate(connection) == SCHEMA_VERSION == len(MIGRATIONS)
    tables = connection.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    assert migrate(connection) == SCHEMA_VERSION
    assert connection.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall() == tables


def test_schema_5_keys_no_article_it_finds(tmp_path: Path) -> None:
    """Articles cached before entry keys have none (the first refresh of their feed gives them one)."""
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, 4)
    for statement in ROWS_AT_VERSION[4]:
        connection.execute(statement)
    migrate(connection)
    assert connection.execute("SELECT entry_key, blocks FROM articles").fetchall() == [(None, None)]
    assert connection.execute("SELECT count(*) FROM inline_links").fetchone() == (0,)
    connection.close()


def test_files_with_no_date_go_under_every_dated_article(tmp_path: Path) -> None:
    """Before, a file with no date in its dateline sorted at its file's time (when it was copied), above the rest."""
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, MIGRATIONS.index(UNDATED_LAST))
    connection.execute(ROWS_AT_VERSION[1][0])
    columns = "id, source_id, origin, title, title_key, title_rkey, language, body, content_hash, sort_key,"
    columns += " first_seen, updated_at, published, file_mtime"
    for id_, key, published, mtime in [
        ("dated", "2024-05-13T10:00", "2024-05-13", 1.0),
        ("undated-file", "2026-11-20T12:00", None, 2.0),
        ("undated-entry", "2026-11-19T08:00", None, None),  # a feed entry: sorted when it was fetched
    ]:
        connection.execute(
            f"INSERT INTO articles ({columns}) VALUES (?, 1, ?, 'T', 't', 't', 'ru', 'B.', 'h', ?, 0, 0, ?, ?)",
            (id_, f"/library/{id_}.txt", key, published, mtime),
        )
    migrate(connection)
    assert connection.execute("SELECT id FROM articles ORDER BY sort_key DESC").fetchall() == [
        ("undated-entry",),
        ("dated",),
        ("undated-file",),
    ]
    migrate(connection)  # again: nothing moves twice
    assert connection.execute("SELECT sort_key FROM articles WHERE id = 'undated-file'").fetchone() == (
        "0000-00-00 2026-11-20T12:00",
    )
    connection.close()


def test_articles_cached_before_fingerprints_have_none(tmp_path: Path) -> None:
    """A feed's articles cached before fingerprints: the next refresh converts their entries and compares content
    hashes, as it did before (and notes their fingerprints then)."""
    connection = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    migrate(connection, RAW_HASHES_VERSION - 1)
    for statement in ROWS_AT_VERSION[RAW_HASHES_VERSION - 1]:
        connection.execute(statement)
    migrate(connection)
    assert connection.execute("SELECT entry_key, content_hash, raw_hash FROM articles").fetchall() == [
        ("id:a1", "h", None)
    ]
    connection.close()

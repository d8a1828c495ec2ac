"""The search index kept in step with the articles: edits, deletions, upgrades, rebuilds, other programs."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.operations.searching import count, search
from pozirk_reader.core.search import stemming
from pozirk_reader.core.store import schema
from pozirk_reader.core.store.library import Store
from tests.searchlib import small_library, titles, write


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.sqlite3") as opened:
        yield opened


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return small_library(tmp_path / "library")


def test_edited_file_is_indexed_again(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "edit"
    file = write(folder, "a.txt", "Вокзал закроют", "Ремонт вокзала начнётся весной.")
    import_path(store, folder)
    assert titles(store, "весной") == {"Вокзал закроют"}
    write(folder, "a.txt", "Аэропорт закроют", "Ремонт аэропорта начнётся осенью.")
    os.utime(file, (1_800_000_000, 1_800_000_000))
    assert import_path(store, folder).updated == 1
    assert titles(store, "весной") == titles(store, "вокзал") == set()
    assert titles(store, "осенью") == titles(store, "аэропорт") == {"Аэропорт закроют"}
    assert count(store, "закроют") == 1


def test_deleted_article_leaves_the_index(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "хлеб") == {"Хлеб и молоко"}
    with store._transaction() as db:  # as another tool on the store's connection would
        db.execute("DELETE FROM articles WHERE title = 'Хлеб и молоко'")
    assert titles(store, "хлеб") == set()
    assert count(store, "молоко") == 0
    # the freed rowid is used again by a new article: only its own words find it
    write(library.parent / "more", "new.txt", "Сыр подорожал", "Сыр стал дороже.")
    import_path(store, library.parent / "more")
    assert titles(store, "хлеб") == set()
    assert titles(store, "сыр") == {"Сыр подорожал"}
    integrity(store)


def test_unchanged_reimport_and_state_changes_keep_the_index(store: Store, library: Path) -> None:
    import_path(store, library)
    before = {hit.headline.id for hit in search(store, "хлеб OR чай OR интерпол")}
    for headline in store.headlines(0, 10):
        store.set_read(headline.id)
        store.set_starred(headline.id)
    import_path(store, library)
    assert {hit.headline.id for hit in search(store, "хлеб OR чай OR интерпол")} == before
    integrity(store)


def integrity(store: Store) -> None:
    """FTS5's own check of a contentless index: its doclists are consistent with each other."""
    with store._transaction() as db:
        db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)")


def test_version_2_cache_is_indexed_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    schema.migrate(connection, 2)
    connection.execute("INSERT INTO sources (id, kind, location, added_at) VALUES (1, 'folder', '/library', 0)")
    for number, (title, body) in enumerate([("Старая статья про Интерпол", "Абзац."), ("Другая", "Про хлеб.")]):
        connection.execute(
            "INSERT INTO articles (id, source_id, origin, title, title_key, title_rkey, language, body,"
            " content_hash, sort_key, first_seen, updated_at) VALUES (?, 1, ?, ?, '', '', 'ru', ?, 'h',"
            " '2024-05-13T10:00', 0, 0)",
            (f"a{number}", f"/library/{number}.txt", title, body),
        )
    connection.close()
    with Store.open(path) as store:
        assert schema.schema_version(store._db) == schema.SCHEMA_VERSION
        assert titles(store, "интерполом") == {"Старая статья про Интерпол"}
        assert titles(store, "хлеба") == {"Другая"}
        integrity(store)


def test_index_built_with_other_stems_is_rebuilt(tmp_path: Path, library: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Store.open(path) as store:
        import_path(store, library)
        store.set_meta("search_index", "an older stemmer")
        with store._transaction() as db:
            db.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
        assert titles(store, "хлеб") == set()
    with Store.open(path) as store:
        assert store.get_meta("search_index") == stemming.STEMMER_VERSION
        assert titles(store, "хлеб") == {"Хлеб и молоко"}
        with store.writing() as tx:
            assert tx.rebuild_search_index() == 6
        assert titles(store, "хлеб") == {"Хлеб и молоко"}


def test_other_programs_can_still_write_the_cache(tmp_path: Path, library: Path) -> None:
    """The index's triggers live on the reader's own connection: a program without its functions writes freely."""
    path = tmp_path / "c.sqlite3"
    with Store.open(path) as store:
        import_path(store, library)
    connection = sqlite3.connect(path)  # no pozirk functions registered: the schema must not need them
    try:
        marked = connection.execute("UPDATE articles SET read = 1").rowcount
        renamed = connection.execute("UPDATE articles SET title = 'Сыр и масло' WHERE title = 'Хлеб и молоко'")
        deleted = connection.execute("DELETE FROM articles WHERE title = 'Чай подорожал'")
        connection.commit()
    finally:
        connection.close()
    assert (marked, renamed.rowcount, deleted.rowcount) == (6, 1, 1)
    with Store.open(path) as store:
        assert (store.count(), store.unread_count()) == (5, 0)
        with store.writing() as tx:  # what the reader offers after another tool changed the articles
            assert tx.rebuild_search_index() == 5
        assert titles(store, "сыр") == titles(store, "хлеб") == {"Сыр и масло"}  # its body still speaks of bread
        assert titles(store, "чай") == set()
        integrity(store)

"""Counts the store keeps between reads ("more like this" document counts, the unread count): read once,
and read again whenever this store or another connection changed what they count."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.search.stemming import index_text
from pozirk_reader.core.store.kept_counts import StemCounts
from pozirk_reader.core.store.library import Store
from tests.searchlib import small_library, write

BREAD, MILK, TRAM, TEA = (index_text(word, "ru") for word in ("хлеб", "молоко", "трамвайная", "чай"))
STEMS = [BREAD, MILK, TRAM]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    cache = tmp_path / "c.sqlite3"
    with Store.open(cache) as store:
        import_path(store, small_library(tmp_path / "library"))
    return cache


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with Store.open(path) as opened:
        yield opened


@pytest.fixture
def other(path: Path) -> Iterator[Store]:
    """A second connection to the same cache, as another reader or a refresh in another process has."""
    with Store.open(path) as opened:
        yield opened


def traced(store: Store) -> list[str]:
    """The statements the store's connection runs from now on."""
    statements: list[str] = []
    store._db.set_trace_callback(statements.append)
    return statements


def unread_in_file(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM articles WHERE read = 0").fetchone()[0])


def ids(store: Store) -> list[str]:
    return [headline.id for headline in store.headlines(0, 100)]


# -- "more like this" document counts ------------------------------------------------------------


def test_document_counts_are_read_from_the_index_once_while_it_stays_as_it_is(store: Store) -> None:
    first = store.search_index.document_counts(STEMS, 10)
    assert first == {BREAD: 1, MILK: 1, TRAM: 1}
    statements = traced(store)
    article = ids(store)[0]
    store.record_opened(article)  # reading state and history cannot change the index
    store.set_read(article, False)
    store.toggle_starred(article)
    store.set_meta("navigation", {"back": [article]})
    assert store.search_index.document_counts([MILK, BREAD], 10) == {MILK: 1, BREAD: 1}
    assert not [sql for sql in statements if "MATCH" in sql]
    assert store.search_index.document_counts([*STEMS, TEA], 10) == first | {TEA: 1}
    assert len([sql for sql in statements if "MATCH" in sql]) == 1  # only the stem not counted before


def test_kept_document_counts_follow_another_connections_writes(store: Store, other: Store, tmp_path: Path) -> None:
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 1, MILK: 1, TRAM: 1}
    import_path(other, write(tmp_path / "more", "bread.txt", "Хлеб снова подорожал", "Хлеб и молоко."))
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 2, MILK: 2, TRAM: 1}
    with other.writing() as tx:
        tx.remove_source(other.sources(location=str((tmp_path / "more" / "bread.txt").resolve()))[0].id)
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 1, MILK: 1, TRAM: 1}


def test_kept_document_counts_follow_this_stores_own_writes(store: Store, tmp_path: Path) -> None:
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 1, MILK: 1, TRAM: 1}
    import_path(store, write(tmp_path / "more", "tram.txt", "Трамвайная линия закрыта", "Трамвайная линия."))
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 1, MILK: 1, TRAM: 2}
    with store._transaction() as db:  # any other write on the connection, as another tool on it would make
        db.execute("DELETE FROM articles WHERE title = 'Хлеб и молоко'")
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 0, MILK: 0, TRAM: 2}


def test_document_counts_inside_a_transaction_are_of_it_and_not_kept(store: Store, tmp_path: Path) -> None:
    class Undone(Exception):
        pass

    with pytest.raises(Undone), store._transaction() as db:
        db.execute("DELETE FROM articles WHERE title = 'Хлеб и молоко'")
        assert store.search_index.document_counts(STEMS, 10) == {BREAD: 0, MILK: 0, TRAM: 1}
        raise Undone
    assert store.search_index.document_counts(STEMS, 10) == {BREAD: 1, MILK: 1, TRAM: 1}


def test_counts_read_at_another_version_are_forgotten_and_the_kept_ones_are_bounded() -> None:
    counts = StemCounts(capacity=3)
    assert counts.known(1, ["a"]) == {}
    counts.keep(1, {"a": 1, "b": 2})
    assert counts.known(1, ["a", "b", "c"]) == {"a": 1, "b": 2}
    counts.keep(0, {"c": 3})  # read at an older version than the kept ones: dropped
    assert counts.known(1, ["c"]) == {}
    counts.keep(1, {"c": 3, "d": 4})  # more than it keeps: the older ones go
    assert counts.known(1, ["a", "b", "c", "d"]) == {"c": 3, "d": 4}
    assert counts.known(2, ["c", "d"]) == {}
    counts.keep(2, {"e": 5})
    counts.forget()
    assert counts.known(2, ["e"]) == {}


# -- the unread count ----------------------------------------------------------------------------


def test_the_unread_count_follows_this_stores_own_marks_without_counting_again(store: Store, path: Path) -> None:
    first, second = ids(store)[:2]
    assert store.unread_count() == 6
    statements = traced(store)
    store.record_opened(first)
    assert store.unread_count() == unread_in_file(path) == 5
    store.record_opened(first)  # already read
    store.set_read(second)
    store.set_read(second)
    assert store.unread_count() == unread_in_file(path) == 4
    store.toggle_read(second)
    assert store.unread_count() == unread_in_file(path) == 5
    store.toggle_starred(second)
    store.set_starred(first)
    store.set_read(first, False)
    store.set_meta("navigation", {"back": [first]})
    assert store.unread_count() == store.count(unread_only=True) == unread_in_file(path) == 6
    assert not store.set_read("0" * 16) and not store.toggle_read("0" * 16)
    store.record_opened("0" * 16)
    assert store.unread_count() == 6
    assert not [sql for sql in statements if "count(*)" in sql]


def test_the_unread_count_follows_another_connections_writes(store: Store, other: Store, path: Path) -> None:
    first, second, third = ids(store)[:3]
    assert store.unread_count() == 6
    other.set_read(first)
    assert store.unread_count() == 5
    other.set_read(second)
    store.record_opened(third)  # this store's own mark, after another connection's
    assert store.unread_count() == unread_in_file(path) == 3
    with other.writing() as tx:
        tx.set_read_many(ids(other))
    assert store.unread_count() == 0


def test_the_unread_count_follows_this_stores_other_writes(store: Store, path: Path, tmp_path: Path) -> None:
    assert store.unread_count() == 6
    import_path(store, write(tmp_path / "more", "new.txt", "Новая статья", "Текст."))
    assert store.unread_count() == 7
    with store.writing() as tx:
        tx.set_read_many(ids(store)[:3])
    assert store.unread_count() == unread_in_file(path) == 4


def test_a_write_undone_leaves_the_unread_count_as_it_was(store: Store, path: Path) -> None:
    class Undone(Exception):
        pass

    assert store.unread_count() == 6
    with pytest.raises(Undone), store.writing() as tx:
        tx.set_read_many(ids(store)[:2])
        assert store.unread_count() == 4  # inside the transaction: what it sees
        raise Undone
    assert store.unread_count() == unread_in_file(path) == 6

"""Triage: a view or a source marked read in one go, and the last mark undone exactly."""

from __future__ import annotations

from pathlib import Path

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.operations.triage import mark_source_read, mark_view_read, undo, unread_ids
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.store.library import Store
from tests.samples import SAMPLES


def _store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "c.sqlite3")
    import_path(store, SAMPLES)
    return store


def test_marking_a_search_read_marks_only_what_it_finds_and_undo_restores_exactly(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        everything = set(unread_ids(store))
        found = set(unread_ids(store, "библиотека"))
        assert found and found < everything
        already = next(iter(everything - found))
        store.set_read(already)  # read before: the undo must leave it read
        mark = mark_view_read(store, "библиотека")
        assert set(mark.article_ids) == found and mark.read
        assert set(unread_ids(store)) == everything - found - {already}
        back = undo(store, mark)
        assert set(back.article_ids) == found and not back.read
        assert set(unread_ids(store)) == everything - {already}


def test_marking_a_source_read(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        summary = store.source_summaries()[0]
        assert summary.unread > 0
        mark = mark_source_read(store, summary.source.id, summary.label)
        assert len(mark.article_ids) == summary.unread and mark.what == summary.label
        assert store.source_summaries()[0].unread == 0
        assert unread_ids(store, "", SearchFilters(source_id=summary.source.id)) == []
        assert mark_source_read(store, summary.source.id, "again").article_ids == ()  # nothing left to mark

"""The write transaction: all of it or none of it, typed outcomes, links never left behind, states as strings."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from pozirk_reader.core.article.model import Article, ContentKind, RelatedLink, stable_id
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.store.identity import EntryClaim
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import KnownEntry, KnownFile, LinkState, SaveOutcome, SourceKind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.sqlite3") as opened:
        yield opened


def article(origin: str, title: str, *related: RelatedLink, content: ContentKind = ContentKind.FULL) -> Article:
    return Article(stable_id(origin), title, ("Текст.",), "ru", origin=origin, related=related, content=content)


def test_a_transaction_commits_all_of_it(store: Store) -> None:
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FOLDER, "/library")
        assert tx.ensure_source(SourceKind.FOLDER, "/library") == source  # known: the same id
        assert tx.save_article(source, article("/library/a.txt", "Первая"), "h1") is SaveOutcome.ADDED
        assert tx.save_article(source, article("/library/b.txt", "Вторая"), "h2") is SaveOutcome.ADDED
        tx.resolve_links([])
    assert store.count() == 2
    assert [(s.kind, s.location, s.article_count) for s in store.sources()] == [(SourceKind.FOLDER, "/library", 2)]


def test_a_transaction_that_raises_leaves_nothing(store: Store) -> None:
    with pytest.raises(KeyError), store.writing() as tx:
        source = tx.ensure_source(SourceKind.FILE, "/a.txt")
        tx.save_article(source, article("/a.txt", "Первая"), "h1")
        tx.resolve_links([stable_id("/a.txt")])
        raise KeyError("interrupted")
    assert store.count() == 0 and store.sources() == []


def test_links_saved_but_never_resolved_are_refused(store: Store) -> None:
    with pytest.raises(RuntimeError, match="resolve_links"), store.writing() as tx:
        source = tx.ensure_source(SourceKind.FILE, "/a.txt")
        tx.save_article(source, article("/a.txt", "Первая", RelatedLink("Вторая")), "h1")
    assert store.count() == 0  # rolled back: the article is not kept without its links


def test_outcomes_and_kept_state(store: Store) -> None:
    first = article("/a.txt", "Первая", RelatedLink("Вторая", "https://example.org/2"))
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FILE, "/a.txt")
        assert tx.save_article(source, first, "h1", 1.5, 10) is SaveOutcome.ADDED
        tx.resolve_links([first.id])
    store.set_starred(first.id)
    edited = article("/a.txt", "Первая, исправленная", RelatedLink("Вторая", "https://example.org/2"))
    with store.writing() as tx:
        assert tx.save_article(source, first, "h1", 2.5, 10) is SaveOutcome.UNCHANGED  # same hash
        assert tx.known_files(source) == {"/a.txt": KnownFile(2.5, 10, False, "h1")}  # the new time is kept
        assert tx.save_article(source, edited, "h2") is SaveOutcome.UPDATED
        tx.resolve_links([edited.id])
    stored = store.get(first.id)
    assert stored is not None and stored.starred and stored.article.title == "Первая, исправленная"
    assert [link.state for link in store.related(first.id)] == [LinkState.URL]


def test_files_gone_from_a_source_stay_cached(store: Store) -> None:
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FOLDER, "/library")
        for name in ("a", "b"):
            tx.save_article(source, article(f"/library/{name}.txt", name.upper()), name, 1.0, 1)
        tx.resolve_links([])
    with store.writing() as tx:
        tx.mark_gone(source, ["/library/b.txt"])
        assert {origin: known.gone for origin, known in tx.known_files(source).items()} == {
            "/library/a.txt": False,
            "/library/b.txt": True,
        }
    gone = store.get(stable_id("/library/b.txt"))
    assert gone is not None and gone.gone and gone.article.paragraphs == ("Текст.",)
    with store.writing() as tx:
        tx.mark_unchanged(stable_id("/library/b.txt"), source, 2.0, 1)
    assert not store.get(stable_id("/library/b.txt")).gone  # type: ignore[union-attr]


def test_known_entries_in_chunks(store: Store) -> None:
    entries = [article(f"https://example.org/{n}", f"Новость {n}", content=ContentKind.SUMMARY) for n in range(1203)]
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FEED, "https://example.org/rss")
        for entry in entries:
            tx.save_article(source, entry, f"h{entry.id}")
        tx.resolve_links([])
    with store.writing() as tx:
        known = tx.known_entries([entry.id for entry in entries] + ["0" * 16])
        assert tx.source_and_hash(entries[0].id) == (source, f"h{entries[0].id}")
        assert tx.source_and_hash("0" * 16) is None
    assert len(known) == 1203
    assert known[entries[-1].id] == KnownEntry(f"h{entries[-1].id}", ContentKind.SUMMARY)


def test_states_are_kept_as_the_strings_they_always_were(store: Store, tmp_path: Path) -> None:
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FEED, "https://example.org/rss")
        tx.save_article(source, article("https://example.org/1", "Новость", content=ContentKind.SUMMARY), "h")
        tx.resolve_links([])
        tx.record_check(source, warning="not well-formed", validators=('"v1"', None), title="Пример")
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        assert db.execute("SELECT kind, title, etag, last_warning FROM sources").fetchall() == [
            ("feed", "Пример", '"v1"', "not well-formed")
        ]
        assert db.execute("SELECT content_kind FROM articles").fetchall() == [("summary",)]
    assert [str(kind) for kind in SourceKind] == ["folder", "file", "feed", "page", "subscription"]
    assert [str(state) for state in LinkState] == ["cached", "url", "missing"]
    assert [str(outcome) for outcome in SaveOutcome] == ["added", "updated", "unchanged", "failed"]
    assert [str(kind) for kind in ContentKind] == ["full", "summary"]


def test_a_failed_check_keeps_the_last_success(store: Store) -> None:
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FEED, "https://example.org/rss", "Пример")
        tx.record_check(source)
    (before,) = store.sources()
    with store.writing() as tx:
        tx.record_check(source, error="example.org: connection refused")
    (after,) = store.sources()
    assert after.last_error == "example.org: connection refused"
    assert after.refreshed_at == before.refreshed_at is not None
    assert after.checked_at is not None and after.checked_at >= before.checked_at  # type: ignore[operator]
    assert after.title == "Пример"


def test_entries_find_their_article_by_key_within_their_feed_or_inherit_one_cached_before_keys(store: Store) -> None:
    with store.writing() as tx:
        feed = tx.ensure_source(SourceKind.FEED, "https://e.example/feed")
        other = tx.ensure_source(SourceKind.FEED, "https://e.example/other")
        tx.save_article(feed, article("https://e.example/keyed", "Keyed"), "k", entry_key="id:1")
        tx.save_article(feed, article("https://e.example/", "Old"), "old")  # no key: written before keys
        tx.save_article(other, article("https://e.example/elsewhere", "Other feed"), "o", entry_key="id:2")
        tx.resolve_links([])
    old_id = stable_id("https://e.example/")
    claims = [
        EntryClaim("id:1", "new-1", "", lambda: "changed"),  # its key: the keyed article, whatever its text
        EntryClaim("id:2", "new-2", "", lambda: "o"),  # a key of another feed's: a new article
        EntryClaim("id:3", "new-3", old_id, lambda: "x"),  # the first claim on the old article, and none holds its text
        EntryClaim("id:4", "new-4", old_id, lambda: "y"),
    ]
    with store.writing() as tx:
        assert tx.identify_entries(feed, claims) == [stable_id("https://e.example/keyed"), "new-2", old_id, "new-4"]
    with store.writing() as tx:  # the old article has its heir's key now
        assert tx.identify_entries(feed, [EntryClaim("id:3", "new-3", old_id, lambda: "x")]) == [old_id]
        assert tx.identify_entries(feed, [EntryClaim("id:5", "new-5", old_id, lambda: "old")]) == ["new-5"]


def test_a_file_with_no_date_goes_under_every_dated_article_and_in_no_range_of_dates(store: Store) -> None:
    """Its file's time is when it was copied (a checkout's, say), not when it was written; a feed entry with no
    date still sorts when it was fetched, at the top."""
    copied = datetime(2026, 11, 20, 12, 0).timestamp()
    with store.writing() as tx:
        folder = tx.ensure_source(SourceKind.FOLDER, "/library")
        feed = tx.ensure_source(SourceKind.FEED, "https://pozirk.example/rss")
        dated = replace(article("/library/dated.txt", "С датой"), date=date(2026, 10, 2), place_time="Минск 08:15")
        tx.save_article(folder, dated, "h1", file_mtime=copied)
        tx.save_article(folder, article("/library/undated.txt", "Без даты"), "h2", file_mtime=copied)
        tx.save_article(feed, article("https://pozirk.example/1", "Запись без даты"), "h3", entry_key="id:1")
        tx.resolve_links([])
    assert [h.title for h in store.headlines()] == ["Запись без даты", "С датой", "Без даты"]
    october = SearchFilters(since=date(2026, 10, 1), until=date(2026, 10, 31))
    assert store.search_index.count(None, None, october) == 1  # the dated one
    assert store.search_index.count(None, None, SearchFilters(until=date(2026, 11, 30))) == 1
    assert store.search_index.count(None, None, SearchFilters()) == 3


def test_the_links_of_every_article_saved_in_a_transaction_resolve_together(store: Store) -> None:
    # The links are staged when they are resolved, all at once: each finds an article saved before or after it.
    first = article("/a.txt", "Первая", RelatedLink("Вторая"), RelatedLink("Нет такой"))
    second = replace(article("/b.txt", "Вторая", RelatedLink("ссылка", "/c.txt")), url="https://example.org/2")
    third = article("/c.txt", "Третья", RelatedLink("Первая"), RelatedLink("Вторая", "https://example.org/2"))
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FOLDER, "/")
        for saved in (first, second, third):
            tx.save_article(source, saved, saved.title)
        assert tx.resolve_links([first.id, second.id, third.id]) == 4
    assert [link.target_id for link in store.related(first.id)] == [second.id, None]
    assert [link.target_id for link in store.related(second.id)] == [third.id]
    assert [link.target_id for link in store.related(third.id)] == [first.id, second.id]
    with store.writing() as tx:  # nothing left staged: a second resolve stores nothing twice
        assert tx.resolve_links([]) == 0
    assert len(store.related(third.id)) == 2

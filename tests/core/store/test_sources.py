"""Sources as the sources pane lists them: counts, what to call each, a display name given by the reader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.article.model import Article, stable_id
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceKind


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.sqlite3") as opened:
        yield opened


def article(origin: str, title: str, source_name: str | None) -> Article:
    return Article(stable_id(origin), title, ("Текст.",), "ru", origin=origin, source_name=source_name)


@pytest.fixture
def filled(store: Store) -> Store:
    with store.writing() as tx:
        folder = tx.ensure_source(SourceKind.FOLDER, "/home/reader/pozirk")
        for number, name in enumerate(["Pozirk", "Pozirk", "Другой", None]):
            tx.save_article(folder, article(f"/home/reader/pozirk/{number}.txt", f"Статья {number}", name), "h")
        feed = tx.ensure_source(SourceKind.FEED, "https://pozirk.example/rss", "Pozirk sample (full text)")
        tx.save_article(feed, article("https://pozirk.example/1", "Из ленты", "Pozirk sample (full text)"), "h")
        tx.ensure_source(SourceKind.FOLDER, "/home/reader/empty")
        tx.resolve_links([])
    store.set_read(stable_id("/home/reader/pozirk/0.txt"))
    return store


def test_each_source_has_its_unread_and_total_articles_and_a_label(filled: Store) -> None:
    summaries = {summary.source.location: summary for summary in filled.source_summaries()}
    folder = summaries["/home/reader/pozirk"]
    assert (folder.unread, folder.total, folder.label) == (3, 4, "Pozirk")  # the name most of its articles give
    feed = summaries["https://pozirk.example/rss"]
    assert (feed.unread, feed.total, feed.label) == (1, 1, "Pozirk sample (full text)")
    empty = summaries["/home/reader/empty"]
    assert (empty.unread, empty.total, empty.label) == (0, 0, "empty")


def test_a_display_name_stands_for_the_source_in_the_list(filled: Store) -> None:
    feed = next(s for s in filled.sources() if s.kind is SourceKind.FEED)
    assert filled.set_display_name(feed.id, "Лента")
    assert next(s for s in filled.sources() if s.id == feed.id).display_name == "Лента"
    names = {headline.title: headline.source_name for headline in filled.headlines(0, 10)}
    assert names["Из ленты"] == "Лента"
    assert names["Статья 1"] == "Pozirk"  # other sources' articles keep theirs
    assert filled.search_index.hit_rows([1, 5])[5][0].source_name == "Лента"  # search results too
    assert next(s for s in filled.source_summaries() if s.source.id == feed.id).label == "Лента"
    assert filled.set_display_name(feed.id, None)
    assert {h.title: h.source_name for h in filled.headlines(0, 10)}["Из ленты"] == "Pozirk sample (full text)"
    assert not filled.set_display_name(999, "Никто")

"""A refresh knows an unchanged entry by its fingerprint, without converting it, and still sees every change.

Conversions are counted by wrapping the converter's last step (:func:`feed_entry.content_hash`, once an entry),
which still runs: the articles saved are the real ones.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pozirk_reader.core.article.model import Article
from pozirk_reader.core.operations import feeds
from pozirk_reader.core.operations.feeds import add_feed, refresh
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.web import fast_feed, feed_entry
from pozirk_reader.core.web.fetch import FetchLimits
from tests.feedserver import Route, Site

QUICK = FetchLimits(connect_timeout=2, read_timeout=2, deadline=3, max_bytes=2 * 1024 * 1024)
TITLE = "<title>Синоптики предупредили о первом снеге в Минске</title>"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        yield opened


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the entries converted from now on, in the order converted."""
    converted: list[str] = []
    real = feed_entry.content_hash

    def counted(article: Article) -> str:
        converted.append(article.title)
        return real(article)

    monkeypatch.setattr(feed_entry, "content_hash", counted)
    return converted


def served_again(site: Site, name: str, version: int) -> Route:
    """The feed's route, answering 200 again (a new ETag) whether or not its body changes."""
    route = site.routes[f"/{name}"]
    route.etag = f'"{name}-{version}"'
    return route


def test_an_unchanged_feed_is_refreshed_without_converting_its_entries(
    site: Site, store: Store, conversions: list[str]
) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    assert len(conversions) == 6
    before = {headline.id: store.get(headline.id) for headline in store.headlines(0, 100)}
    served_again(site, "rss-full.xml", 2)
    (report,) = refresh(store, limits=QUICK)
    assert (report.status, report.added, report.updated, report.unchanged) == ("updated", 0, 0, 6)
    assert len(conversions) == 6  # none more
    assert {headline.id: store.get(headline.id) for headline in store.headlines(0, 100)} == before


def test_a_changed_field_is_converted_and_updated_and_the_rest_are_not_converted(
    site: Site, store: Store, conversions: list[str]
) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    route = served_again(site, "rss-full.xml", 2)
    route.body = route.body.replace(TITLE.encode(), TITLE.replace("первом", "первом мокром").encode())
    conversions.clear()
    (report,) = refresh(store, limits=QUICK)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 5)
    assert conversions == ["Синоптики предупредили о первом мокром снеге в Минске"]
    found = store.article_by_url(site.url("news/2104.html"))
    stored = store.get(found) if found else None
    assert stored is not None and "мокром" in stored.article.title


def test_a_new_converter_version_converts_everything_once(
    site: Site, store: Store, conversions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    monkeypatch.setattr(feed_entry, "CONVERSION_VERSION", feed_entry.CONVERSION_VERSION + "-next")
    conversions.clear()
    served_again(site, "rss-full.xml", 2)
    (report,) = refresh(store, limits=QUICK)
    assert (report.added, report.updated, report.unchanged, len(conversions)) == (0, 0, 6, 6)
    served_again(site, "rss-full.xml", 3)
    (report,) = refresh(store, limits=QUICK)  # their new fingerprints were noted: none converted again
    assert (report.added, report.updated, report.unchanged, len(conversions)) == (0, 0, 6, 6)


def test_summaries_still_wanting_their_full_text_are_converted_to_fetch_it(
    site: Site, store: Store, conversions: list[str]
) -> None:
    add_feed(store, site.url("rss-summaries.xml"), full_text=False, limits=QUICK)
    assert sum(site.hits[f"/news/{n}.html"] for n in range(2301, 2306)) == 0
    conversions.clear()
    served_again(site, "rss-summaries.xml", 2)
    (report,) = refresh(store, limits=QUICK)  # the same entries, now with full text wanted
    assert (report.unchanged, report.full_text, len(conversions)) == (5, 5, 5)
    served_again(site, "rss-summaries.xml", 3)
    (report,) = refresh(store, limits=QUICK)  # full text kept: nothing to convert or fetch
    assert (report.unchanged, report.full_text, len(conversions)) == (5, 0, 5)
    assert sum(site.hits[f"/news/{n}.html"] for n in range(2301, 2306)) == 5


def _items_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The lines of the RSS items the fast reader reads from now on (their fields, not only their bytes)."""
    read: list[int] = []
    real = fast_feed._Reader.item

    def counted(reader: Any, element: Any, inherited: str | None, *, rss1: bool) -> dict[str, Any]:
        read.append(element.sourceline)
        return real(reader, element, inherited, rss1=rss1)

    monkeypatch.setattr(fast_feed._Reader, "item", counted)
    return read


def test_an_unchanged_entry_is_not_even_read_once_its_bytes_are_known(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _items_read(monkeypatch)
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    assert len(read) == 6
    route = served_again(site, "rss-full.xml", 2)
    (report,) = refresh(store, limits=QUICK)
    assert (report.unchanged, len(read)) == (6, 6)  # none read again
    route.body = route.body.replace(TITLE.encode(), TITLE.replace("первом", "первом мокром").encode())
    served_again(site, "rss-full.xml", 3)
    (report,) = refresh(store, limits=QUICK)
    assert (report.updated, report.unchanged, len(read)) == (1, 5, 7)  # the changed one only
    found = store.article_by_url(site.url("news/2104.html"))
    stored = store.get(found) if found else None
    assert stored is not None and "мокром" in stored.article.title
    served_again(site, "rss-full.xml", 4)
    (report,) = refresh(store, limits=QUICK)
    assert (report.unchanged, len(read)) == (6, 7)  # and now known by its new bytes


def test_a_cache_that_knew_only_fingerprints_learns_the_bytes_at_the_next_refresh(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    store._db.execute("UPDATE articles SET feed_item = NULL")  # as a cache written before FEED_ITEMS holds them
    read = _items_read(monkeypatch)
    served_again(site, "rss-full.xml", 2)
    (report,) = refresh(store, limits=QUICK)
    assert (report.unchanged, len(read)) == (6, 6)  # read (not converted: their fingerprints are known)
    served_again(site, "rss-full.xml", 3)
    (report,) = refresh(store, limits=QUICK)
    assert (report.unchanged, len(read)) == (6, 6)


@pytest.mark.parametrize("kept", ["not json", "[1, 2]", '{"a": 1}', "42", '["d", "k", null, "t", "o", "extra"]'])
def test_a_garbled_feed_item_in_the_cache_only_means_the_entry_is_read_again(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch, kept: str
) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    before = {headline.id: store.get(headline.id) for headline in store.headlines(0, 100)}
    store._db.execute("UPDATE articles SET feed_item = ?", (kept,))
    read = _items_read(monkeypatch)
    served_again(site, "rss-full.xml", 2)
    (report,) = refresh(store, limits=QUICK)
    assert (report.status, report.unchanged, len(read)) == ("updated", 6, 6)
    assert {headline.id: store.get(headline.id) for headline in store.headlines(0, 100)} == before


def test_a_refresh_converts_a_new_feeds_entries_a_few_at_a_time_as_it_writes_them(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big feed's articles are never all held: its entries are converted a batch at a time as they are written,
    and let go after."""
    held: list[int] = []  # at each conversion, how many entries still hold an article converted before
    real = feed_entry.content_hash

    def counted(article: Article) -> str:
        held.append(sum(isinstance(o, feed_entry.FeedEntry) and o._converted is not None for o in gc.get_objects()))
        return real(article)

    monkeypatch.setattr(feed_entry, "content_hash", counted)
    monkeypatch.setattr(feeds, "CONVERTED_AHEAD", 2)
    report = add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    assert (report.added, len(held)) == (6, 6)
    assert max(held) <= 2  # the batch's, and the last written (all converted first would hold 5 at the last)
    assert len(store.headlines(0, 100)) == 6

"""Feed entries' identity: guid/id within the feed, else link, else title and date; old caches keep their state."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.operations.feeds import add_feed, refresh
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceKind
from pozirk_reader.core.web.feed_format import parse_feed
from tests.feedserver import Route, Site

SITE = "https://pod.example/"


def podcast(items: list[tuple[str | None, str | None, str]], channel: str = "Pod") -> bytes:
    """An RSS feed of items (guid, link, title), each with a description of its own."""
    body = "".join(
        "<item>"
        + (f"<guid isPermaLink='false'>{guid}</guid>" if guid else "")
        + (f"<link>{link}</link>" if link else "")
        + f"<title>{title}</title><description>Show notes of {title}.</description>"
        + "<pubDate>Wed, 11 Nov 2026 07:30:00 +0000</pubDate></item>"
        for guid, link, title in items
    )
    return f"<rss version='2.0'><channel><title>{channel}</title>{body}</channel></rss>".encode()


EPISODES = [(f"ep-{n}", SITE, f"Episode {n}") for n in range(1, 6)]  # every item links the podcast's home page


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        yield opened


def titles(store: Store) -> list[str]:
    return sorted(headline.title for headline in store.headlines(0, 1000))


def test_items_that_share_a_link_but_not_an_id_are_different_articles(site: Site, store: Store) -> None:
    site.routes["/pod.xml"] = Route(podcast(EPISODES))
    report = add_feed(store, site.url("pod.xml"), full_text=False)
    assert (report.added, report.updated, report.unchanged) == (5, 0, 0)
    assert titles(store) == [f"Episode {n}" for n in range(1, 6)]
    again = refresh(store, full_text=False)[0]
    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)
    site.routes["/pod.xml"] = Route(podcast([*EPISODES[:4], ("ep-5", SITE, "Episode 5, corrected")]))
    changed = refresh(store, full_text=False)[0]
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 4)
    assert changed.line.endswith("0 new, 1 updated, 4 unchanged")
    assert titles(store)[-1] == "Episode 5, corrected"


def test_without_an_id_the_link_is_the_identity_and_without_a_link_the_title_and_date() -> None:
    feed = parse_feed(podcast([(None, SITE + "a", "A"), (None, SITE + "b", "B"), (None, None, "C")]), SITE + "f")
    assert [entry.key for entry in feed.entries] == [
        f"link:{SITE}a",
        f"link:{SITE}b",
        "title:C\nWed, 11 Nov 2026 07:30:00 +0000\n",
    ]
    assert len({entry.article.id for entry in feed.entries}) == 3


def test_an_id_repeated_for_different_items_does_not_merge_them() -> None:
    feed = parse_feed(podcast([("same", SITE + "a", "A"), ("same", SITE + "b", "B"), ("same", SITE + "a", "A")]), SITE)
    assert [entry.article.title for entry in feed.entries] == ["A", "B"]  # the third is the first listed again
    assert len({entry.article.id for entry in feed.entries}) == 2


def test_the_same_id_in_two_feeds_is_two_articles(site: Site, store: Store) -> None:
    site.routes["/one.xml"] = Route(podcast([("ep-1", SITE, "Episode 1")], channel="One"))
    site.routes["/two.xml"] = Route(podcast([("ep-1", SITE, "Episode 1")], channel="Two"))
    add_feed(store, site.url("one.xml"), full_text=False)
    add_feed(store, site.url("two.xml"), full_text=False)
    assert [source.article_count for source in store.sources(kind=SourceKind.FEED)] == [1, 1]


def test_a_cache_written_before_identities_keeps_read_state_stars_and_history(site: Site, store: Store) -> None:
    """An old cache held the five episodes as one article, under their shared link's id, read and starred.

    It is written as schema 4 wrote it (no entry key), which is what schema 5 finds after the migration.
    """
    url = site.url("pod.xml")
    data = podcast(EPISODES)
    site.routes["/pod.xml"] = Route(data)
    old = parse_feed(data, url).entries
    assert len({entry.legacy_id for entry in old}) == 1  # what the reader made of them then: one article
    last = old[-1]
    with store.writing() as tx:
        source_id = tx.ensure_source(SourceKind.FEED, url, "Pod")
        tx.save_article(source_id, dataclasses.replace(last.article, id=last.legacy_id), last.content_hash)
        tx.resolve_links([last.legacy_id])
    store.set_starred(last.legacy_id)
    store.record_opened(last.legacy_id)
    report = refresh(store, full_text=False)[0]
    assert (report.added, report.updated, report.unchanged) == (4, 0, 1)
    kept = store.get(last.legacy_id)
    assert kept is not None and kept.article.title == "Episode 5"  # the entry whose text it held inherits it
    assert (kept.read, kept.starred, len(store.history())) == (True, True, 1)
    assert titles(store) == [f"Episode {n}" for n in range(1, 6)]
    assert refresh(store, full_text=False)[0].unchanged == 5

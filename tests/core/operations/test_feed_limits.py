"""The limits a feed meets: bytes a feed, entries read a refresh, articles kept over time, fetches at once.

Each runs against a real HTTP server on 127.0.0.1 (or a local feed file) and checks that what a limit does
not allow is said in one line and that nothing it must keep (starred articles, cached ones of a refused
feed) is lost.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from pozirk_reader.core.limits import FEED_MEMORY_FACTOR, MAX_FEED_BYTES
from pozirk_reader.core.operations import retention
from pozirk_reader.core.operations.feeds import add_feed, refresh
from pozirk_reader.core.operations.retention import Keeping, fetches_at_once
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.web.fetch import FetchLimits
from tests.feedserver import Route, Site

README = Path(__file__).resolve().parents[3] / "README.md"
QUICK = FetchLimits(connect_timeout=2, read_timeout=5, deadline=30)  # the real size cap
START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        yield opened


def item(guid: str, hours: int, see_also: str | None = None) -> str:
    """An RSS item dated ``hours`` after :data:`START`, optionally with a "See also" link to ``see_also``."""
    related = f'<p>See also:</p><ul><li><a href="{see_also}">Item {see_also[-3:]}</a></li></ul>' if see_also else ""
    text = f"<p>The text of item {guid}, long enough to be an article of its own and not a summary.</p>" * 12
    return (
        f"<item><guid>{guid}</guid><title>Item {guid}</title><link>https://news.example/{guid}</link>"
        f"<pubDate>{format_datetime(START + timedelta(hours=hours))}</pubDate>"
        f"<description><![CDATA[{text}{related}]]></description></item>"
    )


def rss(items: list[str]) -> bytes:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Churn</title>' + "".join(items)).encode() + (
        b"</channel></rss>"
    )


def guids(store: Store) -> set[str]:
    return {headline.title.removeprefix("Item ") for headline in store.headlines(0, 100_000)}


def test_readme_and_code_give_the_same_byte_cap_once() -> None:
    before, section = README.read_text("utf-8").split("\n## Limits\n", 1)
    section, after = section.split("\n## ", 1)
    assert f"**Bytes a feed: {MAX_FEED_BYTES >> 20} MiB**" in section
    elsewhere = [line for line in (before + after).splitlines() if "feed" in line.lower() and "MiB" in line]
    assert elsewhere == []  # said once, in Limits


def test_a_feed_over_the_byte_cap_is_one_line_and_keeps_its_cached_articles(site: Site, store: Store) -> None:
    site.routes["/big.xml"] = Route(rss([item(f"a{n:03}", n) for n in range(5)]))
    first = add_feed(store, site.url("big.xml"), limits=QUICK)
    assert first.added == 5
    store.set_starred(store.headlines(0, 1)[0].id)
    padding = "<!--" + "x" * MAX_FEED_BYTES + "-->"
    site.routes["/big.xml"] = Route(rss([item(f"b{n:03}", 100 + n) for n in range(5)] + [padding]))
    (report,) = refresh(store, limits=QUICK)
    assert report.status == "failed"
    assert f"larger than the {MAX_FEED_BYTES >> 20} MiB limit" in (report.error or "")
    assert report.line.endswith("— showing 5 cached articles") and "\n" not in report.line
    assert guids(store) == {f"a{n:03}" for n in range(5)}
    assert store.count() == 5 and sum(h.starred for h in store.headlines(0, 10)) == 1


def test_a_local_feed_file_over_the_cap_or_not_a_file_is_one_line(tmp_path: Path, store: Store) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss([item("local1", 1)]))
    assert add_feed(store, str(feed)).added == 1
    with feed.open("ab") as grow:
        grow.truncate(MAX_FEED_BYTES + 1)
    (report,) = refresh(store)
    assert report.error == f"feed.xml: larger than the {MAX_FEED_BYTES >> 20} MiB limit"
    feed.unlink()
    os.symlink("/dev/zero", feed)  # reports size 0; read whole, it never ends
    (report,) = refresh(store)
    assert report.error == "feed.xml: a character device, not a regular file"
    assert store.count() == 1


def test_entries_a_refresh_reads_are_the_newest_by_date(site: Site, store: Store) -> None:
    hours = [7, 2, 9, 0, 5, 8, 1, 6, 3, 4]  # not in date order
    site.routes["/many.xml"] = Route(rss([item(f"e{hour}", hour) for hour in hours]))
    report = add_feed(store, site.url("many.xml"), keep=Keeping(entries=4), limits=QUICK)
    assert report.added == 4
    assert guids(store) == {"e9", "e8", "e7", "e6"}
    assert report.warning == "only the newest 4 of 10 entries were kept"


def test_retention_holds_under_guid_churn_and_never_deletes_a_starred_article(site: Site, store: Store) -> None:
    """A feed that gives every entry a new guid at each refresh stays bounded; starred articles stay."""
    keep = Keeping(articles=30)

    def version(number: int) -> Route:
        return Route(rss([item(f"v{number:02}i{n:02}", number * 100 + n) for n in range(20)]))

    site.routes["/churn.xml"] = version(0)
    add_feed(store, site.url("churn.xml"), keep=keep, limits=QUICK)
    starred = {store.article_by_url("https://news.example/v00i00"), store.article_by_url("https://news.example/v00i07")}
    for article_id in starred:
        assert article_id is not None and store.set_starred(article_id)
    dropped = 0
    for number in range(1, 12):
        site.routes["/churn.xml"] = version(number)
        (report,) = refresh(store, keep=keep, limits=QUICK)
        assert report.added == 20
        dropped += report.dropped
        assert store.count() <= 30 + len(starred)
    kept = guids(store)
    assert {"v00i00", "v00i07"} <= kept  # starred, old: kept
    assert {f"v11i{n:02}" for n in range(20)} <= kept  # the feed's entries now: kept
    assert store.count() == 30 + len(starred) and dropped == 12 * 20 - store.count()
    assert "old articles deleted (max_articles_per_feed)" in report.line


def test_retention_spares_what_the_feed_lists_and_what_kept_articles_link_to(site: Site, store: Store) -> None:
    old = [item(f"o{n:02}", n) for n in range(10)]
    site.routes["/linked.xml"] = Route(rss(old))
    add_feed(store, site.url("linked.xml"), limits=QUICK)
    newer = [item(f"n{n:02}", 100 + n, see_also="https://news.example/o03" if n == 0 else None) for n in range(3)]
    listed_old = [item("o01", 1)]  # an old entry still in the feed
    site.routes["/linked.xml"] = Route(rss(newer + listed_old))
    (report,) = refresh(store, keep=Keeping(articles=3), limits=QUICK)
    assert guids(store) == {"n00", "n01", "n02", "o01", "o03"}
    assert report.dropped == 8
    n00 = store.article_by_url("https://news.example/n00")
    assert n00 is not None
    (link,) = store.related(n00)
    assert link.target_id == store.article_by_url("https://news.example/o03")
    (again,) = refresh(store, keep=Keeping(articles=3), limits=QUICK)  # nothing new: nothing more goes
    assert again.dropped == 0 and store.count() == 5


def test_fetches_at_once_are_sized_to_the_memory_available(monkeypatch: pytest.MonkeyPatch) -> None:
    per_fetch = MAX_FEED_BYTES * FEED_MEMORY_FACTOR
    monkeypatch.setattr(retention, "available_memory", lambda: 3 * per_fetch + 1)
    assert fetches_at_once(8) == 3 and fetches_at_once(2) == 2
    monkeypatch.setattr(retention, "available_memory", lambda: per_fetch // 2)
    assert fetches_at_once(8) == 1
    monkeypatch.setattr(retention, "available_memory", lambda: None)
    assert fetches_at_once(8) == 8
    monkeypatch.undo()
    available = retention.available_memory()
    assert available is None or available > 0

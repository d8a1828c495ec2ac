"""Subscribing to and refreshing feeds against a real HTTP server on 127.0.0.1.

Every failure case also checks that nothing already cached was lost.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.article.model import stable_id
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.operations.feeds import FeedReport, add_feed, refresh, remove_feed
from pozirk_reader.core.operations.pages import fetch_full_text, fetch_page
from pozirk_reader.core.store.database import BULK_CACHE_KIB
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.web.fetch import FetchError, FetchLimits
from pozirk_reader.core.web.xmlsafety import UnsafeXmlError
from tests.feedserver import FEEDS, Route, Site

QUICK = FetchLimits(connect_timeout=2, read_timeout=2, deadline=3, max_bytes=2 * 1024 * 1024)

CYRILLIC_RSS = """<?xml version="1.0"{decl}?>
<rss version="2.0"><channel><title>Позірк: навіны</title><link>https://pozirk.example/</link>
<item><title>Синоптики предупредили о первом снеге</title><link>https://pozirk.example/news/9001.html</link>
<pubDate>Wed, 11 Nov 2026 07:30:00 +0300</pubDate>
<description>&lt;p&gt;13 мая, Позірк. В Минске ожидается первый снег, сообщили синоптики. Температура воздуха
опустится ниже нуля, на дорогах возможна гололедица; водителей просят быть внимательнее. Коммунальные службы
города переведены на зимний режим работы и готовы к уборке снега с улиц и тротуаров. Синоптики добавили, что
к выходным погода снова станет теплее, а снег, скорее всего, растает уже в понедельник, так что лыжи доставать
пока рано: настоящая зима придёт только в декабре, как и в прошлом году, когда первый устойчивый снежный
покров лёг в середине месяца.&lt;/p&gt;</description></item>
</channel></rss>"""


def by_url(store: Store, url: str) -> str:
    """The id of the cached article at ``url`` (a feed entry's id is its identity within its feed, not its URL)."""
    found = store.article_by_url(url)
    assert found is not None, url
    return found


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "cache.sqlite3") as opened:
        yield opened


def titles(store: Store) -> set[str]:
    return {headline.title for headline in store.headlines(0, 10_000)}


def test_subscribing_reads_every_entry_in_full(site: Site, store: Store) -> None:
    report = add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    assert (report.added, report.updated, report.error) == (6, 0, None)
    assert report.title == "Pozirk sample (full text)"
    assert report.line.startswith("Pozirk sample (full text): 6 new")
    stored = store.get(by_url(store, site.url("news/2104.html")))
    assert stored is not None
    assert stored.article.title == "Синоптики предупредили о первом снеге в Минске"
    assert stored.article.content == "full" and len(stored.article.paragraphs) >= 5
    assert stored.article.place_time == "07:30" and str(stored.article.date) == "2026-11-11"
    assert [source.kind for source in store.sources()] == ["feed"]


def test_a_second_refresh_is_answered_304_and_costs_nothing(site: Site, store: Store) -> None:
    site.routes["/lm.xml"] = Route(site.routes["/atom.xml"].body, last_modified="Wed, 18 Nov 2026 17:10:00 GMT")
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    add_feed(store, site.url("lm.xml"), limits=QUICK)
    before = store.count()
    reports = refresh(store, limits=QUICK)
    assert [report.status for report in reports] == ["not modified", "not modified"]
    assert [report.cached for report in reports] == [6, 5]
    assert store.count() == before == 11
    assert reports[0].line == "Pozirk sample (full text): not modified (6 cached articles)"


def test_the_checks_of_feeds_not_modified_or_failed_are_written_in_one_transaction(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("rss-full.xml", "atom.xml", "rss-summaries.xml"):
        add_feed(store, site.url(name), full_text=False, limits=QUICK)
    site.routes["/atom.xml"] = Route(status=500, body=b"oops", content_type="text/plain")
    before = {source.location: source for source in store.sources()}
    transactions = []
    writing = Store.writing

    def counted(self: Store) -> object:
        transactions.append(self)
        return writing(self)

    monkeypatch.setattr(Store, "writing", counted)
    reports = refresh(store, full_text=False, limits=QUICK)
    assert [report.status for report in reports] == ["not modified", "failed", "not modified"]
    assert len(transactions) == 1  # the three checks together (each in its own made one commit a feed)
    after = {source.location: source for source in store.sources()}
    for location, source in after.items():
        assert (source.checked_at or 0) > (before[location].checked_at or 0), location
        assert source.etag == before[location].etag
    assert after[site.url("atom.xml")].last_error == reports[1].error
    assert after[site.url("rss-full.xml")].last_error is None


def test_a_refresh_writes_with_the_bulk_page_cache_and_gives_it_back(
    site: Site, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    writing = Store.writing

    def observed(self: Store) -> object:
        seen.append(self._db.execute("PRAGMA cache_size").fetchone()[0])
        return writing(self)

    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    site.routes["/atom.xml"].etag = '"atom-2"'  # (written again: its entries are compared, its check saved)
    usual = store._db.execute("PRAGMA cache_size").fetchone()[0]
    monkeypatch.setattr(Store, "writing", observed)
    refresh(store, limits=QUICK)
    assert seen and set(seen) == {-BULK_CACHE_KIB}  # every write of the refresh had the large cache
    assert store._db.execute("PRAGMA cache_size").fetchone()[0] == usual


def test_a_changed_entry_is_updated_and_keeps_its_reading_state(site: Site, store: Store) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    article_id = by_url(store, site.url("news/2104.html"))
    store.set_starred(article_id)
    route = site.routes["/rss-full.xml"]
    old = "<title>Синоптики предупредили о первом снеге в Минске</title>"
    assert old.encode() in route.body
    route.body = route.body.replace(old.encode(), old.replace("первом", "первом мокром").encode())
    route.etag = '"rss-full-2"'
    (report,) = refresh(store, limits=QUICK)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 5)
    stored = store.get(article_id)
    assert stored is not None and stored.starred and "мокром" in stored.article.title


def test_gzip_is_read(site: Site, store: Store) -> None:
    site.routes["/gz.xml"] = Route(site.routes["/atom.xml"].body, gzip=True)
    assert add_feed(store, site.url("gz.xml"), limits=QUICK).added == 5


def test_a_redirect_to_http_is_followed(site: Site, store: Store) -> None:
    site.routes["/moved"] = Route(redirect=site.url("atom.xml"))
    report = add_feed(store, site.url("moved"), limits=QUICK)
    assert report.added == 5


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        (Route(redirect="file:///etc/passwd"), "file"),
        (Route(redirect="/loop"), "redirect loop"),
        (Route(status=500, body=b"oops", content_type="text/plain"), "HTTP 500"),
        (Route(silent=True), "timed out"),
        (Route(drip=True), "deadline"),
        (Route(body=b"<rss>" + b" " * (3 * 1024 * 1024) + b"</rss>"), "larger than"),
    ],
    ids=["to-file", "loop", "500", "silent", "drip", "too-large"],
)
def test_a_failing_feed_keeps_everything_cached(site: Site, store: Store, route: Route, reason: str) -> None:
    report = add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    site.routes["/rss-full.xml"] = route
    site.routes["/loop"] = Route(redirect=site.url("rss-full.xml"))
    started = time.monotonic()
    (failed,) = refresh(store, limits=QUICK)
    assert time.monotonic() - started < 10
    assert failed.status == "failed" and reason in (failed.error or "")
    assert failed.line.endswith("— showing 6 cached articles") and "\n" not in failed.line
    assert store.count() == report.added == 6
    (source,) = store.sources()
    assert source.last_error == failed.error


def test_a_dead_server_is_reported_in_one_line_and_nothing_is_lost(site: Site, store: Store) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    site.stop()
    reports = refresh(store, limits=QUICK)
    assert [report.line for report in reports] == [  # named by the feed, the host after the reason
        f"Pozirk sample (full text): connection refused (127.0.0.1:{site.port}) — showing 6 cached articles",
        f"Pozirk sample (Atom): connection refused (127.0.0.1:{site.port}) — showing 5 cached articles",
    ]
    untitled = FeedReport(site.url("feed.xml"), error=f"127.0.0.1:{site.port}: connection refused", cached=1)
    assert untitled.line == f"127.0.0.1:{site.port}: connection refused — showing 1 cached article"
    assert store.count() == 11


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Gone fishing</body></html>", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, b"   "],
    ids=["html", "binary", "empty"],
)
def test_a_feed_turned_to_garbage_deletes_nothing(site: Site, store: Store, body: bytes) -> None:
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    site.routes["/atom.xml"] = Route(body, content_type="text/html")
    (report,) = refresh(store, limits=QUICK)
    assert report.status == "failed" and "\n" not in (report.error or "")
    assert store.count() == 5


def test_an_entity_declaring_doctype_is_refused_before_parsing(site: Site, store: Store) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<rss><channel><title>&b;</title><item><title>&b;</title></item></channel></rss>"
    )
    site.routes["/laughs.xml"] = Route(laughs)
    with pytest.raises(UnsafeXmlError, match="declares entities"):
        add_feed(store, site.url("laughs.xml"), limits=QUICK)
    assert store.sources() == []
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    site.routes["/atom.xml"] = Route(laughs)
    (report,) = refresh(store, limits=QUICK)
    assert "declares entities" in (report.error or "") and store.count() == 5


def test_autodiscovery_finds_the_feed_a_page_links(site: Site, store: Store) -> None:
    report = add_feed(store, site.base, limits=QUICK)
    assert report.location == site.url("rss-full.xml") and report.added == 6
    (source,) = store.sources()
    assert source.location == site.url("rss-full.xml")


def test_a_page_without_feed_links_is_refused(site: Site, store: Store) -> None:
    site.routes["/plain.html"] = Route(b"<html><head></head><body>No feeds</body></html>", "text/html")
    with pytest.raises(ReaderError, match="no RSS or Atom feed found"):
        add_feed(store, site.url("plain.html"), limits=QUICK)
    assert store.sources() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"  \n", "the feed is empty"),
        (b"<?xml version='1.0'?>\n<!-- nothing here -->\n", "the document is empty (no element in it)"),
        (b"<opml version='2.0'><body/></opml>", "not a feed: its first element is <opml>, not RSS or Atom"),
    ],
)
def test_an_empty_or_non_feed_document_is_refused_saying_which(
    site: Site, store: Store, tmp_path: Path, data: bytes, message: str
) -> None:
    site.routes["/doc.xml"] = Route(data, "application/xml")
    path = tmp_path / "doc.xml"
    path.write_bytes(data)
    for location in (site.url("doc.xml"), str(path)):
        with pytest.raises(ReaderError, match=re.escape(message)):
            add_feed(store, location, full_text=False)
    assert store.sources() == []


def test_summaries_are_completed_from_the_article_pages(site: Site, store: Store) -> None:
    report = add_feed(store, site.url("rss-summaries.xml"), limits=QUICK)
    assert (report.added, report.full_text, report.full_text_failed) == (5, 5, [])
    opened = store.open_article(by_url(store, site.url("news/2301.html")))
    assert opened is not None
    article = opened.stored.article
    assert article.content == "full" and len(article.paragraphs) >= 5
    assert article.title == "В Минске на проспекте Победителей появятся три новые остановки электробусов"
    assert not any("Самое читаемое" in paragraph or "ПОДЕЛИТЬСЯ" in paragraph for paragraph in article.paragraphs)
    assert opened.links, "the page's see-also block becomes the article's links"
    assert all(link.url and link.url.startswith(site.base) for link in opened.links)
    assert site.hits["/news/2301.html"] == 1
    (again,) = refresh(store, limits=QUICK)
    assert again.status == "not modified" and site.hits["/news/2301.html"] == 1


def test_without_full_text_the_summary_is_kept_and_marked(site: Site, store: Store) -> None:
    report = add_feed(store, site.url("rss-summaries.xml"), full_text=False, limits=QUICK)
    assert (report.added, report.full_text) == (5, 0)
    stored = store.get(by_url(store, site.url("news/2303.html")))
    assert stored is not None and stored.article.is_summary
    assert "Читать далее" not in stored.article.body
    assert sum(site.hits[f"/news/{n}.html"] for n in range(2301, 2306)) == 0
    assert fetch_full_text(store, stored.article.id, limits=QUICK) is True
    full = store.get(stored.article.id)
    assert full is not None and full.article.content == "full" and len(full.article.paragraphs) >= 5


def test_a_summary_whose_page_is_down_stays_a_summary_and_is_tried_again(site: Site, store: Store) -> None:
    del site.routes["/news/2302.html"]
    report = add_feed(store, site.url("rss-summaries.xml"), limits=QUICK)
    assert report.full_text == 4 and len(report.full_text_failed) == 1
    assert "(1 page failed)" in report.line
    site.serve_samples()
    site.routes["/rss-summaries.xml"].etag = '"rss-summaries-2"'
    (again,) = refresh(store, limits=QUICK)
    assert again.full_text == 1
    stored = store.get(by_url(store, site.url("news/2302.html")))
    assert stored is not None and stored.article.content == "full"


@pytest.mark.parametrize("with_header", [True, False], ids=["charset-header", "no-charset"])
def test_a_windows_1251_feed_is_decoded(site: Site, store: Store, with_header: bool) -> None:
    body = CYRILLIC_RSS.format(decl=' encoding="windows-1251"' if with_header else "").encode("cp1251")
    ctype = "application/rss+xml; charset=windows-1251" if with_header else "application/rss+xml"
    site.routes["/cp1251.xml"] = Route(body, ctype)
    report = add_feed(store, site.url("cp1251.xml"), limits=QUICK)
    assert report.title == "Позірк: навіны" and report.added == 1
    assert titles(store) == {"Синоптики предупредили о первом снеге"}
    stored = store.get(by_url(store, "https://pozirk.example/news/9001.html"))
    assert stored is not None and stored.article.encoding == "windows-1251"
    assert stored.article.paragraphs[0].startswith("13 мая, Позірк. В Минске")


def test_a_wrong_charset_header_does_not_garble_cyrillic(site: Site, store: Store) -> None:
    body = CYRILLIC_RSS.format(decl="").encode("utf-8")
    site.routes["/wrong.xml"] = Route(body, "application/rss+xml; charset=windows-1251")
    add_feed(store, site.url("wrong.xml"), limits=QUICK)
    assert titles(store) == {"Синоптики предупредили о первом снеге"}


def test_a_bozo_feed_keeps_what_parsed_with_a_warning(site: Site, store: Store) -> None:
    broken = site.routes["/atom.xml"].body.replace(b"</feed>", b"<entry><title>Broken & unclosed")
    site.routes["/broken.xml"] = Route(broken)
    report = add_feed(store, site.url("broken.xml"), limits=QUICK)
    assert report.added >= 5 and report.warning and "not well-formed" in report.warning
    assert "warning: not well-formed" in report.line
    (source,) = store.sources()
    assert source.last_warning == report.warning and source.last_error is None


def test_escape_sequences_and_markup_in_titles_are_plain_text(site: Site, store: Store) -> None:
    hostile = (
        b"<rss version='2.0'><channel><title>\x1b]0;pwned\x07Evil [bold]feed[/]</title>"
        b"<item><title>\x1b[31mRed\x1b[0m [link=file:///etc]click[/link] &lt;b&gt;bold&lt;/b&gt;</title>"
        b"<link>https://pozirk.example/news/9100.html</link>"
        b"<description>&lt;script&gt;alert(1)&lt;/script&gt;Body \x1b[2J text</description></item>"
        b"</channel></rss>"
    )
    site.routes["/hostile.xml"] = Route(hostile)
    report = add_feed(store, site.url("hostile.xml"), full_text=False, limits=QUICK)
    (headline,) = store.headlines()
    stored = store.get(headline.id)
    assert stored is not None
    for text in (headline.title, stored.article.body, report.title or "", stored.article.source_name or ""):
        assert not any(ord(char) < 32 and char != "\n" for char in text), text
        assert "alert(1)" not in text
    assert "[link=file:///etc]click[/link]" in headline.title  # kept literally, never read as markup


def test_a_local_feed_file_works_like_a_url(tmp_path: Path, store: Store) -> None:
    feed = tmp_path / "atom.xml"
    feed.write_bytes((FEEDS / "atom.xml").read_bytes())
    report = add_feed(store, str(feed))
    assert report.added == 5
    (again,) = refresh(store)
    assert again.status == "not modified"
    feed.unlink()
    (gone,) = refresh(store)
    assert gone.error == "atom.xml: No such file or directory" and store.count() == 5


def test_feeds_refresh_concurrently_and_report_in_order(site: Site, store: Store) -> None:
    for name in ("rss-full.xml", "atom.xml", "rss-summaries.xml"):
        add_feed(store, site.url(name), full_text=False, limits=QUICK)
    for route in site.routes.values():
        route.etag = None
    seen = []
    reports = refresh(store, full_text=False, limits=QUICK, progress=seen.append)
    assert [report.location for report in reports] == [
        site.url(n) for n in ("rss-full.xml", "atom.xml", "rss-summaries.xml")
    ]
    assert [report.unchanged for report in reports] == [6, 5, 5]
    assert [step.done for step in seen] == [1, 2, 3] and {step.total for step in seen} == {3}


def test_following_a_link_to_an_uncached_page_fetches_and_caches_it(site: Site, store: Store) -> None:
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    url = site.url("news/2302.html")
    article_id = fetch_page(store, url, title="Детская библиотека", limits=QUICK)
    assert article_id == stable_id(url)
    stored = store.get(article_id)
    assert stored is not None and stored.article.title.startswith("Детская библиотека в Гродно")
    assert fetch_page(store, url, limits=QUICK) == article_id and site.hits["/news/2302.html"] == 1
    site.stop()
    with pytest.raises(FetchError, match="connection refused"):
        fetch_page(store, site.url("news/2303.html"), limits=QUICK)
    assert store.get(article_id) is not None


def test_a_link_waiting_for_a_url_resolves_when_its_page_is_fetched(site: Site, store: Store) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    waiting = [
        (opened.stored.article.id, link)
        for headline in store.headlines(0, 100)
        if (opened := store.open_article(headline.id))
        for link in opened.links
        if link.state == "url" and link.url and "/news/" in link.url
    ]
    assert waiting, "rss-full links to items of the other sample feeds"
    source_id, link = waiting[0]
    assert link.url is not None
    target = (
        fetch_page(store, link.url, limits=QUICK)
        if link.url.endswith(("2301.html", "2302.html", "2303.html", "2304.html", "2305.html"))
        else None
    )
    if target is None:
        add_feed(store, site.url("atom.xml"), limits=QUICK)
        target = by_url(store, link.url)
    relinked = {found.url: found for found in store.related(source_id)}
    assert relinked[link.url].target_id == target


def test_removing_a_feed_deletes_its_articles_and_unresolves_links_to_them(site: Site, store: Store) -> None:
    add_feed(store, site.url("rss-full.xml"), limits=QUICK)
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    source, removed = remove_feed(store, site.url("atom.xml"))
    assert (source.location, removed) == (site.url("atom.xml"), 5)
    assert store.count() == 6 and len(store.sources()) == 1
    assert all(
        link.target_id is None
        for h in store.headlines(0, 100)
        for link in store.related(h.id)
        if "/news/22" in (link.url or "")
    )
    add_feed(store, site.url("atom.xml"), limits=QUICK)
    assert any(
        link.target_id
        for h in store.headlines(0, 100)
        for link in store.related(h.id)
        if "/news/22" in (link.url or "")
    )
    with pytest.raises(ReaderError, match="not subscribed"):
        remove_feed(store, site.url("nothing.xml"))


def test_an_entrys_structure_and_links_in_its_text_are_kept_in_the_cache(site: Site, store: Store) -> None:
    post = (
        "<h2>Setting up</h2><p>Read <a href='/docs'>the docs</a> and <a href='https://other.example/x'>this</a>."
        "</p><pre>def main():\n\treturn 1</pre><ul><li>Top<ul><li>Second</li></ul></li></ul>"
    )
    items = (
        f"<item><guid>p1</guid><title>Post</title><link>{site.url('post')}</link>"
        f"<description><![CDATA[{post}]]></description></item>"
        f"<item><guid>p2</guid><title>The docs</title><link>{site.url('docs')}</link>"
        "<description>All about it.</description></item>"
    )
    site.routes["/blog.xml"] = Route(f"<rss version='2.0'><channel><title>Blog</title>{items}</channel></rss>".encode())
    add_feed(store, site.url("blog.xml"), full_text=False)
    opened = store.open_article(by_url(store, site.url("post")))
    assert opened is not None
    article = opened.stored.article
    assert article.paragraphs == (
        "Setting up",
        "Read the docs [1] and this [2].",
        "def main():\n        return 1",
        "• Top",
        "  ◦ Second",
    )
    assert [article.heading_level(i) for i in range(5)] == [2, 0, 0, 0, 0] and article.is_preformatted(2)
    assert [(link.title, link.state, link.target_id) for link in opened.inline] == [
        ("the docs", "cached", by_url(store, site.url("docs"))),  # the other entry of the feed is at that address
        ("this", "url", None),
    ]
    assert refresh(store, full_text=False)[0].unchanged == 2  # the structure is part of what is unchanged

"""Feed bytes to articles: decoding, summaries, links, languages, times, and what is refused."""

from __future__ import annotations

import pytest

from pozirk_reader.core.web.feed_format import (
    FeedError,
    FeedKind,
    Root,
    document_root,
    entry_id,
    looks_like_feed,
    not_a_feed,
    parse_feed,
)
from pozirk_reader.core.web.xmlsafety import UnsafeXmlError
from tests.feedserver import FEEDS

SITE = "https://pozirk.example/"


def sample(name: str):
    return parse_feed((FEEDS / name).read_bytes(), SITE + name)


def test_atom_relative_links_resolve_on_xml_base_and_keep_their_time_zone() -> None:
    feed = sample("atom.xml")
    assert feed.title == "Pozirk sample (Atom)" and feed.warning is None
    by_url = {entry.article.url: entry.article for entry in feed.entries}
    article = by_url[SITE + "news/2202.html"]
    assert article.id == entry_id(SITE + "atom.xml", "id:tag:pozirk.example,2026:news/2202")
    assert article.language == "en" and article.place_time == "10:00" and str(article.date) == "2026-11-09"
    assert all(link.url and link.url.startswith(SITE) for link in article.related)
    assert not any(paragraph.startswith(("See also", "См. также")) for paragraph in article.paragraphs)


def test_belarusian_items_of_a_russian_channel_are_told_apart() -> None:
    languages = {entry.article.title: entry.article.language for entry in sample("rss-full.xml").entries}
    assert languages["У Віцебску адкрыўся зімовы кірмаш рамёстваў"] == "be"
    assert languages["Синоптики предупредили о первом снеге в Минске"] == "ru"


@pytest.mark.parametrize(
    ("item", "ending"),
    [("2301", "а один из маршрутов…"), ("2302", "на выставке в читальном зале…"), ("2303", "горячий сбитень.")],
    ids=["ellipsis", "bracketed", "read-more"],
)
def test_cut_summaries_are_marked_and_lose_their_read_more(item: str, ending: str) -> None:
    entries = {entry.article.url: entry for entry in sample("rss-summaries.xml").entries}
    entry = entries[f"{SITE}news/{item}.html"]
    assert entry.article.is_summary and entry.wants_full_text
    assert entry.article.paragraphs[-1].endswith(ending)


def test_full_content_is_not_a_summary_even_with_a_short_description() -> None:
    assert not any(entry.article.is_summary for entry in sample("rss-full.xml").entries)


def test_an_unchanged_entry_keeps_its_hash_and_a_changed_one_does_not() -> None:
    data = (FEEDS / "atom.xml").read_bytes()
    first = {e.article.id: e.content_hash for e in parse_feed(data, SITE + "atom.xml").entries}
    again = {e.article.id: e.content_hash for e in parse_feed(data, SITE + "atom.xml").entries}
    changed = parse_feed(data.replace("настольным".encode(), "шахматным".encode(), 1), SITE + "atom.xml")
    assert first == again
    assert sum(first[e.article.id] != e.content_hash for e in changed.entries) == 1


def test_an_entry_without_a_link_gets_a_stable_id_of_its_own() -> None:
    data = (
        b"<rss version='2.0'><channel><title>t</title><item><guid>abc-1</guid><title>One</title></item></channel></rss>"
    )
    (entry,) = parse_feed(data, SITE + "x.xml").entries
    assert entry.article.url is None and entry.article.origin == SITE + "x.xml#abc-1"
    assert entry.article.id == parse_feed(data, SITE + "x.xml").entries[0].article.id


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "web page"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
        (b"just some words, no markup", "not a feed"),
        (  # a no-break space in a namespace URI: Python's SAX reader splits the name there, feedparser crashed
            b"<?xml version='1.0' encoding='utf-8'?><rss version='2.0' xmlns:c='http://example.org/\xc2\xa0ns/'>"
            b"<channel><title>t</title><item><title>x</title><c:x>1</c:x></item></channel></rss>",
            "not a feed: its XML cannot be read",
        ),
    ],
)
def test_what_is_no_feed_is_refused_in_one_line(data: bytes, reason: str) -> None:
    with pytest.raises(FeedError, match=reason) as raised:
        parse_feed(data, SITE + "feed.xml")
    assert "\n" not in str(raised.value) and str(raised.value).startswith("pozirk.example: ")


def test_entity_declarations_are_refused_even_in_utf16() -> None:
    doc = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY x "y">]><rss><channel/></rss>'
    with pytest.raises(UnsafeXmlError):
        parse_feed(doc.encode("utf-16"), SITE + "feed.xml")


def test_javascript_links_and_scripts_never_survive() -> None:
    data = (
        b"<rss version='2.0'><channel><title>t</title><item><title>T</title><link>javascript:alert(1)</link>"
        b"<description><![CDATA[<p>Text<script>alert(2)</script></p><p>\xd0\xa1\xd0\xbc. \xd1\x82\xd0\xb0\xd0\xba\xd0\xb6\xd0\xb5:</p>"
        b"<ul><li><a href='javascript:alert(3)'>Bad</a></li><li><a href='/news/1.html'>Good</a></li></ul>]]>"
        b"</description></item></channel></rss>"
    )
    (entry,) = parse_feed(data, SITE + "feed.xml").entries
    article = entry.article
    assert article.url is None and "alert" not in article.body
    assert [(link.title, link.url) for link in article.related] == [("Bad", None), ("Good", SITE + "news/1.html")]


def test_looks_like_feed() -> None:
    assert looks_like_feed((FEEDS / "atom.xml").read_bytes())
    assert looks_like_feed(b"<?xml version='1.0'?>\n<!-- hi --><rdf:RDF xmlns:rdf='x'></rdf:RDF>")
    assert not looks_like_feed((FEEDS / "page-with-feed-link.html").read_bytes())


def test_a_malformed_link_is_dropped_not_an_error() -> None:
    data = (
        b"<rss version='2.0'><channel><title>t</title><link>http://[x</link><item><title>One</title>"
        b"<link>http://[x/1</link><guid>g-1</guid><description>Text.</description></item></channel></rss>"
    )
    feed = parse_feed(data, SITE + "x.xml")
    assert feed.site_url is None
    (entry,) = feed.entries
    assert entry.article.url is None and entry.article.origin == SITE + "x.xml#g-1"


@pytest.mark.parametrize(
    "document",
    [
        "<r:rss xmlns:r='http://backend.userland.com/rss2' version='2.0'><r:channel><r:title>T</r:title>"
        "<r:item><r:title>Prefixed RSS</r:title></r:item></r:channel></r:rss>",
        "<a:feed xmlns:a='http://www.w3.org/2005/Atom'><a:title>T</a:title><a:entry><a:id>1</a:id>"
        "<a:title>Prefixed Atom</a:title></a:entry></a:feed>",
        "<entry xmlns='http://www.w3.org/2005/Atom'><id>1</id><title>An entry document</title></entry>",
        "<x:RDF xmlns:x='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>"
        "<channel><title>T</title></channel><item><title>RSS 1.0</title></item></x:RDF>",
    ],
    ids=["rss-prefix", "atom-prefix", "atom-entry", "rdf-prefix"],
)
def test_feeds_are_recognised_by_namespace_whatever_the_prefix(document: str) -> None:
    data = ("<?xml version='1.0'?>\n<!-- a comment -->\n<!DOCTYPE x>\n" + document).encode()
    assert looks_like_feed(data)
    assert len(parse_feed(data, SITE + "feed.xml").entries) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the feed is empty"),
        (b"<?xml version='1.0'?>\n<!-- nothing here -->\n", "the document is empty"),
        (b"<opml version='2.0'><body/></opml>", "not a feed: its first element is <opml>, not RSS or Atom"),
        (b"<feed xmlns='urn:other'/>", "not a feed: its first element is <feed> in urn:other"),
    ],
)
def test_empty_and_non_feed_documents_say_which(data: bytes, message: str) -> None:
    assert not looks_like_feed(data)
    with pytest.raises(FeedError, match=message):
        parse_feed(data, SITE + "feed.xml")
    refusal = not_a_feed(data, SITE + "feed.xml")
    assert refusal is not None and message in str(refusal)


def test_a_web_page_is_no_refusal_it_may_link_a_feed() -> None:
    assert not_a_feed((FEEDS / "page-with-feed-link.html").read_bytes(), SITE) is None
    assert document_root("<?xml version='1.0'?><rss version='2.0'/>") == Root("rss", "", FeedKind.RSS)


def test_the_entrys_own_title_wins_over_an_authors_title() -> None:
    data = (
        b"<rss version='2.0'><channel><title>Blog</title><item><title>Pay attention to shadow IT</title>"
        b"<author><name>Ann</name><title>Product Manager</title></author><description>Text.</description>"
        b"</item></channel></rss>"
    )
    feed = parse_feed(data, SITE + "feed.xml")
    assert (feed.title, feed.entries[0].article.title) == ("Blog", "Pay attention to shadow IT")


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("<title>Use &lt;pre&gt; for code</title>", "Use <pre> for code"),
        ("<title type='html'>&lt;b&gt;Bold&lt;/b&gt; news</title>", "Bold news"),
        ("<title type='html'>&amp;lt;pre&amp;gt; escaped</title>", "<pre> escaped"),
        (
            "<title type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><i>Inline</i> markup</div></title>",
            "Inline markup",
        ),
        ("<title>1 &lt; 2</title>", "1 < 2"),
    ],
)
def test_markup_in_a_title_is_reduced_to_text_and_escaped_markup_shown_as_written(title: str, shown: str) -> None:
    data = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>F</title><entry><id>1</id>{title}</entry></feed>"
    assert parse_feed(data.encode(), SITE + "feed.xml").entries[0].article.title == shown

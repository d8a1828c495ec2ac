"""The fast XML path against feedparser: the same ParsedFeed on every corpus feed it accepts, and on mutations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.web import fast_feed_names as names
from pozirk_reader.core.web.fast_feed import read_feed
from pozirk_reader.core.web.feed_format import FeedError, ParsedFeed, parse_feed
from pozirk_reader.core.web.xml_decoding import decode_xml

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "feeds"
URL = "https://example.org/feed.xml"


def _both(data: bytes) -> tuple[ParsedFeed | str, ParsedFeed | str]:
    results = []
    for fast in (True, False):
        try:
            results.append(parse_feed(data, URL, fast_xml=fast))
        except FeedError as error:
            results.append(str(error))
    return results[0], results[1]


def _accepted(data: bytes) -> bool:
    """Whether the fast path reads ``data`` when parse_feed hands it over (decoded, declared UTF-8)."""
    text = decode_xml(data, None).text.lstrip("\ufeff")
    payload = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text).encode(
        "utf-8", "surrogatepass"
    )
    return read_feed(payload, "application/xml") is not None


def test_the_fast_path_reads_corpus_feeds_as_feedparser_does() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the feed corpus {CORPUS} is absent (../shared is not beside this checkout)")
    files = sorted(CORPUS.iterdir())
    different, accepted = [], 0
    for path in files:
        data = path.read_bytes()
        accepted += _accepted(data)
        fast, slow = _both(data)
        if fast != slow:
            different.append(path.name)
    assert not different, different
    # 186 of the 354 feeds today: 146 of feedparser's cases, 26 of NetNewsWire's 35 and 14 of newsboat's 18 (the
    # rest: Atom 0.3, xhtml content, media:description, titles inside unknown elements, bad dates, ill-formed XML).
    assert accepted >= 186, accepted


SAMPLE = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
    b"<channel><title>T &amp; co</title><link>https://example.org/</link><language>ru</language>"
    b"<item><title>One \xd0\x9f</title><link>https://example.org/1</link><guid>https://example.org/1</guid>"
    b"<pubDate>Mon, 07 Dec 2026 05:00:00 +0000</pubDate><description>Short &lt;b&gt;lead&lt;/b&gt;</description>"
    b"<content:encoded><![CDATA[<p>Body</p>]]></content:encoded></item></channel></rss>"
)


def test_the_sample_is_read_by_the_fast_path() -> None:
    assert _accepted(SAMPLE)
    fast, slow = _both(SAMPLE)
    assert fast == slow and isinstance(fast, ParsedFeed) and fast.entries


PODCAST = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
    b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" xmlns:media="http://search.yahoo.com/mrss/">'
    b'<channel><title>P</title><atom:link rel="self" href="https://example.org/f"/><link>https://example.org/</link>'
    b"<itunes:summary>S</itunes:summary><image><url>u</url><title>I</title></image><item><title>E</title>"
    b'<guid isPermaLink="false">g1</guid><media:title>M</media:title><itunes:duration>1:00</itunes:duration>'
    b"<description>Ep &lt;i&gt;one&lt;/i&gt;</description></item></channel></rss>"
)
ATOM_SAMPLE = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
    b'<title>A</title><id>https://example.org/</id><entry xml:base="https://example.org/e/"><id>one</id>'
    b'<title type="html">T &amp;amp; u</title><link href="p1"/><updated>2026-12-07T05:00:00Z</updated>'
    b'<content type="html" xml:lang="ru">&lt;p&gt;\xd0\x9f&lt;/p&gt;</content></entry></feed>'
)


@pytest.mark.parametrize("sample", [SAMPLE, PODCAST, ATOM_SAMPLE], ids=["rss", "podcast", "atom"])
@settings(max_examples=300, deadline=None)
@given(position=st.floats(0, 1), insert=st.binary(min_size=0, max_size=4), cut=st.integers(0, 4))
def test_mutations_never_make_the_paths_disagree(sample: bytes, position: float, insert: bytes, cut: int) -> None:
    assert _accepted(sample)
    at = int(position * (len(sample) - 1))
    mutated = sample[:at] + insert + sample[at + cut :]
    fast, slow = _both(mutated)
    assert fast == slow


def _rss(channel: str, item: str = "", namespaces: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"'
        ' xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/"{namespaces}><channel>{channel}<item>{item}</item></channel></rss>'
    ).encode()


def _atom(feed: str, entry: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"'
        f' xmlns:media="http://search.yahoo.com/mrss/">{feed}<entry>{entry}</entry></feed>'
    ).encode()


BODY = "<description>" + "Long enough text. " * 40 + "</description>"
QUIRKS = {
    # feedparser reads an Atom id as a permalink guid: the entry's link until an alternate link comes
    "atom id is the link": _atom("<title>F</title>", "<id>https://example.org/1</id><title>T</title>"),
    "atom id then alternate": _atom("", "<id>https://example.org/1</id><link href='/rel'/><title>T</title>"),
    "feed id is the site": _atom("<id>https://example.org/</id><title>F</title>", "<title>T</title>"),
    "channel atom:id before link": _rss("<atom:id>https://example.org/a</atom:id><title>F</title>", "<title>T</title>"),
    "atom:link alternate in channel": _rss(
        "<title>F</title><link>https://example.org/</link><atom:link href='https://example.org/b'/>", BODY
    ),
    "atom:link self in item": _rss(
        "<title>F</title>", "<title>T</title><atom:link rel='self' href='https://x.org/s'/>"
    ),
    "atom:link type html": _rss("<title>F</title>", "<title>T</title><atom:link type='html' href='https://x.org/h'/>"),
    "atom:link empty rel": _rss("<title>F</title>", "<title>T</title><atom:link rel='' href='https://x.org/e'/>"),
    # an xml:base outlives its element where the parent's base is empty
    "xml:base leaks to the next item": (
        b'<rss version="2.0"><channel><title>F</title><item xml:base="https://a.example/d/"><title>1</title>'
        b"<link>one</link></item><item><title>2</title><link>two</link>"
        b'<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;a href="x"&gt;x&lt;/a&gt;'
        b"</content:encoded></item></channel></rss>"
    ),
    "xml:base unsafe scheme": _rss('<title xml:base="javascript:x/">F</title>', "<title>T</title><link>r</link>"),
    "uri fixer": _rss("<title>F</title>", "<title>T</title><link>https:///example.org/x</link>"),
    "media:title after the title": _rss("<title>F</title>", "<title>T</title><media:title>M</media:title>" + BODY),
    "media:title before the title": _rss("<title>F</title>", "<media:title>M</media:title><title>T</title>"),
    "media:title in a group": _rss(
        "<title>F</title>",
        "<title>T</title><media:group><media:title>M</media:title><media:content url='u'/></media:group>",
    ),
    "item image title": _rss(
        "<title>F</title>", "<title>Own</title><image><url>u</url><title>Picture</title></image>" + BODY
    ),
    "item image before title": _rss("<title>F</title>", "<image><title>Picture</title></image><title>Own</title>"),
    "item image, no title": _rss("<title>F</title>", "<image><title>Picture</title><link>l</link></image>" + BODY),
    "channel image and textInput": _rss(
        "<image><title>I</title><url>u</url><link>l</link></image><title>F</title>"
        "<textInput><title>S</title><name>q</name><link>l</link><description>d</description></textInput>",
        "<title>T</title>",
    ),
    "itunes:summary then description in channel": _rss(
        "<title>F</title><itunes:summary>S</itunes:summary><description>D</description>", BODY
    ),
    "podcast leaves": _rss(
        "<title>F</title><itunes:owner><itunes:name>n</itunes:name></itunes:owner><itunes:category text='a'>"
        "<itunes:category text='b'/></itunes:category><itunes:image href='i'/>",
        "<title>T</title><itunes:duration>1:00</itunes:duration><itunes:author>a</itunes:author>"
        "<enclosure url='e' type='audio/mpeg'/><dc:creator>c</dc:creator><category>k</category>",
    ),
    "dates by every name": _rss(
        "<title>F</title>",
        "<title>T</title><dc:date>2026-12-07T05:00:00Z</dc:date>"
        "<dcterms:created xmlns:dcterms='http://purl.org/dc/terms/'>2026-12-06T05:00:00Z</dcterms:created>",
    ),
    "dc:language in channel": _rss("<title>F</title><dc:language>ru</dc:language>", "<title>Т</title>"),
    "unknown namespaces": _rss(
        "<title>F</title><sy:updatePeriod>hourly</sy:updatePeriod>",
        "<title>T</title><slash:comments>3</slash:comments><wfw:commentRss>c</wfw:commentRss><x:y a='1'>z</x:y>",
        ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
        ' xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:x="urn:x"',
    ),
    "unknown elements with children": _rss(
        "<title>F</title>", "<title>T</title><og><a>1</a><b c='d'/></og><categories><category>k</category></categories>"
    ),
    "a DOCTYPE declaring nothing": (
        b'<!DOCTYPE rss SYSTEM "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">'
        b"<channel><title>F</title><item><title>T</title></item></channel></rss>"
    ),
    "a standard prefix renamed, its owner absent": _rss(
        "<title>F</title>", "<title>T</title>", ' xmlns:cc="http://backend.userland.com/creativeCommonsRssModule"'
    ),
}


@pytest.mark.parametrize("data", list(QUIRKS.values()), ids=list(QUIRKS))
def test_feedparsers_quirks_are_read_as_feedparser_reads_them(data: bytes) -> None:
    assert _accepted(data)
    fast, slow = _both(data)
    assert fast == slow and isinstance(fast, ParsedFeed)


DECLINED = {
    "media:description": _rss("<title>F</title>", "<title>T</title><media:description>D</media:description>"),
    "itunes:summary in an item": _rss("<title>F</title>", "<title>T</title><itunes:summary>S</itunes:summary>"),
    "dc:title": _rss("<title>F</title>", "<dc:title>T</dc:title>"),
    "media:title with no title": _rss("<title>F</title>", "<media:title>M</media:title>" + BODY),
    "item image description": _rss("<title>F</title>", "<title>T</title><image><description>D</description></image>"),
    "a prefix for two namespaces": _rss(
        "<title>F</title>", '<title>T</title><x:a xmlns:x="urn:one">1</x:a><x:b xmlns:x="urn:two">2</x:b>'
    ),
    "an unknown namespace under a standard prefix": _rss(
        "<title>F</title>",
        "<title>T</title><content:encoded>body</content:encoded>",
        ' xmlns:content="urn:not-content"',
    ),
    "a standard prefix given to another declared namespace": _rss(
        "<title>F</title>",
        "<title>T</title><dc:creator>c</dc:creator>",
        ' xmlns:itunes2="http://purl.org/dc/elements/1.1/" xmlns:creativeCommons="http://web.resource.org/cc/"'
        ' xmlns:cc="http://backend.userland.com/creativeCommonsRssModule"',
    ),
    "a base attribute in a namespace": _rss(
        "<title>F</title>", '<title>T</title><link x:base="h" xmlns:x="urn:x">l</link>'
    ),
    "a DOCTYPE with an internal subset": (
        b'<!DOCTYPE rss [<!ATTLIST item x CDATA "1">]><rss version="0.91">'
        b"<channel><title>F</title><item><title>T</title></item></channel></rss>"
    ),
    "an entity a DOCTYPE would declare": (
        b'<!DOCTYPE rss SYSTEM "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91">'
        b"<channel><title>F</title><item><title>T</title><x>&nbsp;</x></item></channel></rss>"
    ),
    "unknown element holding a title": _rss("<title>F</title>", "<title>T</title><og><title>O</title></og>"),
}


@pytest.mark.parametrize("data", list(DECLINED.values()), ids=list(DECLINED))
def test_what_feedparser_reads_its_own_way_is_left_to_it(data: bytes) -> None:
    assert not _accepted(data)
    fast, slow = _both(data)
    assert fast == slow


def test_the_fast_paths_tables_are_feedparsers_own() -> None:
    """A feedparser that maps another namespace or handles another element would make the fast path wrong."""
    from feedparser.mixin import _FeedParserMixin

    assert {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()} == names.NAMESPACES
    handlers = {
        name.split("_", 2)[2].lower() for name in dir(_FeedParserMixin) if name.startswith(("_start_", "_end_"))
    }
    assert handlers == names.HANDLED

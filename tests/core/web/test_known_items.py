"""Entries known by their bytes: a feed read with the digests of an earlier reading gives the same ParsedFeed.

The fast reader leaves an entry whose digest the cache knows unread (:class:`feed_digests.Unread`), and the entry is the
one the cache keeps (:func:`feed_entry.unread_entry`), converted only if asked for. These tests read each feed once,
take what the cache would keep of it, and read it (or a changed copy of it) again with that: the result must be
what reading it without any of it gives, whatever changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.web.fast_feed import read_feed
from pozirk_reader.core.web.feed_digests import Unread
from pozirk_reader.core.web.feed_entry import KnownItem, item_salt, known_item
from pozirk_reader.core.web.feed_format import FeedError, ParsedFeed, parse_feed

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "feeds"
URL = "https://example.org/feed.xml"


def _kept(parsed: ParsedFeed) -> dict[str, KnownItem]:
    """What the cache keeps of a reading: each entry's digest and identity (those the fast reader read)."""
    kept = {}
    for entry in parsed.entries:
        if entry.feed_item is not None and (found := known_item(entry.raw_hash, entry.feed_item)) is not None:
            kept[found[0]] = found[1]
    return kept


def _read(data: bytes, known: dict[str, KnownItem] | None = None, max_entries: int = 10_000) -> ParsedFeed | str:
    try:
        return parse_feed(data, URL, max_entries=max_entries, known_items=known)
    except FeedError as error:
        return str(error)


def _unread(parsed: ParsedFeed | str) -> int:
    return 0 if isinstance(parsed, str) else sum(entry.is_unread for entry in parsed.entries)


def test_corpus_feeds_read_again_with_their_digests_are_the_same() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the feed corpus {CORPUS} is absent (../shared is not beside this checkout)")
    different, unread, feeds = [], 0, 0
    for path in sorted(CORPUS.iterdir()):
        data = path.read_bytes()
        first = _read(data)
        if isinstance(first, str):
            continue
        again = _read(data, _kept(first))
        unread += _unread(again)  # (counted before comparing: comparing converts)
        feeds += _unread(again) > 0
        if again != first:
            different.append(path.name)
    assert not different, different
    # 53 feeds and 509 entries today: those the fast reader reads that have entries, but for xml:base ones.
    assert feeds >= 50 and unread >= 500, (feeds, unread)


def test_the_newest_kept_of_a_long_feed_are_the_same_with_digests() -> None:
    data = _rss(*(_item(n) for n in range(6)))
    first = _read(data)
    assert isinstance(first, ParsedFeed) and len(first.entries) == 6
    again, fresh = _read(data, _kept(first), max_entries=3), _read(data, max_entries=3)
    assert isinstance(again, ParsedFeed) and again == fresh and len(again.entries) == 3


def _item(n: int, extra: str = "") -> str:
    return (
        f"<item><title>Заголовок {n}</title><link>https://example.org/{n}</link><guid>g{n}</guid>"
        f"<pubDate>Mon, 07 Dec 2026 0{n}:00:00 +0000</pubDate><dc:creator>A</dc:creator>{extra}"
        f"<description>Текст &lt;b&gt;{n}&lt;/b&gt; &amp;#150;</description>"
        f"<content:encoded><![CDATA[<p>Тело {n} <a href='/x{n}'>ссылка</a></p>]]></content:encoded></item>\n"
    )


def _rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Лента</title>'
        "<link>https://example.org/</link><language>ru</language>\n" + "".join(items) + "</channel></rss>"
    ).encode()


RSS = _rss(*(_item(n) for n in range(3)))
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="be">'
    "<title>A</title><id>https://example.org/</id>"
    '<entry><id>one</id><title type="html">T &amp;amp; u</title><link href="https://example.org/p1"/>'
    '<updated>2026-12-07T05:00:00Z</updated><content type="html">&lt;p&gt;Першы&lt;/p&gt;</content></entry>'
    '<entry><id>two</id><title>Другі</title><link href="/p2"/><summary>Кароткі</summary></entry></feed>'
).encode()
RDF = (
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<channel rdf:about="https://example.org/"><title>R</title><link>https://example.org/</link></channel>'
    '<item rdf:about="https://example.org/1"><title>Один</title><link>https://example.org/1</link>'
    "<dc:date>2026-12-07T05:00:00Z</dc:date><description>Раз</description></item>"
    '<item rdf:about="https://example.org/2"><title>Два</title><link>https://example.org/2</link></item></rdf:RDF>'
).encode()


@pytest.mark.parametrize("sample", [RSS, ATOM, RDF], ids=["rss", "atom", "rdf"])
def test_every_entry_of_an_unchanged_feed_is_left_unread(sample: bytes) -> None:
    first = _read(sample)
    assert isinstance(first, ParsedFeed) and first.entries
    again = _read(sample, _kept(first))
    assert _unread(again) == len(first.entries)
    assert again == first


@pytest.mark.parametrize("sample", [RSS, ATOM, RDF], ids=["rss", "atom", "rdf"])
@settings(max_examples=300, deadline=None)
@given(position=st.floats(0, 1), insert=st.binary(min_size=0, max_size=4), cut=st.integers(0, 4))
def test_a_changed_feed_read_with_old_digests_is_read_as_without_them(
    sample: bytes, position: float, insert: bytes, cut: int
) -> None:
    at = int(position * (len(sample) - 1))
    changed = sample[:at] + insert + sample[at + cut :]
    first = _read(sample)
    assert isinstance(first, ParsedFeed)
    assert _read(changed, _kept(first)) == _read(changed)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'<rss version="2.0"', b'<rss version="2.0" xml:lang="be"'),  # inherited by every item
        (b"<language>ru</language>", b"<language>be</language>"),  # the feed's, read with the entry, not from it
        (b'xmlns:dc="http://purl.org/dc/elements/1.1/"', b'xmlns:dc="http://example.org/other"'),  # what dc: is
        (b"<guid>g1</guid>", b"<guid>g1!</guid>"),
        (b"<channel>", b"<channel><!-- <item> -->"),  # a start tag in a comment: no digests at all
    ],
    ids=["xml:lang", "language", "namespace", "guid", "comment"],
)
def test_what_an_item_depends_on_outside_its_bytes_changes_its_digest(old: bytes, new: bytes) -> None:
    first = _read(RSS)
    assert isinstance(first, ParsedFeed)
    changed = RSS.replace(old, new, 1)
    assert changed != RSS
    again = _read(changed, _kept(first))
    left = {b"<guid>": 2, b"<language>": 3}.get(old[: old.find(b">") + 1], 0)
    assert _unread(again) == left  # (counted before comparing: comparing converts)
    assert again == _read(changed)


def test_an_entry_left_unread_holds_its_element_not_the_documents_bytes() -> None:
    first = _read(RSS)
    assert isinstance(first, ParsedFeed)
    found = read_feed(RSS, "application/xml", _kept(first), item_salt(URL))
    assert found is not None
    unread = [entry for entry in found[1] if isinstance(entry, Unread)]
    assert len(unread) == 3
    assert all(entry._read.__self__.payload == b"" for entry in unread)  # type: ignore[attr-defined]
    assert unread[0]()["title"] == "Заголовок 0"  # and it still reads

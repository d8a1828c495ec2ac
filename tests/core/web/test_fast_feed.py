"""The fast XML path against feedparser: the same ParsedFeed on every corpus feed it accepts, and on mutations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.web.fast_feed import read_feed
from pozirk_reader.core.web.feed_format import FeedError, ParsedFeed, parse_feed

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
    text = data.decode("utf-8", "replace")
    payload = re.sub(r"^\s*<\?xml[^>]*\?>", '<?xml version="1.0" encoding="utf-8"?>', text).encode()
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
    # 74 of the 354 feeds today (66 of feedparser's cases, 6 of NetNewsWire's, 2 of newsboat's): the path is off by
    # default until it reads more of the real sites' feeds (atom:link, media and itunes elements make it decline).
    assert accepted >= 70, accepted


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


@settings(max_examples=400, deadline=None)
@given(st.integers(0, len(SAMPLE) - 1), st.binary(min_size=0, max_size=4), st.integers(0, 4))
def test_mutations_never_make_the_paths_disagree(position: int, insert: bytes, cut: int) -> None:
    mutated = SAMPLE[:position] + insert + SAMPLE[position + cut :]
    fast, slow = _both(mutated)
    assert fast == slow

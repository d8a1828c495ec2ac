"""The bundled sample feeds are well-formed and read by feedparser, ready for the feeds issue."""

from __future__ import annotations

from html.parser import HTMLParser

import feedparser
import pytest

from tests.samples import SAMPLES

FEEDS = SAMPLES / "feeds"


@pytest.mark.parametrize(("name", "entries"), [("rss-full.xml", 6), ("atom.xml", 5), ("rss-summaries.xml", 5)])
def test_feed_parses_cleanly(name: str, entries: int) -> None:
    parsed = feedparser.parse((FEEDS / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == entries
    assert all(entry.link.startswith("https://pozirk.example/") for entry in parsed.entries)


def test_full_text_feed_carries_see_also_blocks() -> None:
    parsed = feedparser.parse((FEEDS / "rss-full.xml").read_bytes())
    markers = ("См. также", "Читайте также", "Гл. таксама")
    assert all(any(marker in entry.content[0].value for marker in markers) for entry in parsed.entries)


def test_every_summary_item_has_its_page() -> None:
    parsed = feedparser.parse((FEEDS / "rss-summaries.xml").read_bytes())
    for entry in parsed.entries:
        page = FEEDS / "pages" / entry.link.rsplit("/", 1)[1]
        assert page.is_file(), page
        HTMLParser().feed(page.read_text("utf-8"))

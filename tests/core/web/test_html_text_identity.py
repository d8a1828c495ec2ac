"""The converter gives byte for byte what it gave before it was optimised (``reference_html_text``, a frozen copy).

Checked on every HTML fragment of every entry of every corpus feed (each content, summary and title, as feedparser
reads them), on the benchmarks' generated items, on every string in the converter's own tests (the hostile cases:
control characters, escape sequences, entities, unclosed tags, scripts and styles, lists, tables, ``<pre>``...)
and on random markup; each with and without ``structure``, with and without a base URL.
"""

from __future__ import annotations

import ast
import contextlib
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.web import feed_format, html_tokens
from pozirk_reader.core.web.feed_format import FeedError, parse_feed
from pozirk_reader.core.web.html_text import html_to_text
from tests.core.web import reference_html_text as reference
from tests.core.web.test_html_text import FRAGMENTS

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[2]
CORPUS = PROJECT.parent / "shared" / "corpus" / "feeds"
BASE = "https://example.org/news/1.html"
BASES = (None, BASE)


def _assert_same(html: str, base_url: str | None = BASE) -> None:
    for structure in (False, True):
        new = html_to_text(html, base_url, structure=structure)
        old = reference.html_to_text(html, base_url, structure=structure)
        assert (new.paragraphs, new.related, new.kinds, new.links) == (
            old.paragraphs,
            old.related,
            old.kinds,
            old.links,
        )


def _corpus_fragments() -> list[str]:
    """Every HTML value of every entry of the corpus feeds: contents, summaries, titles (as feedparser reads them)."""
    found: dict[str, None] = {}
    original = feed_format.read_entry

    def recording(entry: Any, *args: Any, **kwargs: Any) -> Any:
        for content in entry.get("content") or []:
            if isinstance(content, dict) and content.get("value"):
                found[content["value"]] = None
        for key in ("summary", "title"):
            if isinstance(entry.get(key), str) and entry[key]:
                found[entry[key]] = None
        return original(entry, *args, **kwargs)

    feed_format.read_entry = recording
    try:
        for path in sorted(CORPUS.iterdir()):
            with contextlib.suppress(FeedError):
                parse_feed(path.read_bytes(), "https://example.org/feed.xml", fast_xml=False)
    finally:
        feed_format.read_entry = original
    return list(found)


def test_every_corpus_fragment_converts_as_before() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the feed corpus {CORPUS} is absent (../shared is not beside this checkout)")
    fragments = _corpus_fragments()
    assert len(fragments) > 1500, len(fragments)  # 1,789 distinct today; far fewer means the feeds were not read
    for html in fragments:
        _assert_same(html)


def _generated_items(count: int) -> Iterator[str]:
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    try:
        from feedgen import Generator  # benchmarks/feedgen.py
    finally:
        sys.path.remove(str(PROJECT / "benchmarks"))
    generator = Generator(1)
    for index in range(count):
        xml, _ = generator.item(1000, index, (0, count), 1)
        found = re.search(r"<!\[CDATA\[(.*)\]\]>", xml, re.DOTALL)
        assert found is not None
        yield found[1]


def test_the_benchmark_items_convert_as_before() -> None:
    for html in _generated_items(300):
        _assert_same(html, "https://pozirk.example/news/1000/1.html")


def _test_strings() -> list[str]:
    """Every string constant of the converter's and the tokeniser's tests (their hostile cases among them)."""
    strings: dict[str, None] = {}
    for name in ("test_html_text.py", "test_html_structure.py", "test_html_tokens.py", "test_page_extract.py"):
        tree = ast.parse((HERE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings[node.value] = None
    return list(strings)


def test_the_test_cases_convert_as_before() -> None:
    strings = _test_strings()
    assert len(strings) > 200, len(strings)
    for html in strings:
        for base_url in BASES:
            _assert_same(html, base_url)
    # Their pieces joined at random, too (each seed the same every run).
    pieces = [*FRAGMENTS, *strings]
    for seed in range(2000):
        rng = random.Random(seed)
        _assert_same("".join(rng.choices(pieces, k=rng.randint(1, 12))))


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join))
def test_random_markup_converts_as_before(html: str) -> None:
    _assert_same(html)


def test_long_documents_convert_as_before() -> None:
    """Past ``_LISTED_CHARS`` the tokeniser reads tokens one at a time: the same output, well-formed or not."""
    html = "".join(_generated_items(120))
    assert len(html) > html_tokens._LISTED_CHARS
    middle = len(html) // 2
    for document in (html, html[:middle] + "<!-- x -->" + html[middle:], html + "<a href='x", html + "<b>"):
        _assert_same(document, "https://pozirk.example/news/1000/1.html")

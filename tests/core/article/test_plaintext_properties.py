"""Property-based tests: whatever text or bytes come in, the parser returns an article or its own error."""

from __future__ import annotations

from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pozirk_reader.core.article.model import Article
from pozirk_reader.core.article.plaintext import parse_bytes, parse_text
from pozirk_reader.core.errors import ArticleError

MARKERS = ["Минск 22:16", "Фото: x", "13 мая, Позірк. ", "См. также:", "ПОДЕЛИТЬСЯ:", "SHARE:", "\n", "\n\n", "\r\n"]
article_like_text = st.lists(st.one_of(st.sampled_from(MARKERS), st.text(max_size=40)), max_size=30).map("".join)
forbidden = {chr(c) for c in range(0x20) if chr(c) not in "\n"} | {"\x7f", "\x1b", "\x9b", "\u202e"}


def _check(result: Article) -> None:
    assert isinstance(result, Article)
    assert result.title and result.title == result.title.strip()
    every = [result.title, *result.paragraphs, *(link.title for link in result.related)]
    every += [result.place_time or "", result.photo_credit or ""]
    assert not any(set(piece) & forbidden for piece in every)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(article_like_text, st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)))
def test_any_text_gives_an_article_or_an_article_error(text: str, modified: datetime) -> None:
    try:
        result = parse_text(text, origin="x.txt", modified=modified)
    except ArticleError:
        return
    _check(result)
    if result.date is not None:
        assert result.date <= modified.date()


@settings(max_examples=400)
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_article_or_an_article_error(data: bytes) -> None:
    try:
        result = parse_bytes(data, origin="x.txt")
    except ArticleError as error:
        assert str(error).startswith("x.txt: ")
        return
    _check(result)


@settings(max_examples=200)
@given(article_like_text, st.sampled_from(["utf-8", "cp1251", "koi8_r"]))
def test_encoded_text_gives_an_article_or_an_article_error(text: str, encoding: str) -> None:
    try:
        result = parse_bytes(text.encode(encoding, errors="ignore"), origin="x.txt")
    except ArticleError:
        return
    _check(result)

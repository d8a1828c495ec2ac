"""Stemming for the search index: Snowball's Russian stems, words in normal form, what the index holds."""

from __future__ import annotations

import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st
from snowballstemmer.russian_stemmer import RussianStemmer

from pozirk_reader.core.search import stemming
from tests.samples import SAMPLES

_RUSSIAN = snowballstemmer.stemmer("russian")


_SUFFIXES = sorted(
    {among.s for name, table in vars(RussianStemmer).items() if name.startswith("a_") for among in table}
)


@settings(max_examples=3000, deadline=None)
@given(
    start=st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўx1", max_size=6),
    endings=st.lists(st.sampled_from(_SUFFIXES), max_size=3),
)
def test_russian_stemmer_is_snowballs(start: str, endings: list[str]) -> None:
    word = start + "".join(endings)
    assert stemming.russian_stem(word) == _RUSSIAN.stemWord(word)


def test_russian_stemmer_on_real_words() -> None:
    text = " ".join(path.read_text(encoding="utf-8", errors="ignore") for path in sorted(SAMPLES.glob("*.txt")))
    words = {word.lower() for word in stemming.WORD.findall(text)}
    assert len(words) > 500
    assert [word for word in words if stemming.russian_stem(word) != _RUSSIAN.stemWord(word)] == []


def test_index_text() -> None:
    assert stemming.index_text("Главе ИНТЕРПОЛА, с Интерполом!", "ru") == "глав интерпол с интерпол"
    assert stemming.index_text("Тёплые ёлки", "und") == stemming.index_text("теплые елки", "ru")
    assert stemming.index_text("Bakeries running", "ru") == "bakeri run"
    assert stemming.index_text("У Гомелі, у Гомель", "be") == "у гомел у гомел"
    assert stemming.index_text("сям'я", "be") == stemming.index_text("Сям’я", "be") == stemming.index_text("сямя", "be")
    assert stemming.index_text("", "ru") == ""

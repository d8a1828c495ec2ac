"""Stemming for the search index: Snowball's Russian stems, words in normal form, what the index holds."""

from __future__ import annotations

import random

import pytest
import snowballstemmer
from benchmarks.vocabulary import HUNSPELL, expand, read_affixes
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


def test_the_index_stems_russian_with_pystemmer() -> None:
    # PyStemmer is a dependency: the index's Russian stems come from its C code, not the Python port.
    assert stemming.RUSSIAN_IMPLEMENTATION.startswith("PyStemmer-")
    stemming.stem_russian.cache_clear()
    assert stemming.stem_russian("трамвайную") == "трамвайн"


def test_pystemmer_and_the_python_port_agree_on_the_forms_of_a_dictionary() -> None:
    """Every form of 30,000 lemmas of Debian's hunspell-ru (about 270,000 word forms): the same stems."""
    dic, aff = HUNSPELL / "ru_RU.dic", HUNSPELL / "ru_RU.aff"
    if not dic.exists() or not aff.exists():
        pytest.skip(f"Debian's hunspell-ru is not installed ({dic}; apt-get install hunspell-ru)")
    import Stemmer

    rules = read_affixes(aff)
    entries = dic.read_text(encoding="utf-8").splitlines()[1:]
    forms = {
        word
        for entry in random.Random(13).sample(entries, 30_000)
        for form in expand(entry.strip(), rules)
        if stemming.WORD.fullmatch(word := stemming.normal(form))
    }
    assert len(forms) > 200_000
    c_stems = Stemmer.Stemmer("russian", 0).stemWords(sorted(forms))
    assert [(w, s) for w, s in zip(sorted(forms), c_stems, strict=True) if stemming.russian_stem(w) != s] == []


def test_index_text() -> None:
    assert stemming.index_text("Главе ИНТЕРПОЛА, с Интерполом!", "ru") == "глав интерпол с интерпол"
    assert stemming.index_text("Тёплые ёлки", "und") == stemming.index_text("теплые елки", "ru")
    assert stemming.index_text("Bakeries running", "ru") == "bakeri run"
    assert stemming.index_text("У Гомелі, у Гомель", "be") == "у гомел у гомел"
    assert stemming.index_text("сям'я", "be") == stemming.index_text("Сям’я", "be") == stemming.index_text("сямя", "be")
    assert stemming.index_text("", "ru") == ""


def _word_by_word(text: str, language: str) -> str:
    """The index text as it was first computed: each word stemmed on its own, by the query's stemmers."""
    stemmer = stemming.stem_belarusian if language == "be" else stemming.stem_russian
    return " ".join(map(stemmer, stemming.WORD.findall(text.lower().replace("ё", "е"))))


def _clear_index_stems() -> None:
    for stems in stemming._INDEX_STEMS.values():
        stems.clear()


def test_index_text_is_each_words_stem_on_the_reference_and_sample_articles(seed_path) -> None:
    texts = [seed_path.read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8", errors="ignore") for path in sorted(SAMPLES.glob("*.txt"))]
    _clear_index_stems()
    for language in ("ru", "be", None):
        for text in texts:
            assert stemming.index_text(text, language) == _word_by_word(text, language or "ru")
            assert stemming.index_text(text, language) == _word_by_word(text, language or "ru")  # from the cache


@settings(max_examples=500, deadline=None)
@given(
    text=st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўАБВЁІЎabcXYZé1_ '’ʼ`-\u0483\u0482", max_size=60),
    language=st.sampled_from(["ru", "be", "und"]),
)
def test_index_text_is_each_words_stem(text: str, language: str) -> None:
    # Mixed scripts, digits, underscores, apostrophes (ʼ is a letter to isalpha), Cyrillic signs that are no letters.
    assert stemming.index_text(text, language) == _word_by_word(text, language)


def test_index_text_empties_a_full_cache_and_stays_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stemming, "CACHE_SIZE", 4)
    _clear_index_stems()
    text = "Трамвайную линию продлят до Уручья, линию откроют в мае"
    assert stemming.index_text(text, "ru") == _word_by_word(text, "ru")
    assert len(stemming._INDEX_STEMS[False]) == len(set(stemming.WORD.findall(text.lower())))
    assert stemming.index_text("линию", "ru") == "лин"
    assert stemming.index_text("новую линию", "ru") == "нов лин"
    assert len(stemming._INDEX_STEMS[False]) <= 4


def _belarusian_stem_by_list(word: str) -> str:
    """The Belarusian stemmer as first written: the endings tried longest first."""
    if len(word) < 4:
        return word
    for ending in stemming._BELARUSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@settings(max_examples=3000, deadline=None)
@given(
    start=st.text(alphabet="абвгдежзйклмнопрстуфхцчшыьэюяіў", max_size=5),
    endings=st.lists(st.sampled_from(stemming._BELARUSIAN_ENDINGS), max_size=2),
)
def test_belarusian_stem_removes_the_longest_ending(start: str, endings: list[str]) -> None:
    word = start + "".join(endings)
    assert stemming.belarusian_stem(word) == _belarusian_stem_by_list(word)

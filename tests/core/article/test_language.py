"""Languages: told from the letters of an article, and read from the codes feeds and pages give."""

from __future__ import annotations

import pytest

from pozirk_reader.core.article.decoding import codec_name
from pozirk_reader.core.article.language import LANGUAGE_NAMES, detect_language, language_of_code


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("ru", "ru"),
        ("ru-RU", "ru"),
        ("RUS", "ru"),
        ("be", "be"),
        ("be_BY", "be"),
        ("bel", "be"),
        ("by", "be"),
        ("en-GB", "en"),
        ("eng", "en"),
        (" en ", "en"),
        ("english", "en"),
        ("uk", None),
        ("pl-PL", None),
        ("", None),
        (None, None),
    ],
)
def test_language_codes(code: str | None, language: str | None) -> None:
    assert language_of_code(code) == language


def test_languages_told_from_the_letters() -> None:
    assert detect_language("Кубраков пожаловался главе Интерпола", ["Отношения испортились."]) == "ru"
    assert detect_language("На мінскіх катках пачаўся сезон", ["Каток у Мінску адкрыўся."]) == "be"
    assert detect_language("Minsk bakery opens its third shop", []) == "en"
    assert detect_language("12:00", ["2024"]) == "und"
    assert set(LANGUAGE_NAMES) == {"ru", "be", "en", "und"}


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("Windows-1251", "cp1251"),
        ("cp1251", "cp1251"),
        (" KOI8-R ", "koi8_r"),
        ("utf-8", "utf-8"),
        ("latin-1", "iso8859-1"),
        ("no-such-encoding", None),
        ("utf\x00-8", None),
        ("", None),
        (None, None),
    ],
)
def test_codec_names(label: str | None, codec: str | None) -> None:
    assert codec_name(label) == codec

"""Text hygiene: cleaning text as it enters, safe one-line text on its way out, shortening at a word."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pozirk_reader.core.article.hygiene import clean_text, safe_line, shorten


def test_short_text_is_kept() -> None:
    assert shorten("Коротко", 7) == "Коротко"
    assert shorten("", 3) == ""


def test_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert shorten("Минский трамвай продлят до Лошицы", 20) == "Минский трамвай…"
    assert shorten("Мост, открытый вчера", 10) == "Мост…"  # the comma left dangling goes
    assert shorten("Интерполом", 6) == "Интер…"  # one word: cut where it must be


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), st.integers(min_value=1, max_value=60))
def test_the_result_always_fits(text: str, limit: int) -> None:
    result = shorten(text, limit)
    assert len(result) <= limit
    assert result == text or (result.endswith("…") and text.startswith(result[:-1].rstrip(",;:—–- ")))


# -- clean_text: invisible characters ------------------------------------------------------------

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u2061", "\u180e", "\U000e0041"]


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_zero_width_characters_in_cyrillic_and_latin_text_are_dropped(char: str) -> None:
    assert clean_text(f"Инте{char}рпол and Inter{char}pol") == "Интерпол and Interpol"


def test_joiners_are_kept_where_a_script_needs_them() -> None:
    persian = "می\u200cخواهم"  # ZWNJ keeps a Persian prefix apart from its verb
    devanagari = "क्\u200dष"  # ZWJ after a virama chooses the half form
    family = "👨\u200d👩\u200d👧"  # ZWJ joins an emoji sequence
    flag = "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # the flag of Scotland (tags)
    for text in (persian, devanagari, family, flag):
        assert clean_text(text) == text
    assert clean_text("a\u200d👩") == "a👩"  # a joiner between a letter and an emoji joins nothing


def test_controls_and_bidi_are_dropped_and_newlines_kept() -> None:
    assert clean_text("a\x1b[2Jb\x9b31m\u202ec\r\nd\u2028e") == "a[2Jb31mc\nd\ne"


# -- safe_line -----------------------------------------------------------------------------------

HOSTILE_LINES = {
    "[bold]x[/bold] [/]": "[bold]x[/bold] [/]",
    "[@click=app.quit]folder": "[@click=app.quit]folder",
    "clip\x1b]52;c;SGk=\x07board": "clip\\x1b]52;c;SGk=\\x07board",
    "wipe\x1b[2J": "wipe\\x1b[2J",
    "two\nlines\r\tand a tab": "two\\nlines\\r\\tand a tab",
    "csi\x9b31m": "csi\\x9b31m",
    "\u202eevil.txt": "\\u202eevil.txt",
    "zero\u200bwidth\u200c\u200d\u2060\ufeff": "zero\\u200bwidth\\u200c\\u200d\\u2060\\ufeff",
    "line\u2028sep": "line\\u2028sep",
    "tag\U000e0041": "tag\\U000e0041",
    "non\u00a0breaking": "non breaking",
}


@pytest.mark.parametrize(("text", "expected"), HOSTILE_LINES.items())
def test_safe_line_makes_what_would_act_visible(text: str, expected: str) -> None:
    assert safe_line(text) == expected


def test_safe_line_shows_undecodable_bytes_of_a_file_name() -> None:
    name = os.fsdecode(b"caf\xe9 \xff.txt")  # latin-1 bytes, as the OS hands them to Python
    assert safe_line(name) == "caf\\xe9 \\xff.txt"
    assert safe_line(os.fsencode(name)) == "caf\\xe9 \\xff.txt"
    assert safe_line(Path(name)) == "caf\\xe9 \\xff.txt"


def test_safe_line_keeps_ordinary_text_and_joiners_at_work() -> None:
    for text in ("Кубраков пожаловался главе Интерпола", "Гл. таксама: “Мінск”", "می\u200cخواهم", "👨\u200d👩"):
        assert safe_line(text) == text


def test_safe_line_shortens_to_a_limit() -> None:
    assert safe_line("word " * 100, 20) == "word word word…"


@given(st.text(max_size=60))
def test_safe_line_is_one_line_without_controls(text: str) -> None:
    line = safe_line(text)
    assert all(unicodedata.category(char) not in ("Cc", "Cs", "Zl", "Zp") for char in line)
    assert all(
        unicodedata.category(char) != "Cf" or char in "\u200c\u200d" or 0xE0020 <= ord(char) <= 0xE007F for char in line
    )
    line.encode("utf-8")  # no lone surrogate left: it can be printed and stored

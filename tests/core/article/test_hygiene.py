"""Text hygiene helpers: shortening outside text to a length, at a word where there is one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pozirk_reader.core.article.hygiene import shorten


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

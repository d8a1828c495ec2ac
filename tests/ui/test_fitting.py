"""Fitting outside text into cells: fit, split_first_line and marked, with wide (CJK) characters, combining
marks and the narrowest widths."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from pozirk_reader.ui.fitting import ELLIPSIS, fit, marked, split_first_line

PLAIN, MATCH = Style(), Style(bold=True)
E_ACUTE = "e\u0301"
"""An é written as e and a combining acute accent: two characters, one cell."""

TEXTS = st.lists(st.sampled_from([*"ab cd,—", "漢", "字", E_ACUTE]), max_size=30).map("".join)
"""Short texts of letters, spaces, punctuation, wide characters and letters with a combining mark."""


# -- fit --------------------------------------------------------------------------------------------


def test_text_that_fits_is_left_as_it_is() -> None:
    assert fit("Минск", 5) == "Минск"
    assert fit("Минск", 80) == "Минск"
    assert fit("", 0) == ""


def test_text_too_long_is_cut_at_a_word_with_an_ellipsis() -> None:
    assert fit("В Минске продлят трамвайную линию", 20) == "В Минске продлят…"
    assert fit("hello world foo", 11) == "hello…"


def test_a_last_word_that_fits_is_kept() -> None:
    # The cut falls right after "world" (width 12) or on the space after it (13): "world" is whole.
    assert fit("hello world foo", 12) == "hello world…"
    assert fit("hello world foo", 13) == "hello world…"
    assert fit(f"caf{E_ACUTE} cr{E_ACUTE}me br{E_ACUTE}l{E_ACUTE}e", 12) == f"caf{E_ACUTE} cr{E_ACUTE}me…"


def test_a_word_longer_than_the_width_is_cut_inside() -> None:
    assert fit("трамвайную", 5) == "трам…"


def test_punctuation_before_the_cut_goes() -> None:
    assert fit("word, another", 8) == "word…"
    assert fit("Гродно — Минск", 10) == "Гродно…"


def test_width_zero_and_one() -> None:
    assert fit("abc", 0) == ""
    assert fit("abc", 1) == ELLIPSIS
    assert fit("abc", 2) == "a" + ELLIPSIS


def test_a_wide_character_that_would_straddle_the_edge_is_left_out() -> None:
    assert fit("漢字漢字漢字", 5) == "漢字…"  # 4 cells and the ellipsis
    assert fit("漢字漢字漢字", 4) == "漢…"  # the second 漢 would need cells 3 and 4, the ellipsis 4
    assert cell_len(fit("漢字漢字漢字", 4)) == 3


def test_combining_marks_stay_with_their_letter() -> None:
    text = f"caf{E_ACUTE} cr{E_ACUTE}me br{E_ACUTE}l{E_ACUTE}e"
    assert fit(text, 8) == f"caf{E_ACUTE}…"
    assert fit(f"ab{E_ACUTE}cd", 4) == f"ab{E_ACUTE}…"  # the mark, after the last cell that fits, is kept


@given(TEXTS, st.integers(min_value=0, max_value=12))
def test_fit_never_takes_more_cells_than_given(text: str, width: int) -> None:
    fitted = fit(text, width)
    assert cell_len(fitted) <= width
    if cell_len(text) <= width:
        assert fitted == text
    elif width >= 1:
        assert fitted.endswith(ELLIPSIS)


# -- split_first_line -------------------------------------------------------------------------------


def test_a_line_that_fits_has_no_rest() -> None:
    assert split_first_line("В Минске", 8) == ("В Минске", "")


def test_the_first_line_ends_at_a_word() -> None:
    assert split_first_line("hello world", 5) == ("hello", "world")
    assert split_first_line("hello world", 8) == ("hello", "world")
    assert split_first_line("hello  world", 6) == ("hello", "world")


def test_a_word_longer_than_the_line_is_broken() -> None:
    assert split_first_line("abcdef", 3) == ("abc", "def")


def test_width_zero_and_one_lines() -> None:
    assert split_first_line("hello world", 0) == ("", "hello world")
    assert split_first_line("hello world", 1) == ("h", "ello world")


def test_a_wide_character_at_the_edge_starts_the_rest() -> None:
    assert split_first_line("漢字漢字", 3) == ("漢", "字漢字")
    assert split_first_line("ab漢 cd", 3) == ("ab", "漢 cd")  # 漢 was lost: the line's cut padded it to a space
    assert split_first_line("漢 x", 1) == ("", "漢 x")


def test_a_combining_mark_stays_on_the_first_line_with_its_letter() -> None:
    assert split_first_line(f"ab{E_ACUTE}cd", 3) == (f"ab{E_ACUTE}", "cd")


@settings(max_examples=500)
@given(TEXTS, st.integers(min_value=0, max_value=12))
def test_splitting_loses_no_character(text: str, width: int) -> None:
    first, rest = split_first_line(text, width)
    assert cell_len(first) <= width
    assert (first + rest).replace(" ", "") == text.replace(" ", "")
    if cell_len(text) <= width:
        assert (first, rest) == (text, "")


# -- marked -----------------------------------------------------------------------------------------


def test_no_spans_is_one_plain_segment() -> None:
    assert marked("Минск", 0, (), PLAIN, MATCH) == [Segment("Минск", PLAIN)]


def test_spans_are_marked_and_the_text_is_whole() -> None:
    segments = marked("районная библиотека", 0, ((9, 19), (0, 8)), PLAIN, MATCH)
    assert segments == [Segment("районная", MATCH), Segment(" ", PLAIN), Segment("библиотека", MATCH)]


def test_spans_refer_to_the_whole_headline_when_the_text_is_its_rest() -> None:
    # "world" is the second line of "hello world": spans count from the headline's start.
    assert marked("world", 6, ((0, 5), (6, 9)), PLAIN, MATCH) == [Segment("wor", MATCH), Segment("ld", PLAIN)]
    assert marked("world", 6, ((0, 5),), PLAIN, MATCH) == [Segment("world", PLAIN)]


def test_overlapping_spans_and_spans_past_the_end() -> None:
    segments = marked("abcdef", 0, ((1, 4), (2, 5), (5, 99)), PLAIN, MATCH)
    assert "".join(segment.text for segment in segments) == "abcdef"
    assert [segment.text for segment in segments if segment.style == MATCH] == ["bcd", "e", "f"]


def test_spans_count_characters_not_cells() -> None:
    segments = marked("漢字漢字", 0, ((1, 3),), PLAIN, MATCH)
    assert segments == [Segment("漢", PLAIN), Segment("字漢", MATCH), Segment("字", PLAIN)]

"""The query language, without a database: what a query looks for, and the FTS5 expression made of it."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.limits import MAX_PHRASE_WORDS, MAX_QUERY_TERMS
from pozirk_reader.core.search.query import MIN_PREFIX, Query, Term, parse_query


def words(query: Query) -> list[list[tuple[str, ...]]]:
    """The query's groups as lists of their terms' words."""
    return [[term.words for term in group] for group in query.groups]


def test_words_are_anded_in_normal_form() -> None:
    query = parse_query("Хлеб  МОЛОКО ёлки")
    assert words(query) == [[("хлеб",)], [("молоко",)], [("елки",)]]
    assert query.excluded == ()
    assert query.match_expression() == '"хлеб" AND "молок" AND ("елк" OR "елки")'  # Russian, Belarusian stems


def test_or_joins_two_items_and_only_in_capitals() -> None:
    assert words(parse_query("хлеб OR чай молоко")) == [[("хлеб",), ("чай",)], [("молоко",)]]
    assert words(parse_query("хлеб or чай")) == [[("хлеб",)], [("or",)], [("чай",)]]
    assert words(parse_query("OR хлеб OR")) == [[("хлеб",)]]  # an OR with nothing on one side is dropped
    assert words(parse_query("хлеб AND молоко")) == [[("хлеб",)], [("молоко",)]]  # AND is what words do anyway


def test_phrases_and_exclusions() -> None:
    query = parse_query('"Трамвайная линия" -хлеб -"цены на хлеб"')
    assert words(query) == [[("трамвайная", "линия")]]
    assert [term.words for term in query.excluded] == [("хлеб",), ("цены", "на", "хлеб")]
    assert query.match_expression() == '(("трамвайн лин" OR "трамвайн лини")) NOT ("хлеб" OR "цен на хлеб")'
    only_excluded = parse_query("-хлеб")
    assert only_excluded.match_expression() is None
    assert only_excluded.exclusion_expression() == '"хлеб"'


def test_prefixes_need_two_letters() -> None:
    assert parse_query("интерп*").groups == ((Term(("интерп",), prefix=True),),)
    assert parse_query("интерп*").match_expression() == '("интерп"* OR "интерп")'
    assert MIN_PREFIX == 2
    assert parse_query("и*").groups == ((Term(("и",)),),)  # one letter: a plain word
    assert parse_query('"интерп*"').groups == ((Term(("интерп",)),),)  # no prefixes inside a phrase


def test_a_cyrillic_word_stands_for_its_russian_and_belarusian_stems() -> None:
    assert Term(("чай",)).alternatives() == (("ча", False), ("чай", False))
    assert Term(("bakery",)).alternatives() == (("bakeri", False),)


def test_repeats_are_dropped_and_long_queries_cut() -> None:
    assert words(parse_query("хлеб хлеб Хлеб")) == [[("хлеб",)]]
    many = parse_query(" ".join(f"слово{number}" for number in range(MAX_QUERY_TERMS + 10)))
    assert len(many.groups) == MAX_QUERY_TERMS
    long_phrase = parse_query('"' + " ".join(f"w{number}" for number in range(MAX_PHRASE_WORDS + 5)) + '"')
    assert len(long_phrase.groups[0][0].words) == MAX_PHRASE_WORDS


def test_syntax_of_fts5_is_plain_words() -> None:
    assert words(parse_query("NEAR(a b, 2)")) == [[("near", "a")], [("b",)], [("2",)]]
    assert words(parse_query("title: хлеб")) == [[("title",)], [("хлеб",)]]
    assert words(parse_query("'; DROP TABLE articles; --")) == [[("drop",)], [("table",)], [("articles",)]]
    assert parse_query('" - * ( ) ^').match_expression() is None


_OUTSIDE_QUOTES = re.compile(r'"(?:[^"]|"")*"')


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_any_text_makes_an_expression_of_quoted_strings(text: str) -> None:
    query = parse_query(text)
    for expression in (query.match_expression(), query.exclusion_expression()):
        if expression is None:
            continue
        rest = _OUTSIDE_QUOTES.sub("S", expression)
        assert set(rest.replace("AND", "").replace("OR", "").replace("NOT", "")) <= set("S*() ")
    assert len(query.positive) + len(query.excluded) <= MAX_QUERY_TERMS


def test_the_matcher_finds_words_by_stem_prefix_and_phrase() -> None:
    text = "Трамвайную линию продлят; трамвайная остановка и линия метро. Интерполом"
    query = parse_query('"трамвайная линия" интерп*')
    spans = sorted(query.matcher.spans(text))
    assert [text[start:end] for start, end in spans] == ["Трамвайную линию", "Интерполом"]
    assert query.matcher.first(text) == 0
    assert parse_query("метро").matcher.first(text) == text.index("метро")
    assert parse_query("автобус").matcher.first(text) is None

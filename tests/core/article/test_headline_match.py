"""Matching "see also" headlines: keys that ignore what editors vary, and a guarded near match."""

from __future__ import annotations

import pytest

from pozirk_reader.core.article.headline_match import (
    RUNNER_UP_MARGIN,
    SIMILARITY_THRESHOLD,
    affixes,
    best_match,
    reverse,
    similarity,
    title_key,
)


@pytest.mark.parametrize(
    ("written", "headline"),
    [
        ("Школьники победили (обновлено)", "Школьники победили"),
        ("Мост открыли (абноўлена)", "Мост открыли"),
        ("Bakery opens (Updated)", "Bakery opens"),
        ("Мост открыли [Видео] (обновлено)", "Мост открыли"),
        ("Кооператив “Хлебный двор” начал", "Кооператив «Хлебный двор» начал"),
        ('фестываль "Бульбяныя вячоркі"', "фестываль «Бульбяныя вячоркі»"),
        ("В Могилеве стартовал", "В Могилёве стартовал"),
        ("VITEBSK embankment", "Vitebsk Embankment"),
        ("расписание - список", "расписание — список"),
        ("продлят  трамвайную", "продлят трамвайную"),
    ],
)
def test_keys_ignore_what_editors_vary(written: str, headline: str) -> None:
    assert title_key(written) == title_key(headline)


def test_near_match_threshold() -> None:
    long_key = title_key("Из Беларуси депортирован гражданин, находившийся в международном розыске за соучастие")
    near = title_key("Из Беларуси депортирован гражданин, находившийся в международном розыске за участие")
    decoy = title_key("В Бресте открылась новая районная библиотека")
    assert similarity(long_key, near) >= SIMILARITY_THRESHOLD
    assert best_match(near, [("a", long_key)]) == "a"
    assert best_match(decoy, [("g", title_key("В Гродно открылась новая районная библиотека"))]) is None


def test_two_equally_near_candidates_resolve_to_neither() -> None:
    key = title_key("Минский трамвай продлят до нового микрорайона Лошица в следующем году")
    one = title_key("Минский трамвай продлят до нового микрорайона Лошица в следующем месяце")
    two = title_key("Минский трамвай продлят до нового микрорайона Лошица в следующем сезоне")
    assert best_match(key, [("1", one), ("2", two)]) is None


def test_an_equal_key_wins_over_any_near_one() -> None:
    key = title_key("В Гродно открылась новая районная библиотека")
    near = title_key("В Гродно открылась новая районная библиотека!!")  # punctuation only: the same key
    assert near == key
    other = title_key("В Гродно открылась новая городская библиотека")
    assert best_match(key, [("near", other), ("equal", key)]) == "equal"


def test_a_lone_near_candidate_needs_the_threshold() -> None:
    key = title_key("Минский трамвай продлят до нового микрорайона Лошица в следующем году")
    one_word = title_key("Минский трамвай продлят до нового микрорайона Лошица в следующем месяце")
    assert similarity(key, one_word) >= SIMILARITY_THRESHOLD
    assert best_match(key, [("1", one_word)]) == "1"
    short = title_key("Мост открыли")
    assert similarity(short, title_key("Мост закрыли")) < SIMILARITY_THRESHOLD
    assert best_match(short, [("x", title_key("Мост закрыли"))]) is None
    assert best_match(key, []) is None


def test_the_runner_up_must_be_clearly_behind() -> None:
    key = title_key("Из Беларуси депортирован гражданин, находившийся в международном розыске за соучастие")
    best = title_key("Из Беларуси депортирован гражданин, находившийся в международном розыске за участие")
    far = title_key("Из Беларуси выслан гражданин, находившийся в розыске")
    assert similarity(key, best) - similarity(key, far) >= RUNNER_UP_MARGIN
    assert best_match(key, [("far", far), ("best", best)]) == "best"


def test_affixes_and_reversed_keys() -> None:
    key = title_key("Трамвайная линия в Минске")
    head, tail = affixes(key)
    assert key.startswith(head) and key.endswith(tail)
    assert len(head) == len(tail) == len(key) // 3
    assert reverse(key)[::-1] == key
    assert reverse(key).startswith(tail[::-1])  # a trailing share is a leading one of the reversed key
    assert affixes("ab") == ("a", "b")

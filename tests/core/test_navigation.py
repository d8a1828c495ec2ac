"""Back and forward through opened articles, and the history kept in the cache."""

from __future__ import annotations

from pozirk_reader.core.limits import MAX_HISTORY
from pozirk_reader.core.navigation import Navigation


def test_an_empty_history_goes_nowhere() -> None:
    history = Navigation()
    assert history.current is None
    assert (history.can_go_back, history.can_go_forward) == (False, False)
    assert history.back() is None and history.forward() is None
    assert history.index == -1


def test_back_and_forward_like_a_browser() -> None:
    history = Navigation()
    for article in ("a", "b", "c"):
        assert history.visit(article)
    assert history.current == "c" and history.can_go_back and not history.can_go_forward
    assert history.back() == "b"
    assert history.back() == "a"
    assert history.back() is None and history.current == "a"
    assert history.forward() == "b"
    assert history.entries == ["a", "b", "c"]


def test_opening_after_going_back_drops_what_was_ahead() -> None:
    history = Navigation()
    for article in ("a", "b", "c"):
        history.visit(article)
    history.back()
    history.back()
    assert history.visit("d")
    assert history.entries == ["a", "d"]
    assert not history.can_go_forward


def test_opening_the_current_article_again_changes_nothing() -> None:
    history = Navigation()
    history.visit("a")
    assert history.visit("a") is False
    assert history.entries == ["a"]


def test_the_oldest_entries_fall_off() -> None:
    history = Navigation()
    for number in range(MAX_HISTORY + 10):
        history.visit(str(number))
    assert len(history.entries) == MAX_HISTORY
    assert history.entries[0] == "10" and history.current == str(MAX_HISTORY + 9)
    assert history.index == MAX_HISTORY - 1


def test_kept_as_json_and_read_back() -> None:
    history = Navigation()
    for article in ("a", "b", "c"):
        history.visit(article)
    history.back()
    again = Navigation.from_json(history.to_json())
    assert (again.entries, again.index, again.current) == (["a", "b", "c"], 1, "b")


def test_malformed_json_gives_a_usable_history() -> None:
    assert Navigation.from_json(None) == Navigation()
    assert Navigation.from_json({"entries": "abc"}) == Navigation()
    assert Navigation.from_json({"entries": ["a", 3, "b"], "index": "x"}) == Navigation(["a", "b"], 1)
    assert Navigation.from_json({"entries": ["a", "b"], "index": 99}).index == 1
    assert Navigation.from_json({"entries": ["a", "b"], "index": -5}).index == 0
    long = Navigation.from_json({"entries": [str(n) for n in range(MAX_HISTORY + 3)]})
    assert len(long.entries) == MAX_HISTORY and long.current == str(MAX_HISTORY + 2)

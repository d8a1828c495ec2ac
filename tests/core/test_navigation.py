"""Back and forward through opened articles, and the history kept in the cache."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

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


def visited(*ids: str) -> Navigation:
    navigation = Navigation()
    for article_id in ids:
        navigation.visit(article_id)
    return navigation


def test_to_json_is_a_copy() -> None:
    navigation = visited("a")
    data = navigation.to_json()
    data["entries"].append("x")
    assert navigation.entries == ["a"]


def test_malformed_json_gives_an_empty_or_sane_history() -> None:
    assert Navigation.from_json(None) == Navigation()
    assert Navigation.from_json("entries") == Navigation()
    assert Navigation.from_json([]) == Navigation()
    assert Navigation.from_json({}) == Navigation()
    # entries that are not ids are left out; an index out of range or not a number is brought back in
    assert Navigation.from_json({"entries": ["a", 3, None, "b"], "index": 1}) == Navigation(["a", "b"], 1)
    assert Navigation.from_json({"entries": ["a", "b"], "index": 7}).current == "b"
    assert Navigation.from_json({"entries": ["a", "b"], "index": -3}).current == "a"
    assert Navigation.from_json({"entries": ["a", "b"], "index": "1"}).current == "b"
    assert Navigation.from_json({"entries": ["a", "b"]}).current == "b"
    assert Navigation.from_json({"entries": [], "index": 0}) == Navigation([], -1)


def test_entries_that_are_not_a_list_give_an_empty_history() -> None:
    """A history saved by something else: never a crash (the reader reads it before showing the list)."""
    assert Navigation.from_json({"entries": 5, "index": 0}) == Navigation()
    assert Navigation.from_json({"entries": "abc"}) == Navigation()
    assert Navigation.from_json({"entries": {"a": 1}}) == Navigation()


def test_a_saved_history_longer_than_the_limit_keeps_its_newest_entries() -> None:
    ids = [f"id{n}" for n in range(MAX_HISTORY + 5)]
    navigation = Navigation.from_json({"entries": ids, "index": len(ids) - 1})
    assert navigation.entries == ids[-MAX_HISTORY:]
    assert navigation.current == ids[-1]


@given(st.lists(st.one_of(st.sampled_from("abcd"), st.just("back"), st.just("forward")), max_size=40))
def test_any_walk_keeps_the_history_consistent(steps: list[str]) -> None:
    navigation = Navigation()
    for step in steps:
        if step == "back":
            before = navigation.index
            moved = navigation.back()
            assert (moved is None) == (before <= 0)
        elif step == "forward":
            before = navigation.index
            moved = navigation.forward()
            assert (moved is None) == (before >= len(navigation.entries) - 1)
        else:
            was_current = navigation.current == step
            assert navigation.visit(step) is not was_current
            assert navigation.current == step
            assert was_current or not navigation.can_go_forward  # a new step drops what was ahead
        assert (navigation.index == -1) == (not navigation.entries)
        assert 0 <= navigation.index < len(navigation.entries) or not navigation.entries
        assert all(a != b for a, b in zip(navigation.entries, navigation.entries[1:], strict=False))
        assert Navigation.from_json(navigation.to_json()) == navigation


def test_each_entry_keeps_where_its_article_was_read() -> None:
    navigation = Navigation()
    navigation.visit("a")
    navigation.remember(12)
    navigation.visit("b")
    assert navigation.current_offset == 0
    navigation.remember(30)
    assert navigation.back() == "a" and navigation.current_offset == 12
    assert navigation.forward() == "b" and navigation.current_offset == 30
    navigation.back()
    navigation.visit("c")  # what was ahead goes, with its offset
    assert navigation.entries == ["a", "c"] and navigation.current_offset == 0
    saved = Navigation.from_json(navigation.to_json())
    assert saved.back() == "a" and saved.current_offset == 12


def test_malformed_offsets_are_read_as_the_top() -> None:
    assert Navigation.from_json({"entries": ["a", "b"], "index": 0, "offsets": [5, "x"]}).current_offset == 5
    assert Navigation.from_json({"entries": ["a", "b"], "index": 1, "offsets": [5, -2]}).current_offset == 0
    assert Navigation.from_json({"entries": ["a", "b"], "index": 0, "offsets": [True, 1]}).current_offset == 0
    assert Navigation.from_json({"entries": ["a", "b"], "index": 0, "offsets": [7]}).current_offset == 0  # not one each
    assert Navigation.from_json({"entries": ["a", 3, "b"], "index": 1, "offsets": [1, 2, 3]}).current_offset == 3

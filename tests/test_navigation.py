"""History navigation: visiting, back and forward like a browser, the size limit, and keeping it as JSON."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from pozirk_reader.core.navigation import MAX_ENTRIES, Navigation


def visited(*ids: str) -> Navigation:
    navigation = Navigation()
    for article_id in ids:
        navigation.visit(article_id)
    return navigation


def test_an_empty_history_has_nowhere_to_go() -> None:
    navigation = Navigation()
    assert navigation.current is None
    assert not navigation.can_go_back and not navigation.can_go_forward
    assert navigation.back() is None and navigation.forward() is None
    assert navigation.current is None and navigation.index == -1


def test_visits_are_appended_and_the_last_is_current() -> None:
    navigation = visited("a", "b", "c")
    assert navigation.entries == ["a", "b", "c"]
    assert navigation.current == "c"
    assert navigation.can_go_back and not navigation.can_go_forward


def test_visiting_the_current_article_again_adds_nothing() -> None:
    navigation = visited("a", "b")
    assert navigation.visit("b") is False
    assert navigation.entries == ["a", "b"]
    assert navigation.visit("a") is True  # not current: a new step, even though it was visited before
    assert navigation.entries == ["a", "b", "a"] and navigation.current == "a"


def test_back_and_forward_step_through_the_history() -> None:
    navigation = visited("a", "b", "c")
    assert navigation.back() == "b"
    assert navigation.back() == "a"
    assert navigation.back() is None and navigation.current == "a"  # nowhere further: stays
    assert navigation.forward() == "b"
    assert navigation.forward() == "c"
    assert navigation.forward() is None and navigation.current == "c"
    assert navigation.entries == ["a", "b", "c"]


def test_visiting_after_going_back_drops_the_entries_ahead() -> None:
    navigation = visited("a", "b", "c")
    navigation.back()
    navigation.back()
    assert navigation.visit("d")
    assert navigation.entries == ["a", "d"]
    assert navigation.current == "d" and not navigation.can_go_forward
    assert navigation.back() == "a"


def test_the_oldest_entries_fall_off_past_the_limit() -> None:
    ids = [f"id{n}" for n in range(MAX_ENTRIES + 20)]
    navigation = visited(*ids)
    assert len(navigation.entries) == MAX_ENTRIES
    assert navigation.entries[0] == "id20" and navigation.current == ids[-1]
    assert navigation.index == MAX_ENTRIES - 1
    for _ in range(MAX_ENTRIES - 1):
        navigation.back()
    assert navigation.current == "id20" and not navigation.can_go_back


def test_json_round_trip_keeps_entries_and_place() -> None:
    navigation = visited("a", "b", "c")
    navigation.back()
    data = json.loads(json.dumps(navigation.to_json()))
    again = Navigation.from_json(data)
    assert again == navigation
    assert again.current == "b" and again.forward() == "c"


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
    ids = [f"id{n}" for n in range(MAX_ENTRIES + 5)]
    navigation = Navigation.from_json({"entries": ids, "index": len(ids) - 1})
    assert navigation.entries == ids[-MAX_ENTRIES:]
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

"""A story's thread: breadth first through links in either direction, bounded in hops and size."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.operations.threads import story_thread
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.story import thread_hops
from tests.samples import SAMPLES

# a - b - c - d - e (a chain), b - f, and a cycle c - g - d
EDGES = {("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("b", "f"), ("c", "g"), ("g", "d")}


def neighbours(ids: Collection[str]) -> Mapping[str, set[str]]:
    calls.append(sorted(ids))
    return {i: {y for x, y in EDGES if x == i} | {x for x, y in EDGES if y == i} for i in ids}


calls: list[list[str]] = []


def test_hops_are_the_fewest_links_and_bounded() -> None:
    calls.clear()
    assert thread_hops("a", neighbours) == {"a": 0, "b": 1, "c": 2, "f": 2, "d": 3, "g": 3}
    assert calls == [["a"], ["b"], ["c", "f"]]  # one question a ring
    assert thread_hops("d", neighbours, max_hops=1) == {"d": 0, "c": 1, "e": 1, "g": 1}
    assert thread_hops("a", neighbours, max_hops=10, limit=3) == {"a": 0, "b": 1, "c": 2}
    assert thread_hops("z", neighbours) == {"z": 0}


def test_the_thread_of_a_sample_article_follows_links_both_ways_in_date_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "c.sqlite3") as store:
        import_path(store, SAMPLES)
        bus = next(h for h in store.headlines(0, 100) if h.title.startswith("Пригородные автобусы Гродно"))
        thread = story_thread(store, bus.id)
        by_id = {entry.headline.id: entry.hops for entry in thread}
        assert by_id[bus.id] == 0
        linked_from = {h.id for h in store.backlinks(bus.id)}
        links_to = {link.target_id for link in store.related(bus.id) if link.target_id}
        assert linked_from and {i: 1 for i in linked_from | links_to} == {i: by_id[i] for i in linked_from | links_to}
        dates = [entry.headline.date for entry in thread if entry.headline.date]
        assert dates == sorted(dates)
        assert max(by_id.values()) == 3 and len(thread) > len(linked_from | links_to) + 1  # links' links too
        assert thread[-1].headline.date is None  # the undated sample last

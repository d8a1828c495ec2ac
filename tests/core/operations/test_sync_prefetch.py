"""The sync's prefetch: pages come in order, an error comes through where it happened, stopping early ends the thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from pozirk_reader.core.operations.syncing import prefetched


def test_pages_come_in_order_and_an_error_comes_through() -> None:
    def pages() -> Iterator[int]:
        yield from range(5)
        raise OSError("the server went away")

    seen: list[int] = []
    with pytest.raises(OSError, match="the server went away"):
        for page in prefetched(pages()):
            seen.append(page)
    assert seen == [0, 1, 2, 3, 4]


def test_stopping_early_ends_the_fetching_thread() -> None:
    fetched: list[int] = []

    def pages() -> Iterator[int]:
        for number in range(1000):
            fetched.append(number)
            yield number

    iterator = prefetched(pages())
    assert next(iterator) == 0
    iterator.close()
    assert not [thread for thread in threading.enumerate() if thread.name == "sync-prefetch"]
    assert len(fetched) <= 3  # at most the page given, one queued and one held

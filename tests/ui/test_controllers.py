"""The main screen's controllers on their own, with a stand-in host: no app, no terminal."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.ui.controllers import sources as sources_module
from pozirk_reader.ui.controllers.reading import ReadingController
from pozirk_reader.ui.controllers.search import SearchController
from pozirk_reader.ui.controllers.sources import BROWSER_OFFER_SECONDS, SourceController


class Host:
    """Records what a controller asks of the screen."""

    def __init__(self) -> None:
        self.notified: list[str] = []
        self.fetched: list[tuple[str, str]] = []
        self.searched: list[str] = []
        self.opened_ids: list[str] = []
        self.status_updates = 0
        self.opened: Any = None

    def notify(self, message: str, **_: Any) -> None:
        self.notified.append(message)

    def update_status(self) -> None:
        self.status_updates += 1

    def fetch_link(self, url: str, title: str) -> None:
        self.fetched.append((url, title))

    def search_near(self, headline: str) -> None:
        self.searched.append(headline)

    def run_worker(self, work: Any, **_: Any) -> None:
        raise AssertionError("no worker expected here")


def test_the_status_line_names_the_filters_in_force() -> None:
    search = SearchController(Host())
    assert search.filter_text() == "" and not search.searching
    search.filters = SearchFilters(starred_only=True, unread_only=True, source_id=3, since=date(2026, 10, 20))
    assert search.searching
    assert search.filter_text() == "filtered: starred, unread, one source, 2026-10-20 – …"
    search.filters = SearchFilters(until=date(2026, 11, 1))
    assert search.filter_text() == "filtered: … – 2026-11-01"


def test_a_find_is_told_in_the_status_line() -> None:
    host = Host()
    search = SearchController(host)
    search.found("мост", 1, 4)
    assert search.found_text == "“мост”: 2 of 4 (n / N)"
    search.found("мост", -1, 0)
    assert search.found_text == "“мост”: not in this article"
    search.found("", -1, 0)
    assert search.found_text == "" and host.status_updates == 3


def test_a_page_that_failed_is_offered_to_the_browser_for_a_while(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(sources_module.time, "monotonic", lambda: now[0])
    host = Host()
    sources = SourceController(host)
    sources.task_text = "fetching example.org…"
    sources.page_failed("https://example.org/a", "connection refused")
    assert sources.task_text == "" and host.status_updates == 1
    assert host.notified == ["Could not fetch it: connection refused — press o to open it in the browser"]
    now[0] += BROWSER_OFFER_SECONDS - 1
    assert sources.offered_url() == "https://example.org/a"
    now[0] += 2
    assert sources.offered_url() is None
    sources.page_failed(None, "not a web page")
    assert host.notified[-1] == "Could not fetch it: not a web page" and sources.offered_url() is None


def link(position: int, target_id: str | None = None, url: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(position=position, target_id=target_id, url=url, title=f"link {position}")


def test_following_a_link_by_number() -> None:
    host = Host()
    reading = ReadingController(host)
    reading.follow_number(1)  # nothing open: nothing to follow
    assert host.notified == [] and host.fetched == []
    reading.opened = SimpleNamespace(links=[link(0, url="https://example.org/a"), link(1)])
    reading.follow_number(3)
    assert host.notified == ["This article has 2 related links."]
    reading.follow_number(1)  # only on the web: fetched
    assert host.fetched == [("https://example.org/a", "link 0")]
    reading.follow_number(2)  # neither cached nor on the web: searched for in the cache
    assert host.searched == ["link 1"] and host.notified[-1] == "This article has 2 related links."


class Pane:
    """A stand-in "see also" pane: whether it has the focus, and the URL under its cursor."""

    def __init__(self, has_focus: bool, url: str | None) -> None:
        self.has_focus = has_focus
        self.url = url

    def highlighted_url(self, opened: Any) -> str | None:
        return self.url


def test_a_link_in_the_text_is_followed_like_a_related_one() -> None:
    host = Host()
    reading = ReadingController(host)
    opened: list[str] = []
    reading.open_article = lambda article_id, *_: opened.append(article_id)  # type: ignore[method-assign]
    reading.opened = SimpleNamespace(links=[], inline=[link(0, target_id="a1"), link(1, url="https://example.org/b")])
    reading.follow_inline_link(0)  # cached: opened
    reading.follow_inline_link(1)  # only on the web: fetched
    assert opened == ["a1"] and host.fetched == [("https://example.org/b", "link 1")]


@pytest.mark.parametrize(
    ("focus", "under_cursor", "expected"),
    [
        (True, "https://example.org/link", "https://example.org/link"),
        (False, "https://example.org/link", "https://example.org/article"),
        (True, None, "https://example.org/article"),  # a backlink under the cursor: the article's own address
    ],
)
def test_o_opens_the_link_under_the_panes_cursor_while_it_has_the_focus(
    focus: bool, under_cursor: str | None, expected: str
) -> None:
    host = Host()
    host.related_pane = Pane(focus, under_cursor)  # type: ignore[attr-defined]
    reading = ReadingController(host)
    assert reading.browser_url() is None  # nothing open
    reading.opened = SimpleNamespace(stored=SimpleNamespace(article=SimpleNamespace(url="https://example.org/article")))
    assert reading.browser_url() == expected

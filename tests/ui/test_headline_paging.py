"""The headline list over a cache of a few thousand articles: pages of 200 rows fetched as the cursor goes,
the least recently fetched dropped past PAGES_KEPT, and a page that arrives for an older list ignored."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from textual.message import Message
from textual.strip import Strip

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.controllers.search import SearchController
from pozirk_reader.ui.messages import Highlights
from pozirk_reader.ui.screens.main import MainScreen
from pozirk_reader.ui.widgets.headline_list import PAGE_SIZE, PAGES_KEPT, ROW_HEIGHT, HeadlineList
from tests.ui.helpers import FIXED_TIME, ManualTimers, make_app, ready, run, settle, wait_for

ARTICLES = 2_700
"""Fourteen pages: more than the list keeps."""

MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября"]


@pytest.fixture(scope="module")
def big_library_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache of :data:`ARTICLES` generated articles, "Статья номер 00042", each with its own date and time."""
    folder = tmp_path_factory.mktemp("big")
    library = folder / "library"
    library.mkdir()
    for number in range(ARTICLES):
        month, rest = divmod(number, 280)
        day, minutes = divmod(rest, 10)
        text = (
            f"Минск {10 + minutes:02d}:{minutes * 5:02d}\n\nСтатья номер {number:05d} о городе\n\n"
            f"{day + 1} {MONTHS[month]}, Позірк. Текст статьи номер {number:05d}.\n"
        )
        file = library / f"{number:05d}.txt"
        file.write_text(text, encoding="utf-8")
        os.utime(file, (FIXED_TIME, FIXED_TIME))
    cache = folder / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, library)
    return cache


@pytest.fixture
def cache(big_library_cache: Path, tmp_path: Path) -> Path:
    """This test's own copy of the big cache."""
    copy = tmp_path / "data" / "library.sqlite3"
    copy.parent.mkdir()
    shutil.copy(big_library_cache, copy)
    return copy


@pytest.fixture
def order(big_library_cache: Path) -> list[str]:
    """The titles in list order, from the store."""
    with Store.open(big_library_cache, check=False) as store:
        titles = [headline.title for headline in store.headlines(0, ARTICLES)]
    assert len(titles) == ARTICLES
    return titles


class PagesAskedFor:
    """Records the pages the list asks for (a message is seen at every node it bubbles through: once each)."""

    def __init__(self) -> None:
        self.messages: list[HeadlineList.PagesNeeded] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, HeadlineList.PagesNeeded) and not any(message is seen for seen in self.messages):
            self.messages.append(message)

    @property
    def starts(self) -> list[int]:
        return [start for message in self.messages for start in message.starts]

    def clear(self) -> None:
        self.messages.clear()


def number(title: str) -> str:
    """The article's number, as the list shows it ("номер 00042")."""
    return title.split(" о ")[0].removeprefix("Статья ")


def rows_shown(headlines: HeadlineList) -> dict[int, str]:
    """Row → the first line the list draws for it, for the rows on screen."""
    top = headlines.scroll_offset.y
    shown = {}
    for y in range(headlines.scrollable_content_region.height):
        row, line = divmod(top + y, ROW_HEIGHT)
        if line == 0 and row < headlines.total:
            shown[row] = headlines.render_line(y).text
    return shown


def loaded_pages(headlines: HeadlineList) -> list[int]:
    """The starts of the pages the list holds."""
    return [start for start in range(0, headlines.total, PAGE_SIZE) if headlines.headline_at(start) is not None]


async def start(pilot, timers: ManualTimers) -> MainScreen:
    """The reader up on the big cache, the first row's preview drawn; later previews wait for the test."""
    await wait_for(pilot, lambda: timers.pending("preview"))
    timers.fire("preview")
    return await ready(pilot)


def assert_rows_shown(headlines: HeadlineList, order: list[str]) -> None:
    """Every row on screen is drawn with its own headline (none is a placeholder), the cursor's among them."""
    shown = rows_shown(headlines)
    assert headlines.cursor in shown
    assert len(shown) >= headlines.scrollable_content_region.height // ROW_HEIGHT
    for row, line in shown.items():
        assert number(order[row]) in line, (row, line)


async def test_paging_down_across_page_boundaries_fetches_each_page(
    cache: Path, order: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = ManualTimers("preview").install(monkeypatch)
    needed = PagesAskedFor()

    async with run(make_app(cache), message_hook=needed.hook) as pilot:
        screen = await start(pilot, timers)
        headlines = screen.headline_list
        await settle(pilot)
        assert headlines.total == ARTICLES
        assert loaded_pages(headlines) == [0, PAGE_SIZE]  # the first page, and the next one ahead of the cursor
        assert_rows_shown(headlines, order)
        step = headlines.size.height // ROW_HEIGHT - 1
        for boundary in (PAGE_SIZE, 2 * PAGE_SIZE, 3 * PAGE_SIZE):
            while headlines.cursor < boundary:
                before = headlines.cursor
                await pilot.press("pagedown")
                await settle(pilot)
                assert headlines.cursor == before + step
                assert headlines.highlighted is not None and headlines.highlighted.title == order[headlines.cursor]
                assert_rows_shown(headlines, order)
            assert boundary in loaded_pages(headlines)
        # A page is asked for, with the one after it, when a row of it first comes on screen: rows of the
        # fourth page (600…) were drawn only once it was already there, so the fifth was never needed.
        assert loaded_pages(headlines) == [0, PAGE_SIZE, 2 * PAGE_SIZE, 3 * PAGE_SIZE]
        assert sorted(needed.starts) == sorted(set(needed.starts)), "a page was asked for twice"
        await pilot.press("pageup")
        await settle(pilot)
        assert headlines.highlighted is not None and headlines.highlighted.title == order[headlines.cursor]


async def test_pages_past_the_limit_are_dropped_and_fetched_again(
    cache: Path, order: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = ManualTimers("preview").install(monkeypatch)
    needed = PagesAskedFor()

    async with run(make_app(cache), message_hook=needed.hook) as pilot:
        screen = await start(pilot, timers)
        headlines = screen.headline_list
        pages = list(range(0, ARTICLES, PAGE_SIZE))
        assert len(pages) > PAGES_KEPT + 1
        for page in pages:  # into the middle of every page in turn, newest first
            headlines.move_to(page + PAGE_SIZE // 4)
            await settle(pilot)
            assert headlines.highlighted is not None and headlines.highlighted.title == order[page + PAGE_SIZE // 4]
            assert_rows_shown(headlines, order)
            assert len(loaded_pages(headlines)) <= PAGES_KEPT
        assert loaded_pages(headlines) == pages[-PAGES_KEPT:]  # the least recently fetched went first
        assert headlines.headline_at(0) is None and headlines.headline_at(PAGE_SIZE + 5) is None
        needed.clear()
        await pilot.press("home")
        await settle(pilot)
        assert sorted(needed.starts) == [0, PAGE_SIZE]  # asked for again
        assert headlines.cursor == 0 and headlines.highlighted is not None
        assert headlines.highlighted.title == order[0]
        assert_rows_shown(headlines, order)
        assert len(loaded_pages(headlines)) == PAGES_KEPT


async def test_a_page_fetched_for_an_older_list_is_dropped(
    cache: Path, order: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = ManualTimers("preview").install(monkeypatch)
    far = 5 * PAGE_SIZE
    gate, held = threading.Event(), threading.Event()
    real_rows = SearchController.list_rows

    def list_rows(search: SearchController, start: int, limit: int) -> tuple[list, Highlights]:
        rows = real_rows(search, start, limit)
        if start == far and not held.is_set():  # this page is on its way while the list is reloaded
            held.set()
            gate.wait(60)
        return rows

    monkeypatch.setattr(SearchController, "list_rows", list_rows)
    async with run(make_app(cache)) as pilot:
        screen = await start(pilot, timers)
        headlines = screen.headline_list
        await settle(pilot)
        headlines.move_to(far + 10)
        await wait_for(pilot, held.is_set)
        old_generation = headlines.generation
        await pilot.press("u")  # unread only: the list is loaded anew, at the article shown (row 0)
        await wait_for(pilot, lambda: headlines.generation > old_generation and headlines.cursor == 0)
        gate.set()  # the old list's page arrives now
        await settle(pilot)
        assert screen.unread_only and headlines.total == ARTICLES
        assert headlines.headline_at(far) is None and headlines.headline_at(far + 10) is None
        assert loaded_pages(headlines) == [0, PAGE_SIZE]
        assert headlines.highlighted is not None and headlines.highlighted.title == order[0]
        assert_rows_shown(headlines, order)


async def test_a_cursor_key_that_does_not_scroll_draws_only_the_two_rows_it_changes(
    cache: Path, order: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    timers = ManualTimers("preview").install(monkeypatch)
    drawn: list[int] = []
    real_render_line = HeadlineList.render_line

    def render_line(headlines: HeadlineList, y: int) -> Strip:
        drawn.append(headlines.scroll_offset.y + y)
        return real_render_line(headlines, y)

    monkeypatch.setattr(HeadlineList, "render_line", render_line)
    async with run(make_app(cache)) as pilot:
        screen = await start(pilot, timers)
        headlines = screen.headline_list
        await settle(pilot)
        assert headlines.cursor == 0 and headlines.scroll_offset.y == 0
        for key, row in (("down", 1), ("down", 2), ("up", 1)):
            drawn.clear()
            await pilot.press(key)
            await wait_for(pilot, lambda: drawn)
            await settle(pilot)
            assert headlines.cursor == row and headlines.scroll_offset.y == 0
            left = row - 1 if key == "down" else row + 1
            lines = {line for moved in (left, row) for line in range(moved * ROW_HEIGHT, (moved + 1) * ROW_HEIGHT)}
            assert sorted(drawn) == sorted(lines), "a key that leaves the list where it is redrew other rows"
        assert number(order[1]) in rows_shown(headlines)[1]

"""What is on screen is what the keys act on: the headline under the cursor is the article shown (after a
search, Escape, a filter), and `m` right after `n`/`p` toggles the article `n`/`p` went to (defects 1 and 2)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle
from pozirk_reader.core.store.search_index import SearchIndex
from pozirk_reader.ui.screens.main import MainScreen
from tests.ui.helpers import make_app, ready, run, settle, shown, shows_title, wait_for


def read_flags(cache: Path) -> dict[str, bool]:
    with Store.open(cache) as store:
        return {headline.id: headline.read for headline in store.headlines(0, 100)}


def same(screen: MainScreen) -> bool:
    """Whether the headline under the cursor is the article shown."""
    highlighted = screen.headline_list.highlighted
    return highlighted is not None and screen.opened is not None and highlighted.id == screen.opened.stored.article.id


async def test_after_a_search_and_escape_the_highlighted_headline_is_the_article_shown(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        before = shown(screen).stored.article.id
        await pilot.press("slash", *"библиотека")
        await wait_for(pilot, lambda: screen.headline_list.total == 2)
        first = screen.headline_list.headline_at(0)
        assert first is not None
        await shows_title(pilot, screen, first.title)  # type, wait: the first result is shown
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        assert screen.headline_list.highlighted is not None and screen.headline_list.highlighted.id == before
        await wait_for(pilot, lambda: same(screen))  # the cursor is back where it was, and so is the article
        await settle(pilot)
        on_screen = shown(screen).stored.article.id
        await pilot.press("m")
        await settle(pilot)
        assert shown(screen).stored.article.id == on_screen
        assert read_flags(cache)[on_screen] is True  # m marked the article being read
        assert read_flags(cache)[first.id] is False


async def test_after_a_filter_the_highlighted_headline_is_the_article_shown(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "j", "j", "j")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 5 and same(screen))
        fifth = shown(screen).stored.article.id
        screen.search.set_filters(SearchFilters(unread_only=True))  # as the filter dialog's Apply does
        await settle(pilot)
        assert same(screen) and shown(screen).stored.article.id == fifth  # still the fifth, at its place
        assert screen.headline_list.cursor == 5
        screen.search.set_filters(SearchFilters(until=date(2026, 10, 15)))  # the fifth is not in this list
        await wait_for(pilot, lambda: screen.headline_list.total == 5)
        await wait_for(pilot, lambda: same(screen))  # the article shown follows the cursor into the filtered list
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert read_flags(cache)[shown(screen).stored.article.id] is True


async def test_m_right_after_n_toggles_the_article_n_went_to(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`m` pressed while `n` is still finding the next unread article waits for it, and then marks it unread
    again (n had opened it, so read): the article n left stays as it was."""
    gate, asked = threading.Event(), threading.Event()
    real = SearchIndex.next_unread

    def next_unread(index: SearchIndex, *args: object, **kwargs: object) -> str | None:
        asked.set()
        gate.wait(60)
        return real(index, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "next_unread", next_unread)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        start = shown(screen).stored.article.id
        await pilot.press("enter")  # opened: read
        await wait_for(pilot, lambda: screen.unread == 15)
        await pilot.press("n")
        await wait_for(pilot, asked.is_set)
        await pilot.press("m")  # before n has found where to go
        gate.set()
        await settle(pilot)
        target = shown(screen).stored.article.id
        assert target != start and same(screen)
        flags = read_flags(cache)
        assert flags[start] is True, "m did not act on the article n left"
        assert flags[target] is False, "m toggled what n opened (and marked read) back to unread"
        assert shown(screen).stored.read is False
        await pilot.press("m")
        await settle(pilot)
        assert read_flags(cache)[target] is True and shown(screen).stored.read is True


async def test_m_right_after_the_opening_toggles_the_flag_as_the_cache_has_it(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flag `m` flips is the cache's at the time of writing, not the one loaded with the article: an opening
    whose "read" is still being written when `m` comes is not undone by it, m undoes it."""
    gate, writing = threading.Event(), threading.Event()
    real = Store.record_opened

    def record_opened(store: Store, article_id: str, mark_read: bool = True) -> None:
        writing.set()
        gate.wait(60)
        real(store, article_id, mark_read)

    monkeypatch.setattr(Store, "record_opened", record_opened)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("enter")  # opens the first article: read, once written
        await wait_for(pilot, writing.is_set)
        article = shown(screen).stored.article.id
        assert shown(screen).stored.read is False  # loaded before the opening was written
        await pilot.press("m")
        gate.set()
        await settle(pilot)
        assert read_flags(cache)[article] is False
        assert shown(screen).stored.read is False and screen.headline_list.highlighted.read is False


async def test_a_slow_article_that_arrives_late_is_not_shown_over_the_later_one(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = threading.Event()
    gate = threading.Event()
    real = Store.open_article
    titles: dict[str, str] = {}
    with Store.open(cache) as store:
        rows = store.headlines(0, 3)
        titles = {row.id: row.title for row in rows}
    slow = rows[1].id

    def open_article(store: Store, article_id: str) -> OpenedArticle | None:
        if article_id == slow and not held.is_set():
            held.set()
            gate.wait(60)
        return real(store, article_id)

    monkeypatch.setattr(Store, "open_article", open_article)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j")
        await wait_for(pilot, held.is_set)  # the second article is being read, slowly
        await pilot.press("j")
        await shows_title(pilot, screen, titles[rows[2].id])
        gate.set()  # the second article arrives now, after the third
        await settle(pilot)
        assert shown(screen).stored.article.id == rows[2].id and same(screen)

"""Links that go somewhere (build item 2): Enter on a "✗ not available" link searches the cache for its
headline, o opens the configured web search for it, y copies a link's or the article's address."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import LinkState
from pozirk_reader.ui.screens.main import MainScreen
from tests.ui.helpers import TRAM, make_app, notified, open_titled, ready, run, settle, shown, shows_title, wait_for

MISSING = "В Минске изменится схема движения троллейбусов"


def put_cursor_on(screen: MainScreen, state: LinkState) -> str:
    """Focus the "see also" pane with its cursor on the first link in ``state``; returns its title."""
    link = next(link for link in shown(screen).links if link.state == state)
    pane = screen.related_pane
    pane.focus()
    pane.highlighted = pane.get_option_index(f"link-{link.position}")
    return link.title


async def test_enter_on_a_link_that_is_not_available_searches_the_cache_near_its_headline(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await open_titled(pilot, screen, TRAM)
        title = put_cursor_on(screen, LinkState.MISSING)
        assert title.startswith(MISSING)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.search.query and screen.headline_list.total > 0)
        await settle(pilot)
        assert screen.search_bar.display and screen.headline_list.has_focus
        assert screen.search.query.startswith("минске OR изменится OR схема")
        assert screen.search_bar.scroll_offset.x == 0  # the line shows the query's start
        first = screen.headline_list.headline_at(0)
        assert first is not None and first.title.startswith("В Минске")  # sharing most of its words first
        assert notified(screen.app, "Not in the cache: articles with its words")
        await pilot.press("escape")  # back to the whole list and the article it was on
        await wait_for(pilot, lambda: not screen.search.query and screen.headline_list.total == 16)
        await shows_title(pilot, screen, TRAM)


async def test_o_on_a_link_that_is_not_available_opens_the_web_search_template(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browsed: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: browsed.append(url) or True)
    app = make_app(cache, web_search="https://pozirk.example/search?text={query}")
    async with run(app) as pilot:
        screen = await ready(pilot)
        await open_titled(pilot, screen, TRAM)
        put_cursor_on(screen, LinkState.MISSING)
        await pilot.press("o")
        await wait_for(pilot, lambda: browsed)
        assert browsed[0].startswith(
            "https://pozirk.example/search?text=%D0%92+%D0%9C%D0%B8%D0%BD%D1%81%D0%BA%D0%B5+"
        )  # "В Минске …", quoted


async def test_y_copies_the_links_address_or_the_articles_or_its_headline(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await open_titled(pilot, screen, TRAM)
        article = shown(screen).stored.article
        await pilot.press("y")  # the list has the focus: the article's address (a file: its headline)
        await settle(pilot)
        assert screen.app.clipboard == (article.url or TRAM)
        title = put_cursor_on(screen, LinkState.MISSING)
        await pilot.press("y")  # a link without an address: its headline
        await settle(pilot)
        assert screen.app.clipboard == title
        assert notified(screen.app, "Copied: В Минске изменится")
        with Store.open(screen.store.path) as store:
            weather = next(h.id for h in store.headlines(0, 100) if h.title.startswith("Синоптики обещают"))
        screen.open_article(weather)
        await shows_title(pilot, screen, "Синоптики обещают")
        await settle(pilot)
        put_cursor_on(screen, LinkState.URL)
        await pilot.press("y")
        await settle(pilot)
        assert screen.app.clipboard == "https://example.org/news/4812"

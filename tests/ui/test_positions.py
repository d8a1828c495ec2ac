"""Positions kept: back and forward reopen an article where it was read, Escape from a search returns to the
article where it was, and a resize keeps the headline under the cursor in view (defect 4 and part of 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.core.config import HeadlineRows
from tests.ui.helpers import TRAM, go_to_titled, make_app, ready, run, settle, shown, shows_title, wait_for


async def scroll_article(pilot, screen, pages: int) -> int:
    """Page the article pane down ``pages`` times; returns how far down it is."""
    screen.article_view.focus()
    for _ in range(pages):
        await pilot.press("space")
    await wait_for(pilot, lambda: screen.article_view.scroll_offset.y > 0)
    return screen.article_view.scroll_offset.y


async def test_back_and_forward_reopen_an_article_where_it_was_read(cache: Path) -> None:
    async with run(make_app(cache), size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await go_to_titled(pilot, screen, TRAM)
        tram = await scroll_article(pilot, screen, 1)
        await pilot.press("1")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        await settle(pilot)
        assert screen.article_view.scroll_offset.y == 0  # a link opens its target from the top
        buses = await scroll_article(pilot, screen, 2)
        assert buses > 0
        await pilot.press("backspace")
        await shows_title(pilot, screen, "В Минске продлят")
        await settle(pilot)
        assert screen.article_view.scroll_offset.y == tram
        await pilot.press("right_square_bracket")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        await settle(pilot)
        assert screen.article_view.scroll_offset.y == buses


async def test_escape_from_a_search_returns_to_the_article_where_it_was(cache: Path) -> None:
    async with run(make_app(cache), size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await go_to_titled(pilot, screen, TRAM)
        offset = await scroll_article(pilot, screen, 1)
        tram = shown(screen).stored.article.id
        await pilot.press("slash", *"библиотека")
        await wait_for(pilot, lambda: screen.headline_list.total == 2)
        await wait_for(pilot, lambda: shown(screen).stored.article.id != tram)  # a result is shown
        await pilot.press("escape")
        await shows_title(pilot, screen, "В Минске продлят")
        await settle(pilot)
        assert screen.headline_list.highlighted.id == tram
        assert screen.article_view.scroll_offset.y == offset


@pytest.mark.parametrize("rows", [HeadlineRows.AUTO, HeadlineRows.TWO])
async def test_a_resize_keeps_the_headline_under_the_cursor_in_view(cache: Path, rows: HeadlineRows) -> None:
    async with run(make_app(cache, headline_rows=rows), size=(200, 60)) as pilot:
        screen = await ready(pilot)
        await pilot.press("G")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 15)
        await settle(pilot)
        for size in ((80, 24), (120, 40), (80, 24), (200, 60)):
            await pilot.resize_terminal(*size)
            await wait_for(pilot, lambda size=size: screen.size.width == size[0])
            await settle(pilot)
            headlines = screen.headline_list
            top = headlines.scroll_offset.y
            row_top = headlines.cursor * headlines.row_height
            assert (
                top <= row_top and row_top + headlines.row_height <= top + headlines.scrollable_content_region.height
            ), f"at {size} the cursor row ({row_top}) is out of view ({top}…)"
            assert top % headlines.row_height == 0, f"at {size} the top headline is cut in half"

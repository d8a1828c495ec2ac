"""Defects 8 and 9 of the daily-reading issue, each with Pilot: dates on a light theme, the help screen at
80 columns and its j/k/G, the footer's Help and Quit at 80 columns, the palette's Quit and unavailable links."""

from __future__ import annotations

from pathlib import Path

from textual.color import Color
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Footer

from pozirk_reader.ui.screens.help import HelpScreen
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from tests.ui.helpers import make_app, ready, run, settle, shown, shows_title, wait_for


def luminance(color: object) -> float:
    triplet = color.triplet  # type: ignore[attr-defined]
    return Color(triplet.red, triplet.green, triplet.blue).brightness


async def date_colour(cache: Path, theme: str) -> tuple[float, float]:
    """The brightness of a headline's date and of the list behind it, on ``theme``."""
    async with run(make_app(cache, theme=theme)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        return drawn_date_colour(screen.headline_list)


def drawn_date_colour(headlines: HeadlineList) -> tuple[float, float]:
    """The brightness of the first date the list draws, and of the list behind it."""
    for y in range(2, 8):
        for segment in headlines.render_line(y):
            if segment.text[:2].isdigit() and segment.style and segment.style.color:
                return luminance(segment.style.color), luminance(segment.style.bgcolor)
    raise AssertionError("no date drawn")


async def test_dates_are_drawn_in_the_themes_colours_on_a_light_theme_too(cache: Path) -> None:
    """Defect 8: solarized-light drew the dates in fixed white on its cream background."""
    date, background = await date_colour(cache, "solarized-light")
    assert date < background - 0.2  # darker than the light background, readable
    date, background = await date_colour(cache, "textual-dark")
    assert date > background + 0.2


async def test_a_theme_picked_while_reading_redraws_the_list_in_its_colours(cache: Path) -> None:
    """The list keeps the styles it draws rows in (working them out is costly); a new theme must replace them."""
    async with run(make_app(cache, theme="textual-dark")) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        date, background = drawn_date_colour(screen.headline_list)
        assert date > background + 0.2
        pilot.app.theme = "solarized-light"
        await settle(pilot)
        date, background = drawn_date_colour(screen.headline_list)
        assert date < background - 0.2


async def test_the_help_screen_keeps_every_binding_id_whole_at_80_columns_and_scrolls_with_j_k_g(
    cache: Path,
) -> None:
    async with run(make_app(cache), size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await settle(pilot)
        help_screen = pilot.app.screen
        scroll = help_screen.query_one(VerticalScroll)
        table = help_screen.query_one("Static")
        lines = [strip.text for strip in table.render_lines(Region(0, 0, table.size.width, table.size.height))]
        text = "\n".join(lines)
        for binding_id in ("[reader.mark_source_read]", "[reader.previous_unread]", "[headlines.open]"):
            assert binding_id in text, binding_id
        assert scroll.scroll_y == 0
        await pilot.press("j")
        await wait_for(pilot, lambda: scroll.scroll_y == 1)
        await pilot.press("G")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y > 1)
        await pilot.press("k")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y - 1)
        await pilot.press("g")
        await wait_for(pilot, lambda: scroll.scroll_y == 0)


async def test_the_footer_keeps_help_and_quit_at_80_columns(cache: Path) -> None:
    async with run(make_app(cache), size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        footer = screen.query_one(Footer)
        shown_keys = [
            key for key in footer.query("FooterKey") if key.region.right <= footer.region.right and key.region.width > 0
        ]
        labels = " ".join(key.description for key in shown_keys)  # type: ignore[attr-defined]
        assert "Help" in labels and "Quit" in labels


async def test_the_palette_offers_quit_once_and_searches_for_an_unavailable_link(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        titles = [command.title for command in pilot.app.get_system_commands(screen)]
        assert titles.count("Quit") == 1
        from pozirk_reader.core.store.library import Store

        with Store.open(screen.store.path) as store:
            tram = next(h.id for h in store.headlines(0, 100) if h.title.startswith("В Минске продлят"))
        screen.open_article(tram)
        await shows_title(pilot, screen, "В Минске продлят")
        await settle(pilot)
        commands = [command.title for command in screen.palette_commands()]
        missing = next(link for link in shown(screen).links if link.target_id is None and link.url is None)
        assert f"Search for link {missing.position + 1}: {missing.title}" in commands
        assert not any(title.startswith(f"Follow link {missing.position + 1}:") for title in commands)
        assert isinstance(pilot.app.screen, type(screen)) and not isinstance(pilot.app.screen, CommandPalette)

"""The reader's flows, driven with Pilot: navigate, open, follow, back/forward, flags, filter, help, palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.screens.help import HelpScreen, key_rows
from pozirk_reader.ui.screens.main import MainScreen
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.related_pane import RelatedPane
from tests.ui.helpers import (
    TRAM,
    ManualTimers,
    go_to_titled,
    make_app,
    notified,
    ready,
    run,
    sample_library,
    settle,
    shown,
    shows_title,
    wait_for,
)


def status(screen: MainScreen) -> str:
    return str(screen.query_one("#status", Static).render())


def titles_in_store(cache: Path) -> list[str]:
    with Store.open(cache) as store:
        return [h.title for h in store.headlines(0, 100)]


async def test_first_run_imports_the_samples_into_an_empty_cache(tmp_path: Path) -> None:
    library = sample_library(tmp_path)
    app = make_app(tmp_path / "data" / "library.sqlite3", samples=library)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        assert screen.total == 16
        await shows_title(pilot, screen, "Gomel robotics pupils")  # the newest
        assert titles_in_store(app.cache)[-1].startswith("Уровень воды")  # no date in its dateline: last


async def test_cursor_movement_shows_each_article(cache: Path) -> None:
    titles = titles_in_store(cache)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        assert shown(screen).stored.article.title == titles[0]
        await pilot.press("down")
        await shows_title(pilot, screen, titles[1])
        await pilot.press("j", "j")
        await shows_title(pilot, screen, titles[3])
        await pilot.press("k")
        await shows_title(pilot, screen, titles[2])
        await pilot.press("G")
        await shows_title(pilot, screen, titles[-1])
        await pilot.press("g")
        await shows_title(pilot, screen, titles[0])
        assert screen.headline_list.cursor == 0


async def test_enter_opens_marks_read_and_moves_to_the_article(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, ArticleView))
        opened_id = shown(screen).stored.article.id
        await wait_for(pilot, lambda: screen.unread == 15)
        assert screen.navigation.current == opened_id
        assert screen.headline_list.headline_at(1).read


async def test_follow_a_link_by_number_and_come_back(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await go_to_titled(pilot, screen, TRAM)  # link 1 goes to Гродно buses
        start = shown(screen).stored.article.id
        await pilot.press("1")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        target_row = screen.headline_list.cursor
        assert screen.headline_list.highlighted.title.startswith("Пригородные автобусы Гродно")
        assert target_row == [t[:20] for t in titles_in_store(cache)].index("Пригородные автобусы")
        await pilot.press("backspace")
        await shows_title(pilot, screen, "В Минске продлят")
        assert shown(screen).stored.article.id == start
        assert screen.headline_list.cursor == titles_in_store(cache).index(TRAM)
        await pilot.press("right_square_bracket")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        await pilot.press("left_square_bracket")
        await shows_title(pilot, screen, "В Минске продлят")
        await pilot.press("alt+right")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        await pilot.press("alt+left")
        await shows_title(pilot, screen, "В Минске продлят")


async def test_follow_a_link_with_enter_in_the_see_also_pane(cache: Path) -> None:
    messages: list[object] = []
    async with run(make_app(cache), message_hook=messages.append) as pilot:
        screen = await ready(pilot)
        await go_to_titled(pilot, screen, TRAM)
        await pilot.press("tab", "tab")
        assert isinstance(pilot.app.focused, RelatedPane)
        await pilot.press("enter")
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        assert any(isinstance(m, RelatedPane.LinkChosen) and m.position == 0 for m in messages)


async def test_a_link_not_in_the_cache_says_so(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await go_to_titled(pilot, screen, TRAM)
        start = shown(screen).stored.article.id
        await pilot.press("2")  # the trolleybus article is not in the library
        await wait_for(pilot, lambda: notified(pilot.app, "not in the cache"))
        await settle(pilot)  # anything link 2 might have started has finished
        assert shown(screen).stored.article.id == start
        assert screen.navigation.current != start  # only previewed: following nothing did not open it
        await pilot.press("9")
        await wait_for(pilot, lambda: notified(pilot.app, "This article has 2 related links"))
        await settle(pilot)
        assert shown(screen).stored.article.id == start


async def test_backlinks_are_listed_and_followed(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await go_to_titled(pilot, screen, TRAM)
        backlinks = {h.title for h in shown(screen).backlinks}
        assert backlinks == {
            "В Гродно открылась новая районная библиотека",
            "В Витебске на месяц закроют путепровод на Московском проспекте",
        }
        related = screen.query_one(RelatedPane)
        related.focus()
        await pilot.press("G", "enter")
        await wait_for(pilot, lambda: shown(screen).stored.article.title in backlinks)


async def test_toggle_read_and_star(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        article_id = shown(screen).stored.article.id
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.unread == 15)
        await pilot.press("s")
        await wait_for(pilot, lambda: shown(screen).stored.starred)
        await pilot.press("m")
        await wait_for(pilot, lambda: screen.unread == 16)
        assert screen.headline_list.headline_at(0).starred
    with Store.open(cache) as store:
        stored = store.get(article_id)
        assert stored is not None and stored.starred and not stored.read


async def test_unread_filter_and_next_unread(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.unread == 15)
        screen.query_one(HeadlineList).focus()
        await pilot.press("u")
        await wait_for(pilot, lambda: screen.headline_list.total == 15)
        assert screen.unread_only
        await pilot.press("u")
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 0)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 1)
        await pilot.press("n")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 2)
        await pilot.press("G")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 15)
        await pilot.press("p")  # the last row is only previewed, so the previous unread is the one above
        await wait_for(pilot, lambda: screen.headline_list.cursor == 14)
        await pilot.press("g")
        first = titles_in_store(cache)[0]
        await shows_title(pilot, screen, first)  # the top row previewed
        await pilot.press("p")
        await wait_for(pilot, lambda: notified(pilot.app, "No more unread articles that way"))
        await settle(pilot)
        assert screen.headline_list.cursor == 0
        assert shown(screen).stored.article.title == first


async def test_help_screen_lists_every_action(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        text = "\n".join(" ".join(row) for row in key_rows(screen, {}))
        for expected in ("reader.back", "reader.forward", "reader.toggle_read", "1 … 9", "ctrl+p", "headlines.open"):
            assert expected in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MainScreen))


async def test_palette_runs_an_action(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        palette = pilot.app.screen
        for character in "Unread only":
            await pilot.press(character if character != " " else "space")
        await settle(pilot)  # the palette's search (a worker) has listed what matches
        results = palette.query_one(CommandList)
        assert results.option_count and str(results.get_option_at_index(0).prompt).startswith("Unread only")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.unread_only)
        await wait_for(pilot, lambda: screen.headline_list.total == 16 and "showing unread only" in status(screen))


async def test_restart_reopens_the_last_article(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("j", "j", "j", "enter")
        await shows_title(pilot, screen, titles_in_store(cache)[3])
        await wait_for(pilot, lambda: screen.unread == 15)
        await settle(pilot)  # the history is saved
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, titles_in_store(cache)[3])
        assert screen.headline_list.cursor == 3
        assert screen.navigation.current == shown(screen).stored.article.id


async def test_keymap_from_the_config_remaps_keys(cache: Path) -> None:
    async with run(make_app(cache, keymap={"reader.toggle_star": "x"})) as pilot:
        screen = await ready(pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: shown(screen).stored.starred)


async def test_narrow_terminal_stacks_see_also_under_the_article(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    timers = ManualTimers("preview").install(monkeypatch)
    async with run(make_app(cache), size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: timers.pending("preview"))
        timers.fire("preview")
        screen = await ready(pilot)
        assert screen.has_class("narrow")
        article = screen.query_one(ArticleView).region
        related = screen.query_one(RelatedPane).region
        headlines = screen.query_one(HeadlineList).region
        assert related.y >= article.bottom and related.x == article.x
        assert not headlines.overlaps(article) and not article.overlaps(related)
        await pilot.press("G", "k")  # the tram line, the oldest dated article
        await wait_for(pilot, lambda: screen.headline_list.cursor == 14 and timers.pending("preview"))
        await pilot.press("1")  # the preview of the row is not drawn yet: 1 draws it, then follows its link
        await shows_title(pilot, screen, "Пригородные автобусы Гродно")
        assert not timers.pending("preview")


async def test_o_opens_only_an_http_address_in_the_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "a.txt").write_text("С адресом\n\nURL: https://example.org/a/1\n\nТекст.", "utf-8")
    (folder / "b.txt").write_text("Без адреса\n\nТекст.", "utf-8")
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        from pozirk_reader.core.operations.importing import import_path

        import_path(store, folder)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        for row in range(2):  # the one with an address and the one without, in either order
            await pilot.press("o")
            await settle(pilot)  # the browser's worker (if any) has run
            if row == 0:
                await pilot.press("down")
                await wait_for(pilot, lambda: shown(screen).stored.article.id == screen.headline_list.highlighted.id)
                assert screen.headline_list.cursor == 1
        assert notified(pilot.app, "This article has no web address.")
    assert opened == ["https://example.org/a/1"]

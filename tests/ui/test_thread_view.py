"""The thread view with Pilot (build item 3): t shows the story of the open article, oldest first with hop
counts, the open one marked; Enter follows one like a link (Back returns); an article with no links says so."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from pozirk_reader.ui.screens.thread import ThreadScreen
from tests.ui.helpers import TRAM, make_app, notified, open_titled, ready, run, settle, shown, shows_title, wait_for

BUS = "Пригородные автобусы Гродно"


def thread_rows(screen: ThreadScreen) -> list[str]:
    options = screen.query_one(OptionList)
    return [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]  # type: ignore[union-attr]


async def test_t_shows_the_story_and_enter_follows_an_article_of_it(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await open_titled(pilot, screen, BUS)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(screen.app.screen, ThreadScreen))
        thread = screen.app.screen
        assert isinstance(thread, ThreadScreen)
        rows = thread_rows(thread)
        assert len(rows) == 10
        assert rows[0].startswith(" 1 02.10.26") and TRAM in rows[0]  # oldest first, one link away
        current = next(i for i, row in enumerate(rows) if BUS in row)
        assert rows[current].startswith(" ● 02.11.26")
        assert thread.query_one(OptionList).highlighted == current  # the cursor on the open article
        assert any(row.startswith(" 3 ") for row in rows)  # links' links' links
        await pilot.press("G")
        await wait_for(pilot, lambda: thread.query_one(OptionList).highlighted == len(rows) - 1)
        await pilot.press("g")
        await wait_for(pilot, lambda: thread.query_one(OptionList).highlighted == 0)
        await pilot.press("enter")
        await shows_title(pilot, screen, TRAM)
        assert not isinstance(screen.app.screen, ThreadScreen)
        await pilot.press("backspace")  # followed like a link: back is the bus article
        await shows_title(pilot, screen, BUS)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(screen.app.screen, ThreadScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.app.screen is screen)
        assert shown(screen).stored.article.title.startswith(BUS)


async def test_an_article_with_no_links_has_no_thread(tmp_path: Path) -> None:
    folder = tmp_path / "lone"
    folder.mkdir()
    (folder / "a.txt").write_text("Одна статья\n\nМинск, 2 ноября. Текст без ссылок.\n", encoding="utf-8")

    async with run(make_app(tmp_path / "c.sqlite3", import_paths=[folder])) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: screen.opened is not None)
        await settle(pilot)
        await pilot.press("t")
        await wait_for(
            pilot, lambda: notified(screen.app, "No story here: no cached article links to this one or from it")
        )
        assert screen.app.screen is screen


async def test_a_long_headline_goes_on_under_itself_at_80x24(cache: Path) -> None:
    async with run(make_app(cache), size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await open_titled(pilot, screen, BUS)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(screen.app.screen, ThreadScreen))
        await settle(pilot)
        options = screen.app.screen.query_one(OptionList)
        drawn = [options.render_line(y).text for y in range(options.scrollable_content_region.height)]
        wrapped = [line for line in drawn if line.strip() and not line[:3].strip()]
        assert wrapped  # some headlines are longer than a line here
        indent = len(" 1 02.10.26 • ")
        assert all(line.startswith(" " * indent) and line[indent] != " " for line in wrapped)
        assert any(line.strip() == "проспекте" for line in wrapped)

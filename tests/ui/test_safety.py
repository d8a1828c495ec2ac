"""Outside text is content, never markup or control sequences; faults become notifications."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Input

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.screens.filters import FilterScreen
from pozirk_reader.ui.screens.main import MainScreen
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.headline_list import HeadlineList
from pozirk_reader.ui.widgets.related_pane import RelatedPane
from tests.test_store_faults import damage
from tests.ui.helpers import ManualTimers, make_app, notified, ready, run, sample_library, settle, shown, wait_for

HOSTILE_TITLE = "[bold]Жирный[/] [link=file:///etc/passwd]x[/link] [@click=app.quit]выйти[/]"
HOSTILE = f"""Минск 10:00

{HOSTILE_TITLE}

Фото: [red]красный[/red]

13 мая, Позірк. Текст [b]не жирный[/b], \x1b[2J\x1b]0;title\x07 и [@click=app.quit]клик[/] здесь.

См. также:

[@click=app.quit]Ссылка[/]

ПОДЕЛИТЬСЯ:"""


@pytest.fixture
def hostile_cache(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "evil.txt").write_text(HOSTILE, "utf-8")
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, folder)
    return cache


def visible_text(screen: MainScreen, widgets: list[Widget] | None = None) -> str:
    """Every character the panes (or ``widgets``) draw, line by line."""
    lines = []
    for widget in widgets or (
        screen.query_one(HeadlineList),
        screen.query_one(ArticleView),
        screen.query_one(RelatedPane),
    ):
        for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
            lines.append("".join(segment.text for segment in strip))
    return "\n".join(lines)


async def test_markup_in_an_article_is_shown_literally_and_does_nothing(hostile_cache: Path) -> None:
    app = make_app(hostile_cache)
    async with run(app, size=(160, 50)) as pilot:
        screen = await ready(pilot)
        text = visible_text(screen)
        assert "[bold]Жирный[/]" in text
        assert "[link=file:///etc/passwd]x[/link]" in text
        assert "[@click=app.quit]выйти[/]" in text
        assert "[b]не жирный[/b]" in text
        assert "[@click=app.quit]Ссылка[/]" in text
        assert "\x1b" not in text and "\x07" not in text
        article = screen.query_one(ArticleView)
        lines = visible_text(screen, [article]).splitlines()
        spots = [(line.index("[@click"), y) for y, line in enumerate(lines) if "[@click" in line]
        assert len(spots) == 3  # headline, body, related link
        for x, y in spots:
            await pilot.click(offset=(article.content_region.x + x + 3, article.content_region.y + y))
        await settle(pilot)  # every click handled, and whatever it started finished
        assert app.return_code is None and app.is_running  # app.quit was not run
        assert shown(screen).stored.article.title == HOSTILE_TITLE


async def test_link_titles_with_markup_are_literal_in_the_palette(hostile_cache: Path) -> None:
    async with run(make_app(hostile_cache)) as pilot:
        screen = await ready(pilot)
        commands = [command.title for command in screen.palette_commands()]
        assert "Search for link 1: [@click=app.quit]Ссылка[/]" in commands  # not cached: Enter searches


async def test_a_broken_file_during_import_is_a_notification(tmp_path: Path) -> None:
    library = sample_library(tmp_path)
    (library / "broken.txt").write_bytes(b"\x00\x01\x02")
    app = make_app(tmp_path / "data" / "library.sqlite3", import_paths=[library])
    async with run(app) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        await wait_for(pilot, lambda: notified(app, "broken.txt"))
        await pilot.press("down")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 1)
        assert app.is_running


async def test_a_damaged_cache_is_moved_aside_with_a_notification(tmp_path: Path) -> None:
    library = sample_library(tmp_path)
    cache = tmp_path / "data" / "library.sqlite3"
    cache.parent.mkdir()
    cache.write_bytes(b"not a database at all" * 100)
    app = make_app(cache, samples=library)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        assert notified(app, "was damaged: moved it to")
    assert [p.name.startswith("library.sqlite3.damaged-") for p in cache.parent.iterdir()].count(True) == 1


async def test_a_cache_that_cannot_open_ends_with_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    app = make_app(blocker / "data" / "library.sqlite3")
    async with run(app) as pilot:
        await wait_for(pilot, lambda: app.exit_message is not None)
    assert "cache" in app.exit_message and "\n" not in app.exit_message


async def test_a_previewed_article_counts_as_read_after_a_moment(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview shown for the dwell time is read and in the history; a row the cursor passes over is neither."""
    timers = ManualTimers("preview", "dwell").install(monkeypatch)
    async with run(make_app(cache)) as pilot:
        await wait_for(pilot, lambda: timers.pending("preview"))
        timers.fire("preview")  # the cursor rested on the first row
        screen = await ready(pilot)
        first = shown(screen).stored.article.id
        await wait_for(pilot, lambda: timers.pending("dwell"))
        timers.fire("dwell")  # and stayed there long enough
        await wait_for(pilot, lambda: screen.unread == 15)
        await pilot.press("down")
        await wait_for(pilot, lambda: screen.headline_list.cursor == 1 and len(timers.pending("preview")) == 1)
        passed_over = screen.headline_list.highlighted
        await pilot.press("down")  # before the second row's preview was drawn
        await wait_for(pilot, lambda: screen.headline_list.cursor == 2 and len(timers.pending("preview")) == 1)
        assert not timers.pending("dwell")
        third = screen.headline_list.highlighted.id
        timers.fire("preview")
        await wait_for(pilot, lambda: timers.pending("dwell") and shown(screen).stored.article.id == third)
        timers.fire("dwell")
        await wait_for(pilot, lambda: screen.unread == 14)
        await settle(pilot)
        assert screen.navigation.entries == [first, third]
        assert passed_over is not None and not screen.headline_list.headline_at(1).read
    with Store.open(cache) as store:
        assert not store.get(passed_over.id).read and store.get(third).read


async def test_a_cache_failing_its_background_check_is_replaced(tmp_path: Path) -> None:
    library = sample_library(tmp_path)
    cache = tmp_path / "data" / "library.sqlite3"
    cache.parent.mkdir()
    damage(cache, from_fraction=0.9)  # pages of article text: opening works, only the full check finds it
    app = make_app(cache, samples=library)
    async with run(app) as pilot:
        await wait_for(pilot, lambda: notified(app, "integrity check"))
        screen = await ready(pilot)
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        assert notified(app, "moved it to")
    assert len(list(cache.parent.glob("library.sqlite3.damaged-*"))) == 1


async def test_notifications_show_outside_text_literally(tmp_path: Path) -> None:
    """A file name (or a feed's title, an error) in a notification is text, never markup: shown as it is."""
    library = sample_library(tmp_path)
    (library / "[b]bold[@click=app.quit] quit.txt").write_bytes(b"\x00\x01\x02")
    app = make_app(tmp_path / "data" / "library.sqlite3", import_paths=[library])
    async with run(app, notifications=True) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: notified(app, "[b]bold[@click=app.quit] quit.txt"))
        await settle(pilot)
        toasts = [toast for toast in app.screen.query("Toast") if "quit.txt" in toast.render().plain]
        assert len(toasts) == 1
        assert "[b]bold[@click=app.quit] quit.txt" in toasts[0].render().plain
        await pilot.click(toasts[0])
        await settle(pilot)
        assert app.return_code is None and app.is_running


async def test_a_bad_date_typed_with_brackets_is_quoted_literally(cache: Path) -> None:
    """The filter dialog quotes what was typed in its error; "[/b]" there broke the notification (MarkupError)."""
    app = make_app(cache)
    async with run(app, notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        app.screen.query_one("#since", Input).value = "[/b]"
        app.screen.query_one("#apply", Button).press()
        await wait_for(pilot, lambda: notified(app, "“[/b]” is not a date"))
        await settle(pilot)
        assert any("“[/b]” is not a date" in toast.render().plain for toast in app.screen.query("Toast"))
        assert app.is_running

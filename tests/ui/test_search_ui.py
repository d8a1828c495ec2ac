"""Search as you type, filters, find in the article and "more like this", driven with Pilot on the samples."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual import events

from pozirk_reader.core.search.filters import NO_FILTERS, SearchFilters
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceSummary
from pozirk_reader.ui.controllers import reading as reading_module
from pozirk_reader.ui.messages import ListState
from pozirk_reader.ui.screens.filters import FilterScreen
from pozirk_reader.ui.screens.main import MainScreen
from pozirk_reader.ui.widgets.article_view import ArticleView
from pozirk_reader.ui.widgets.query_bar import QueryBar
from pozirk_reader.ui.widgets.related_pane import RelatedPane
from tests.ui.helpers import make_app, notified, ready, run, settle, shows_title, wait_for


def titles(screen: MainScreen) -> list[str]:
    headlines = screen.headline_list
    return [row.title for index in range(headlines.total) if (row := headlines.headline_at(index))]


async def test_typing_a_query_replaces_the_list_and_enter_opens_the_first_result(cache: Path) -> None:
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        start = screen.opened.stored.article.id if screen.opened else None
        await pilot.press("slash")
        assert screen.query_one("#search", QueryBar).has_focus
        await pilot.press(*"библиотеки")
        await wait_for(pilot, lambda: screen.headline_list.total == 2)
        assert sorted(titles(screen)) == [
            "В Бресте открылась новая районная библиотека",
            "В Гродно открылась новая районная библиотека",
        ]
        first = screen.headline_list.headline_at(0)
        assert first is not None and screen.headline_list.match_spans(first.id)
        await pilot.press("enter")  # the second keystroke after the query: open the best result
        await shows_title(pilot, screen, first.title)
        assert screen.query_one(ArticleView).has_focus
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.headline_list.total == 16)
        assert not screen.query_one("#search", QueryBar).display
        assert start is not None
        await wait_for(pilot, lambda: screen.headline_list.highlighted is not None)
        assert screen.headline_list.highlighted.id == start  # back where the list was before the search


async def test_the_latest_query_wins(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Results of an earlier query that arrive after the latest query's are dropped."""
    gate, held = threading.Event(), []
    real_state = MainScreen._list_state

    def list_state(screen: MainScreen, article_id: str | None) -> ListState:
        query = screen.search.query
        state = real_state(screen, article_id)
        if query == "Гродно" and not held:  # hold these results back until the later query's are shown
            held.append(state)
            gate.wait(60)
        return state

    monkeypatch.setattr(MainScreen, "_list_state", list_state)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        monkeypatch.setattr(screen.search, "delay", 0.001)  # every keystroke searches at once
        await pilot.press("slash", *"Гродно")
        await wait_for(pilot, lambda: held)
        assert any("Гродно" in headline.title for headline in held[0].page)
        bar = screen.query_one("#search", QueryBar)
        bar.value = ""
        await pilot.press(*"Брест")
        await wait_for(pilot, lambda: screen.search.query == "Брест" and "Брест" in " ".join(titles(screen)[:1]))
        gate.set()  # the results for Гродно arrive now, last
        await settle(pilot)
        found = titles(screen)
        assert found and all("Брест" in title for title in found)
        assert screen.headline_list.total == len(found)  # the count is the latest query's too
        assert f"search “Брест”: {len(found)} found" in str(screen.query_one("#status").render())


async def test_a_query_that_finds_nothing_says_so(cache: Path) -> None:
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"зебра", "enter")
        await wait_for(pilot, lambda: screen.headline_list.total == 0 and screen.search.query == "зебра")
        await wait_for(pilot, lambda: notified(app, "Nothing found"))
        bar = screen.query_one("#search", QueryBar)
        await wait_for(pilot, lambda: screen.focused is bar)
        await pilot.press("x")  # the line is back to mend the query: a key extends it, never replaces it
        assert bar.value == "зебраx"
        await pilot.press("escape", "slash", *"ab")
        assert bar.value == "ab"  # a fresh search line still starts empty


async def test_filters_combine_with_the_search(cache: Path) -> None:
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"библиотека")
        await wait_for(pilot, lambda: screen.headline_list.total == 2)
        screen.search.set_filters(SearchFilters(since=date(2026, 10, 20)))
        await wait_for(pilot, lambda: screen.headline_list.total == 1)
        assert titles(screen) == ["В Бресте открылась новая районная библиотека"]
        assert "filtered: 2026-10-20 – …" in str(screen.query_one("#status").render())


async def test_the_filter_dialog_returns_what_was_chosen(cache: Path) -> None:
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        dialog = app.screen
        dialog.query_one("#starred").value = True
        dialog.query_one("#until").value = "2026-10-15"
        dialog.query_one("#apply").press()
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.search.filters == SearchFilters(starred_only=True, until=date(2026, 10, 15))
        await wait_for(pilot, lambda: screen.headline_list.total == 0)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        app.screen.query_one("#since").value = "yesterday"
        app.screen.query_one("#apply").press()
        await wait_for(pilot, lambda: notified(app, "is not a date"))
        app.screen.query_one("#clear").press()
        await wait_for(pilot, lambda: screen.headline_list.total == 16)


async def test_the_filter_dialog_lists_sources_off_the_ui_thread_and_opens_once(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    gate, held = threading.Event(), threading.Event()
    real_sources = Store.source_summaries

    def sources(store: Store, *args: object, **kwargs: object) -> list[SourceSummary]:
        threads.append(threading.current_thread())
        if not held.is_set():  # the first F's sources arrive only after the second F's dialog is up
            held.set()
            gate.wait(60)
        return real_sources(store, *args, **kwargs)

    monkeypatch.setattr(Store, "source_summaries", sources)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("F")
        await wait_for(pilot, held.is_set)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        gate.set()
        await settle(pilot)
        assert [type(shown) for shown in app.screen_stack].count(FilterScreen) == 1
        assert app.screen.sources and all(summary.label for summary in app.screen.sources)
        assert screen.search.filters == NO_FILTERS
    assert len(threads) == 2 and threading.main_thread() not in threads


async def test_ctrl_f_finds_in_the_article_and_n_steps_through_matches(cache: Path) -> None:
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        view = screen.query_one(ArticleView)
        await pilot.press("slash", *"Бресте библиотека", "enter")
        await shows_title(pilot, screen, "В Бресте открылась новая районная библиотека")
        await pilot.press("ctrl+f", *"БИБЛИОТЕК", "enter")  # any case; "библиотека", "библиотек", "Библиотека"
        await wait_for(pilot, lambda: view.has_focus and view.match_count > 0)
        total = view.match_count
        assert total == view.text.lower().count("библиотек") >= 4
        assert screen.search.found_text == f"“БИБЛИОТЕК”: {view.current_match + 1} of {total} (n / N)"
        before = view.current_match
        await pilot.press("n")
        assert view.current_match == (before + 1) % total
        await pilot.press("N", "N")
        assert view.current_match == (before - 1) % total
        await pilot.press("escape")
        assert view.match_count == 0 and not screen.query_one("#find", QueryBar).display
        opened = screen.opened
        await pilot.press("n")  # with no find, n is "next unread" again
        await wait_for(pilot, lambda: screen.opened is not opened)


async def test_more_like_this_suggests_other_articles_never_the_article_itself(cache: Path) -> None:
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *'"районная библиотека"', "enter")
        await shows_title(pilot, screen, "В Бресте открылась новая районная библиотека")
        await settle(pilot)  # the suggestions follow the article
        opened = screen.opened
        assert opened is not None and len(opened.links) < 3
        assert opened.suggestions, "the Brest library shares its topic with other samples"
        ids = [headline.id for headline in opened.suggestions]
        assert opened.stored.article.id not in ids
        assert not {link.target_id for link in opened.links} & set(ids)
        pane = screen.query_one(RelatedPane)
        prompts = [str(option.prompt) for option in pane.options]
        assert "More like this" in prompts
        suggestion = opened.suggestions[0]
        pane.focus()
        pane.highlighted = next(i for i, option in enumerate(pane.options) if option.id == f"like-{suggestion.id}")
        await pilot.press("enter")
        await shows_title(pilot, screen, suggestion.title)


async def test_an_article_is_shown_before_its_suggestions_are_found(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search for "more like this" runs after the article is on screen: it never delays the article."""
    found = threading.Event()
    original = reading_module.similar

    def slow_similar(*args: Any, **kwargs: Any) -> Any:
        found.wait(120)  # released by the test (longer than shows_title waits)
        return original(*args, **kwargs)

    monkeypatch.setattr(reading_module, "similar", slow_similar)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *'"районная библиотека"', "enter")
        try:
            await shows_title(pilot, screen, "В Бресте открылась новая районная библиотека")
            pane = screen.query_one(RelatedPane)
            assert screen.query_one(ArticleView).text.startswith("В Бресте открылась новая районная библиотека")
            assert "More like this" not in [str(option.prompt) for option in pane.options]
        finally:
            found.set()
        await wait_for(pilot, lambda: "More like this" in [str(option.prompt) for option in pane.options])
        opened = screen.opened
        assert opened is not None and opened.suggestions
        await settle(pilot)


async def test_a_word_that_finds_little_is_widened_to_a_prefix_and_the_status_says_so(cache: Path) -> None:
    """Defect 7: "трамвай" finds the tram line ("трамвайную") and the status line names трамвай*."""
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"трамвай")
        await wait_for(pilot, lambda: screen.search.query == "трамвай" and screen.headline_list.total > 0)
        await settle(pilot)
        assert "В Минске продлят трамвайную линию до Лошицы" in titles(screen)
        assert "(also трамвай*)" in str(screen.query_one("#status").render())


async def test_a_word_typed_in_the_same_burst_as_the_slash_goes_to_the_search_line(cache: Path) -> None:
    """A terminal delivers "/" and a word typed fast in one read (tmux send-keys does); every key reaches the line."""
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        for key, character in [("slash", "/"), ("a", "a"), ("b", "b"), ("c", "c")]:
            pilot.app.post_message(events.Key(key, character))  # queued together, as the driver posts them
        await settle(pilot)
        assert screen.search_bar.has_focus and screen.search_bar.value == "abc"
        await pilot.press("slash", "d")  # in the line, a slash is typed
        assert screen.search_bar.value == "abc/d"


async def test_a_key_typed_in_the_same_burst_as_enter_goes_to_the_reader_not_the_line(cache: Path) -> None:
    """Enter and the next key in one read (tmux send-keys does): the key is the reader's ("t", the thread), and
    never typed into the search line."""
    from pozirk_reader.ui.screens.thread import ThreadScreen

    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        await pilot.press("slash", *"трамвайную")
        await wait_for(pilot, lambda: screen.search.query == "трамвайную" and screen.headline_list.total == 1)
        await settle(pilot)
        for key, character in [("enter", "\r"), ("t", "t")]:
            pilot.app.post_message(events.Key(key, character))  # queued together, as the driver posts them
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, ThreadScreen) and pilot.app.screen.focused is not None
        )
        await settle(pilot)  # the thread's list mounted and focused, before the app may close
        assert screen.search_bar.value == "трамвайную"
        assert "трамвайную" in (screen.opened.stored.article.title if screen.opened else "")

"""Triage with Pilot: A marks the list as shown read, C the open article's source, U undoes the last mark."""

from __future__ import annotations

from pathlib import Path

from pozirk_reader.core.store.library import Store
from tests.ui.helpers import make_app, notified, ready, run, settle, shown, wait_for


def unread(cache: Path) -> set[str]:
    with Store.open(cache) as store:
        return {headline.id for headline in store.headlines(0, 1000) if not headline.read}


async def test_a_marks_the_search_results_read_and_u_undoes_it(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await pilot.press("slash", *"библиотека")
        await wait_for(pilot, lambda: screen.headline_list.total == 2)
        found = {row.id for index in range(2) if (row := screen.headline_list.headline_at(index))}
        await pilot.press("enter")  # the first result opens (and is read); the keys go to the article
        await settle(pilot)
        before = unread(cache)
        assert len(found & before) == 1 and len(before) > 2
        await pilot.press("A")
        await wait_for(pilot, lambda: notified(screen.app, "1 article of this search marked read"))
        await settle(pilot)
        assert unread(cache) == before - found  # only what the search found
        assert screen.unread == len(before) - 1
        await pilot.press("U")
        await wait_for(pilot, lambda: notified(screen.app, "Undone: 1 article unread again"))
        await settle(pilot)
        assert unread(cache) == before  # the result read before the mark stays read


async def test_c_marks_the_open_articles_source_read_and_u_brings_back_only_what_it_marked(cache: Path) -> None:
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        source = shown(screen).stored.source_location
        with Store.open(cache) as store:
            summary = next(s for s in store.source_summaries() if s.source.location == source)
        before = unread(cache)
        assert summary.unread > 0
        await pilot.press("C")
        await wait_for(pilot, lambda: notified(screen.app, "marked read"))
        await settle(pilot)
        with Store.open(cache) as store:
            assert next(s for s in store.source_summaries() if s.source.id == summary.source.id).unread == 0
        marked = before - unread(cache)
        assert len(marked) == summary.unread
        assert screen.opened is not None and screen.opened.stored.read
        await pilot.press("U")
        await wait_for(pilot, lambda: notified(screen.app, "Undone"))
        await settle(pilot)
        assert unread(cache) == before
        await pilot.press("U")
        await wait_for(pilot, lambda: notified(screen.app, "Nothing to undo"))

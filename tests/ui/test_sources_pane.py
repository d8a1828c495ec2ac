"""The sources pane with Pilot: L opens it in the list's place (at 80x24 too), Enter shows one source's list,
e renames a source for the list, C marks it read (U undoes), d twice removes it, Escape closes the pane."""

from __future__ import annotations

from pathlib import Path

from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceSummary
from pozirk_reader.ui.screens.main import MainScreen
from pozirk_reader.ui.screens.rename import RenameScreen
from pozirk_reader.ui.widgets.sources_pane import SourcesPane
from tests.ui.helpers import feeds_cache, list_lines, make_app, notified, ready, run, settle, wait_for


def summaries(cache: Path) -> list[SourceSummary]:
    with Store.open(cache) as store:
        return store.source_summaries()


def rows(screen: MainScreen) -> list[str]:
    pane = screen.sources_pane
    return [pane.get_option_at_index(index).prompt.plain for index in range(pane.option_count)]  # type: ignore[union-attr]


async def open_pane(pilot, screen: MainScreen) -> SourcesPane:  # type: ignore[no-untyped-def]
    await pilot.press("L")
    pane = screen.sources_pane
    await wait_for(pilot, lambda: pane.option_count == len(summaries(screen.store.path)) + 1)
    await settle(pilot)
    assert pane.display and pane.has_focus and not screen.headline_list.display
    return pane


async def rename_atom(pilot, screen: MainScreen, pane: SourcesPane, name: str) -> int:  # type: ignore[no-untyped-def]
    """Rename the Atom sample feed to ``name`` with ``e`` in the pane; its row's index."""
    index = next(i for i, row in enumerate(rows(screen)) if "Atom" in row)
    pane.highlighted = index
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(screen.app.screen, RenameScreen))
    await pilot.press(*name, "enter")
    await wait_for(pilot, lambda: rows(screen)[index].startswith(f"◉ {name} "))
    return index


async def test_l_lists_every_source_with_its_counts_and_enter_shows_its_articles(tmp_path: Path) -> None:
    cache = feeds_cache(tmp_path)
    atom = next(s for s in summaries(cache) if s.source.title and "Atom" in s.source.title)
    async with run(make_app(cache), size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        pane = await open_pane(pilot, screen)
        shown = rows(screen)
        every = summaries(cache)
        drawn = [pane.render_line(y).text.strip() for y in range(pane.option_count)]
        assert [line.split()[-1] for line in drawn] == [row.split()[-1] for row in shown]  # one line each at 80x24
        assert all(line.split()[-1].count("/") == 1 for line in drawn)
        assert shown[0].startswith("∗ All sources")
        assert shown[0].rstrip().endswith(f"{sum(s.unread for s in every)}/{sum(s.total for s in every)}")
        await pilot.press("G")
        await wait_for(pilot, lambda: pane.highlighted == pane.option_count - 1)
        await pilot.press("g")
        await wait_for(pilot, lambda: pane.highlighted == 0)
        atom_row = next(row for row in shown if "Atom" in row)
        assert atom_row.rstrip().endswith(f"{atom.unread}/{atom.total}")
        pane.highlighted = shown.index(atom_row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.headline_list.total == atom.total)
        await settle(pilot)
        assert not pane.display and screen.headline_list.display and screen.headline_list.has_focus
        assert screen.search.filters.source_id == atom.source.id
        await pilot.press("L")
        await wait_for(pilot, lambda: pane.display and pane.option_count > 1)
        assert pane.highlighted == shown.index(atom_row)  # on the source shown
        pane.highlighted = 0
        await pilot.press("enter")  # All sources: the whole list again
        await wait_for(pilot, lambda: screen.headline_list.total == sum(s.total for s in every))
        assert screen.search.filters.source_id is None


async def test_rename_mark_read_and_remove_from_the_pane(tmp_path: Path) -> None:
    cache = feeds_cache(tmp_path)
    atom = next(s for s in summaries(cache) if s.source.title and "Atom" in s.source.title)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        pane = await open_pane(pilot, screen)
        index = await rename_atom(pilot, screen, pane, "Атом")
        assert next(s for s in summaries(cache) if s.source.id == atom.source.id).source.display_name == "Атом"
        await pilot.press("C")
        await wait_for(pilot, lambda: notified(screen.app, f"{atom.unread} articles of Атом marked read"))
        await wait_for(pilot, lambda: rows(screen)[index].rstrip().endswith(f"0/{atom.total}"))
        await pilot.press("U")
        await wait_for(pilot, lambda: rows(screen)[index].rstrip().endswith(f"{atom.unread}/{atom.total}"))
        await pilot.press("d")
        await wait_for(pilot, lambda: notified(screen.app, "Press d again to remove “Атом”"))
        assert any(s.source.id == atom.source.id for s in summaries(cache))
        await pilot.press("d")
        await wait_for(pilot, lambda: notified(screen.app, f"Removed “Атом” and {atom.total} articles"))
        await wait_for(pilot, lambda: pane.option_count == len(summaries(cache)) + 1)
        assert all(s.source.id != atom.source.id for s in summaries(cache))
        await pilot.press("escape")
        await settle(pilot)
        assert not pane.display and screen.headline_list.has_focus
        assert not any("Атом" in line for line in list_lines(screen))


async def test_r_in_the_pane_refreshes_that_feed_only(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cache = feeds_cache(tmp_path)
    atom = next(s for s in summaries(cache) if s.source.title and "Atom" in s.source.title)
    asked: list[object] = []
    import pozirk_reader.ui.controllers.sources as sources

    monkeypatch.setattr(sources, "refresh", lambda store, **kw: asked.append(kw["source_ids"]) or [])
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        pane = await open_pane(pilot, screen)
        pane.highlighted = next(i for i, row in enumerate(rows(screen)) if "Atom" in row)
        await pilot.press("r")
        await wait_for(pilot, lambda: asked)
        assert asked == [[atom.source.id]]
        pane.highlighted = next(i for i, row in enumerate(rows(screen)) if "▤" in row)
        await pilot.press("r")
        await wait_for(pilot, lambda: notified(screen.app, "is not a feed"))


async def test_the_list_and_the_status_line_name_the_source_shown(tmp_path: Path) -> None:
    cache = feeds_cache(tmp_path)
    atom = next(s for s in summaries(cache) if s.source.title and "Atom" in s.source.title)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        pane = await open_pane(pilot, screen)
        await rename_atom(pilot, screen, pane, "[b]Атом[/b]")  # markup in a name is text, never markup
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.headline_list.total == atom.total)
        await settle(pilot)
        top = screen.headline_list.render_lines(screen.headline_list.region.reset_offset)[0].text
        assert "Headlines · [b]Атом[/b]" in top
        status = str(screen.query_one("#status").render())
        assert f"source “[b]Атом[/b]” ({atom.total})" in status
        await pilot.press("L")
        await wait_for(pilot, lambda: pane.display and pane.option_count > 1)
        pane.highlighted = 0
        await pilot.press("enter")  # All sources
        await wait_for(pilot, lambda: screen.search.filters.source_id is None)
        await settle(pilot)
        top = screen.headline_list.render_lines(screen.headline_list.region.reset_offset)[0].text
        assert "Headlines ─" in top and "Атом" not in top

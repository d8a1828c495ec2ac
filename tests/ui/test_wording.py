"""What the reader calls things (defect 9): the filter dialog names sources as the list does, counts agree with
their nouns, and the palette offers each command once and no dead link."""

from __future__ import annotations

from pathlib import Path

from pozirk_reader.ui.screens.filters import FilterScreen
from tests.ui.helpers import feeds_cache, make_app, ready, run, settle, wait_for


async def test_the_filter_dialog_names_sources_as_the_headline_list_does(tmp_path: Path) -> None:
    cache = feeds_cache(tmp_path)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen))
        await settle(pilot)
        names = sorted(str(name) for name, _ in app.screen.source_options)
        assert names == ["Pozirk", "Pozirk sample (Atom)", "Pozirk sample (full text)", "Pozirk sample (summaries)"]
        assert not any("/" in name for name in names)
        listed = {screen.headline_list.headline_at(row).source_name for row in range(5)}
        assert listed <= {*names, None}


async def test_one_article_is_one_article(tmp_path: Path) -> None:
    from pozirk_reader.core.operations.importing import import_path
    from pozirk_reader.core.store.library import Store

    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").write_text("Одна статья\n\nТекст.", "utf-8")
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, folder)
    async with run(make_app(cache)) as pilot:
        screen = await ready(pilot)
        await settle(pilot)
        assert str(screen.query_one("#status").render()).startswith("1 article  ·  1 unread")

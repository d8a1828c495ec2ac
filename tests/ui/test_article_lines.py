"""The article pane draws its wrapped lines itself: exactly what Textual's ``Visual.to_strips`` makes of them."""

from __future__ import annotations

from pathlib import Path

from textual.visual import Visual

from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.widgets.article_view import ArticleView
from tests.ui.helpers import make_app, ready, run, settle, shows_title


def textual_strips(view: ArticleView, marked: bool) -> list[list[object]]:
    """Every wrapped line of ``view`` as Textual's own path draws it (with the find's marks if ``marked``)."""
    width = view.scrollable_content_region.width
    lines = [view._marked(i, line) if marked else line for i, line in enumerate(view._lines)]
    return [list(Visual.to_strips(view, line, width, 1, view.visual_style)[0]) for line in lines]


def pane_strips(view: ArticleView, marked: bool) -> list[list[object]]:
    """Every wrapped line of ``view`` as the pane draws it."""
    width = view.scrollable_content_region.width
    lines = [view._marked(i, line) if marked else line for i, line in enumerate(view._lines)]
    return [list(view._line_strip(line, width)) for line in lines]


async def test_every_sample_article_is_drawn_as_textual_would_draw_it(cache: Path) -> None:
    with Store.open(cache) as store:
        headlines = store.headlines(0, 1000)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        view = screen.article_view
        for headline in headlines:
            screen.open_article(headline.id)
            await shows_title(pilot, screen, headline.title)
            await settle(pilot)
            assert len(view._lines) > 3
            assert pane_strips(view, marked=False) == textual_strips(view, marked=False), headline.title
        view.find(headlines[-1].title.split()[-1])  # the marks of a find: the current match, and the others
        assert view.match_count > 1
        assert pane_strips(view, marked=True) == textual_strips(view, marked=True)

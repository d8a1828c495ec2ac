"""Real feeds in the reader: headings and code in the article pane, links in the text listed and followed,
a guessed encoding said."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message
from textual.widgets.option_list import Option

from pozirk_reader.core.operations.feeds import add_feed
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.widgets.related_pane import RelatedPane
from tests.feedserver import Route, Site
from tests.ui.helpers import make_app, ready, run, settle, shows_title

LONG_LINE = "x = " + "1 + " * 40 + "1"
POST = f"""<h2>A heading</h2><p>Read <a href="/docs">the docs</a> or <a href="https://away.example/">elsewhere</a>.</p>
<p>See <a href="/news/2302.html">a report</a>.</p>
<pre>{LONG_LINE}
\tindented</pre>"""


@pytest.fixture
def blog(tmp_path: Path, site: Site) -> Path:
    """A cache holding a blog's feed: a post with a heading, code and three links in its text (to the feed's other
    entry, to a site away, to a page of the local server not cached), and that other entry."""
    items = (
        f"<item><guid>1</guid><title>The post</title><link>{site.url('post')}</link>"
        f"<pubDate>Wed, 11 Nov 2026 09:00:00 +0000</pubDate><description><![CDATA[{POST}]]></description></item>"
        f"<item><guid>2</guid><title>The docs page</title><link>{site.url('docs')}</link>"
        "<pubDate>Tue, 10 Nov 2026 09:00:00 +0000</pubDate><description>All about it.</description></item>"
    )
    site.routes["/blog.xml"] = Route(f"<rss version='2.0'><channel><title>Blog</title>{items}</channel></rss>".encode())
    path = tmp_path / "data" / "library.sqlite3"
    with Store.open(path) as store:
        add_feed(store, site.url("blog.xml"), full_text=False)
    return path


def prompts(pane: RelatedPane) -> list[str]:
    return [str(option.prompt) for option in pane.options if isinstance(option, Option)]


def option_index(pane: RelatedPane, option_id: str) -> int:
    return next(index for index, option in enumerate(pane.options) if option.id == option_id)


async def test_the_article_pane_shows_headings_marks_links_and_leaves_code_unwrapped(blog: Path) -> None:
    async with run(make_app(blog), size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, "The post")
        view = screen.article_view
        assert "Read the docs [1] or elsewhere [2]." in view.text
        assert "  " + LONG_LINE in view.lines  # longer than the pane, and still one line
        assert "          indented" in view.lines  # its tab expanded, indented as the rest of the code
        assert "A heading" in view.lines


async def test_links_in_the_text_are_listed_enter_follows_a_cached_one_and_o_opens_one_in_the_browser(
    blog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    browsed: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: browsed.append(url) or True)
    messages: list[Message] = []
    async with run(make_app(blog), size=(120, 40), message_hook=messages.append) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, "The post")
        pane = screen.related_pane
        shown = prompts(pane)
        heading = shown.index("Links in the text (3)")
        assert shown[heading + 1 : heading + 3] == ["[1] → the docs", "[2] ↗ elsewhere  (web only)"]
        pane.focus()
        pane.highlighted = option_index(pane, "inline-1")
        await pilot.press("o")
        await settle(pilot)
        assert browsed == ["https://away.example/"]  # the link under the cursor, not the article's address
        pane.highlighted = option_index(pane, "inline-0")
        await pilot.press("enter")
        await settle(pilot)
        chosen = {id(m): m for m in messages if isinstance(m, RelatedPane.InlineLinkChosen)}  # seen as it bubbles
        assert [m.position for m in chosen.values()] == [0]
        await shows_title(pilot, screen, "The docs page")
        screen.headline_list.focus()
        await pilot.press("o")
        await settle(pilot)
        assert browsed[-1].endswith("/docs")  # outside the pane, o opens the article's own address


async def test_enter_on_a_link_in_the_text_that_is_not_cached_fetches_its_page(blog: Path, site: Site) -> None:
    async with run(make_app(blog), size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, "The post")
        pane = screen.related_pane
        assert prompts(pane)[prompts(pane).index("Links in the text (3)") + 3] == "[3] ↗ a report  (web only)"
        pane.focus()
        pane.highlighted = option_index(pane, "inline-2")
        await pilot.press("enter")
        await settle(pilot)
        await shows_title(pilot, screen, "Детская библиотека в Гродно")
        assert site.hits["/news/2302.html"] == 1


async def test_an_article_of_a_feed_whose_encoding_was_guessed_says_so(tmp_path: Path, site: Site) -> None:
    title = "Simulações de ação: não há solução à vista"
    body = f"<rss version='2.0'><channel><title>Notícias</title><item><guid>1</guid><title>{title}</title>"
    body += "<description>Texto.</description></item></channel></rss>"
    site.routes["/latin.xml"] = Route(body.encode("cp1252"), "application/rss+xml")
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        add_feed(store, site.url("latin.xml"), full_text=False)
    async with run(make_app(cache), size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, title)
        assert "⚠ the encoding was guessed: windows-1252 (no charset declared)" in screen.article_view.text

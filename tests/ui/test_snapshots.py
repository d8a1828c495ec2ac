"""What a person sees, as SVG snapshots (pytest-textual-snapshot): main screen, narrow, help, a followed link,
a feed summary, a feed entry with structure, search results.

Each snapshot is taken once the app has nothing left to do (``settle``), with the input cursor's blink off.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from pozirk_reader.core.operations.feeds import add_feed
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.screens.help import HelpScreen
from pozirk_reader.ui.widgets.query_bar import QueryBar
from tests.feedserver import FEEDS
from tests.ui.helpers import follow_first_link_of_tram, main_screen, make_app, ready, settle, wait_for


async def _loaded(pilot: Pilot) -> None:
    """The main screen up, the first article shown, nothing left running; the query lines' cursors steady."""
    screen = await ready(pilot)
    for bar in screen.query(QueryBar):
        bar.cursor_blink = False
    await settle(pilot)


def test_main_screen_120x40(snap_compare, cache: Path) -> None:
    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=_loaded)


def test_main_screen_80x24(snap_compare, cache: Path) -> None:
    assert snap_compare(make_app(cache), terminal_size=(80, 24), run_before=_loaded)


def test_help_screen(snap_compare, cache: Path) -> None:
    async def open_help(pilot: Pilot) -> None:
        await _loaded(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await settle(pilot)

    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=open_help)


def test_after_following_a_link(snap_compare, cache: Path) -> None:
    async def follow(pilot: Pilot) -> None:
        await follow_first_link_of_tram(pilot)
        await settle(pilot)

    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=follow)


def test_a_feed_summary(snap_compare, tmp_path: Path) -> None:
    """A summary-only feed entry, read from a local copy of the sample feed: the pane says it is a summary."""
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        add_feed(store, str(FEEDS / "rss-summaries.xml"), full_text=False)
    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=_loaded)


STRUCTURED_POST = """<h2>Setting up</h2><p>Read <a href="https://blog.example/docs">the docs</a> and
<a href="https://other.example/report">this report</a> first.<sup>1</sup></p>
<pre>def main() -> None:
\tif ready():  # a comment long enough to run past the edge of the article pane, which must not wrap it
\t\treturn</pre>
<ul><li>Top<ul><li>Second level</li></ul></li></ul>"""


def test_a_feed_entry_with_structure(snap_compare, tmp_path: Path) -> None:
    """A heading, links in the text marked and listed in the see-also pane, code left unwrapped, nested lists."""
    items = (
        "<item><guid>1</guid><title>A post with structure</title><link>https://blog.example/post</link>"
        f"<pubDate>Wed, 11 Nov 2026 09:00:00 +0000</pubDate><description><![CDATA[{STRUCTURED_POST}]]></description>"
        "</item><item><guid>2</guid><title>The docs</title><link>https://blog.example/docs</link>"
        "<pubDate>Tue, 10 Nov 2026 09:00:00 +0000</pubDate><description>All about it.</description></item>"
    )
    feed = tmp_path / "blog.xml"
    feed.write_text(f"<rss version='2.0'><channel><title>Blog</title>{items}</channel></rss>", encoding="utf-8")
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        add_feed(store, str(feed), full_text=False)
    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=_loaded)


def test_search_results(snap_compare, cache: Path) -> None:
    """Results as you type: the matching words marked in the headlines, the count in the status line."""

    async def search(pilot: Pilot) -> None:
        await _loaded(pilot)
        screen = main_screen(pilot)
        await pilot.press("slash", *"районная библиотека")
        await wait_for(pilot, lambda: screen.search.query == "районная библиотека")  # the search timer fired
        await settle(pilot)
        assert screen.headline_list.total == 2

    assert snap_compare(make_app(cache), terminal_size=(120, 40), run_before=search)

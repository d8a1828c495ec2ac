"""Feeds in the reader: subscribing at start, `r` to refresh, `f` for full text, following links to the web."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.core.operations.feeds import add_feed
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.web.fetch import FetchLimits
from pozirk_reader.ui.app import ReaderApp
from pozirk_reader.ui.widgets.article_view import ArticleView
from tests.feedserver import Route, Site
from tests.ui.helpers import make_app, notifications, notified, ready, run, settle, shows_title, wait_for

QUICK = FetchLimits(connect_timeout=2, read_timeout=2, deadline=3)


def subscribed_cache(tmp_path: Path, site: Site, *names: str, full_text: bool = True) -> Path:
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        for name in names:
            add_feed(store, site.url(name), full_text=full_text, limits=QUICK)
    return cache


def article_text(app: ReaderApp) -> str:
    return app.screen.query_one(ArticleView).text


async def test_the_reader_subscribes_to_a_feed_given_at_start(tmp_path: Path, site: Site) -> None:
    cache = tmp_path / "data" / "library.sqlite3"
    app = ReaderApp(cache, feeds=[site.url("atom.xml")])
    async with run(app) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: screen.headline_list.total == 5)
        assert notified(app, "1 feed refreshed: 5 new articles")
        await shows_title(pilot, screen, "В Гомеле прошёл городской турнир")
        assert "Full text" in article_text(app)


async def test_r_refreshes_while_reading_goes_on(tmp_path: Path, site: Site) -> None:
    cache = subscribed_cache(tmp_path, site, "rss-full.xml")
    body = site.routes["/rss-full.xml"].body
    item = body[body.index(b"<item>") : body.index(b"</item>") + 7]
    new_item = item.replace(b"2106", b"2199").replace("первый в сезоне".encode(), "второй в сезоне".encode())
    site.routes["/rss-full.xml"] = Route(body.replace(b"<item>", new_item + b"<item>", 1), etag='"rss-full-2"')
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        assert screen.headline_list.total == 6
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.headline_list.total == 7)
        assert notified(app, "1 feed refreshed: 1 new article")
        assert screen.opened is not None  # the article shown stays shown


async def test_refreshing_offline_explains_each_feed_and_keeps_the_cache(tmp_path: Path, site: Site) -> None:
    cache = subscribed_cache(tmp_path, site, "rss-full.xml", "atom.xml")
    site.stop()
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: notified(app, "connection refused (127.0.0.1"))
        await settle(pilot)
        assert notified(app, f"Pozirk sample (full text): connection refused (127.0.0.1:{site.port}) — showing 6")
        assert notified(app, "Pozirk sample (Atom): connection refused")
        assert screen.headline_list.total == 11
        assert "connection refused" not in screen.query_one("#status").render().plain


async def test_the_same_error_twice_is_one_notification_while_it_shows(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = subscribed_cache(tmp_path, site, "rss-full.xml")
    site.stop()
    monkeypatch.setattr("pozirk_reader.ui.screens.main._now", lambda: 1000.0)  # the toast still shows
    app = make_app(cache)
    async with run(app) as pilot:
        await ready(pilot)
        for _ in range(3):
            await pilot.press("r")
            await wait_for(pilot, lambda: notified(app, "connection refused"))
            await settle(pilot)
        errors = [n for n in notifications(app) if "connection refused" in n.message]
        assert len(errors) == 1


async def test_f_fetches_the_full_text_of_a_summary(tmp_path: Path, site: Site) -> None:
    cache = subscribed_cache(tmp_path, site, "rss-summaries.xml", full_text=False)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, "В Могилёве открылся сезонный каток")
        assert "The feed's summary only: press f to fetch the full text" in article_text(app)
        await pilot.press("f")
        await wait_for(pilot, lambda: "Full text" in article_text(app))
        assert screen.opened is not None and not screen.opened.stored.article.is_summary
        assert len(screen.opened.stored.article.paragraphs) >= 5


async def test_following_a_web_only_link_fetches_the_page_and_opens_it(tmp_path: Path, site: Site) -> None:
    cache = subscribed_cache(tmp_path, site, "atom.xml")
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, "В Гомеле прошёл городской турнир")
        assert screen.opened is not None
        link = screen.opened.links[0]
        assert link.state == "url" and link.url and link.url.startswith(site.base)
        site.routes[link.url.removeprefix(site.base.rstrip("/"))] = site.routes["/news/2302.html"]
        await pilot.press("1")
        await shows_title(pilot, screen, "Детская библиотека в Гродно")
        await wait_for(pilot, lambda: screen.headline_list.total == 6)
        assert screen.opened.stored.article.url == link.url
        await pilot.press("backspace")
        await shows_title(pilot, screen, "В Гомеле прошёл городской турнир")
        await wait_for(pilot, lambda: screen.opened is not None and screen.opened.links[0].state == "cached")


async def test_a_link_that_cannot_be_fetched_offers_the_browser(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = subscribed_cache(tmp_path, site, "atom.xml")
    site.stop()
    browsed: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: browsed.append(url) or True)
    app = make_app(cache)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await shows_title(pilot, screen, "В Гомеле прошёл городской турнир")
        assert screen.opened is not None
        link = screen.opened.links[0]
        await pilot.press("1")
        await wait_for(pilot, lambda: notified(app, "press o to open it in the browser"))
        assert notified(app, "connection refused")
        await pilot.press("o")
        await wait_for(pilot, lambda: browsed == [link.url])
        assert screen.opened.stored.article.id == screen.store.article_by_url(site.url("news/2205.html"))

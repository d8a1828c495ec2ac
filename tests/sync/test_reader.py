"""Sync in the reader against a real FreshRSS: at start, on S with the server down and up again, the accounts dialog."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message
from textual.widgets import Button, Input, OptionList

from pozirk_reader.core.operations.accounts import add_account
from pozirk_reader.core.store.accounts import AccountKind
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.messages import SyncFinished, TaskProgress
from pozirk_reader.ui.screens.accounts import AccountsScreen
from tests.servers import FRESHRSS_PASSWORD, FRESHRSS_USER, Feeds, FreshRSS
from tests.ui.helpers import main_screen, make_app, notified, ready, run, settle, wait_for


def cache_with_account(tmp_path: Path, freshrss: FreshRSS) -> Path:
    cache = tmp_path / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        environ = {"POZIRK_READER_PASSWORD_HOME": FRESHRSS_PASSWORD}
        add_account(store, "home", AccountKind.GREADER, freshrss.greader, FRESHRSS_USER, environ=environ)
    return cache


async def test_the_reader_syncs_at_start_with_progress_and_a_line(
    tmp_path: Path, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 3))
    cache = cache_with_account(tmp_path, freshrss)
    progress: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, TaskProgress):
            progress.append(message.text)

    app = make_app(cache)
    async with run(app, message_hook=hook) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: notified(app, "home: ") and not screen.syncing.syncing)
        await settle(pilot)
        assert any(text.startswith("syncing home: articles") for text in progress)
        titles = {headline.title for headline in screen.store.headlines(0, 10_000)}
        assert {f"Навіны {feed_name} {n}" for n in range(3)} <= titles
        assert screen.headline_list.total == len(titles)
        assert "syncing" not in str(screen.query_one("#status").render())


async def test_with_the_server_down_the_reader_works_and_keeps_changes_for_the_next_sync(
    tmp_path: Path, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 2))
    cache = cache_with_account(tmp_path, freshrss)
    app = make_app(cache, read_after_seconds=0)
    async with run(app) as pilot:
        screen = await ready(pilot)
        await wait_for(pilot, lambda: not screen.syncing.syncing and notified(app, "home: "))
        freshrss.stop_server()
        try:
            await pilot.press("S")
            await wait_for(pilot, lambda: notified(app, "connection refused"))
            await wait_for(pilot, lambda: not screen.syncing.syncing)
            starred = screen.opened.stored.starred  # type: ignore[union-attr]
            await pilot.press("s")
            await wait_for(pilot, lambda: screen.opened.stored.starred is not starred)  # type: ignore[union-attr]
            await settle(pilot)
            account = screen.store.accounts.named("home")
            assert account is not None and account.pending == 1
        finally:
            freshrss.start_server()
        await pilot.press("S")
        await wait_for(pilot, lambda: notified(app, "1 changes pushed"))
        account = screen.store.accounts.named("home")
        assert account is not None and account.pending == 0


async def test_the_accounts_dialog_adds_and_removes_an_account(tmp_path: Path, freshrss: FreshRSS) -> None:
    cache = cache_with_account(tmp_path, freshrss)
    app = make_app(cache)
    synced: list[SyncFinished] = []
    async with run(app, message_hook=lambda m: synced.append(m) if isinstance(m, SyncFinished) else None) as pilot:
        await wait_for(pilot, lambda: synced)  # the sync at start has ended: the main screen is up
        screen = main_screen(pilot)
        await settle(pilot)
        await pilot.press("at")
        await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen) and app.screen.accounts)
        dialog = app.screen
        assert isinstance(dialog, AccountsScreen)
        assert [account.name for account in dialog.accounts] == ["home"]
        for field, value in [("name", "work"), ("url", freshrss.fever), ("user", FRESHRSS_USER), ("password", "wrong")]:
            dialog.query_one(f"#{field}", Input).value = value
        dialog.query_one("#kind").value = "fever"  # type: ignore[attr-defined]
        dialog.query_one("#add", Button).press()
        await wait_for(pilot, lambda: notified(app, "work: the server refused the user name or password"))
        dialog.query_one("#password", Input).value = FRESHRSS_PASSWORD
        dialog.query_one("#add", Button).press()
        await wait_for(pilot, lambda: [account.name for account in dialog.accounts] == ["home", "work"])
        assert dialog.query_one("#password", Input).value == ""  # the password is not kept, even on screen
        assert not (tmp_path / "data" / "library.sqlite3").read_bytes().count(FRESHRSS_PASSWORD.encode())
        dialog.query_one("#accounts", OptionList).highlighted = 1
        dialog.query_one("#remove", Button).press()
        await wait_for(pilot, lambda: [account.name for account in dialog.accounts] == ["home"])
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


async def test_the_accounts_dialog_subscribes_and_unsubscribes_through_a_sync(
    tmp_path: Path, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    cache = cache_with_account(tmp_path, freshrss)
    url = feeds.publish(feed_name, 2)
    titles = {f"Навіны {feed_name} {n}" for n in range(2)}
    # No article counts as read while the test runs: on a loaded machine the 1.5 s dwell passed and queued a read
    # mark, so the outbox held two changes where the dialog's one was counted.
    app = make_app(cache, read_after_seconds=3600)
    synced: list[SyncFinished] = []
    async with run(app, message_hook=lambda m: synced.append(m) if isinstance(m, SyncFinished) else None) as pilot:
        await wait_for(pilot, lambda: synced)
        screen = main_screen(pilot)
        await settle(pilot)

        async def in_the_dialog(feed: str, button: str, said: str) -> None:
            await pilot.press("at")
            await wait_for(pilot, lambda: isinstance(app.screen, AccountsScreen) and app.screen.accounts)
            dialog = app.screen
            assert isinstance(dialog, AccountsScreen)
            dialog.query_one("#feed", Input).value = feed
            dialog.query_one(f"#{button}", Button).press()
            await wait_for(pilot, lambda: notified(app, said))
            assert dialog.query_one("#feed", Input).value == ""
            assert dialog.accounts[0].pending == 1
            count = len(synced)
            dialog.query_one("#sync", Button).press()
            await wait_for(pilot, lambda: len(synced) > count and app.screen is screen)
            await settle(pilot)
            (report,) = synced[-1].reports
            assert (report.error, report.pushed, report.pending) == (None, 1, 0)

        await in_the_dialog(url, "subscribe", f"home: subscribed to {url}; Sync now sends it to the server.")
        assert titles <= {headline.title for headline in screen.store.headlines(0, 10_000)}
        await in_the_dialog(f"Стужка {feed_name}", "unsubscribe", f"home: unsubscribed from Стужка {feed_name}, 2")
        assert not titles & {headline.title for headline in screen.store.headlines(0, 10_000)}

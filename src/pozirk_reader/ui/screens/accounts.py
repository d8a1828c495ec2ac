"""The accounts dialog: the accounts on news servers with their state; add one, remove one, subscribe the
highlighted one to a feed or unsubscribe it (queued for the next sync), sync now.

Every read and write runs in a worker on a cache connection of its own. A password typed here is used to log
in once (the token that gives is kept in the owner-only token file) and is never stored. The dialog returns
what the main screen should do: ``"sync"`` (sync now), ``"reload"`` (an account came or went), or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.config import AccountSettings
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.operations.accounts import add_account, remove_account, subscribe, unsubscribe
from pozirk_reader.core.store.accounts import Account, AccountKind
from pozirk_reader.core.store.library import Store


def describe(account: Account) -> str:
    """Two lines for an account: who and where; its articles, last sync and what waits (what came from a
    server or was typed, each a safe line)."""
    when = datetime.fromtimestamp(account.synced_at).strftime("%Y-%m-%d %H:%M") if account.synced_at else "never"
    second = f"{account.subscriptions:,} subscriptions, {account.articles:,} articles, synced {when}"
    if account.pending:
        second += f", {account.pending:,} changes to push"
    if account.last_error:
        second += f"\nlast sync failed: {safe_line(account.last_error)}"
    who = f"{account.name} ({account.kind}): {account.username} at {account.base_url}"
    return f"{safe_line(who)}\n{second}"


class AccountsScreen(ModalScreen[str | None]):
    """The accounts, and a form to add one (see the module's docstring)."""

    BINDINGS = [Binding("escape", "close", "Close", id="accounts.close")]

    DEFAULT_CSS = """
    AccountsScreen { align: center middle; }
    AccountsScreen > Vertical { width: 90; height: auto; max-height: 90%; border: round $primary;
        background: $surface; padding: 1 2; }
    AccountsScreen OptionList { height: auto; max-height: 12; }
    AccountsScreen Horizontal { height: auto; }
    AccountsScreen Input, AccountsScreen Select { width: 1fr; }
    AccountsScreen #buttons { margin-top: 1; align-horizontal: right; }
    AccountsScreen Button { margin-left: 1; }
    AccountsScreen Label { margin-top: 1; }
    """

    def __init__(self, cache: Path, configured: Mapping[str, AccountSettings]) -> None:
        super().__init__()
        self.cache = cache
        self.configured = dict(configured)
        self.accounts: list[Account] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Accounts on news servers"
            yield OptionList(id="accounts")
            yield Label("The highlighted account: subscribe to a feed, or unsubscribe (its address or title)")
            with Horizontal():
                yield Input(placeholder="https://example.org/feed.xml", id="feed")
                yield Button("Subscribe", id="subscribe")
                yield Button("Unsubscribe", id="unsubscribe")
            yield Label("Add an account: name, the API's address, user name, password (used once, never kept)")
            with Horizontal():
                yield Input(placeholder="name", id="name")
                yield Select(
                    [("Google Reader API", str(AccountKind.GREADER)), ("Fever API", str(AccountKind.FEVER))],
                    value=str(AccountKind.GREADER),
                    allow_blank=False,
                    id="kind",
                )
            yield Input(placeholder="https://rss.example.org/api/greader.php", id="url")
            with Horizontal():
                yield Input(placeholder="user name", id="user")
                yield Input(placeholder="password", password=True, id="password")
            with Horizontal(id="buttons"):
                yield Button("Remove", id="remove")
                yield Button("Sync now", id="sync")
                yield Button("Add", variant="primary", id="add")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="accounts", exit_on_error=False, description="reading the accounts")
    def _load(self) -> None:
        with Store.open(self.cache, check=False) as store:
            accounts = store.accounts.all()
        self.app.call_from_thread(self._show, accounts)

    def _show(self, accounts: list[Account]) -> None:
        listing = self.query_one("#accounts", OptionList)
        was = self.accounts[listing.highlighted].name if self.accounts and listing.highlighted is not None else None
        self.accounts = accounts
        listing.clear_options()
        if not accounts:
            listing.add_option(Option(Content("No accounts yet: fill in the form below and press Add."), disabled=True))
        for account in accounts:
            listing.add_option(Option(Content(describe(account)), id=account.name))
        names = [account.name for account in accounts]
        listing.highlighted = names.index(was) if was in names else 0 if accounts else None

    def _highlighted(self) -> Account | None:
        listing = self.query_one("#accounts", OptionList)
        if listing.highlighted is None or not self.accounts:
            return None
        return self.accounts[listing.highlighted]

    @on(Button.Pressed, "#add")
    @on(Input.Submitted, "#name, #url, #user, #password")
    def _add(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in ("name", "url", "user")}
        password = self.query_one("#password", Input).value
        if not all(values.values()):
            self.notify("Give the account's name, address and user name.", severity="warning", timeout=4)
            return
        kind = AccountKind(str(self.query_one("#kind", Select).value))
        self.notify(f"Logging in to {values['url']}…", timeout=3, markup=False)
        self._add_account(values["name"], kind, values["url"], values["user"], password)

    @work(thread=True, exclusive=True, group="accounts", exit_on_error=False, description="adding an account")
    def _add_account(self, name: str, kind: AccountKind, url: str, user: str, password: str) -> None:
        try:
            with Store.open(self.cache, check=False) as store:
                add_account(
                    store, name, kind, url, user, configured=self.configured, ask_password=_given(name, password)
                )
                accounts = store.accounts.all()
        except ReaderError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8, markup=False)
            return
        self.app.call_from_thread(self._added, name, accounts)

    def _added(self, name: str, accounts: list[Account]) -> None:
        self.changed = True
        for field in ("name", "url", "user", "password"):
            self.query_one(f"#{field}", Input).value = ""
        self._show(accounts)
        self.notify(f"Added {name}: press Sync now to bring its articles in.", timeout=5, markup=False)

    @on(Button.Pressed, "#remove")
    def _remove(self) -> None:
        account = self._highlighted()
        if account is not None:
            self._remove_account(account.name)

    @work(thread=True, exclusive=True, group="accounts", exit_on_error=False, description="removing an account")
    def _remove_account(self, name: str) -> None:
        try:
            with Store.open(self.cache, check=False) as store:
                _, removed = remove_account(store, name)
                accounts = store.accounts.all()
        except ReaderError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8, markup=False)
            return
        self.app.call_from_thread(self._removed, name, removed, accounts)

    def _removed(self, name: str, removed: int, accounts: list[Account]) -> None:
        self.changed = True
        self._show(accounts)
        self.notify(f"Removed {name} and its {removed:,} articles.", timeout=5, markup=False)

    @on(Button.Pressed, "#subscribe")
    @on(Input.Submitted, "#feed")
    def _subscribe(self) -> None:
        self._feed_change(subscribing=True)

    @on(Button.Pressed, "#unsubscribe")
    def _unsubscribe(self) -> None:
        self._feed_change(subscribing=False)

    def _feed_change(self, subscribing: bool) -> None:
        account = self._highlighted()
        feed = self.query_one("#feed", Input).value.strip()
        if account is None or not feed:
            self.notify("Highlight an account and give a feed's address (or its title).", severity="warning", timeout=4)
            return
        self._change_feed(account.name, feed, subscribing)

    @work(thread=True, exclusive=True, group="accounts", exit_on_error=False, description="changing a subscription")
    def _change_feed(self, name: str, feed: str, subscribing: bool) -> None:
        try:
            with Store.open(self.cache, check=False) as store:
                if subscribing:
                    done = (
                        f"{name}: subscribed to {subscribe(store, name, feed).name}; Sync now sends it to the server."
                    )
                else:
                    gone, removed = unsubscribe(store, name, feed)
                    done = f"{name}: unsubscribed from {gone.name}, {removed:,} articles deleted; Sync now tells the server."
                accounts = store.accounts.all()
        except ReaderError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8, markup=False)
            return
        self.app.call_from_thread(self._feed_changed, done, accounts)

    def _feed_changed(self, done: str, accounts: list[Account]) -> None:
        self.changed = True
        self.query_one("#feed", Input).value = ""
        self._show(accounts)
        self.notify(done, timeout=5, markup=False)

    @on(Button.Pressed, "#sync")
    def _sync(self) -> None:
        self.dismiss("sync")

    def action_close(self) -> None:
        self.dismiss("reload" if self.changed else None)


def _given(name: str, password: str) -> Callable[[], str] | None:
    """The password typed in the dialog for ``name``, if one was, for when the config and environment give none."""
    if not password:
        return None
    return lambda: password

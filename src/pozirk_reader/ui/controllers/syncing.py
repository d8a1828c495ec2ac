"""Syncing the accounts while reading goes on: at start, every ``refresh_minutes``, on a key, from the accounts dialog.

The sync runs in a thread worker on a cache connection of its own, with its progress in the status line and
a line an account when it ends; the reader works meanwhile, and when the server is down (the sync says so in
a line and keeps the changes to push).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol

from pozirk_reader.core.config import AccountSettings
from pozirk_reader.core.operations.syncing import SyncProgress, SyncReport, sync
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle
from pozirk_reader.ui.controllers.host import Controller, Host, in_thread
from pozirk_reader.ui.messages import SyncFinished, TaskProgress

log = logging.getLogger(__name__)


class SyncHost(Host, Protocol):
    """What syncing needs from the screen: the cache, the open article, and the list to reload."""

    @property
    def store(self) -> Store: ...

    @property
    def opened(self) -> OpenedArticle | None: ...

    def reload_list(self, article_id: str | None, open_cursor: bool = False) -> None: ...


class SyncController(Controller[SyncHost]):
    """Runs :func:`~pozirk_reader.core.operations.syncing.sync`; :attr:`syncing` while one runs."""

    def __init__(
        self, host: SyncHost, configured: Mapping[str, AccountSettings] | None = None, refresh_minutes: int = 0
    ) -> None:
        super().__init__(host)
        self.configured = dict(configured or {})
        self.refresh_minutes = refresh_minutes
        self.syncing = False

    def schedule(self) -> None:
        """With ``refresh_minutes`` set, sync that often while the reader is open."""
        if self.refresh_minutes > 0:
            self.host.set_timer(self.refresh_minutes * 60, self._in_time, name="auto-sync")

    def _in_time(self) -> None:
        if not self.syncing:
            self.start(automatic=True)
        self.schedule()

    def start(self, automatic: bool = False) -> None:
        """Sync every account in a worker (an ``automatic`` sync without accounts says nothing)."""
        if self.syncing:
            if not automatic:
                self.host.notify("A sync is running already.", timeout=3)
            return
        self.syncing = True
        self._sync(automatic)

    @in_thread(group="sync", exclusive=True, description="syncing accounts")
    def _sync(self, automatic: bool) -> None:
        post = self.host.post_message

        def progress(step: SyncProgress) -> None:
            post(TaskProgress(f"syncing {step.account}: {step.step}" + (f" {step.done:,}" if step.done else "")))

        reports: list[SyncReport] = []
        try:
            with Store.open(self.host.store.path, check=False) as store:
                if store.accounts.all():
                    post(TaskProgress("syncing…"))
                    reports = sync(store, configured=self.configured, progress=progress)
        finally:
            post(SyncFinished(reports, automatic))

    def open_accounts(self) -> None:
        """The accounts dialog; what it asks for afterwards (sync now, reload the list) is done."""
        from pozirk_reader.ui.screens.accounts import AccountsScreen

        def done(outcome: str | None) -> None:
            if outcome == "sync":
                self.start()
            elif outcome == "reload":
                opened = self.host.opened
                self.host.reload_list(opened.stored.article.id if opened else None)

        self.host.app.push_screen(AccountsScreen(self.host.store.path, self.configured), done)

    def finished(self, reports: list[SyncReport], automatic: bool) -> None:
        """Say how each account went, in a line, then load the list again."""
        self.syncing = False
        if not reports and not automatic:
            self.host.notify("No accounts to sync: add one with @ (Accounts) or `pozirk-reader accounts add`.")
        for report in reports:
            if report.error:
                self.host.notify(report.line, title="Sync", severity="warning", timeout=8)
            elif not automatic or report.added or report.changed_state:
                self.host.notify(report.line, title="Sync", timeout=4)
        if reports:
            opened = self.host.opened
            current = opened.stored.article.id if opened else None
            self.host.reload_list(current, open_cursor=current is None)

"""Bringing articles in while reading goes on: imports, feed subscriptions and refreshes, pages fetched by URL.

Each task runs in a thread worker on a cache connection of its own (a page fetch on the screen's),
reports progress to the status line and its outcome as messages the screen hands back here.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Protocol

from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.operations.feeds import DEFAULT_WORKERS, FeedReport, RefreshProgress, add_feed, refresh
from pozirk_reader.core.operations.importing import ImportReport, import_path
from pozirk_reader.core.operations.pages import fetch_full_text, fetch_page, host_of
from pozirk_reader.core.operations.retention import KEEP_ALL_READ, Keeping
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle, SourceKind
from pozirk_reader.ui.controllers.host import Controller, Host, in_thread
from pozirk_reader.ui.messages import FeedsRefreshed, ImportFinished, PageFailed, PageFetched, TaskProgress

log = logging.getLogger(__name__)

BROWSER_OFFER_SECONDS = 30.0
"""After a page could not be fetched, ``o`` opens that page in the browser for this long."""


class SourceHost(Host, Protocol):
    """What bringing articles in needs from the screen: the cache, the open article, and the list to reload."""

    @property
    def store(self) -> Store: ...

    @property
    def opened(self) -> OpenedArticle | None: ...

    def reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        """Load the list again with ``article_id`` under the cursor (the latest reload wins)."""
        ...

    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        """Open an article as a new step in the history."""
        ...

    def reload_article(self, article_id: str) -> None:
        """Show ``article_id`` again from the cache if it is the open one."""
        ...


class SourceController(Controller[SourceHost]):
    """Imports, feeds and page fetches; what runs now is in :attr:`task_text` for the status line.

    The settings for refreshes: ``full_text`` (fetch the full text of summaries), ``workers`` (feeds
    fetched at once), ``refresh_minutes`` (refresh every feed that often; 0: only when asked) and ``keep``
    (entries read a refresh, articles kept a feed).
    """

    def __init__(
        self,
        host: SourceHost,
        full_text: bool = True,
        workers: int = DEFAULT_WORKERS,
        refresh_minutes: int = 0,
        keep: Keeping = KEEP_ALL_READ,
    ) -> None:
        super().__init__(host)
        self.full_text_setting = full_text
        self.workers = workers
        self.keep = keep
        self.refresh_minutes = refresh_minutes
        self.refreshing = False
        self.task_text = ""
        self.browser_offer: tuple[str, float] | None = None

    # -- importing files -------------------------------------------------------------------------

    @in_thread(group="import", exclusive=True, description="importing")
    def import_paths(self, paths: list[Path]) -> None:
        """Import in a worker, on a connection of its own, so reading goes on meanwhile."""
        post = self.host.post_message
        reports: list[ImportReport] = []
        with Store.open(self.host.store.path, check=False) as store:
            for path in paths:

                def progress(done: int, total: int, _file: Path, path: Path = path) -> None:
                    if done == total or done % 25 == 0:
                        post(TaskProgress(f"importing {path.name}: {done:,}/{total:,}"))

                post(TaskProgress(f"importing {path.name}…"))
                reports.append(import_path(store, path, progress=progress))
        post(ImportFinished(reports))

    def import_finished(self, reports: list[ImportReport]) -> None:
        """Say what each import brought in and what it could not, then load the list again."""
        notify = self.host.notify
        self.task_text = ""
        for report in reports:
            for file, reason in report.failed[:5]:
                notify(f"{file}: {reason}", title="Not imported", severity="warning", timeout=8)
            if len(report.failed) > 5:
                notify(f"…and {len(report.failed) - 5} more files", severity="warning", timeout=8)
            notify(f"{Path(report.source).name}: {report.summary}", title="Imported", timeout=4)
        self._reload_current()

    def progress(self, text: str) -> None:
        """A task advanced: show ``text`` in the status line."""
        self.task_text = text
        self.host.update_status()

    def _reload_current(self) -> None:
        opened = self.host.opened
        current = opened.stored.article.id if opened else None
        self.host.reload_list(current, open_cursor=current is None)

    # -- feeds -----------------------------------------------------------------------------------

    def schedule_refresh(self) -> None:
        """With ``refresh_minutes`` set, refresh every feed that often while the reader is open."""
        if self.refresh_minutes > 0:
            self.host.set_timer(self.refresh_minutes * 60, self._refresh_in_time, name="auto-refresh")

    def _refresh_in_time(self) -> None:
        """Time for the automatic refresh: unless one is running already, start it; then wait again."""
        if not self.refreshing:
            log.info("automatic refresh")
            self.refresh_feeds([], automatic=True)
        self.schedule_refresh()

    def refresh_feeds(self, subscribe: list[str], automatic: bool = False) -> None:
        """Subscribe to ``subscribe`` (feeds named on the command line), or refresh every feed, in a worker;
        :attr:`refreshing` until it reports. An ``automatic`` refresh with no feeds says nothing."""
        self.refreshing = True
        self._refresh_feeds(subscribe, automatic)

    @in_thread(group="feeds", exclusive=True, description="refreshing feeds")
    def _refresh_feeds(self, subscribe: list[str], automatic: bool) -> None:
        post = self.host.post_message
        reports: list[FeedReport] = []
        failures: list[str] = []

        def progress(step: RefreshProgress) -> None:
            post(TaskProgress(f"refreshing feeds: {step.done}/{step.total}"))

        with Store.open(self.host.store.path, check=False) as store:
            for location in subscribe:
                post(TaskProgress(f"reading {host_of(location)}…"))
                try:
                    reports.append(add_feed(store, location, full_text=self.full_text_setting, keep=self.keep))
                except ReaderError as error:
                    failures.append(f"not subscribed: {error}")
            if not subscribe:
                feeds = store.sources(kind=SourceKind.FEED)
                if not feeds:
                    if not automatic:
                        failures.append("no feeds to refresh: run 'pozirk-reader feeds add URL' to subscribe to one")
                else:
                    post(TaskProgress(f"refreshing {len(feeds)} feeds…"))
                    reports = refresh(
                        store, full_text=self.full_text_setting, workers=self.workers, keep=self.keep, progress=progress
                    )
        post(FeedsRefreshed(reports, failures))

    def feeds_refreshed(self, reports: list[FeedReport], failures: list[str]) -> None:
        """Say how each feed went (errors and warnings one a line), then load the list again."""
        notify = self.host.notify
        self.task_text = ""
        self.refreshing = False
        for failure in failures:
            notify(failure, severity="error", timeout=10)
        for report in reports:
            if report.error:
                notify(report.line, severity="error", timeout=10)
            elif report.warning or report.full_text_failed:
                notify(report.line, severity="warning", timeout=8)
        fine = [report for report in reports if not report.error]
        new = sum(report.added for report in fine)
        if fine:
            notify(f"{len(fine)} feeds refreshed: {new:,} new articles", title="Feeds", timeout=4)
        self._reload_current()

    # -- pages -----------------------------------------------------------------------------------

    def full_text(self) -> None:
        """Fetch the full text of the open article, if it shows only the feed's summary."""
        opened = self.host.opened
        if opened is None:
            return
        article = opened.stored.article
        if not article.is_summary:
            self.host.notify("This is already the full text.", timeout=3)
            return
        self.host.post_message(TaskProgress(f"fetching the full text from {host_of(article.url or '')}…"))
        self._fetch_full_text(article.id, article.url)

    @in_thread(group="page", exclusive=True, description="fetching the full text")
    def _fetch_full_text(self, article_id: str, url: str | None) -> None:
        try:
            fetch_full_text(self.host.store, article_id)
        except ReaderError as error:
            self.host.post_message(PageFailed(url, str(error)))
        else:
            self.host.post_message(PageFetched(article_id, follow=False))

    def fetch_link(self, url: str, title: str) -> None:
        """Follow a link to a page that is not cached: fetch it, cache it, open it."""
        self.host.post_message(TaskProgress(f"fetching {host_of(url)}…"))
        self._fetch_link(url, title)

    @in_thread(group="page", exclusive=True, description="fetching a page")
    def _fetch_link(self, url: str, title: str) -> None:
        try:
            article_id = fetch_page(self.host.store, url, title=title)
        except ReaderError as error:
            self.host.post_message(PageFailed(url, str(error)))
        else:
            self.host.post_message(PageFetched(article_id, follow=True))

    def page_fetched(self, article_id: str, follow: bool) -> None:
        """A page is in the cache: open a followed link's target, or show the open article's full text."""
        self.task_text = ""
        self.host.update_status()
        if follow:
            self.host.open_article(article_id)
            self.host.reload_list(article_id)
        else:
            self.host.reload_article(article_id)

    def page_failed(self, url: str | None, error: str) -> None:
        """A page could not be fetched: say why, and offer it to the browser for a while."""
        self.task_text = ""
        self.host.update_status()
        text = f"Could not fetch it: {error}"
        if url:
            self.browser_offer = (url, time.monotonic())
            text += " — press o to open it in the browser"
        self.host.notify(text, severity="warning", timeout=BROWSER_OFFER_SECONDS / 2)

    def offered_url(self) -> str | None:
        """The page that just failed to fetch, while ``o`` still opens it."""
        if self.browser_offer and time.monotonic() - self.browser_offer[1] < BROWSER_OFFER_SECONDS:
            return self.browser_offer[0]
        return None

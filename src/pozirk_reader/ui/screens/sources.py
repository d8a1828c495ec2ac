"""Bringing articles in while reading goes on: imports, feed subscriptions and refreshes, pages fetched by URL.

:class:`SourceTasks` is the main screen's base: each task runs in a thread worker on a cache
connection of its own, reports progress to the status line and its outcome as messages.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import on, work
from textual.screen import Screen

from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.operations.feeds import FeedReport, add_feed, refresh
from pozirk_reader.core.operations.importing import ImportReport, import_path
from pozirk_reader.core.operations.pages import fetch_full_text, fetch_page, host_of
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle, SourceKind
from pozirk_reader.ui.messages import FeedsRefreshed, ImportFinished, PageFailed, PageFetched, TaskProgress

BROWSER_OFFER_SECONDS = 30.0
"""After a page could not be fetched, ``o`` opens that page in the browser for this long."""


class SourceTasks(Screen[None]):
    """Imports, feeds and page fetches for the main screen, which supplies the hooks below."""

    store: Store
    opened: OpenedArticle | None
    task_text: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.browser_offer: tuple[str, float] | None = None

    # hooks the main screen implements
    def open_article(self, article_id: str, move_cursor: bool = True, keep_shown: bool = True) -> None:
        raise NotImplementedError

    def _reload_list(self, article_id: str | None, open_cursor: bool = False) -> None:
        raise NotImplementedError

    def _reload_article(self, article_id: str) -> None:
        raise NotImplementedError

    def _update_status(self) -> None:
        raise NotImplementedError

    # -- importing files -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="importing")
    def _import(self, paths: list[Path]) -> None:
        """Import in a worker, on a connection of its own, so reading goes on meanwhile."""
        reports: list[ImportReport] = []
        with Store.open(self.store.path, check=False) as store:
            for path in paths:

                def progress(done: int, total: int, _file: Path, path: Path = path) -> None:
                    if done == total or done % 25 == 0:
                        self.post_message(TaskProgress(f"importing {path.name}: {done:,}/{total:,}"))

                self.post_message(TaskProgress(f"importing {path.name}…"))
                reports.append(import_path(store, path, progress=progress))
        self.post_message(ImportFinished(reports))

    @on(ImportFinished)
    def _on_import_finished(self, message: ImportFinished) -> None:
        self.task_text = ""
        for report in message.reports:
            for file, reason in report.failed[:5]:
                self.notify(f"{file}: {reason}", title="Not imported", severity="warning", timeout=8)
            if len(report.failed) > 5:
                self.notify(f"…and {len(report.failed) - 5} more files", severity="warning", timeout=8)
            self.notify(f"{Path(report.source).name}: {report.summary}", title="Imported", timeout=4)
        self._reload_current()

    @on(TaskProgress)
    def _on_task_progress(self, message: TaskProgress) -> None:
        self.task_text = message.text
        self._update_status()

    def _reload_current(self) -> None:
        current = self.opened.stored.article.id if self.opened else None
        self._reload_list(current, open_cursor=current is None)

    # -- feeds -----------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Refresh every feed in the background."""
        self._refresh_feeds([])

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False, description="refreshing feeds")
    def _refresh_feeds(self, subscribe: list[str]) -> None:
        """Subscribe to ``subscribe`` (feeds named on the command line), or refresh every feed."""
        reports: list[FeedReport] = []
        failures: list[str] = []
        with Store.open(self.store.path, check=False) as store:
            for location in subscribe:
                self.post_message(TaskProgress(f"reading {host_of(location)}…"))
                try:
                    reports.append(add_feed(store, location))
                except ReaderError as error:
                    failures.append(f"not subscribed: {error}")
            if not subscribe:
                feeds = store.sources(kind=SourceKind.FEED)
                if not feeds:
                    failures.append("no feeds to refresh: run 'pozirk-reader feeds add URL' to subscribe to one")
                else:
                    self.post_message(TaskProgress(f"refreshing {len(feeds)} feeds…"))
                    reports = refresh(
                        store,
                        progress=lambda step: self.post_message(
                            TaskProgress(f"refreshing feeds: {step.done}/{step.total}")
                        ),
                    )
        self.post_message(FeedsRefreshed(reports, failures))

    @on(FeedsRefreshed)
    def _on_feeds_refreshed(self, message: FeedsRefreshed) -> None:
        self.task_text = ""
        for failure in message.failures:
            self.notify(failure, severity="error", timeout=10)
        for report in message.reports:
            if report.error:
                self.notify(report.line, severity="error", timeout=10)
            elif report.warning or report.full_text_failed:
                self.notify(report.line, severity="warning", timeout=8)
        fine = [report for report in message.reports if not report.error]
        new = sum(report.added for report in fine)
        if fine:
            self.notify(f"{len(fine)} feeds refreshed: {new:,} new articles", title="Feeds", timeout=4)
        self._reload_current()

    def action_full_text(self) -> None:
        """Fetch the full text of the open article, if it shows only the feed's summary."""
        if self.opened is None:
            return
        article = self.opened.stored.article
        if not article.is_summary:
            self.notify("This is already the full text.", timeout=3)
            return
        self.post_message(TaskProgress(f"fetching the full text from {host_of(article.url or '')}…"))
        self._fetch_full_text(article.id, article.url)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False, description="fetching the full text")
    def _fetch_full_text(self, article_id: str, url: str | None) -> None:
        try:
            fetch_full_text(self.store, article_id)
        except ReaderError as error:
            self.post_message(PageFailed(url, str(error)))
        else:
            self.post_message(PageFetched(article_id, follow=False))

    def fetch_link(self, url: str, title: str) -> None:
        """Follow a link to a page that is not cached: fetch it, cache it, open it."""
        self.post_message(TaskProgress(f"fetching {host_of(url)}…"))
        self._fetch_link(url, title)

    @work(thread=True, exclusive=True, group="page", exit_on_error=False, description="fetching a page")
    def _fetch_link(self, url: str, title: str) -> None:
        try:
            article_id = fetch_page(self.store, url, title=title)
        except ReaderError as error:
            self.post_message(PageFailed(url, str(error)))
        else:
            self.post_message(PageFetched(article_id, follow=True))

    @on(PageFetched)
    def _on_page_fetched(self, message: PageFetched) -> None:
        self.task_text = ""
        self._update_status()
        if message.follow:
            self.open_article(message.article_id)
            self._reload_list(message.article_id)
        else:
            self._reload_article(message.article_id)

    @on(PageFailed)
    def _on_page_failed(self, message: PageFailed) -> None:
        self.task_text = ""
        self._update_status()
        text = f"Could not fetch it: {message.error}"
        if message.url:
            self.browser_offer = (message.url, time.monotonic())
            text += " — press o to open it in the browser"
        self.notify(text, severity="warning", timeout=BROWSER_OFFER_SECONDS / 2)

    def offered_url(self) -> str | None:
        """The page that just failed to fetch, while ``o`` still opens it."""
        if self.browser_offer and time.monotonic() - self.browser_offer[1] < BROWSER_OFFER_SECONDS:
            return self.browser_offer[0]
        return None

"""Messages the main screen's workers send back to it: results from the cache, progress of imports and feeds."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from pozirk_reader.core.operations.feeds import FeedReport
from pozirk_reader.core.operations.importing import ImportReport
from pozirk_reader.core.store.read_models import Headline, OpenedArticle


@dataclass(frozen=True)
class ListState:
    """What the headline list shows after a (re)load: its length, where the cursor goes, a first page."""

    total: int
    cursor: int
    page_start: int
    page: list[Headline]
    all_count: int
    unread_count: int
    highlights: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)


class ListLoaded(Message):
    """The headline list was (re)loaded from the cache."""

    def __init__(self, state: ListState, open_cursor: bool, generation: int = 0) -> None:
        super().__init__()
        self.state = state
        self.open_cursor = open_cursor
        self.generation = generation


class PageLoaded(Message):
    """A page of headlines arrived."""

    def __init__(
        self,
        start: int,
        headlines: list[Headline],
        generation: int,
        highlights: dict[str, tuple[tuple[int, int], ...]] | None = None,
    ) -> None:
        super().__init__()
        self.start = start
        self.headlines = headlines
        self.generation = generation
        self.highlights = highlights or {}


class ArticleLoaded(Message):
    """An article (with links and backlinks) arrived; ``row`` is its place in the list, if there."""

    def __init__(self, opened: OpenedArticle, row: int | None, move_cursor: bool) -> None:
        super().__init__()
        self.opened = opened
        self.row = row
        self.move_cursor = move_cursor


class HeadlineChanged(Message):
    """An article's read or starred flag changed."""

    def __init__(self, headline: Headline, unread: int) -> None:
        super().__init__()
        self.headline = headline
        self.unread = unread


class TaskProgress(Message):
    """An import or a feed refresh advanced; ``text`` goes in the status line ("" when it is done)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ImportFinished(Message):
    """Imports finished; their reports."""

    def __init__(self, reports: list[ImportReport]) -> None:
        super().__init__()
        self.reports = reports


class FeedsRefreshed(Message):
    """Feeds were subscribed to or refreshed: a report a feed, and locations that could not be subscribed to."""

    def __init__(self, reports: list[FeedReport], failures: list[str]) -> None:
        super().__init__()
        self.reports = reports
        self.failures = failures


class PageFetched(Message):
    """An article's page was fetched into the cache: a link's target (``follow``) or an article's full text."""

    def __init__(self, article_id: str, follow: bool) -> None:
        super().__init__()
        self.article_id = article_id
        self.follow = follow


class PageFailed(Message):
    """Fetching a page failed: ``url`` can still be opened in the browser."""

    def __init__(self, url: str | None, error: str) -> None:
        super().__init__()
        self.url = url
        self.error = error

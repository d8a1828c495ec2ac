"""Messages the main screen's workers send back to it: results from the cache, progress of imports and feeds.

They are plain data, so they are dataclasses (Textual's :class:`Message` sets itself up in ``__post_init__``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from textual.message import Message

from pozirk_reader.core.operations.feeds import FeedReport
from pozirk_reader.core.operations.importing import ImportReport
from pozirk_reader.core.operations.syncing import SyncReport
from pozirk_reader.core.operations.triage import Mark
from pozirk_reader.core.store.read_models import Headline, OpenedArticle, SourceSummary

Highlights = dict[str, tuple[tuple[int, int], ...]]
"""By article id, the ``(start, end)`` spans of its headline that a search matched."""


@dataclass(frozen=True)
class ListState:
    """What the headline list shows after a (re)load: its length, where the cursor goes, a first page."""

    total: int
    cursor: int
    page_start: int
    page: list[Headline]
    all_count: int
    unread_count: int
    highlights: Highlights = field(default_factory=dict)


@dataclass
class ListLoaded(Message):
    """The headline list was (re)loaded from the cache; ``generation`` tells a later reload from an earlier one."""

    state: ListState
    open_cursor: bool
    generation: int = 0


@dataclass
class PageLoaded(Message):
    """A page of headlines arrived."""

    start: int
    headlines: list[Headline]
    generation: int
    highlights: Highlights = field(default_factory=dict)


@dataclass
class ArticleLoaded(Message):
    """An article (with links and backlinks) arrived; ``row`` is its place in the list, if there.

    ``opened`` is ``None`` when the article is no longer cached (or could not be read). ``generation``
    tells the latest load from one it overtook, whose result arrives late and is dropped.
    """

    opened: OpenedArticle | None
    row: int | None
    move_cursor: bool
    generation: int = 0


@dataclass
class SuggestionsFound(Message):
    """The suggestions ("more like this") of ``article_id``, looked for after it was shown, of load ``generation``."""

    article_id: str
    suggestions: tuple[Headline, ...]
    generation: int


@dataclass
class UnreadFound(Message):
    """``n`` / ``p`` found where to go: ``article_id`` (``None``: no unread article that way)."""

    article_id: str | None
    forward: bool


@dataclass
class HeadlineChanged(Message):
    """An article's read or starred flag changed."""

    headline: Headline
    unread: int


@dataclass
class TaskProgress(Message):
    """An import or a feed refresh advanced; ``text`` goes in the status line ("" when it is done)."""

    text: str


@dataclass
class ImportFinished(Message):
    """Imports finished; their reports."""

    reports: list[ImportReport]


@dataclass
class FeedsRefreshed(Message):
    """Feeds were subscribed to or refreshed: a report a feed, and locations that could not be subscribed to."""

    reports: list[FeedReport]
    failures: list[str]


@dataclass
class PageFetched(Message):
    """An article's page was fetched into the cache: a link's target (``follow``) or an article's full text."""

    article_id: str
    follow: bool


@dataclass
class PageFailed(Message):
    """Fetching a page failed: ``url`` can still be opened in the browser."""

    url: str | None
    error: str


@dataclass
class Marked(Message):
    """A bulk mark (a view or a source read, or an undo) was written; ``shown`` is the open article's headline
    as the cache has it now, if the mark changed it."""

    mark: Mark
    undone: bool
    shown: Headline | None = None


@dataclass
class SourcesListed(Message):
    """The sources and their counts, for the sources pane."""

    summaries: list[SourceSummary]


@dataclass
class SyncFinished(Message):
    """Accounts were synced with their servers: a report each (none when there is no account)."""

    reports: list[SyncReport]
    automatic: bool = False

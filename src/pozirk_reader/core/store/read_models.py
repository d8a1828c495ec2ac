r"""What the store returns: headlines, stored articles with their state, resolved links, sources, outcomes.

The states are :class:`~enum.StrEnum`\ s whose values are the strings the cache (and JSON output) holds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from pozirk_reader.core.article.model import Article, ContentKind

LINE_BREAK = "\u2028"
"""How ``articles.body`` (paragraphs one a line) keeps a line break inside a paragraph (preformatted text):
as U+2028, which text never holds once cleaned (``clean_text`` makes it a newline)."""

UNDATED_SORT_PREFIX = "0000-00-00 "
"""Before ``articles.sort_key`` of a file whose dateline has no date: it sorts under every dated article (in
the order of the files' times), as a file's time is when it was copied, not when it was written."""


class AccountKind(StrEnum):
    """The API an account's server speaks."""

    GREADER = "greader"
    """The Google Reader API (FreshRSS, Miniflux, Inoreader, The Old Reader, BazQux)."""
    FEVER = "fever"
    """The Fever API (FreshRSS, Miniflux, yarr, coldsweat)."""

    @property
    def subscribes(self) -> bool:
        """Whether the API can subscribe and unsubscribe (Fever's cannot: it only reads feeds)."""
        return self is AccountKind.GREADER


class SourceKind(StrEnum):
    """Where a source's articles come from."""

    FOLDER = "folder"
    FILE = "file"
    FEED = "feed"
    PAGE = "page"
    """A web page fetched on its own (by following a link)."""
    SUBSCRIPTION = "subscription"
    """A feed an account on a news server subscribes to: its articles come through the account's sync."""


class LinkState(StrEnum):
    """What following a "see also" link does."""

    CACHED = "cached"
    """It resolved to a cached article: following it opens that."""
    URL = "url"
    """Known only by its URL: following it fetches the page."""
    MISSING = "missing"
    """Neither cached nor with a URL: not available."""


class SaveOutcome(StrEnum):
    """What saving (or importing) one article did."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    """The file or entry could not be read (an import's outcome; the store never returns it)."""


def headline_columns(table: str = "a") -> str:
    """The columns :meth:`Headline.from_row` reads, of ``articles`` under the name ``table``: the source's
    display name (a rename) stands for the article's own source name."""
    name = f"coalesce((SELECT s.display_name FROM sources s WHERE s.id = {table}.source_id), {table}.source_name)"
    columns = ("id", "title", name, "published", "place_time", "read", "starred", "gone", "language")
    return ", ".join(column if column == name else f"{table}.{column}" for column in columns)


@dataclass(frozen=True, slots=True)
class Headline:
    """One row of the headline list."""

    id: str
    title: str
    source_name: str | None
    date: date | None
    place_time: str | None
    read: bool
    starred: bool
    gone: bool
    language: str

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple) -> Headline:
        """Build from the store's headline columns."""
        return cls(
            row[0],
            row[1],
            row[2],
            date.fromisoformat(row[3]) if row[3] else None,
            row[4],
            bool(row[5]),
            bool(row[6]),
            bool(row[7]),
            row[8],
        )


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    """A "see also" link (or a link in the text) and, when it resolved, the cached article it points to."""

    position: int
    title: str
    url: str | None
    target_id: str | None
    target_title: str | None

    @property
    def state(self) -> LinkState:
        """``cached`` (followable), ``url`` (known only by URL) or ``missing`` (not available)."""
        if self.target_id:
            return LinkState.CACHED
        return LinkState.URL if self.url else LinkState.MISSING


@dataclass(frozen=True, slots=True)
class Source:
    """A folder, file or feed the cache imports from."""

    id: int
    kind: SourceKind
    location: str
    title: str | None
    refreshed_at: float | None
    last_error: str | None
    article_count: int
    site_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    checked_at: float | None = None
    last_warning: str | None = None
    display_name: str | None = None
    """A short name the reader gave it (the sources pane's rename), shown in the list instead of its own."""

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple) -> Source:
        """Build from the store's source columns (see :meth:`Store.sources`)."""
        return cls(row[0], SourceKind(row[1]), *row[2:])

    @property
    def name(self) -> str:
        """What to call the source in one line: its title, else its location."""
        return self.title or self.location


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """A source as the sources pane and the filter dialog list it: what to call it, its unread and total articles."""

    source: Source
    unread: int
    total: int
    article_name: str | None = None
    """The source name most of its articles give (a folder of Pozirk files: "Pozirk"), if any."""

    @property
    def label(self) -> str:
        """The name the headline list shows for its articles: the name given, a feed's title, the name its
        articles give, else the last part of its location."""
        source = self.source
        if source.display_name:
            return source.display_name
        if source.kind in (SourceKind.FEED, SourceKind.PAGE) and source.title:
            return source.title
        if self.article_name:
            return self.article_name
        return source.title or source.location.rstrip("/").rsplit("/", 1)[-1] or source.location


def distinct_labels(summaries: list[SourceSummary]) -> dict[int, str]:
    """Each source's label by id; sources that share one are told apart by where they are ("Pozirk (archive)")."""
    counts: dict[str, int] = {}
    for summary in summaries:
        counts[summary.label] = counts.get(summary.label, 0) + 1
    labels = {}
    for summary in summaries:
        label = summary.label
        if counts[label] > 1:
            where = summary.source.location.rstrip("/").rsplit("/", 1)[-1] or summary.source.location
            label = f"{label} ({where})" if where != label else f"{label} ({summary.source.location})"
        labels[summary.source.id] = label
    return labels


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as cached, with its reading state."""

    article: Article
    read: bool
    starred: bool
    gone: bool
    last_opened: float | None
    first_seen: float
    updated_at: float
    source_location: str
    source_kind: SourceKind = SourceKind.FILE
    source_warning: str | None = None
    """The warning of its source's last read (a feed's guessed encoding, say), if it had one."""

    @property
    def encoding_warning(self) -> str | None:
        """The part of :attr:`source_warning` that says the source's encoding was guessed, if any."""
        from pozirk_reader.core.web.xml_decoding import GUESSED  # (here: reading the cache needs no XML decoding)

        parts = (self.source_warning or "").split("; ")
        return next((part for part in parts if part.startswith(GUESSED)), None)

    @property
    def from_the_web(self) -> bool:
        """Whether it came from a feed or a web page (not a text file)."""
        return self.source_kind in (SourceKind.FEED, SourceKind.PAGE, SourceKind.SUBSCRIPTION)


def article_from_row(row: sqlite3.Row) -> StoredArticle:
    """Rebuild a :class:`StoredArticle` from an ``articles`` row joined with its source's location."""
    body = row["body"]
    paragraphs = tuple(body.split("\n")) if body else ()
    if LINE_BREAK in body:
        paragraphs = tuple(paragraph.replace(LINE_BREAK, "\n") for paragraph in paragraphs)
    article = Article(
        id=row["id"],
        title=row["title"],
        paragraphs=paragraphs,
        language=row["language"],
        source_name=row["source_name"],
        date=date.fromisoformat(row["published"]) if row["published"] else None,
        place_time=row["place_time"],
        photo_credit=row["photo_credit"],
        related=(),
        origin=row["origin"],
        url=row["url"],
        encoding=row["encoding"],
        content=ContentKind(row["content_kind"]),
        blocks=row["blocks"] or "",
    )
    return StoredArticle(
        article=article,
        read=bool(row["read"]),
        starred=bool(row["starred"]),
        gone=bool(row["gone"]),
        last_opened=row["last_opened"],
        first_seen=row["first_seen"],
        updated_at=row["updated_at"],
        source_location=row["source_location"],
        source_kind=SourceKind(row["source_kind"]),
        source_warning=row["source_warning"],
    )


@dataclass(frozen=True, slots=True)
class OpenedArticle:
    """Everything the reader shows for one article: the article, its links, what links to it, and similar ones."""

    stored: StoredArticle
    links: tuple[ResolvedLink, ...]
    backlinks: tuple[Headline, ...]
    suggestions: tuple[Headline, ...] = ()
    """"More like this": similar cached articles, when the editors gave fewer than three links."""
    inline: tuple[ResolvedLink, ...] = ()
    """The links in the text, in the order of their numbers (``position + 1`` marks each in the text)."""


class KnownFile(NamedTuple):
    """What the cache knows of a file it imported before (see ``WriteTransaction.known_files``)."""

    mtime: float | None
    size: int | None
    gone: bool
    content_hash: str


class EntryFingerprint(NamedTuple):
    """The cached article of a feed entry's key, with the entry's fingerprint and content hash when it was saved
    (see ``WriteTransaction.known_fingerprints``)."""

    article_id: str
    raw_hash: str
    content_hash: str
    content: ContentKind
    feed_item: str | None = None


class KnownEntry(NamedTuple):
    """What the cache knows of a feed entry it saved before (see ``WriteTransaction.known_entries``)."""

    content_hash: str
    content: ContentKind

"""Feeds as sources: subscribing, refreshing concurrently, full text from article pages, pages by URL.

A feed is a source in the same cache as files. Refreshing never deletes: an entry that leaves
the feed stays cached, and a feed that fails keeps every article it brought, with its error
recorded in one line. Fetching and parsing run on a bounded pool of threads; each feed is then
written in a transaction of its own.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pozirk_reader.core.decoding import decode_web_page
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.feedparse import FeedEntry, FeedError, ParsedFeed, content_hash, looks_like_feed, parse_feed
from pozirk_reader.core.fetch import Fetched, FetchLimits, fetch
from pozirk_reader.core.links import resolve_pending
from pozirk_reader.core.model import Article, RelatedLink, stable_id
from pozirk_reader.core.records import Source
from pozirk_reader.core.store import Store, record_check

if TYPE_CHECKING:
    import httpx

DEFAULT_WORKERS = 8
"""Feeds (and article pages) fetched at once."""

FULL_TEXT_PER_FEED = 50
"""Article pages fetched for one feed in one refresh; the rest wait for the next one."""

LIMITS = FetchLimits(max_bytes=64 * 1024 * 1024)
"""Timeouts, deadline, size cap (64 MiB: a feed of 10,000 full articles is about 25 MB) and redirects for
feeds and pages; a local feed file has the same size cap."""


@dataclass
class FeedReport:
    """What refreshing (or adding) one feed did, for the per-feed summary."""

    location: str
    title: str | None = None
    source_id: int | None = None
    status: str = "updated"  # "updated", "not modified" or "failed"
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    full_text: int = 0
    full_text_failed: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    cached: int = 0

    @property
    def name(self) -> str:
        """The feed's title, else its host (or file name)."""
        return self.title or host_of(self.location)

    @property
    def line(self) -> str:
        """One line for the summary, e.g. "pozirk.online: connection refused — showing 1,234 cached articles"."""
        if self.error:
            return f"{self.error} — showing {self.cached:,} cached articles"
        if self.status == "not modified":
            return f"{self.name}: not modified ({self.cached:,} cached articles)"
        text = f"{self.name}: {self.added} new, {self.updated} updated, {self.unchanged} unchanged"
        if self.full_text or self.full_text_failed:
            text += f"; full text of {self.full_text}"
            text += f" ({len(self.full_text_failed)} pages failed)" if self.full_text_failed else ""
        return text + (f"; warning: {self.warning}" if self.warning else "")


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Where a refresh is: ``done`` of ``total`` steps (feeds, then article pages), and what finished last."""

    done: int
    total: int
    what: str


Progress = Callable[[RefreshProgress], None]


@dataclass(frozen=True, slots=True)
class _Pending:
    """An entry whose full text is to be fetched from its page."""

    source_id: int
    entry: FeedEntry


def is_url(location: str) -> bool:
    """Whether ``location`` is an http(s) URL (else it is taken for a local path)."""
    return urlsplit(location).scheme in ("http", "https")


def host_of(location: str) -> str:
    """The host of a URL, or the file name of a path: how errors name a feed."""
    return urlsplit(location).netloc or Path(location).name or location


def normalise_location(location: str) -> str:
    """A URL as given (``feed://`` read as ``https://``), a path made absolute."""
    location = location.strip()
    if location.startswith("feed://"):
        location = "https://" + location.removeprefix("feed://")
    if is_url(location):
        return location
    if "://" in location:
        raise FeedError(f"{location}: only http and https feeds (or a local file) can be subscribed to")
    return str(Path(location).expanduser().resolve())


def fetch_document(
    location: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = LIMITS,
    client: httpx.Client | None = None,
) -> Fetched:
    """Fetch a URL (conditionally) or read a local file into a :class:`Fetched`.

    A local file's validator is its size and modification time, kept where an ETag would be.
    """
    if is_url(location):
        return fetch(location, etag=etag, last_modified=last_modified, limits=limits, client=client)
    path = Path(location)
    try:
        stat = path.stat()
        stamp = f"file:{stat.st_size}:{stat.st_mtime_ns}"
        if etag == stamp:
            return Fetched(location, 304, b"", None, None, stamp, None)
        if stat.st_size > limits.max_bytes:
            raise FeedError(f"{path.name}: larger than the {limits.max_bytes // 1024 // 1024} MiB limit")
        body = path.read_bytes()
    except OSError as error:
        raise FeedError(f"{path.name}: {error.strerror or error}") from error
    return Fetched(location, 200, body, None, None, stamp, None)


def discover(location: str, *, limits: FetchLimits = LIMITS, client: httpx.Client | None = None) -> tuple[str, Fetched]:
    """Fetch ``location``; if it is a web page, follow its feed autodiscovery link.

    Returns where the feed is (``location`` itself, or the feed a page links to) and the feed as fetched.
    """
    document = fetch_document(location, limits=limits, client=client)
    if looks_like_feed(document.body):
        return location, document
    from pozirk_reader.core.fulltext import find_feed_links

    page = decode_web_page(document.body, document.charset).text
    links = [link for link in find_feed_links(page, document.url) if link != document.url]
    if not links:
        raise FeedError(f"{host_of(document.url)}: no RSS or Atom feed found at {document.url}")
    return links[0], fetch_document(links[0], limits=limits, client=client)


def add_feed(
    store: Store,
    location: str,
    *,
    full_text: bool = True,
    limits: FetchLimits = LIMITS,
    client: httpx.Client | None = None,
) -> FeedReport:
    """Subscribe to the feed at ``location`` (a feed URL, a page that links one, or a local file) and read it.

    A location already subscribed to is refreshed instead. Raises :class:`ReaderError` (one line) if
    nothing there is a feed; nothing is subscribed then.
    """
    location = normalise_location(location)
    known = store.sources(kind="feed", location=location)
    if known:
        return refresh(store, [known[0].id], full_text=full_text, limits=limits, client=client)[0]
    feed_location, document = discover(location, limits=limits, client=client)
    parsed = parse_feed(document.body, document.url, document.charset, document.content_type)
    existing = store.sources(kind="feed", location=feed_location)
    with store.transaction() as db:
        source_id = existing[0].id if existing else store.ensure_source(db, "feed", feed_location, parsed.title)
    report = FeedReport(feed_location, parsed.title, source_id)
    pending = _ingest(store, source_id, parsed, (document.etag, document.last_modified), report, full_text)
    _fetch_full_texts(store, {source_id: report}, pending, limits, client, DEFAULT_WORKERS, None, 0, 0)
    _count_cached(store, [report])
    return report


def refresh(
    store: Store,
    source_ids: Iterable[int] | None = None,
    *,
    full_text: bool = True,
    workers: int = DEFAULT_WORKERS,
    limits: FetchLimits = LIMITS,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
) -> list[FeedReport]:
    """Refresh the given feeds (default: all), at most ``workers`` at once; one report per feed, in order."""
    wanted = set(source_ids) if source_ids is not None else None
    feeds = [source for source in store.sources(kind="feed") if wanted is None or source.id in wanted]
    reports = {source.id: FeedReport(source.location, source.title, source.id) for source in feeds}
    if not feeds:
        return []
    own_client = _client(workers) if client is None else None
    try:
        pending = _refresh_feeds(store, feeds, reports, full_text, workers, limits, progress, client or own_client)
        _fetch_full_texts(
            store, reports, pending, limits, client or own_client, workers, progress, len(feeds), len(feeds)
        )
    finally:
        if own_client is not None:
            own_client.close()
    _count_cached(store, reports.values())
    return [reports[source.id] for source in feeds]


def _refresh_feeds(
    store: Store,
    feeds: list[Source],
    reports: dict[int, FeedReport],
    full_text: bool,
    workers: int,
    limits: FetchLimits,
    progress: Progress | None,
    client: httpx.Client | None,
) -> list[_Pending]:
    """Fetch and parse every feed on the pool; write each as it arrives. Returns the pages to fetch."""
    pending: list[_Pending] = []

    def work(source: Source) -> tuple[Fetched, ParsedFeed | None]:
        document = fetch_document(
            source.location, etag=source.etag, last_modified=source.last_modified, limits=limits, client=client
        )
        if document.status == 304:
            return document, None
        return document, parse_feed(document.body, source.location, document.charset, document.content_type)

    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="feed") as pool:
        futures: dict[Future[tuple[Fetched, ParsedFeed | None]], Source] = {
            pool.submit(work, source): source for source in feeds
        }
        for done, future in enumerate(as_completed(futures), start=1):
            source = futures[future]
            report = reports[source.id]
            try:
                document, parsed = future.result()
            except ReaderError as error:
                report.status, report.error = "failed", str(error)
                store.record_check(source.id, error=str(error))
            else:
                if parsed is None:
                    report.status = "not modified"
                    store.record_check(source.id, validators=(document.etag, document.last_modified))
                else:
                    validators = (document.etag, document.last_modified)
                    pending += _ingest(store, source.id, parsed, validators, report, full_text)
            if progress:
                progress(RefreshProgress(done, len(feeds), report.name))
    return pending


def _ingest(
    store: Store,
    source_id: int,
    parsed: ParsedFeed,
    validators: tuple[str | None, str | None],
    report: FeedReport,
    full_text: bool,
) -> list[_Pending]:
    """Write a parsed feed in one transaction; returns the entries whose full text should be fetched.

    An unchanged entry is not written. Full text already fetched is never replaced by a summary.
    """
    report.title = parsed.title or report.title
    report.warning = parsed.warning
    pending: list[_Pending] = []
    with store.transaction() as db:
        known = _known(db, [entry.article.id for entry in parsed.entries])
        changed: list[str] = []
        for entry in parsed.entries:
            prior = known.get(entry.article.id)
            if prior is not None and (
                prior[0] == entry.content_hash or (prior[1] == "full" and entry.article.is_summary)
            ):
                report.unchanged += 1
                if full_text and entry.wants_full_text and (prior[1] == "summary" or prior[0] != entry.content_hash):
                    pending.append(_Pending(source_id, entry))
                continue
            outcome = store.save_article(db, source_id, entry.article, entry.content_hash)
            known[entry.article.id] = (entry.content_hash, entry.article.content)
            setattr(report, outcome, getattr(report, outcome) + 1)
            changed.append(entry.article.id)
            if full_text and entry.wants_full_text:
                pending.append(_Pending(source_id, entry))
        resolve_pending(db, changed)
        record_check(
            db, source_id, warning=parsed.warning, validators=validators, title=parsed.title, site_url=parsed.site_url
        )
    return pending


def _known(db: sqlite3.Connection, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Content hash and kind of the cached articles among ``ids``."""
    found: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = db.execute(
            f"SELECT id, content_hash, content_kind FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
        )
        found.update((row[0], (row[1], row[2])) for row in rows)
    return found


def _fetch_full_texts(
    store: Store,
    reports: dict[int, FeedReport],
    pending: list[_Pending],
    limits: FetchLimits,
    client: httpx.Client | None,
    workers: int,
    progress: Progress | None,
    done: int,
    feeds: int,
) -> None:
    """Fetch the pages of summary-only entries (at most :data:`FULL_TEXT_PER_FEED` a feed) and save their text."""
    per_feed: dict[int, int] = {}
    chosen: list[_Pending] = []
    for item in pending:
        if per_feed.get(item.source_id, 0) < FULL_TEXT_PER_FEED:
            per_feed[item.source_id] = per_feed.get(item.source_id, 0) + 1
            chosen.append(item)
    if not chosen:
        return
    total = feeds + len(chosen)
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="page") as pool:
        futures = {pool.submit(_page_article, item.entry.article, limits, client): item for item in chosen}
        for step, future in enumerate(as_completed(futures), start=done + 1):
            item = futures[future]
            report = reports[item.source_id]
            try:
                article = future.result()
            except ReaderError as error:
                report.full_text_failed.append((item.entry.article.url or "", str(error)))
            else:
                with store.transaction() as db:
                    _save_full_text(store, db, item.source_id, article, item.entry.content_hash)
                report.full_text += 1
            if progress:
                progress(RefreshProgress(step, total, item.entry.article.title))


def _page_article(summary: Article, limits: FetchLimits, client: httpx.Client | None) -> Article:
    """The full text of a summary-only entry, from its page; the entry's own title and time are kept."""
    assert summary.url is not None
    page = _extract(fetch(summary.url, limits=limits, client=client))
    return dataclasses.replace(
        summary,
        paragraphs=page.paragraphs,
        related=page.related or summary.related,
        language=page.language or summary.language,
        photo_credit=page.photo_credit or summary.photo_credit,
        encoding=page.encoding,
        content="full",
    )


@dataclass(frozen=True, slots=True)
class _Page:
    """The article found on a web page, and the encoding the page was in."""

    title: str | None
    paragraphs: tuple[str, ...]
    related: tuple[RelatedLink, ...]
    language: str | None
    encoding: str
    published: datetime | None
    place_time: str | None
    photo_credit: str | None


def _extract(document: Fetched) -> _Page:
    """The article on a fetched page (trafilatura for the text, our own parser for its see-also block)."""
    from pozirk_reader.core.fulltext import extract_page

    decoded = decode_web_page(document.body, document.charset)
    page = extract_page(decoded.text, document.url)  # raises NoArticleTextError (one line) if there is none
    return _Page(
        page.title,
        page.paragraphs,
        page.related,
        page.language,
        decoded.encoding,
        page.published,
        page.place_time,
        page.photo_credit,
    )


def fetch_full_text(
    store: Store, article_id: str, *, limits: FetchLimits = LIMITS, client: httpx.Client | None = None
) -> bool:
    """Fetch the full text of a cached summary from its page and save it; returns whether it changed.

    Raises :class:`ReaderError` (a one-line message) if there is no page or it cannot be read.
    """
    stored = store.get(article_id)
    if stored is None:
        raise ReaderError(f"article {article_id} is not in the cache")
    if not stored.article.is_summary:
        return False
    if not stored.article.url:
        raise ReaderError("this article has no web page to fetch its full text from")
    article = _page_article(stored.article, limits, client)
    with store.transaction() as db:
        row = db.execute("SELECT source_id, content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return False
        _save_full_text(store, db, row[0], article, row[1])
    return True


def _save_full_text(store: Store, db: sqlite3.Connection, source_id: int, article: Article, entry_hash: str) -> None:
    """Save an entry's full text under the entry's own hash (so the unchanged entry does not replace it)."""
    db.execute("UPDATE articles SET content_hash = '' WHERE id = ?", (article.id,))  # same entry, new text
    store.save_article(db, source_id, article, entry_hash)
    resolve_pending(db, [article.id])


def fetch_page(
    store: Store,
    url: str,
    *,
    title: str | None = None,
    limits: FetchLimits = LIMITS,
    client: httpx.Client | None = None,
) -> str:
    """Fetch the article page at ``url`` into the cache (once) and return its article id.

    Used to follow a "see also" link whose target is not cached. The page becomes a source of
    its own (kind ``page``); links waiting for that URL resolve to it.
    """
    known = store.article_by_url(url)
    if known is not None:
        return known
    document = fetch(url, limits=limits, client=client)
    page = _extract(document)
    published = page.published
    article = Article(
        id=stable_id(url),
        title=page.title or title or url,
        paragraphs=page.paragraphs,
        language=page.language or "und",
        source_name=host_of(url),
        date=published.date() if published else None,
        place_time=page.place_time,
        photo_credit=page.photo_credit,
        related=page.related,
        origin=url,
        url=url,
        encoding=page.encoding,
    )
    with store.transaction() as db:
        source_id = store.ensure_source(db, "page", url, article.title)
        store.save_article(db, source_id, article, content_hash(article))
        resolve_pending(db, [article.id])
        record_check(db, source_id, title=article.title)
    return article.id


def subscribe(store: Store, feeds: Iterable[tuple[str, str | None]]) -> list[int]:
    """Add http(s) feeds by URL without reading them (as an OPML import does); returns the new sources' ids."""
    new: list[int] = []
    with store.transaction() as db:
        for url, title in feeds:
            if not is_url(url):
                raise FeedError(f"{url}: only http and https feeds can be subscribed to")
            if db.execute("SELECT 1 FROM sources WHERE location = ?", (url,)).fetchone() is None:
                new.append(store.ensure_source(db, "feed", url, title))
    return new


def is_feed_file(path: str) -> bool:
    """Whether ``path`` is a local file whose first element is a feed's (``rss``, ``feed``, ``rdf:RDF``)."""
    try:
        with open(os.path.expanduser(path), "rb") as handle:
            return looks_like_feed(handle.read(4096))
    except OSError:
        return False


def remove_feed(store: Store, location: str) -> tuple[Source, int]:
    """Unsubscribe: delete the feed and its cached articles. Returns the source and how many articles went."""
    target = normalise_location(location)
    found = [s for s in store.sources(kind="feed") if target in (s.location, s.title)]
    if not found:
        raise ReaderError(f"{location}: not subscribed (see `pozirk-reader feeds list`)")
    return found[0], store.remove_source(found[0].id)


def _count_cached(store: Store, reports: Iterable[FeedReport]) -> None:
    """Set each report's count of the articles its feed has in the cache (kept whatever the feed did)."""
    counts = {source.id: source.article_count for source in store.sources(kind="feed")}
    for report in reports:
        report.cached = counts.get(report.source_id or -1, 0)


def _client(workers: int) -> httpx.Client:
    """One connection pool shared by the refresh's threads."""
    import httpx

    return httpx.Client(follow_redirects=False, limits=httpx.Limits(max_connections=max(2, workers * 2)))

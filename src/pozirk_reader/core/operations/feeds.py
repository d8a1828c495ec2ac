"""Feeds as sources: subscribing (with autodiscovery), refreshing concurrently, OPML subscriptions, removing.

A feed is a source in the same cache as files. A feed that fails keeps every article it brought,
with its error recorded in one line, and an entry that leaves the feed stays cached: only a
retention the user sets (:class:`~.retention.Keeping`, ``max_articles_per_feed``) deletes the oldest articles
of a feed, never a starred one. Fetching and parsing run on a bounded pool of threads, as many at
once as memory allows (:func:`~.retention.fetches_at_once`); each feed is then written in a transaction of its own.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from pozirk_reader.core.article.decoding import decode_web_page
from pozirk_reader.core.article.files import read_regular_file
from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.article.model import ContentKind
from pozirk_reader.core.errors import FeedError, FileTooLargeError, ReaderError
from pozirk_reader.core.limits import FULL_TEXT_PER_FEED
from pozirk_reader.core.operations.pages import LIMITS, host_of, page_article
from pozirk_reader.core.operations.retention import (
    KEEP_ALL_READ,
    Keeping,
    fetches_at_once,
    release_free_memory,
    retain,
)
from pozirk_reader.core.store.identity import EntryClaim
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import EntryFingerprint, KnownEntry, SaveOutcome, Source, SourceKind
from pozirk_reader.core.store.writing import WriteTransaction
from pozirk_reader.core.web.fetch import Fetched, FetchLimits, fetch, make_client
from pozirk_reader.core.web.urls import is_http_url
from pozirk_reader.core.wording import counted

if TYPE_CHECKING:
    from collections.abc import Mapping

    import httpx

    from pozirk_reader.core.web.feed_entry import KnownItem
    from pozirk_reader.core.web.feed_format import FeedEntry, ParsedFeed

DEFAULT_WORKERS = 8
"""Feeds (and article pages) fetched at once."""
PARSED_AHEAD = 1
"""Feeds parsed (or being parsed) and not yet written, at most: the fetches go on at ``workers`` at once, but a
parsed feed's objects are several times its bytes, so parsing waits while this many wait for the writer (a
bounded queue between the fetchers and the one writer). One: parsing and writing are both Python, so a second
feed parsed while one is written gains nothing under the GIL (50 x 200 items: CPU 8.4 s with one, 9.1 s with two)
and adds its objects to the peak (100,000 articles from 50 feeds: 277 MiB with two, 223 with one)."""

CONVERTED_AHEAD = 256
"""How many of a feed's entries are converted at a time, before they are written: a big feed's articles are not
all held at once (8,000 items: peak 150 MiB against 170 with all converted first), and converting and writing
them in turns entry by entry cost a tenth more CPU (5.0 s against 4.5 s, 3 alternated runs each)."""

UNSUBSCRIBED = "unsubscribed while it was refreshed: nothing of it kept"
"""A feed's line when it was removed (``feeds remove``) while a refresh was fetching it."""


class FeedStatus(StrEnum):
    """What refreshing a feed came to."""

    UPDATED = "updated"
    NOT_MODIFIED = "not modified"
    FAILED = "failed"


@dataclass
class FeedReport:
    """What refreshing (or adding) one feed did, for the per-feed summary."""

    location: str
    title: str | None = None
    source_id: int | None = None
    status: FeedStatus = FeedStatus.UPDATED
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    full_text: int = 0
    full_text_failed: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None
    cached: int = 0
    dropped: int = 0
    """Old articles deleted by retention (``max_articles_per_feed``)."""

    def count(self, outcome: SaveOutcome) -> None:
        """Count one entry saved as ``outcome`` (added, updated or unchanged)."""
        if outcome is SaveOutcome.ADDED:
            self.added += 1
        elif outcome is SaveOutcome.UPDATED:
            self.updated += 1
        elif outcome is SaveOutcome.UNCHANGED:
            self.unchanged += 1

    @property
    def name(self) -> str:
        """The feed's title, else its host (or file name)."""
        return self.title or host_of(self.location)

    @property
    def line(self) -> str:
        """One line for the summary, e.g. "Pozirk: connection refused (pozirk.online) — showing 1,234 cached
        articles": the feed by its title, the host where it failed after the reason."""
        cached = counted(self.cached, "cached article")
        if self.error:
            host = host_of(self.location)
            reason = self.error
            if reason.startswith(f"{host}: ") and self.title:
                reason = f"{reason.removeprefix(f'{host}: ')} ({host})"
            elif reason.startswith(f"{host}: "):
                return f"{reason} — showing {cached}"
            return f"{self.name}: {reason} — showing {cached}"
        if self.status == FeedStatus.NOT_MODIFIED:
            return f"{self.name}: not modified ({cached})"
        text = f"{self.name}: {self.added} new, {self.updated} updated, {self.unchanged} unchanged"
        if self.full_text or self.full_text_failed:
            text += f"; full text of {self.full_text}"
            text += f" ({counted(len(self.full_text_failed), 'page')} failed)" if self.full_text_failed else ""
        if self.dropped:
            text += f"; {counted(self.dropped, 'old article')} deleted (max_articles_per_feed)"
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


def normalise_location(location: str) -> str:
    """A URL as given (``feed://`` read as ``https://``), a path made absolute."""
    location = location.strip()
    if location.startswith("feed://"):
        location = "https://" + location.removeprefix("feed://")
    if is_http_url(location):
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
    if is_http_url(location):  # else a local path
        return fetch(location, etag=etag, last_modified=last_modified, limits=limits, client=client)
    path = Path(location)
    name = safe_line(path.name)
    try:
        status = path.stat()
        stamp = f"file:{status.st_size}:{status.st_mtime_ns}"
        if etag == stamp:
            return Fetched(location, 304, b"", None, None, stamp, None)
        body, _ = read_regular_file(path, limits.max_bytes, name, status)
    except FileTooLargeError as error:
        raise FeedError(f"{name}: larger than the {limits.max_bytes // 1024 // 1024} MiB limit") from error
    except ReaderError as error:  # a folder, a FIFO, a device
        raise FeedError(str(error)) from error
    except OSError as error:
        raise FeedError(f"{name}: {error.strerror or error}") from error
    return Fetched(location, 200, body, None, None, stamp, None)


def parse_feed(
    data: bytes,
    url: str,
    charset: str | None = None,
    content_type: str | None = None,
    *,
    scope: str | None = None,
    max_entries: int,
    known_items: Mapping[str, KnownItem] | None = None,
) -> ParsedFeed:
    """:func:`~pozirk_reader.core.web.feed_format.parse_feed`, imported only when a feed is to be parsed: a refresh
    whose every feed answers 304 loads none of the parsing modules."""
    from pozirk_reader.core.web.feed_format import parse_feed as parse

    handed = [data]  # handed over, not held here, so that the parser can let go of the bytes once decoded
    del data
    return parse(
        handed.pop(),
        url,
        charset,
        content_type,
        scope=scope,
        max_entries=max_entries,
        known_items=known_items,
    )


def discover(location: str, *, limits: FetchLimits = LIMITS, client: httpx.Client | None = None) -> tuple[str, Fetched]:
    """Fetch ``location``; if it is a web page, follow its feed autodiscovery link.

    Returns where the feed is (``location`` itself, or the feed a page links to) and the feed as fetched.
    """
    from pozirk_reader.core.web.feed_format import looks_like_feed, not_a_feed

    document = fetch_document(location, limits=limits, client=client)
    if looks_like_feed(document.body):
        return location, document
    refusal = not_a_feed(document.body, document.url)
    if refusal is not None:
        raise refusal
    from pozirk_reader.core.web.page_extract import find_feed_links

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
    keep: Keeping = KEEP_ALL_READ,
    limits: FetchLimits = LIMITS,
    client: httpx.Client | None = None,
) -> FeedReport:
    """Subscribe to the feed at ``location`` (a feed URL, a page that links one, or a local file) and read it.

    A location already subscribed to is refreshed instead. Raises :class:`ReaderError` (one line) if
    nothing there is a feed; nothing is subscribed then.
    """
    location = normalise_location(location)
    known = store.sources(kind=SourceKind.FEED, location=location)
    if known:
        return refresh(store, [known[0].id], full_text=full_text, keep=keep, limits=limits, client=client)[0]
    feed_location, document = discover(location, limits=limits, client=client)
    parsed = parse_feed(
        document.body,
        document.url,
        document.charset,
        document.content_type,
        scope=feed_location,
        max_entries=keep.entries,
    )
    existing = store.sources(kind=SourceKind.FEED, location=feed_location)
    with store.writing() as tx:
        source_id = existing[0].id if existing else tx.ensure_source(SourceKind.FEED, feed_location, parsed.title)
    report = FeedReport(feed_location, parsed.title, source_id)
    pending, listed = _ingest(store, source_id, parsed, (document.etag, document.last_modified), report, full_text)
    report.dropped += retain(store, source_id, listed, keep)
    _fetch_full_texts(store, {source_id: report}, pending, limits, client, DEFAULT_WORKERS, None, 0, 0)
    _count_cached(store, [report])
    return report


def refresh(
    store: Store,
    source_ids: Iterable[int] | None = None,
    *,
    full_text: bool = True,
    workers: int = DEFAULT_WORKERS,
    keep: Keeping = KEEP_ALL_READ,
    limits: FetchLimits = LIMITS,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
) -> list[FeedReport]:
    """Refresh the given feeds (default: all), at most ``workers`` at once (fewer if memory is short, see
    :func:`~.retention.fetches_at_once`); one report per feed, in order. ``keep`` bounds what each feed keeps."""
    wanted = set(source_ids) if source_ids is not None else None
    feeds = [source for source in store.sources(kind=SourceKind.FEED) if wanted is None or source.id in wanted]
    reports = {source.id: FeedReport(source.location, source.title, source.id) for source in feeds}
    if not feeds:
        return []
    workers = fetches_at_once(workers, limits.max_bytes)
    own_client = _client(workers) if client is None else None
    try:
        with store.bulk_writes():
            pending = _refresh_feeds(
                store, feeds, reports, full_text, workers, keep, limits, progress, client or own_client
            )
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
    keep: Keeping,
    limits: FetchLimits,
    progress: Progress | None,
    client: httpx.Client | None,
) -> list[_Pending]:
    """Fetch and parse every feed on the pool; write each as it arrives. Returns the pages to fetch.

    Memory stays bounded whatever the number of feeds: at most ``workers`` bodies are held by the fetchers,
    and at most :data:`PARSED_AHEAD` feeds are parsed and waiting for the writer (a fetcher waits for a
    slot before parsing; the writer frees it once the feed is written).
    """
    pending: list[_Pending] = []
    slots = threading.BoundedSemaphore(PARSED_AHEAD)

    def work(source: Source) -> tuple[Fetched, ParsedFeed | None]:
        document = fetch_document(
            source.location, etag=source.etag, last_modified=source.last_modified, limits=limits, client=client
        )
        if document.status == 304:
            return document, None
        slots.acquire()
        try:
            known_items = store.known_items(source.id)
            # The bytes are handed over, not held here: parse_feed lets go of them once they are decoded.
            handed = [document.body]
            document = dataclasses.replace(document, body=b"")
            return document, parse_feed(
                handed.pop(),
                source.location,
                document.charset,
                document.content_type,
                scope=source.location,
                max_entries=keep.entries,
                known_items=known_items,
            )
        except BaseException:
            slots.release()
            raise

    checks: list[tuple[int, str | None, tuple[str | None, str | None] | None]] = []  # (source, error, validators)
    try:
        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="feed") as pool:
            futures: dict[Future[tuple[Fetched, ParsedFeed | None]], Source] = {
                pool.submit(work, source): source for source in feeds
            }
            for done, future in enumerate(as_completed(futures), start=1):
                source = futures.pop(future)  # the future holds the feed's bytes and objects: let them go with it
                report = reports[source.id]
                try:
                    document, parsed = future.result()
                except ReaderError as error:
                    report.status, report.error = FeedStatus.FAILED, str(error)
                    checks.append((source.id, str(error), None))
                else:
                    if parsed is None:
                        report.status = FeedStatus.NOT_MODIFIED
                        checks.append((source.id, None, (document.etag, document.last_modified)))
                    else:
                        validators = (document.etag, document.last_modified)
                        try:
                            fetched, listed = _ingest(store, source.id, parsed, validators, report, full_text)
                        finally:
                            del document, parsed, future  # the feed's objects go before the next is parsed
                            release_free_memory()
                            slots.release()
                        pending += fetched
                        report.dropped += retain(store, source.id, listed, keep)
                if progress:
                    progress(RefreshProgress(done, len(feeds), report.name))
    finally:
        _record_checks(store, checks)
    return pending


def _record_checks(store: Store, checks: list[tuple[int, str | None, tuple[str | None, str | None] | None]]) -> None:
    """Note the feeds that were not modified, or failed, in one transaction (one each made 50 answers of 304
    cost 50 commits)."""
    if not checks:
        return
    with store.writing() as tx:
        for source_id, error, validators in checks:
            tx.record_check(source_id, error=error, validators=validators)


def _ingest(
    store: Store,
    source_id: int,
    parsed: ParsedFeed,
    validators: tuple[str | None, str | None],
    report: FeedReport,
    full_text: bool,
) -> tuple[list[_Pending], list[str]]:
    """Write a parsed feed in one transaction; returns the entries whose full text should be fetched, and
    the ids of the articles the feed lists.

    An unchanged entry is not written; one whose fingerprint its article holds (see
    :mod:`~pozirk_reader.core.web.feed_entry`) is known unchanged without being converted. Full text already fetched is never replaced by a summary. Each
    entry is the cached article of its feed with its key (see :meth:`WriteTransaction.identify_entries`).
    """
    report.title = parsed.title or report.title
    report.warning = parsed.warning
    pending: list[_Pending] = []
    with store.writing() as tx:
        if not tx.has_source_id(source_id):  # unsubscribed (by another process) while it was fetched
            report.status, report.error = FeedStatus.FAILED, UNSUBSCRIBED
            return pending, []
        fingerprints = tx.known_fingerprints(source_id, [entry.key for entry in parsed.entries])
        cached = [fingerprints.get(entry.key) for entry in parsed.entries]
        entries = _identified(tx, source_id, parsed.entries, cached)
        known = {found.article_id: KnownEntry(found.content_hash, found.content) for found in fingerprints.values()}
        known |= tx.known_entries([entry.id for entry, found in zip(entries, cached, strict=True) if found is None])
        changed: list[str] = []
        listed = [entry.id for entry in entries]
        parsed.entries.clear()  # each entry is let go once written: a big feed's articles are never all held
        for entry, fingerprint in _converted_ahead(entries, cached):
            cached_hash = _cached_hash(fingerprint, entry)
            same = cached_hash is not None
            entry_hash = cached_hash if cached_hash is not None else entry.content_hash  # (else it converts)
            prior = known.get(entry.id)
            if prior is not None and (
                prior.content_hash == entry_hash or (prior.content == ContentKind.FULL and entry.article.is_summary)
            ):
                report.unchanged += 1
                noted = same and fingerprint is not None and entry.feed_item in (None, fingerprint.feed_item)
                if prior.content_hash == entry_hash and not noted:  # converted (or read), unchanged: known next time
                    tx.record_fingerprint(entry.id, entry.raw_hash, entry.feed_item)
                if (
                    full_text
                    and (prior.content == ContentKind.SUMMARY or prior.content_hash != entry_hash)
                    and entry.wants_full_text  # (last: it converts an entry left unconverted)
                ):
                    pending.append(_Pending(source_id, entry))
                continue
            outcome = tx.save_article(
                source_id,
                entry.article,
                entry_hash,
                entry_key=entry.key,
                raw_hash=entry.raw_hash,
                feed_item=entry.feed_item,
            )
            known[entry.id] = KnownEntry(entry_hash, entry.article.content)
            report.count(outcome)
            changed.append(entry.id)
            if full_text and entry.wants_full_text:
                pending.append(_Pending(source_id, entry))
        tx.resolve_links(changed)
        tx.record_check(
            source_id, warning=parsed.warning, validators=validators, title=parsed.title, site_url=parsed.site_url
        )
    return pending, listed


def _identified(
    tx: WriteTransaction, source_id: int, entries: list[FeedEntry], cached: list[EntryFingerprint | None]
) -> list[FeedEntry]:
    """The entries with the ids of the cached articles they are (a new entry keeps the id it was given).

    An entry of ``cached`` is its fingerprint's article (the article of the feed with its key); the others claim
    theirs (see :mod:`~.store.identity`: a claim's content hash is read only for a key no article has).
    """
    ids = [found.article_id if found is not None else None for found in cached]
    asking = [position for position, found in enumerate(ids) if found is None]
    if asking:
        claims = [EntryClaim(e.key, e.id, e.legacy_id, _hash_of(e)) for e in map(entries.__getitem__, asking)]
        for position, found in zip(asking, tx.identify_entries(source_id, claims), strict=True):
            ids[position] = found
    return [
        entry if found == entry.id else entry.with_identity(entry.key, str(found))
        for entry, found in zip(entries, ids, strict=True)
    ]


def _converted_ahead(
    entries: list[FeedEntry], cached: list[EntryFingerprint | None]
) -> Iterator[tuple[FeedEntry, EntryFingerprint | None]]:
    """Each entry with its fingerprint, in order, let go of once taken (both lists are emptied). The entries to
    be converted (those not known by their fingerprint) are converted :data:`CONVERTED_AHEAD` at a time, before
    they are taken."""
    entries.reverse()
    cached.reverse()
    while entries:
        batch = [(entries.pop(), cached.pop()) for _ in range(min(CONVERTED_AHEAD, len(entries)))]
        for entry, fingerprint in batch:
            if _cached_hash(fingerprint, entry) is None:
                entry.convert()
        batch.reverse()
        while batch:
            yield batch.pop()


def _hash_of(entry: FeedEntry) -> Callable[[], str]:
    """The entry's content hash, when asked for (it converts the entry)."""
    return lambda: entry.content_hash


def _cached_hash(fingerprint: EntryFingerprint | None, entry: FeedEntry) -> str | None:
    """The entry's content hash known without converting it: its article's, if the article has its fingerprint."""
    if fingerprint is not None and (fingerprint.article_id, fingerprint.raw_hash) == (entry.id, entry.raw_hash):
        return fingerprint.content_hash
    return None


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
        futures = {pool.submit(page_article, item.entry.article, limits, client): item for item in chosen}
        for step, future in enumerate(as_completed(futures), start=done + 1):
            item = futures[future]
            report = reports[item.source_id]
            try:
                article = future.result()
            except ReaderError as error:
                report.full_text_failed.append((item.entry.article.url or "", str(error)))
            else:
                with store.writing() as tx:
                    saved = tx.has_source_id(item.source_id)
                    if saved:
                        tx.save_full_text(
                            item.source_id, article, item.entry.content_hash, item.entry.raw_hash, item.entry.feed_item
                        )
                report.full_text += saved
            if progress:
                progress(RefreshProgress(step, total, item.entry.article.title))


def subscribe(store: Store, feeds: Iterable[tuple[str, str | None]]) -> list[int]:
    """Add http(s) feeds by URL without reading them (as an OPML import does); returns the new sources' ids."""
    new: list[int] = []
    with store.writing() as tx:
        for url, title in feeds:
            if not is_http_url(url):
                raise FeedError(f"{url}: only http and https feeds can be subscribed to")
            if not tx.has_source(url):
                new.append(tx.ensure_source(SourceKind.FEED, url, title))
    return new


def is_feed_file(path: str) -> bool:
    """Whether ``path`` is a local file whose first element is a feed's (RSS, RDF or Atom, by namespace)."""
    from pozirk_reader.core.web.feed_format import looks_like_feed

    try:
        with open(os.path.expanduser(path), "rb") as handle:
            return looks_like_feed(handle.read(4096))
    except OSError:
        return False


def remove_feed(store: Store, location: str) -> tuple[Source, int]:
    """Unsubscribe: delete the feed and its cached articles. Returns the source and how many articles went.

    ``location`` is the feed's URL or file, or its title as ``feeds list`` shows it. A refresh writing
    the feed meanwhile is waited for; one that fetched it before the removal then drops what it fetched.
    """
    target = normalise_location(location)
    found = [
        s
        for s in store.sources(kind=SourceKind.FEED)
        if target == s.location or location in (s.location, s.title, s.name, safe_line(s.name))
    ]
    if not found:
        raise ReaderError(f"{location}: not subscribed (see `pozirk-reader feeds list`)")
    with store.writing() as tx:
        removed = tx.remove_source(found[0].id)
    return found[0], removed


def _count_cached(store: Store, reports: Iterable[FeedReport]) -> None:
    """Set each report's count of the articles its feed has in the cache (kept whatever the feed did)."""
    counts = {source.id: source.article_count for source in store.sources(kind=SourceKind.FEED)}
    for report in reports:
        report.cached = counts.get(report.source_id or -1, 0)


def _client(workers: int) -> httpx.Client:
    """One connection pool shared by the refresh's threads, each request held to its deadline."""
    return make_client(max_connections=max(2, workers * 2))

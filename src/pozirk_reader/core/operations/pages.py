"""Article pages from the web: the full text of a feed's summary, and pages fetched by following a link.

trafilatura finds a page's main text; the page's own ``<article>`` gives its "see also" block
(see :mod:`pozirk_reader.core.web.page_extract`). A fetched page becomes an article of the cache.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pozirk_reader.core.article.decoding import decode_web_page
from pozirk_reader.core.article.model import Article, ContentKind, RelatedLink, stable_id
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.limits import MAX_FEED_BYTES
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceKind
from pozirk_reader.core.web.fetch import Fetched, FetchLimits, fetch

if TYPE_CHECKING:
    import httpx

LIMITS = FetchLimits(max_bytes=MAX_FEED_BYTES)
"""Timeouts, deadline, size cap (:data:`~pozirk_reader.core.limits.MAX_FEED_BYTES`) and redirects for
feeds and pages; a local feed file has the same size cap."""


def host_of(location: str) -> str:
    """The host of a URL, or the file name of a path: how errors name a feed."""
    return urlsplit(location).netloc or location.rstrip("/").rpartition("/")[2] or location


def page_article(summary: Article, limits: FetchLimits, client: httpx.Client | None) -> Article:
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
        content=ContentKind.FULL,
        blocks="",  # a page's text is read as paragraphs only: no kinds, no links in the text
        links=(),
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
    from pozirk_reader.core.web.page_extract import extract_page

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
    article = page_article(stored.article, limits, client)
    with store.writing() as tx:
        found = tx.source_and_hash(article_id)
        if found is None:
            return False
        source_id, entry_hash = found
        tx.save_full_text(source_id, article, entry_hash)
    return True


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
    from pozirk_reader.core.web.feed_entry import content_hash

    with store.writing() as tx:
        source_id = tx.ensure_source(SourceKind.PAGE, url, article.title)
        tx.save_article(source_id, article, content_hash(article))
        tx.resolve_links([article.id])
        tx.record_check(source_id, title=article.title)
    return article.id

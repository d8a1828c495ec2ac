"""RSS and Atom feeds to articles: lxml or feedparser for the XML, our own HTML-to-text for the entries.

Well-formed RSS and Atom go through :mod:`~pozirk_reader.core.web.fast_feed`, which reads with lxml the fields
feedparser would give (proved identical on the shared corpus); what it declines goes to feedparser.
feedparser's HTML sanitizer and relative-URI resolver are switched off (they are most of its
time); :func:`~pozirk_reader.core.web.html_text.html_to_text` is the one defence against hostile
HTML and resolves links itself. Bytes are always handed over as a stream, never as a string
feedparser could take for a path or URL, and are decoded first by the rules of XML and HTTP
(:mod:`~pozirk_reader.core.web.xml_decoding`); a guessed encoding becomes the feed's warning.

A document is a feed by its root element's namespace, whatever its prefix: RSS 0.9x/2.0 (``rss``),
RSS 0.90/1.0 (``rdf:RDF``), Atom 0.3/1.0 (``feed``) and an Atom entry document (``entry``).

Each entry becomes a :class:`~pozirk_reader.core.web.feed_entry.FeedEntry` (its identity within its feed,
its article converted at once, or on demand if the cache knows its fingerprint).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pozirk_reader.core.article.decoding import looks_binary
from pozirk_reader.core.article.hygiene import clean_text, fold_spaces
from pozirk_reader.core.article.language import language_of_code
from pozirk_reader.core.errors import FeedError
from pozirk_reader.core.limits import DEFAULT_FEED_ENTRIES
from pozirk_reader.core.web.fast_feed import read_feed
from pozirk_reader.core.web.feed_digests import Unread
from pozirk_reader.core.web.feed_entry import (
    EntryContext,
    FeedEntry,
    KnownItem,
    entry_id,
    entry_time,
    http_url,
    item_salt,
    item_title,
    read_entry,
    unread_entry,
)
from pozirk_reader.core.web.xml_decoding import GUESSED, decode_xml, head_text
from pozirk_reader.core.web.xmlsafety import check_no_entity_declarations

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PROLOG = re.compile(r"\s+|<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][-\w.]*:)?([A-Za-z_][-\w.]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)
_NAMESPACE = re.compile(r"xmlns(?::([-\w.]+))?\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_WEB_PAGE = re.compile(r"<html|<!doctype html", re.IGNORECASE)
RSS_NAMESPACES = frozenset(
    ("", "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss", "http://backend.userland.com/rss")
)
"""RSS 0.9x and 2.0: no namespace, or one of those some feeds declare."""
RDF_NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
ATOM_NAMESPACES = frozenset(
    ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#", "http://purl.org/pie/", "http://purl.org/echo/")
)
"""Atom 1.0, 0.3, and the drafts before it (pie, echo), as feedparser reads them."""


class FeedKind(StrEnum):
    """What kind of feed a document's root element makes it."""

    RSS = "rss"
    """RSS 0.9x or 2.0 (``<rss>``)."""
    RDF = "rdf"
    """RSS 0.90 or 1.0 (``<rdf:RDF>``)."""
    ATOM = "atom"
    """Atom 0.3 or 1.0 (``<feed>``)."""
    ATOM_ENTRY = "atom-entry"
    """An Atom entry document (``<entry>``): a feed of one entry."""


@dataclass(frozen=True, slots=True)
class Root:
    """A document's first element: its name without a prefix, its namespace, and what kind of feed it makes."""

    name: str
    namespace: str
    kind: FeedKind | None
    """``None`` for an element that is no feed's."""

    @property
    def shown(self) -> str:
        """The element as a message names it: ``<opml>``, ``<feed> in urn:other``."""
        return f"<{self.name}>" + (f" in {self.namespace}" if self.namespace else "")


@dataclass(slots=True)
class ParsedFeed:
    """What a feed holds: its title and site, its entries, and a warning if it was not well-formed."""

    title: str | None
    site_url: str | None
    entries: list[FeedEntry] = field(default_factory=list)
    warning: str | None = None
    encoding: str = "utf-8"


def document_root(text: str) -> Root | None:
    """The first element of an XML document's text, or ``None`` if it has none (it is empty).

    Text that is no XML at all gives a :class:`Root` with an empty name.
    """
    position = 0
    while found := _PROLOG.match(text, position):
        if found.end() == position:
            break
        position = found.end()
    start = _ROOT.match(text, position)
    if start is None:
        return None if not text[position:].strip() else Root("", "", None)
    prefix, name = (start.group(1) or "")[:-1], start.group(2)
    namespaces = {found[0]: found[1] or found[2] for found in _NAMESPACE.findall(start.group(3))}
    namespace = namespaces.get(prefix, "")
    kind = None
    if name == "rss" and (namespace in RSS_NAMESPACES or not prefix):
        kind = FeedKind.RSS
    elif name == "RDF" and (namespace == RDF_NAMESPACE or prefix == "rdf"):
        kind = FeedKind.RDF
    elif name == "feed" and (namespace in ATOM_NAMESPACES or not namespace):
        kind = FeedKind.ATOM
    elif name == "entry" and namespace in ATOM_NAMESPACES:
        kind = FeedKind.ATOM_ENTRY
    return Root(name, namespace, kind)


def looks_like_feed(data: bytes) -> bool:
    """Tell a feed from an HTML page by its first element and that element's namespace (see the module)."""
    root = document_root(head_text(data))
    return root is not None and root.kind is not None


def not_a_feed(data: bytes, url: str) -> FeedError | None:
    """Why a document that is no feed is none; ``None`` if it may be a web page that links one."""
    name = _host_and_path(url)
    if not data.strip():
        return FeedError(f"{name}: the feed is empty")
    head = head_text(data)
    root = document_root(head)
    if root is None and len(data) <= 4096:  # all of it read, and nothing in it
        return FeedError(f"{name}: the document is empty (no element in it)")
    if root is None or not root.name or root.name.lower() == "html" or _WEB_PAGE.search(head):
        return None
    return FeedError(f"{name}: not a feed: its first element is {root.shown}, not RSS or Atom")


def parse_feed(
    data: bytes,
    url: str,
    charset: str | None = None,
    content_type: str | None = None,
    *,
    scope: str | None = None,
    max_entries: int = DEFAULT_FEED_ENTRIES,
    fast_xml: bool = True,
    known_items: Mapping[str, KnownItem] | None = None,
) -> ParsedFeed:
    """Parse feed bytes fetched from ``url`` (``charset`` as the server declared it).

    ``scope`` names the feed the entries' identities belong to (its subscribed location; default ``url``).
    Of a feed with more than ``max_entries`` entries, the newest that many are kept (:func:`newest`),
    with a warning.

    Raises :class:`FeedError` for what cannot be a feed at all (empty, binary, an HTML page, another
    kind of XML, a DOCTYPE declaring entities). A feed that is not well-formed keeps
    what parsed, with :attr:`ParsedFeed.warning` saying what was wrong; so does a feed whose
    encoding had to be guessed. Well-formed RSS and Atom are read by :mod:`~pozirk_reader.core.web.fast_feed`
    (lxml), which gives what feedparser would; whatever it declines, and everything with ``fast_xml=False``,
    is read by feedparser.

    Each entry is converted when its article is first asked for (see :mod:`~pozirk_reader.core.web.feed_entry`;
    one without a title at once). ``known_items`` holds the entries the cache knows by their bytes (by digest, see
    :mod:`~pozirk_reader.core.web.feed_digests`): the fast reader does not even read those; each is the entry the
    cache keeps, unconverted.
    """
    name = _host_and_path(url)
    if not data.strip():
        raise FeedError(f"{name}: the feed is empty")
    check_no_entity_declarations(data, name)
    if looks_binary(data) and not head_text(data[:64]).lstrip().startswith("<"):  # UTF-16 and UTF-32 hold NULs
        raise FeedError(f"{name}: not a feed (binary data)")
    decoded = decode_xml(data, charset)
    del data  # a big feed is held once at a time: as bytes, as text, then re-encoded (the caller lets go of it too)
    text = decoded.text.lstrip("\ufeff")
    root = document_root(text[:65536])
    if root is None:
        raise FeedError(f"{name}: the document is empty (no element in it)")
    if root.kind is None:
        if root.name.lower() == "html" or _WEB_PAGE.match(text[:1024].lstrip()):
            raise FeedError(f"{name}: this is a web page, not a feed")
        found = f"its first element is {root.shown}" if root.name else "no XML in it"
        raise FeedError(f"{name}: not a feed: {found}, not RSS or Atom")
    declaration = _XML_DECLARATION.match(text)
    if declaration:
        text = '<?xml version="1.0" encoding="utf-8"?>' + text[declaration.end() :]
    payload = text.encode("utf-8", "surrogatepass")
    guess, encoding = decoded.guess, decoded.encoding
    del decoded, text
    media = content_type if content_type and "xml" in content_type else "application/xml"
    items = known_items or {}
    fast = read_feed(payload, media, items, item_salt(url)) if fast_xml else None
    if fast is not None:
        del payload  # (kept for feedparser only)
        feed, entries, bozo = fast[0], fast[1], None
        del fast
    else:
        import feedparser

        try:
            parsed = feedparser.parse(
                io.BytesIO(payload),
                sanitize_html=False,
                resolve_relative_uris=False,
                response_headers={"content-type": f"{media}; charset=utf-8"},  # no base: relative links are ours
            )
        except ValueError as error:
            # Python's SAX reader splits an element's namespace from its name at any whitespace (a no-break
            # space in a namespace URI passes expat), and feedparser's strict parser cannot unpack the result.
            raise FeedError(f"{name}: not a feed: its XML cannot be read ({_reason(error)})") from error
        feed, entries, bozo = parsed.feed, parsed.entries, _bozo_reason(parsed) if parsed.bozo else None
        del parsed
    title = item_title(feed)
    language = language_of_code(feed.get("language"))
    warnings = [f"{GUESSED}: {guess}"] if guess else []
    if bozo is not None:
        warnings.append(f"not well-formed, kept what parsed: {bozo}")
    if len(entries) > max_entries:
        warnings.append(f"only the newest {max_entries:,} of {len(entries):,} entries were kept")
        entries = newest([entry() if isinstance(entry, Unread) else entry for entry in entries], max_entries)
    result = ParsedFeed(
        title=title or None,
        site_url=http_url(feed.get("link"), url),
        warning="; ".join(warnings) or None,
        encoding=encoding,
    )
    context = EntryContext(url, scope or url, result.title, language, encoding)
    seen: dict[str, tuple[str | None, str]] = {}  # key -> (link, title) of the entry that has it
    entries.reverse()  # popped in the feed's order: a converted entry's fields go at once, not with the feed's
    while entries:
        fields = entries.pop()
        if isinstance(fields, Unread):
            read: FeedEntry | None = unread_entry(fields, items[fields.digest], context)
        else:
            read = read_entry(fields, context)
        if read is None:
            continue
        if read.key in seen:
            if seen[read.key] == (read.url, read.title):
                continue  # the same item listed twice
            # An id shared by items that differ in link or title is no identity: they are different items.
            key = f"{read.key}\nlink:{read.url or ''}\ntitle:{read.title}"
            if key in seen:
                continue
            read = read.with_identity(key, entry_id(context.scope, key))
        seen[read.key] = (read.url, read.title)
        result.entries.append(read)
    return result


def newest(entries: list[Any], count: int) -> list[Any]:
    """The newest ``count`` of feedparser's ``entries``, in the feed's order.

    Newest by the entry's date; an undated entry ranks by its place (feeds list the newest first),
    after every dated one.
    """
    if len(entries) <= count:
        return entries

    def rank(position: int) -> tuple[bool, float, int]:
        when = entry_time(entries[position])
        try:
            stamp = when.timestamp() if when is not None else 0.0
        except (OverflowError, OSError, ValueError):
            stamp = 0.0
        return (when is not None, stamp, -position)

    kept = sorted(sorted(range(len(entries)), key=rank, reverse=True)[:count])
    return [entries[position] for position in kept]


def _bozo_reason(parsed: Any) -> str:
    return _reason(parsed.get("bozo_exception"))


def _reason(error: object) -> str:
    text = clean_text(str(error or "")).replace("\n", " ").strip()
    return fold_spaces(text)[:200]


def _host_and_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url

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

An entry's identity within its feed (:attr:`FeedEntry.key`) is its guid or id, else its link, else
its title and date: entries that share a link but not an id are different articles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urljoin, urlsplit

from pozirk_reader.core.article.decoding import looks_binary
from pozirk_reader.core.article.hygiene import clean_text, fold_spaces, shorten
from pozirk_reader.core.article.language import detect_language, language_of_code
from pozirk_reader.core.article.model import Article, BlockKind, ContentKind, block_string, stable_id
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.limits import DEFAULT_FEED_ENTRIES, MAX_URL_CHARS, MAX_WEB_TITLE_CHARS
from pozirk_reader.core.web.fast_feed import read_feed
from pozirk_reader.core.web.html_text import SIMPLE_URL, html_to_text
from pozirk_reader.core.web.urls import HTTP_SCHEMES, is_http_url
from pozirk_reader.core.web.xml_decoding import GUESSED, decode_xml, head_text
from pozirk_reader.core.web.xmlsafety import check_no_entity_declarations

SUMMARY_CHARS = 600
"""An entry without full content whose text is shorter than this is taken for a summary."""

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_PROLOG = re.compile(r"\s+|<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][-\w.]*:)?([A-Za-z_][-\w.]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.DOTALL)
_NAMESPACE = re.compile(r"xmlns(?::([-\w.]+))?\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_WEB_PAGE = re.compile(r"<html|<!doctype html", re.IGNORECASE)
_LOOKS_LIKE_HTML = re.compile(r"</[A-Za-z][A-Za-z0-9]*\s*>|&#?[A-Za-z0-9]+;|<(?:br|img|hr)\b[^>]*>", re.IGNORECASE)
"""An end tag, an entity or a void element: a title whose type feedparser lost is HTML if it holds one."""
RSS_NAMESPACES = frozenset(
    ("", "http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss", "http://backend.userland.com/rss")
)
"""RSS 0.9x and 2.0: no namespace, or one of those some feeds declare."""
RDF_NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
ATOM_NAMESPACES = frozenset(
    ("http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#", "http://purl.org/pie/", "http://purl.org/echo/")
)
"""Atom 1.0, 0.3, and the drafts before it (pie, echo), as feedparser reads them."""
_READ_MORE = re.compile(
    r"\s*(?:Читать|Читайте|Чытаць|Continue reading|Read more|Read the full story)[^.\n]{0,20}[.»]?\s*$",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)\s*$")


class FeedError(ReaderError):
    """A document could not be read as a feed; one line naming the source."""


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


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry as an article, with the hash that tells whether it changed since the last refresh."""

    article: Article
    content_hash: str
    key: str
    """The entry's identity within its feed: ``id:`` its guid, else ``link:`` its URL, else ``title:`` its
    title and date."""
    legacy_id: str
    """The id the reader gave the entry before identities were kept by feed (its link's), by which a cache
    written then finds its articles again."""

    @property
    def wants_full_text(self) -> bool:
        """Whether the full text should be fetched from the entry's page."""
        return self.article.is_summary and self.article.url is not None


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
    """
    name = _host_and_path(url)
    if not data.strip():
        raise FeedError(f"{name}: the feed is empty")
    check_no_entity_declarations(data, name)
    if looks_binary(data) and not head_text(data[:64]).lstrip().startswith("<"):  # UTF-16 and UTF-32 hold NULs
        raise FeedError(f"{name}: not a feed (binary data)")
    decoded = decode_xml(data, charset)
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
    media = content_type if content_type and "xml" in content_type else "application/xml"
    fast = read_feed(payload, media) if fast_xml else None
    if fast is not None:
        feed, entries, bozo = fast[0], fast[1], None
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
    title = _title(feed)
    language = language_of_code(feed.get("language"))
    warnings = [f"{GUESSED}: {decoded.guess}"] if decoded.guess else []
    if bozo is not None:
        warnings.append(f"not well-formed, kept what parsed: {bozo}")
    if len(entries) > max_entries:
        warnings.append(f"only the newest {max_entries:,} of {len(entries):,} entries were kept")
        entries = newest(entries, max_entries)
    result = ParsedFeed(
        title=title or None,
        site_url=_http_url(feed.get("link"), url),
        warning="; ".join(warnings) or None,
        encoding=decoded.encoding,
    )
    scope = scope or url
    seen: dict[str, tuple[str | None, str]] = {}  # key -> (link, title) of the entry that has it
    for entry in entries:
        converted = _entry(entry, url, scope, result.title, language, decoded.encoding)
        if converted is None:
            continue
        article = converted.article
        if converted.key in seen:
            if seen[converted.key] == (article.url, article.title):
                continue  # the same item listed twice
            # An id shared by items that differ in link or title is no identity: they are different items.
            key = f"{converted.key}\nlink:{article.url or ''}\ntitle:{article.title}"
            if key in seen:
                continue
            converted = dataclasses.replace(
                converted, key=key, article=dataclasses.replace(article, id=entry_id(scope, key))
            )
        seen[converted.key] = (article.url, article.title)
        result.entries.append(converted)
    return result


def newest(entries: list[Any], count: int) -> list[Any]:
    """The newest ``count`` of feedparser's ``entries``, in the feed's order.

    Newest by the entry's date; an undated entry ranks by its place (feeds list the newest first),
    after every dated one.
    """
    if len(entries) <= count:
        return entries

    def rank(position: int) -> tuple[bool, float, int]:
        when = _published(entries[position])
        try:
            stamp = when.timestamp() if when is not None else 0.0
        except (OverflowError, OSError, ValueError):
            stamp = 0.0
        return (when is not None, stamp, -position)

    kept = sorted(sorted(range(len(entries)), key=rank, reverse=True)[:count])
    return [entries[position] for position in kept]


def entry_id(scope: str, key: str) -> str:
    """The article id of the entry ``key`` of the feed at ``scope``."""
    return stable_id(f"{scope}\n{key}")


def _title(item: Any) -> str:
    """An entry's (or a feed's) own title as one line of text.

    ``title`` is read, not ``title_detail``, which feedparser overwrites with an author's ``<title>``;
    the detail gives the title's type only while it still holds this title. Markup is reduced to its
    text; escaped markup in a plain-text title is shown as written.
    """
    title = item.get("title")
    if not title:
        return ""
    detail = item.get("title_detail") or {}
    if detail.get("value") == title:
        kind = detail.get("type")
    else:
        kind = "text/html" if _LOOKS_LIKE_HTML.search(title) else "text/plain"
    return _plain({"value": title, "type": kind})


def _entry(
    entry: Any, feed_url: str, scope: str, feed_title: str | None, language: str | None, encoding: str
) -> FeedEntry | None:
    """One feedparser entry as a :class:`FeedEntry`, or ``None`` if it has neither title nor text."""
    link = entry.get("link")
    if entry.get("guidislink") and not is_http_url(str(link or "")):
        link = None  # an RSS guid taken for a permalink, yet not a web address: not the entry's page
    url = _http_url(link, feed_url)
    html, full = _best_content(entry)
    base = _http_url((entry.get("content") or [{}])[0].get("base"), feed_url) if full else None
    text = html_to_text(html, base or url or feed_url, structure=True)
    tidied = [(_tidy(p, kind), kind) for p, kind in zip(text.paragraphs, text.kinds, strict=True)]
    paragraphs = [p for p, _ in tidied if p]
    kinds = [kind for p, kind in tidied if p]
    title = _title(entry)
    if not title and not paragraphs:
        return None
    summary = not full and _looks_cut(paragraphs)
    if summary and paragraphs:
        paragraphs[-1] = _ELLIPSIS.sub("…", _READ_MORE.sub("", paragraphs[-1])) or "…"
    title = title or shorten(" ".join(paragraphs[0].split()), 120)
    published = _published(entry)
    written = clean_text(str(entry.get("id") or ""))[:2048]
    guid = written.strip()
    origin = url or f"{feed_url}#{written or hashlib.sha256(title.encode()).hexdigest()[:16]}"  # as before keys
    if guid:
        key = f"id:{guid}"
    elif url:
        key = f"link:{url}"
    else:
        when = str(entry.get("published") or entry.get("updated") or entry.get("created") or "")
        key = f"title:{title}\n{when.strip()}\n" + ("" if entry.get("title") else "\n".join(paragraphs))
    detected = detect_language(title, paragraphs)
    entry_language = language_of_code(_detail_language(entry)) or (
        detected if detected != "und" else language or detected
    )
    article = Article(
        id=entry_id(scope, key),
        title=title,
        paragraphs=tuple(paragraphs),
        language=entry_language,
        source_name=feed_title,
        date=published.date() if published else None,
        place_time=published.strftime("%H:%M") if published else None,
        related=tuple(text.related),
        origin=origin,
        url=url,
        encoding=encoding,
        content=ContentKind.SUMMARY if summary else ContentKind.FULL,
        blocks=block_string(kinds),
        links=text.links,
    )
    return FeedEntry(article, content_hash(article), key, stable_id(origin))


def _tidy(paragraph: str, kind: BlockKind) -> str:
    """A paragraph cleaned: preformatted text as it is, a list item's indentation kept, other spaces folded."""
    if kind is BlockKind.PREFORMATTED:
        return clean_text(paragraph).strip("\n")
    folded = fold_spaces(clean_text(paragraph))
    if folded and paragraph.startswith(" "):  # only a nested list item starts with spaces: its indentation
        return " " * (len(paragraph) - len(paragraph.lstrip(" "))) + folded
    return folded


def content_hash(article: Article) -> str:
    """A hash of what an entry says: a changed entry gets a new one, an unchanged one the same."""
    data: list[object] = [article.title, article.paragraphs, [(link.title, link.url) for link in article.related]]
    data += [article.url, article.date.isoformat() if article.date else None, article.place_time, article.content]
    if article.blocks or article.links:  # (left out when empty: hashes of plain entries stay as they were)
        data += [article.blocks, [(link.title, link.url) for link in article.links]]
    encoded = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def _best_content(entry: Any) -> tuple[str, bool]:
    """The entry's HTML: its longest ``content`` (full text) else its summary; and whether it was content."""
    contents = [c.get("value", "") for c in entry.get("content") or [] if isinstance(c, dict)]
    contents = [value for value in contents if value and value.strip()]
    if contents:
        return max(contents, key=len), True
    detail = entry.get("summary_detail") or {}
    value = entry.get("summary") or ""
    if detail.get("type") == "text/plain":
        value = _escape(value)
    return value, False


def _looks_cut(paragraphs: list[str]) -> bool:
    """A summary: short, or ending with "…", "[…]" or "Читать далее"."""
    if not paragraphs:
        return True
    last = paragraphs[-1]
    return sum(map(len, paragraphs)) < SUMMARY_CHARS or bool(_READ_MORE.search(last) or _ELLIPSIS.search(last))


def _published(entry: Any) -> datetime | None:
    """The entry's time as written (keeping its own UTC offset), else feedparser's UTC reading of it."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        for read in (parsedate_to_datetime, datetime.fromisoformat):
            try:
                return read(raw.strip().replace("Z", "+00:00"))
            except (TypeError, ValueError, IndexError):
                continue
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _plain(value: Any) -> str:
    """A title as one line of plain text (HTML titles are turned into text, never kept as markup)."""
    if isinstance(value, dict):
        text = value.get("value") or ""
        if value.get("type") in ("text/html", "application/xhtml+xml"):
            text = " ".join(html_to_text(text).paragraphs)
    else:
        text = str(value or "")
    return fold_spaces(clean_text(text).replace("\n", " "))[:MAX_WEB_TITLE_CHARS]


def _detail_language(entry: Any) -> str | None:
    for key in ("content", "title_detail", "summary_detail"):
        value = entry.get(key)
        detail = value[0] if isinstance(value, list) and value else value
        if isinstance(detail, dict) and detail.get("language"):
            return str(detail["language"])
    return None


def _http_url(value: Any, base: str) -> str | None:
    """``value`` as an absolute http(s) URL against ``base``, or ``None`` (also for a malformed one)."""
    if not value or not isinstance(value, str):
        return None
    target = clean_text(value).strip()
    try:
        if SIMPLE_URL.fullmatch(target):  # what urljoin would return, once it has read the base (or raised)
            if base:
                urlsplit(base)
            return target if len(target) <= MAX_URL_CHARS else None
        absolute = urljoin(base, target)
        parts = urlsplit(absolute)
    except ValueError:  # e.g. "http://[x": an IPv6 host never closed
        return None
    if parts.scheme not in HTTP_SCHEMES or not parts.netloc or len(absolute) > MAX_URL_CHARS:
        return None
    return absolute


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bozo_reason(parsed: Any) -> str:
    return _reason(parsed.get("bozo_exception"))


def _reason(error: object) -> str:
    text = clean_text(str(error or "")).replace("\n", " ").strip()
    return fold_spaces(text)[:200]


def _host_and_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url

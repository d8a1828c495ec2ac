"""One feed entry: its identity within its feed read at once, its article converted from the parser's fields on demand.

Converting an entry (HTML to text, paragraphs, language, content hash) is most of a refresh's time, and most
entries of a feed refreshed are unchanged. So an entry carries a fingerprint of what its conversion reads
(:attr:`FeedEntry.raw_hash`: the fields the parser handed over, the feed's URL and :data:`CONVERSION_VERSION`),
and an entry is converted only when its article is first asked for: the refresh knows an entry whose fingerprint
the cache already holds unchanged without its article, and converts the others one at a time as it writes them
(a big feed's articles are never all held at once). An entry the fast
reader knows by its bytes (:class:`KnownItem`) is not even read: its identity is the one the cache keeps
(:attr:`FeedEntry.feed_item`), its fields are read only if it is converted.

An entry's identity within its feed (:attr:`FeedEntry.key`) is its guid or id, else its link, else
its title and date: entries that share a link but not an id are different articles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from pozirk_reader.core.article.hygiene import clean_text, fold_spaces, shorten
from pozirk_reader.core.article.language import detect_language, language_of_code
from pozirk_reader.core.article.model import Article, BlockKind, ContentKind, RelatedLink, block_string, stable_id
from pozirk_reader.core.limits import MAX_URL_CHARS, MAX_WEB_TITLE_CHARS
from pozirk_reader.core.web.feed_digests import ITEM_DIGEST
from pozirk_reader.core.web.html_text import SIMPLE_URL, html_to_text
from pozirk_reader.core.web.urls import HTTP_SCHEMES, is_http_url

CONVERSION_VERSION = "1"
"""Part of every entry's fingerprint: bump it with any change to the conversion (this module, HTML to text, the
limits they apply) that changes the article or content hash an entry gives, so fingerprints cached before it stop
matching and their entries are converted (and compared by content hash) again."""

SUMMARY_CHARS = 600
"""An entry without full content whose text is shorter than this is taken for a summary."""

_LOOKS_LIKE_HTML = re.compile(r"</[A-Za-z][A-Za-z0-9]*\s*>|&#?[A-Za-z0-9]+;|<(?:br|img|hr)\b[^>]*>", re.IGNORECASE)
"""An end tag, an entity or a void element: a title whose type feedparser lost is HTML if it holds one."""
_READ_MORE = re.compile(
    r"\s*(?:Читать|Читайте|Чытаць|Continue reading|Read more|Read the full story)[^.\n]{0,20}[.»]?\s*$",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)\s*$")


@dataclass(frozen=True, slots=True)
class EntryContext:
    """What converting an entry reads besides its fields: its feed's URL, scope, title, language and encoding."""

    feed_url: str
    scope: str
    feed_title: str | None
    language: str | None
    encoding: str


class _Text(NamedTuple):
    """An entry's text as converted: its paragraphs (a summary's end tidied), their kinds and its links."""

    paragraphs: list[str]
    kinds: list[BlockKind]
    summary: bool
    related: tuple[RelatedLink, ...]
    links: tuple[RelatedLink, ...]


class FeedEntry:
    """One entry of a feed: its identity, and its article with the hash that tells whether it changed since the
    last refresh, converted when first asked for (or at once, by :func:`read_entry`)."""

    __slots__ = (
        "_context",
        "_converted",
        "_fields",
        "_item",
        "id",
        "key",
        "legacy_id",
        "origin",
        "raw_hash",
        "title",
        "url",
    )

    def __init__(
        self,
        key: str,
        id: str,
        origin: str,
        raw_hash: str,
        url: str | None,
        title: str,
        fields: Any,
        context: EntryContext,
        item: tuple[str, str] | str | None = None,
    ) -> None:
        self.key = key
        """The entry's identity within its feed: ``id:`` its guid, else ``link:`` its URL, else ``title:`` its
        title and date."""
        self.id = id
        """The article's id."""
        self.origin = origin
        self.legacy_id = stable_id(origin)
        """The id the reader gave the entry before identities were kept by feed (its link's), by which a cache
        written then finds its articles again."""
        self.raw_hash = raw_hash
        """The fingerprint of what converting the entry reads (:func:`fingerprint`)."""
        self.url = url
        self.title = title
        self._item = item  # (its digest and key as read, or the cache's feed_item: see feed_item)
        self._fields: Any = fields  # (or a callable that reads them: an entry known by its bytes)
        self._context = context
        self._converted: tuple[Article, str] | None = None

    def with_identity(self, key: str, article_id: str) -> FeedEntry:
        """The same entry under another key and article id (converted if this one is)."""
        other = FeedEntry(
            key,
            article_id,
            self.origin,
            self.raw_hash,
            self.url,
            self.title,
            self._fields,
            self._context,
            self._item,
        )
        if self._converted is not None:
            article, hashed = self._converted
            other._converted = (dataclasses.replace(article, id=article_id), hashed)
        return other

    @property
    def feed_item(self) -> str | None:
        """What the cache keeps to know the entry by its bytes next time (:func:`known_item`), if the fast reader
        read it (made when asked for: most entries read are written, but not all)."""
        if self._item is None or isinstance(self._item, str):
            return self._item
        digest, key = self._item
        return json.dumps([digest, key, self.url, self.title, self.origin], ensure_ascii=False)

    @property
    def article(self) -> Article:
        """The entry as an article (converted now if it was not yet)."""
        return self._conversion()[0]

    @property
    def content_hash(self) -> str:
        """The hash of what the entry says (:func:`content_hash`), converting it if it was not yet."""
        return self._conversion()[1]

    @property
    def is_unread(self) -> bool:
        """Whether the entry's fields are still to be read from its element (an entry the cache knows by its
        bytes, see :func:`unread_entry`, until converted)."""
        return callable(self._fields)

    @property
    def wants_full_text(self) -> bool:
        """Whether the full text should be fetched from the entry's page."""
        return self.article.is_summary and self.article.url is not None

    def convert(self, text: _Text | None = None) -> None:
        """Make the article (from ``text`` if already converted); the parser's fields are let go then."""
        if self._converted is not None:
            return
        fields = self._fields() if callable(self._fields) else self._fields
        text = text or _converted_text(fields, self._context, self.url)
        article = _article(fields, self._context, self.id, self.title, self.url, self.origin, text)
        self._converted = (article, content_hash(article))
        self._fields = None

    def _conversion(self) -> tuple[Article, str]:
        self.convert()
        assert self._converted is not None
        return self._converted

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FeedEntry):
            return NotImplemented
        return (self.key, self.id, self.legacy_id, self._conversion()) == (
            other.key,
            other.id,
            other.legacy_id,
            other._conversion(),
        )

    def __hash__(self) -> int:
        return hash((self.key, self.id))

    def __repr__(self) -> str:
        shown = self._converted if self._converted is not None else "unconverted"
        return f"FeedEntry(key={self.key!r}, id={self.id!r}, legacy_id={self.legacy_id!r}, {shown!r})"


def read_entry(fields: Any, context: EntryContext) -> FeedEntry | None:
    """One parser entry as a :class:`FeedEntry`, or ``None`` if it has neither title nor text.

    The entry is converted when its article is first asked for (the writer converts a big feed's entries one at a
    time, and not those it knows unchanged by their fingerprint); an entry without a title is converted at once,
    since its identity needs the text.
    """
    digest = fields.pop(ITEM_DIGEST, None)
    link = fields.get("link")
    if fields.get("guidislink") and not is_http_url(str(link or "")):
        link = None  # an RSS guid taken for a permalink, yet not a web address: not the entry's page
    url = http_url(link, context.feed_url)
    title = item_title(fields)
    raw_hash = fingerprint(fields, context)
    text = None
    if not title:
        text = _converted_text(fields, context, url)
        if not title and not text.paragraphs:
            return None
        title = title or shorten(" ".join(text.paragraphs[0].split()), 120)
    written = clean_text(str(fields.get("id") or ""))[:2048]
    guid = written.strip()
    feed_url = context.feed_url
    origin = url or f"{feed_url}#{written or hashlib.sha256(title.encode()).hexdigest()[:16]}"  # as before keys
    if guid:
        key = f"id:{guid}"
    elif url:
        key = f"link:{url}"
    else:
        when = str(fields.get("published") or fields.get("updated") or fields.get("created") or "")
        paragraphs = text.paragraphs if text is not None and not fields.get("title") else []  # (a title: no text)
        key = f"title:{title}\n{when.strip()}\n" + "\n".join(paragraphs)
    item = None if digest is None else (digest, key)
    entry = FeedEntry(key, entry_id(context.scope, key), origin, raw_hash, url, title, fields, context, item)
    if text is not None:
        entry.convert(text)
    return entry


class KnownItem(NamedTuple):
    """An entry the cache knows by its bytes' digest: its fingerprint and identity when it was read
    (:func:`known_item`), all the fast reader's reading of those bytes would give again."""

    raw_hash: str
    key: str
    url: str | None
    title: str
    origin: str
    feed_item: str


def known_item(raw_hash: str, feed_item: str) -> tuple[str, KnownItem] | None:
    """The digest and the :class:`KnownItem` of a cached article's ``feed_item`` (``None`` if it is not one)."""
    try:
        digest, key, url, title, origin = json.loads(feed_item)
    except (ValueError, TypeError):
        return None
    return str(digest), KnownItem(
        raw_hash, str(key), None if url is None else str(url), str(title), str(origin), feed_item
    )


def item_salt(feed_url: str) -> str:
    """What reading a feed's entries depends on besides their bytes, for their digests: :data:`CONVERSION_VERSION`
    and the feed's URL (links resolve against it)."""
    return f"{CONVERSION_VERSION}\n{feed_url}"


def unread_entry(fields: Any, item: KnownItem, context: EntryContext) -> FeedEntry:
    """The entry the cache knows by its bytes, as :func:`read_entry` would read it, its ``fields`` (a callable
    that reads them) read only if it is converted."""
    key = item.key
    return FeedEntry(
        key,
        entry_id(context.scope, key),
        item.origin,
        item.raw_hash,
        item.url,
        item.title,
        fields,
        context,
        item.feed_item,
    )


def fingerprint(fields: Any, context: EntryContext) -> str:
    """A hash of all an entry's content hash depends on: the parser's fields, the feed's URL (links resolve against
    it) and :data:`CONVERSION_VERSION`. (The feed's title, language and encoding an article also takes are not in
    its content hash: an unchanged entry keeps those it was saved with, fingerprint or not.)"""
    data = [CONVERSION_VERSION, context.feed_url, fields]
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True, default=repr).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def entry_id(scope: str, key: str) -> str:
    """The article id of the entry ``key`` of the feed at ``scope``."""
    return stable_id(f"{scope}\n{key}")


def content_hash(article: Article) -> str:
    """A hash of what an entry says: a changed entry gets a new one, an unchanged one the same."""
    data: list[object] = [article.title, article.paragraphs, [(link.title, link.url) for link in article.related]]
    data += [article.url, article.date.isoformat() if article.date else None, article.place_time, article.content]
    if article.blocks or article.links:  # (left out when empty: hashes of plain entries stay as they were)
        data += [article.blocks, [(link.title, link.url) for link in article.links]]
    encoded = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def _converted_text(fields: Any, context: EntryContext, url: str | None) -> _Text:
    """The entry's HTML as text: tidied paragraphs, a summary's "read more" cut off."""
    html, full = _best_content(fields)
    base = http_url((fields.get("content") or [{}])[0].get("base"), context.feed_url) if full else None
    text = html_to_text(html, base or url or context.feed_url, structure=True)
    tidied = [(_tidy(p, kind), kind) for p, kind in zip(text.paragraphs, text.kinds, strict=True)]
    paragraphs = [p for p, _ in tidied if p]
    kinds = [kind for p, kind in tidied if p]
    summary = not full and _looks_cut(paragraphs)
    if summary and paragraphs:
        paragraphs[-1] = _ELLIPSIS.sub("…", _READ_MORE.sub("", paragraphs[-1])) or "…"
    return _Text(paragraphs, kinds, summary, tuple(text.related), text.links)


def _article(
    fields: Any, context: EntryContext, article_id: str, title: str, url: str | None, origin: str, text: _Text
) -> Article:
    published = entry_time(fields)
    detected = detect_language(title, text.paragraphs)
    entry_language = language_of_code(_detail_language(fields)) or (
        detected if detected != "und" else context.language or detected
    )
    return Article(
        id=article_id,
        title=title,
        paragraphs=tuple(text.paragraphs),
        language=entry_language,
        source_name=context.feed_title,
        date=published.date() if published else None,
        place_time=published.strftime("%H:%M") if published else None,
        related=text.related,
        origin=origin,
        url=url,
        encoding=context.encoding,
        content=ContentKind.SUMMARY if text.summary else ContentKind.FULL,
        blocks=block_string(text.kinds),
        links=text.links,
    )


def _tidy(paragraph: str, kind: BlockKind) -> str:
    """A paragraph cleaned: preformatted text as it is, a list item's indentation kept, other spaces folded."""
    if kind is BlockKind.PREFORMATTED:
        return clean_text(paragraph).strip("\n")
    folded = fold_spaces(clean_text(paragraph))
    if folded and paragraph.startswith(" "):  # only a nested list item starts with spaces: its indentation
        return " " * (len(paragraph) - len(paragraph.lstrip(" "))) + folded
    return folded


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


def item_title(item: Any) -> str:
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


def entry_time(entry: Any) -> datetime | None:
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


def http_url(value: Any, base: str) -> str | None:
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

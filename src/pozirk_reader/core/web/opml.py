"""OPML import and export of feed subscriptions.

:func:`parse_opml` reads the feeds of an OPML file (any OPML version, categories walked) and
:func:`to_opml` writes OPML 2.0. An OPML file is outside input: its DOCTYPE may not declare entities
(:func:`xmlsafety.check_no_entity_declarations`), expat never loads an external DTD, and only ``http`` and
``https`` feed URLs are accepted. Any other ``xmlUrl`` (``file:``, ``javascript:``, ``data:``, ``ftp:``, a
relative or local path...) is listed in ``refused`` with the reason, and this module never fetches, opens or
runs anything: it only reads the bytes it is given.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pozirk_reader.core.article.decoding import decode_bytes
from pozirk_reader.core.article.hygiene import clean_text, fold_spaces, shorten
from pozirk_reader.core.errors import ArticleError, ReaderError
from pozirk_reader.core.limits import MAX_OPML_BYTES, MAX_OPML_TITLE_CHARS, MAX_URL_CHARS
from pozirk_reader.core.web.urls import HTTP_SCHEMES
from pozirk_reader.core.web.xmlsafety import check_no_entity_declarations

if TYPE_CHECKING:
    from collections.abc import Iterable

_SHOWN_CHARS = 200  # a refused URL is shown cut to this many characters
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*encoding")
_WHITE_SPACE = re.compile(r"\s+")
_CONTROL_BYTES = bytes((*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))  # all C0 controls but tab, LF and CR


class OpmlError(ReaderError):
    """An OPML file that cannot be read; the message names the file and says why, in one line."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One subscription: the feed's http(s) URL and, when the file gives one, its title."""

    url: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class OpmlResult:
    """The feeds of an OPML file in document order (each URL once), and the outlines refused: (URL, reason)."""

    feeds: list[OpmlFeed] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def parse_opml(data: bytes, source: str) -> OpmlResult:
    """Read the feed subscriptions in the OPML ``data`` read from ``source`` (a name for messages).

    Every ``<outline>`` with an ``xmlUrl`` (the attribute name in any case) is a feed, however deep in
    categories. Raises :class:`OpmlError` for a file that is too large, not well-formed or not OPML, and
    :class:`xmlsafety.UnsafeXmlError` for a DOCTYPE that declares entities; both are :class:`ReaderError`.
    """
    source = fold_spaces(clean_text(source).replace("\n", " "))  # a file name is printed in messages
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"{source}: refused: the file is over {MAX_OPML_BYTES // (1024 * 1024)} MiB")
    check_no_entity_declarations(data, source)
    root = _parse(_without_controls(data), source)
    if _local_name(root.tag).lower() != "opml":
        raise OpmlError(f"{source}: not an OPML file (its root element is <{_shown(_local_name(root.tag))}>)")

    feeds: dict[str, OpmlFeed] = {}  # by URL with the scheme and host in lower case
    refused: dict[str, str] = {}
    for outline in root.iter():
        if _local_name(outline.tag).lower() != "outline":
            continue
        attributes = {_local_name(name).lower(): value for name, value in outline.attrib.items()}
        raw_url = attributes.get("xmlurl", "")
        if not raw_url.strip():
            continue  # a category, a link or a note: no feed in it
        url = raw_url.strip()
        reason = _refusal(url)
        if reason is not None:
            refused.setdefault(_shown(url), reason)
            continue
        title = _title(attributes.get("text")) or _title(attributes.get("title"))
        key = _url_key(url)
        if key not in feeds or (feeds[key].title is None and title):
            feeds[key] = OpmlFeed(feeds[key].url if key in feeds else url, title)
    return OpmlResult(list(feeds.values()), list(refused.items()))


def to_opml(feeds: Iterable[tuple[str, str | None]], title: str = "pozirk-reader subscriptions") -> str:
    """The subscriptions ``feeds`` ((URL, title) pairs) as an OPML 2.0 document, one ``<outline type="rss">`` each.

    Titles are cleaned of control characters and folded to one line; a feed without a title shows its URL.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _title(title) or "pozirk-reader subscriptions"
    body = ET.SubElement(root, "body")
    for url, name in feeds:
        location = fold_spaces(clean_text(url).replace("\n", " "))
        if not location:
            continue
        text = _title(name) or location
        ET.SubElement(body, "outline", {"type": "rss", "text": text, "title": text, "xmlUrl": location})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _parse(data: bytes, source: str) -> ET.Element:
    """The root element of the XML ``data``; bytes in an undeclared Cyrillic encoding are decoded first."""
    try:
        return ET.fromstring(data)  # expat: no external DTD or entity is ever loaded
    except ET.ParseError as error:
        first_error = error
    if not _DECLARED_ENCODING.match(data[:300]) and not _is_utf8(data):
        try:  # no encoding declared and not UTF-8: windows-1251 or KOI8-R, told as for text files
            return ET.fromstring(_XML_DECLARATION.sub("", decode_bytes(data, source).text, count=1))
        except (ArticleError, ET.ParseError):
            pass
    reason = _WHITE_SPACE.sub(" ", str(first_error)).strip()
    raise OpmlError(f"{source}: not well-formed OPML ({reason})") from None


def _without_controls(data: bytes) -> bytes:
    """``data`` without the raw C0 control characters XML forbids (some exporters copy them from feed titles).

    In UTF-8 and the single-byte encodings these bytes are never part of another character; UTF-16 and UTF-32
    files (a BOM or a zero byte at the start) are left as they are.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        return data
    return data.translate(None, _CONTROL_BYTES)


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refusal(url: str) -> str | None:
    """Why ``url`` is not accepted as a feed URL, in a few words; ``None`` if it is an absolute http(s) URL."""
    if len(url) > MAX_URL_CHARS:
        return f"the URL is over {MAX_URL_CHARS} characters"
    if clean_text(url) != url or any(char.isspace() for char in url):
        return "the URL holds spaces or control characters"
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
    except ValueError:
        return "not a valid URL"
    if scheme in HTTP_SCHEMES:
        return None if host else "an http(s) URL without a host"
    if not scheme:
        return "a relative URL or local path, not an http(s) URL; only http and https feeds are accepted"
    if len(scheme) == 1:
        return "a local file path, not an http(s) URL; only http and https feeds are accepted"
    return f"the {_shown(scheme)}: scheme is not allowed; only http and https feeds are accepted"


def _url_key(url: str) -> str:
    """``url`` with its scheme and host in lower case, for telling duplicates."""
    parts = urlsplit(url)
    prefix = f"{parts.scheme}://{parts.netloc}"
    if url[: len(prefix)].lower() != prefix.lower():  # not written as "scheme://host...": compare as is
        return url
    return prefix.lower() + url[len(prefix) :]


def _title(value: str | None) -> str | None:
    """A title as one clean line of at most :data:`~pozirk_reader.core.limits.MAX_OPML_TITLE_CHARS` characters,
    or ``None`` if blank."""
    text = fold_spaces(clean_text(value or "").replace("\n", " "))
    return text[:MAX_OPML_TITLE_CHARS] or None


def _shown(text: str) -> str:
    """``text`` safe to print in a message: clean, one line, cut to :data:`_SHOWN_CHARS` characters."""
    return shorten(fold_spaces(clean_text(text).replace("\n", " ")), _SHOWN_CHARS)


def _local_name(tag: object) -> str:
    """An element or attribute name without its ``{namespace}``."""
    return str(tag).rpartition("}")[2]

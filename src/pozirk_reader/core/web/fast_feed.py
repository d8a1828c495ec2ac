"""A fast reader of well-formed RSS 2.0, RSS 1.0 and Atom 1.0 feeds with lxml.

It gives each entry the feedparser fields :func:`~pozirk_reader.core.web.feed_format.parse_feed` reads (title
and its detail, link, id, guidislink, summary/content with their types and languages, dates), computed as
feedparser 6 computes them, so one conversion serves both. Elements feedparser only keeps under their own names
(``sy:*``, ``slash:*``, ``wfw:*``, an unknown namespace's) and those whose handlers never touch those fields
(authors, categories, enclosures, ``media:content``, most of ``itunes:*``, a channel's ``image``) are passed over,
by feedparser's name for them (:mod:`~pozirk_reader.core.web.fast_feed_names`). Whatever it cannot read exactly
(a document that is not well-formed, a DOCTYPE, ``xml:base``, an element it does not know to be harmless,
markup inside a text element, a title that may be HTML, ``media:description``, an item's ``itunes:summary``, a
date only feedparser's parsers read) makes it *decline*: :func:`read_feed` returns ``None`` and feedparser reads
the feed as before. Entities are never resolved, nothing is loaded from a network.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlparse

from pozirk_reader.core.web.fast_feed_names import declarations_are_plain, element_key, plain_key

_CP1252 = {c: bytes([c]).decode("cp1252") for c in range(128, 160) if c not in (129, 141, 143, 144, 157)}
"""feedparser's mapping of the C1 controls to windows-1252's characters."""
_C1 = re.compile("[\x80-\x9f]")
_C1_BYTES = re.compile(b"\xc2[\x80-\x9f]")
_C1_POSSIBLE: ContextVar[bool] = ContextVar("c1_possible", default=True)
"""Whether the document being read may hold a C1 control (as such or as a character reference); if not, no
text can, repaired or not."""
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?:0?[1-9]|1\d|2[0-8]) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r" [1-9]\d{3} (?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d [+-](?:[01]\d|2[0-3])[0-5]\d"
)
"""A date ``parsedate_to_datetime`` certainly reads (most feeds' pubDate, days 1-28): no need to call it."""
_MAYBE_HTML = re.compile(r"</(\w+)>|&#?\w+;")
"""What feedparser's ``looks_like_html`` needs before it can call an RSS title HTML."""
_URI_FIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
"""feedparser's ``_urifixer``: it drops the slashes after ``scheme://`` of every URI it resolves."""
_SAFE_SCHEMES = frozenset(
    [
        "file",
        "ftp",
        "gopher",
        "h323",
        "hdl",
        "http",
        "https",
        "imap",
        "magnet",
        "mailto",
        "mms",
        "news",
        "nntp",
        "prospero",
        "rsync",
        "rtsp",
        "rtspu",
        "sftp",
        "shttp",
        "sip",
        "sips",
        "snews",
        "svn",
        "svn+ssh",
        "telnet",
        "wais",
        "aim",
        "callto",
        "cvs",
        "facetime",
        "feed",
        "git",
        "gtalk",
        "irc",
        "ircs",
        "irc6",
        "itms",
        "msnim",
        "skype",
        "ssh",
        "smb",
        "ymsg",
    ]
)
"""feedparser's ``ACCEPTABLE_URI_SCHEMES``: an ``xml:base`` in another scheme is passed over."""
_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_XML_MEDIA = frozenset(
    ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml")
)
_PI_TARGET = re.compile(r"(?!(?i:xml))[A-Za-z_][A-Za-z0-9_.-]*|xml-stylesheet")
"""Processing instructions expat reads as libxml2 does (libxml2 takes some expat refuses, such as ``XmL``)."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
"""A name libxml2 and expat agree on (they disagree on some letters outside ASCII)."""
XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = f"{XML_NAMESPACE}lang"
XML_BASE = f"{XML_NAMESPACE}base"
_XML_ATTRIBUTES = frozenset((XML_LANG, XML_BASE))
_LINK_ATTRIBUTES = frozenset(("href", "rel", "type", "title", "length", "hreflang"))

_DATES = {
    **dict.fromkeys(("pubdate", "published", "issued", "dcterms_issued"), "published"),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), "updated"),
    **dict.fromkeys(("created", "dcterms_created"), "created"),
}
"""feedparser's date elements, by key, and the entry field each one sets."""
_LEAVES = frozenset(
    [
        "author",
        "dc_creator",
        "dc_author",
        "itunes_author",
        "managingeditor",
        "webmaster",
        "dc_publisher",
        "category",
        "keywords",
        "dc_subject",
        "media_category",
        "itunes_keywords",
        "media_keywords",
        "itunes_category",
        "enclosure",
        "cloud",
        "generator",
        "rights",
        "copyright",
        "dc_rights",
        "subtitle",
        "tagline",
        "itunes_subtitle",
        "info",
        "expirationdate",
        "media_thumbnail",
        "media_player",
        "media_rating",
        "media_credit",
        "media_restriction",
        "media_license",
        "media_content",
        "itunes_image",
        "itunes_block",
        "itunes_explicit",
        "itunes_name",
        "itunes_email",
        "contributor",
        "dc_contributor",
        "language",
        "dc_language",
    ]
)
"""Handled elements that, without children, change nothing the reader reads (in an entry or a channel)."""
_TREES = {
    "author": frozenset(("name", "email", "uri")),
    "contributor": frozenset(("name", "email", "uri")),
    "itunes_owner": frozenset(("itunes_name", "itunes_email")),
    "itunes_category": frozenset(("itunes_category",)),
    "media_group": frozenset(("media_title", *(key for key in _LEAVES if key.startswith("media_")))),
    "media_content": frozenset(("media_title", *(key for key in _LEAVES if key.startswith("media_")))),
}
"""Elements whose children are harmless too, when they are these (checked with the same rules)."""
_SOURCE = frozenset(("title", "subtitle", "id", "link", "updated", "published", "rights", "icon", "logo"))
"""An Atom ``source``'s children: feedparser keeps them apart, in the entry's ``source``."""
_IMAGE = frozenset(("title", "link", "url", "width", "height", "description"))
"""A channel's ``image`` children: feedparser keeps them in the feed's ``image`` (other ones end it early)."""
_TEXTINPUT = frozenset(("title", "link", "name", "description"))


class Decline(Exception):
    """The fast path cannot read this feed exactly as feedparser does."""


def read_feed(payload: bytes, media: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The feed's fields and its entries' from UTF-8 ``payload`` (served as ``media``), or ``None`` to decline."""
    if media.split(";")[0].strip().lower() not in _XML_MEDIA or not declarations_are_plain(payload):
        return None
    from lxml import etree  # imported when a feed is read: core imports stay light

    token = _C1_POSSIBLE.set(b"&#" in payload or _C1_BYTES.search(payload) is not None)
    try:
        root = etree.fromstring(payload, etree.XMLParser(**_PARSER_OPTIONS))
        if root.getroottree().docinfo.doctype:
            return None
        if not all(_PI_TARGET.fullmatch(pi.target) for pi in root.xpath("//processing-instruction()")):
            return None
        names = {name for element in root.iter() for name in element.keys()}  # noqa: SIM118 (an element iterates its children)
        if not all(map(_plain_attribute, names)):
            return None
        reader = _Reader(_bases(root, etree) if XML_BASE in names or "base" in names else None)
        if root.tag == "rss":
            return reader.rss(root)
        if root.tag == f"{RDF}RDF":
            return reader.rdf(root)
        if root.tag == f"{ATOM}feed":
            return reader.atom(root)
    except (etree.XMLSyntaxError, Decline, ValueError):
        return None
    finally:
        _C1_POSSIBLE.reset(token)
    return None


def _plain_attribute(name: str) -> bool:
    """Whether feedparser reads an attribute of this name as we do: an ASCII name, and no ``base`` or ``lang``
    it would take for ``xml:base``/``xml:lang`` though written otherwise (another case, another namespace)."""
    namespace, _, local = name[1:].rpartition("}") if name[0] == "{" else ("", "", name)
    if not _NAME.fullmatch(local):
        return False
    lowered = local.lower()
    if lowered == "base":
        return local == "base" and namespace in ("", XML_NAMESPACE[1:-1])
    if lowered == "lang":
        return namespace == "" or (local == "lang" and namespace == XML_NAMESPACE[1:-1])
    return True


def _lang(element: Any, inherited: str | None) -> str | None:
    """The language feedparser gives an element: its ``xml:lang`` or ``lang``, else its parent's."""
    if not element.keys():
        return inherited
    value = element.get(XML_LANG)
    if value is None:
        value = _attribute(element, "lang")
    if value == "":
        return None
    return inherited if value is None else value


def _attributes(element: Any) -> set[str]:
    """An element's attributes but ``xml:lang`` and ``xml:base`` (read wherever they are)."""
    names = element.keys()
    return set(names) - _XML_ATTRIBUTES if names else set()


def _attribute(element: Any, name: str) -> str | None:
    """An attribute without a namespace, by its name in any case (feedparser lowercases names)."""
    found = [value for key, value in element.items() if key.lower() == name]
    if len(found) > 1:
        raise Decline
    return found[0] if found else None


def _text(element: Any) -> str:
    """An element's text as feedparser stores it (stripped, UTF-8 mistaken for Latin-1 undone, C1 mapped)."""
    if len(element):
        raise Decline  # markup or comments inside
    return _repaired((element.text or "").strip())


def _repaired(output: str) -> str:
    if output.isascii():
        return output
    try:  # noqa: SIM105 (contextlib.suppress costs more, and this runs for every non-ASCII text)
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return output.translate(_CP1252) if _C1_POSSIBLE.get() and _C1.search(output) else output


def _entities_fixed(link: str) -> str:
    """feedparser's repair of ``&name;`` in a link (``?a=1&b;=2`` read back as ``?a=1&b=2``)."""
    return _ENTITY_LIKE.sub(r"&\1", link) if "&" in link else link


def _uri(element: Any, base: str) -> str:
    """A URI element's text as feedparser stores it: resolved against the element's ``xml:base`` first."""
    if len(element):
        raise Decline
    raw = (element.text or "").strip()
    return _repaired(_urljoin(base, raw) if raw else raw)


def _urljoin(base: str, uri: str) -> str:
    """feedparser's ``_urljoin``."""
    if ":///" in uri:
        uri = _URI_FIXER.sub(r"\1\3", uri)
    if not base:
        return uri
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def _safe_absolute(base: str, relative: str) -> str:
    """feedparser's ``make_safe_absolute_uri`` (``base`` is never empty here)."""
    if not relative:
        try:
            scheme = urlparse(base)[0]
        except ValueError:
            return ""
        return base if not scheme or scheme in _SAFE_SCHEMES else ""
    uri = _urljoin(base, relative)
    return uri if uri.strip().split(":", 1)[0] in _SAFE_SCHEMES else ""


def _bases(root: Any, etree: Any) -> dict[Any, str]:
    """Each element's base URI as feedparser tracks it, quirks included (an element's ``xml:base`` outlives it
    where its parent's base is empty)."""
    bases: dict[Any, str] = {}
    stack: list[str] = []
    current = ""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if event == "start":
            given = element.get(XML_BASE)
            given = (element.get("base") if given is None else given) or current
            current = (_safe_absolute(current, given) or current) if current else _urljoin(current, given)
            stack.append(current)
            bases[element] = current
        else:
            stack.pop()
            if stack and stack[-1]:
                current = stack[-1]
    return bases


def _detail(value: str, kind: str, language: str | None, base: str) -> dict[str, Any]:
    return {
        "type": kind,
        "language": language.replace("_", "-") if language else language,
        "base": base,
        "value": value,
    }


def _date(entry: dict[str, Any], key: str, value: str) -> None:
    """Keep a date only where the reader's own parsers read it (feedparser's reading would never be used)."""
    if value and not _RFC822.fullmatch(value):
        cleaned = value.strip().replace("Z", "+00:00")
        try:
            parsedate_to_datetime(cleaned)
        except (TypeError, ValueError, IndexError):
            try:
                datetime.fromisoformat(cleaned)
            except (TypeError, ValueError, IndexError):
                raise Decline from None
    if key in entry:
        raise Decline
    entry[key] = value


def _rss_title(element: Any, language: str | None, base: str) -> tuple[str, dict[str, Any]]:
    if _attributes(element):
        raise Decline
    value = _text(element)
    if _MAYBE_HTML.search(value):
        raise Decline  # feedparser's looks_like_html decides; leave it to feedparser
    return value, _detail(value, "text/plain", language, base)


def _map_type(kind: str) -> str:
    kind = kind.lower()
    return {"text": "text/plain", "plain": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}.get(
        kind, kind
    )


def _link(element: Any, context: dict[str, Any], base: str) -> None:
    """A ``link`` with attributes, as feedparser's ``_start_link`` reads it: an alternate HTML one is the link."""
    href = element.get("href")
    if href is None or len(element) or _attributes(element) - _LINK_ATTRIBUTES:
        raise Decline
    rel = element.get("rel")
    rel = "alternate" if rel is None else rel.lower()
    kind = element.get("type")
    kind = ("application/atom+xml" if rel == "self" else "text/html") if kind is None else kind.lower()
    if rel == "alternate" and _map_type(kind) in ("text/html", "application/xhtml+xml"):
        context["link"] = _urljoin(base, href)


def _guid(element: Any, context: dict[str, Any], permalink: bool, base: str) -> None:
    """An RSS ``guid`` or an Atom ``id`` (feedparser reads both alike): a permalink is also the link if none yet."""
    if "id" in context:
        raise Decline
    context["id"] = _uri(element, base) if permalink else _text(element)
    context.setdefault("guidislink", permalink and "link" not in context)
    if permalink:
        context.setdefault("link", context["id"])


class _Reader:
    """One document's walk: feedparser's key of each element name met, and the title bookkeeping."""

    def __init__(self, bases: dict[Any, str] | None) -> None:
        self.keys: dict[str, str] = {}
        self.bases = bases

    def base(self, element: Any) -> str:
        return self.bases[element] if self.bases is not None else ""

    def key(self, element: Any) -> str:
        tag = element.tag
        found = self.keys.get(tag)
        if found is None:
            if not _NAME.fullmatch(tag.rpartition("}")[2]):
                raise Decline  # (libxml2 and expat disagree on some letters outside ASCII)
            found = self.keys[tag] = element_key(tag, element.prefix)
        return found

    def harmless(self, element: Any, key: str) -> None:
        """Pass over an element feedparser keeps apart, or decline; ``media:title`` is for the caller."""
        if key in _TREES:
            allowed = _TREES[key]
            for child in element:
                if isinstance(child.tag, str):
                    child_key = self.key(child)
                    if child_key not in allowed or (child_key == "media_title" and not self.titled):
                        raise Decline
                    if child_key in _TREES:
                        self.harmless(child, child_key)
                    elif len(child):
                        raise Decline
        elif key in _LEAVES or plain_key(key):
            if len(element):
                raise Decline
        else:
            raise Decline

    def children(self, element: Any, allowed: frozenset[str]) -> None:
        for child in element:
            if isinstance(child.tag, str) and (len(child) or self.key(child) not in allowed):
                raise Decline

    # RSS 2.0 and 1.0

    def rss(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        if _attributes(root) - {"version"}:
            raise Decline
        channels = [child for child in root if isinstance(child.tag, str)]
        language = _lang(root, None)
        feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
        if not channels:
            return feed, []
        if len(channels) != 1 or channels[0].tag != "channel" or _attributes(channels[0]):
            raise Decline
        channel_language = _lang(channels[0], language)
        items = self.channel(channels[0], channel_language, feed, rss1=False)
        return feed, [self.item(item, channel_language, rss1=False) for item in items]

    def rdf(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        language = _lang(root, None)
        feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
        items: list[dict[str, Any]] = []
        seen_channel = False
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{RSS1}channel" and not seen_channel:
                seen_channel = True  # first: a title met before it would hide the channel's (title_depth)
                if _attributes(child) - {f"{RDF}about"}:
                    raise Decline
                self.channel(child, _lang(child, language), feed, rss1=True)
            elif not seen_channel:
                raise Decline
            elif child.tag == f"{RSS1}item":
                items.append(self.item(child, language, rss1=True))
            elif child.tag in (f"{RSS1}image", f"{RSS1}textinput"):
                self.children(child, _IMAGE if child.tag == f"{RSS1}image" else _TEXTINPUT)
            else:
                key = self.key(child)
                if key in _DATES or key in ("title", "link", "description", "id", "media_title"):
                    raise Decline
                self.harmless(child, key)
        return feed, items

    def channel(self, channel: Any, language: str | None, feed: dict[str, Any], *, rss1: bool) -> list[Any]:
        items = []
        self.titled, pending, linked = False, False, False
        for child in channel:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if rss1 and tag.startswith(RSS1):
                tag = tag[len(RSS1) :]
            elif rss1 and not tag.startswith("{"):
                raise Decline
            if tag == "item" and not rss1:
                items.append(child)
                self.titled = False  # its titles move feedparser's title_depth below the channel's
                continue
            if tag == "title":
                if "title" in feed:
                    raise Decline
                feed["title"], feed["title_detail"] = _rss_title(child, _lang(child, language), self.base(child))
                self.titled, pending = bool(feed["title"]), False
                continue
            if tag == "link" and not _attributes(child):
                if linked:
                    raise Decline
                feed["link"], linked = _entities_fixed(_uri(child, self.base(child))), True
                continue
            if tag == "items" and rss1:
                continue
            key = self.key(child)
            if key in ("language", "dc_language"):
                feed["language"] = _text(child)
            elif key == "link":
                _link(child, feed, self.base(child))
            elif key == "id":
                if _attributes(child):
                    raise Decline
                _guid(child, feed, True, self.base(child))
                del feed["id"], feed["guidislink"]
            elif key in ("description", "summary", "itunes_summary"):
                # (after a summary, feedparser reads one as the feed's content: nothing the reader reads)
                if len(child):
                    raise Decline
            elif key in ("image", "textinput"):
                self.children(child, _IMAGE if key == "image" else _TEXTINPUT)
                self.titled = False
            elif key == "media_title":
                pending = pending or not self.titled
            elif key in _DATES:
                if len(child):
                    raise Decline
            else:
                self.harmless(child, key)
        if pending:
            raise Decline
        return items

    def item(self, item: Any, inherited: str | None, *, rss1: bool) -> dict[str, Any]:
        language = _lang(item, inherited)
        entry: dict[str, Any] = {}
        about = item.get(f"{RDF}about")
        if (about is not None and not rss1) or _attributes(item) - {f"{RDF}about"}:
            raise Decline
        if about:
            entry["id"] = about
        self.titled, pending, titled = False, False, False
        for child in item:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if rss1 and tag.startswith(RSS1):
                tag = tag[len(RSS1) :]
            elif rss1 and not tag.startswith("{"):
                raise Decline
            if tag == "title":
                if titled:
                    raise Decline
                entry["title"], entry["title_detail"] = _rss_title(child, _lang(child, language), self.base(child))
                self.titled, pending, titled = bool(entry["title"]), False, True
            elif tag == "image" and not rss1:
                self.item_image(child, entry, _lang(child, language), titled)
            elif tag == "link" and not _attributes(child):
                entry["link"] = _entities_fixed(_uri(child, self.base(child)).replace("&amp;", "&"))
            elif tag == "guid" and not rss1:
                if _attributes(child) - {"isPermaLink", "ispermalink"}:
                    raise Decline
                _guid(child, entry, _permalink(child), self.base(child))
            elif tag == "description":
                if "summary" in entry or _attributes(child):
                    raise Decline
                entry["summary"] = _text(child)
                entry["summary_detail"] = _detail(
                    entry["summary"], "text/html", _lang(child, language), self.base(child)
                )
            elif tag == f"{CONTENT}encoded":
                if _attributes(child):
                    raise Decline
                entry.setdefault("content", []).append(
                    _detail(_text(child), "text/html", _lang(child, language), self.base(child))
                )
            else:
                pending = self.entry_child(child, entry, pending)
        if pending:
            raise Decline
        return entry

    def item_image(self, image: Any, entry: dict[str, Any], language: str | None, titled: bool) -> None:
        """An item's ``image``: its title is the entry's until the item's own comes, whose detail it replaces."""
        self.titled = False  # feedparser forgets where the entry's title was
        for child in image:
            if isinstance(child.tag, str):
                if len(child) or child.tag not in ("title", "url", "link", "width", "height"):
                    raise Decline  # (a description would be the entry's summary)
                if child.tag == "title":
                    value, detail = _rss_title(child, _lang(child, language), self.base(child))
                    if not titled:
                        entry["title"] = value
                    entry["title_detail"] = detail

    def entry_child(self, child: Any, entry: dict[str, Any], pending: bool) -> bool:
        """An entry's child no format reads itself; whether a ``media:title`` still waits for the entry's title."""
        key = self.key(child)
        if key in _DATES:
            _date(entry, _DATES[key], _text(child))
        elif key == "link":
            _link(child, entry, self.base(child))
        elif key == "media_title":
            return pending or not self.titled
        elif key == "source":
            self.titled = False  # feedparser forgets where the entry's title was
            if child.get("url") is None and len(child):  # Atom's, with children
                for part in child:
                    if isinstance(part.tag, str):
                        part_key = self.key(part)
                        if part_key in ("author", "contributor"):
                            self.harmless(part, part_key)
                        elif part_key not in _SOURCE or len(part):
                            raise Decline
            elif len(child):
                raise Decline
        else:
            self.harmless(child, key)
        return pending

    # Atom 1.0

    def atom(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        language = _lang(root, None)
        feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
        entries = []
        self.titled, pending = False, False
        for child in root:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{ATOM}entry":
                entries.append(self.atom_entry(child, language))
                self.titled = False
                continue
            if tag == f"{ATOM}title":
                if "title" in feed:
                    raise Decline
                feed["title"], feed["title_detail"] = _atom_text(child, language, self.base(child))
                self.titled, pending = bool(feed["title"]), False
                continue
            key = self.key(child)
            if key == "link":
                _link(child, feed, self.base(child))
            elif key == "id":
                if _attributes(child):
                    raise Decline
                _guid(child, feed, True, self.base(child))
                del feed["id"], feed["guidislink"]
            elif key == "media_title":
                pending = pending or not self.titled
            elif key in _DATES or key in ("icon", "logo"):
                if len(child):
                    raise Decline
            elif key in ("summary", "description", "itunes_summary", "language", "dc_language"):
                raise Decline
            else:
                self.harmless(child, key)
        if pending:
            raise Decline
        return feed, entries

    def atom_entry(self, element: Any, inherited: str | None) -> dict[str, Any]:
        language = _lang(element, inherited)
        if _attributes(element):
            raise Decline
        entry: dict[str, Any] = {}
        self.titled, pending = False, False
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{ATOM}title":
                if "title" in entry:
                    raise Decline
                entry["title"], entry["title_detail"] = _atom_text(child, language, self.base(child))
                self.titled, pending = bool(entry["title"]), False
            elif tag == f"{ATOM}id":
                if _attributes(child):
                    raise Decline
                _guid(child, entry, True, self.base(child))
            elif tag == f"{ATOM}summary":
                if "summary" in entry:
                    raise Decline
                entry["summary"], entry["summary_detail"] = _atom_text(child, language, self.base(child))
            elif tag == f"{ATOM}content":
                if child.get("src") is not None:
                    raise Decline
                entry.setdefault("content", []).append(_atom_text(child, language, self.base(child))[1])
            else:
                key = self.key(child)
                if key in ("summary", "description", "content", "itunes_summary", "media_description", "title"):
                    raise Decline
                pending = self.entry_child(child, entry, pending)
        if pending:
            raise Decline
        return entry


def _permalink(element: Any) -> bool:
    return (_attribute(element, "ispermalink") or "true") == "true"


def _atom_text(element: Any, language: str | None, base: str) -> tuple[str, dict[str, Any]]:
    kind = _map_type(element.get("type") or "text")
    if kind not in ("text/plain", "text/html") or _attributes(element) - {"type"}:
        raise Decline
    value = _text(element)
    return value, _detail(value, kind, _lang(element, language), base)

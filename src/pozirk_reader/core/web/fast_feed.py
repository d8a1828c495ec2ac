"""A fast reader of plain, well-formed RSS 2.0, RSS 1.0 and Atom 1.0 feeds with lxml.

It gives each entry the feedparser fields :func:`~pozirk_reader.core.web.feed_format.parse_feed` reads (title
and its detail, link, id, guidislink, summary/content with their types and languages, dates), computed as
feedparser 6 computes them, so one conversion serves both. Whatever it cannot read exactly (a document that is
not well-formed, a DOCTYPE, ``xml:base``, an element or attribute it does not know, markup inside a text element,
a title that may be HTML, a date only feedparser's parsers read) makes it *decline*: :func:`read_feed` returns
``None`` and feedparser reads the feed as before. Entities are never resolved, nothing is loaded from a network.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

_CP1252 = {c: bytes([c]).decode("cp1252") for c in range(128, 160) if c not in (129, 141, 143, 144, 157)}
"""feedparser's mapping of the C1 controls to windows-1252's characters."""
_MAYBE_HTML = re.compile(r"</(\w+)>|&#?\w+;")
"""What feedparser's ``looks_like_html`` needs before it can call an RSS title HTML."""
_URI_FIXED = re.compile(r"^[A-Za-z][A-Za-z0-9+-.]*:///")
"""A URI feedparser rewrites (it drops the slashes after ``scheme://``)."""
_ENTITY_LIKE = re.compile(r"&([A-Za-z0-9_]+);")
_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_XML_MEDIA = frozenset(
    ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml")
)

CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_IGNORED = frozenset(
    ("author", "category", "comments", "enclosure", f"{DC}creator", f"{DC}subject", f"{DC}rights", f"{DC}publisher")
)
"""Item children feedparser keeps in fields the reader never reads."""
_ATOM_IGNORED = frozenset((f"{ATOM}category", f"{ATOM}rights"))
_PERSON = frozenset((f"{ATOM}name", f"{ATOM}email", f"{ATOM}uri"))
_RSS_CHANNEL_IGNORED = frozenset(
    (
        "lastBuildDate", "pubDate", "generator", "copyright", "managingEditor", "webMaster", "ttl", "docs",
        "category", "description",
    )
)  # fmt: skip


class Decline(Exception):
    """The fast path cannot read this feed exactly as feedparser does."""


def read_feed(payload: bytes, media: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The feed's fields and its entries' from UTF-8 ``payload`` (served as ``media``), or ``None`` to decline."""
    if media.split(";")[0].strip().lower() not in _XML_MEDIA:
        return None
    from lxml import etree  # imported when a feed is read: core imports stay light

    try:
        root = etree.fromstring(payload, etree.XMLParser(**_PARSER_OPTIONS))
        if root.getroottree().docinfo.doctype or root.xpath(
            "boolean(//@xml:base | //@base | //processing-instruction())"
        ):
            return None
        if root.tag == "rss" and root.get("version") in ("2.0", "0.91", "0.92"):
            return _rss(root)
        if root.tag == f"{RDF}RDF":
            return _rdf(root)
        if root.tag == f"{ATOM}feed":
            return _atom(root)
    except (etree.XMLSyntaxError, Decline, ValueError):
        return None
    return None


def _lang(element: Any, inherited: str | None) -> str | None:
    """The language feedparser gives an element: its ``xml:lang`` or ``lang``, else its parent's."""
    value = element.get(XML_LANG)
    if value is None:
        value = _attribute(element, "lang")
    if value == "":
        return None
    return inherited if value is None else value


def _attribute(element: Any, name: str) -> str | None:
    """An attribute without a namespace, by its name in any case (feedparser lowercases names)."""
    found = [value for key, value in element.attrib.items() if key.lower() == name]
    if len(found) > 1:
        raise Decline
    return found[0] if found else None


def _text(element: Any) -> str:
    """An element's text as feedparser stores it (stripped, UTF-8 mistaken for Latin-1 undone, C1 mapped)."""
    if len(element):
        raise Decline  # markup or comments inside
    output = (element.text or "").strip()
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        output = output.encode("iso-8859-1").decode("utf-8")
    return output.translate(_CP1252)


def _uri(element: Any) -> str:
    raw = (element.text or "").strip()
    if _URI_FIXED.match(raw):
        raise Decline
    return _text(element)


def _detail(value: str, kind: str, language: str | None) -> dict[str, Any]:
    return {"type": kind, "language": language.replace("_", "-") if language else language, "base": "", "value": value}


def _date(entry: dict[str, Any], key: str, value: str) -> None:
    """Keep a date only where the reader's own parsers read it (feedparser's reading would never be used)."""
    for read in (parsedate_to_datetime, datetime.fromisoformat):
        try:
            read(value.strip().replace("Z", "+00:00"))
            break
        except (TypeError, ValueError, IndexError):
            continue
    else:
        if value:
            raise Decline
    if key in entry:
        raise Decline
    entry[key] = value


def _rss_title(element: Any, language: str | None) -> tuple[str, dict[str, Any]]:
    if element.attrib:
        raise Decline
    value = _text(element)
    if _MAYBE_HTML.search(value):
        raise Decline  # feedparser's looks_like_html decides; leave it to feedparser
    return value, _detail(value, "text/plain", language)


def _channel(channel: Any, language: str | None, feed: dict[str, Any], items_inside: bool) -> list[Any]:
    items = []
    for child in channel:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        tag = tag[len(RSS1) :] if tag.startswith(RSS1) else tag
        if tag == "item" and items_inside:
            items.append(child)
        elif tag == "title":
            if "title" in feed:
                raise Decline
            feed["title"], feed["title_detail"] = _rss_title(child, _lang(child, language))
        elif tag == "link":
            if "link" in feed or child.attrib:
                raise Decline
            feed["link"] = _ENTITY_LIKE.sub(r"&\g<1>", _uri(child))
        elif tag == "language":
            feed["language"] = _text(child)
        elif tag in _RSS_CHANNEL_IGNORED or (tag == "items" and not items_inside):
            continue
        else:
            raise Decline
    return items


def _rss(root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if set(root.attrib) - {"version"}:
        raise Decline
    channels = [child for child in root if isinstance(child.tag, str)]
    if len(channels) != 1 or channels[0].tag != "channel" or channels[0].attrib:
        raise Decline
    language = _lang(root, None)
    feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
    items = _channel(channels[0], _lang(channels[0], language), feed, items_inside=True)
    return feed, [_item(item, _lang(channels[0], language), rss1=False) for item in items]


def _rdf(root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    language = _lang(root, None)
    feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
    items = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == f"{RSS1}channel":
            _channel(child, _lang(child, language), feed, items_inside=False)
        elif child.tag == f"{RSS1}item":
            items.append(_item(child, language, rss1=True))
        else:
            raise Decline
    return feed, items


def _item(item: Any, inherited: str | None, *, rss1: bool) -> dict[str, Any]:
    language = _lang(item, inherited)
    entry: dict[str, Any] = {}
    about = item.get(f"{RDF}about")
    if set(item.attrib) - {f"{RDF}about"} or (about is not None and not rss1):
        raise Decline
    if about:
        entry["id"] = about
    guidislink = False
    for child in item:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if rss1 and tag.startswith(RSS1):
            tag = tag[len(RSS1) :]
        elif rss1 and not tag.startswith(("{", CONTENT, DC)):
            raise Decline
        if tag == "title":
            if "title" in entry:
                raise Decline
            entry["title"], entry["title_detail"] = _rss_title(child, _lang(child, language))
        elif tag == "link":
            if child.attrib:
                raise Decline
            link = _uri(child).replace("&amp;", "&")
            entry["link"] = _ENTITY_LIKE.sub(r"&\g<1>", link)
        elif tag == "guid" and not rss1:
            if set(child.attrib) - {"isPermaLink", "ispermalink"} or "id" in entry:
                raise Decline
            guidislink = (_attribute(child, "ispermalink") or "true") == "true"
            entry["id"] = _uri(child) if guidislink else _text(child)
            entry.setdefault("guidislink", guidislink and "link" not in entry)
            if guidislink:
                entry.setdefault("link", entry["id"])
        elif tag == "description":
            if "summary" in entry or child.attrib:
                raise Decline
            entry["summary"] = _text(child)
            entry["summary_detail"] = _detail(entry["summary"], "text/html", _lang(child, language))
        elif tag == f"{CONTENT}encoded":
            if child.attrib:
                raise Decline
            entry.setdefault("content", []).append(_detail(_text(child), "text/html", _lang(child, language)))
        elif tag == "pubDate" and not rss1:
            _date(entry, "published", _text(child))
        elif tag == f"{DC}date":
            _date(entry, "updated", _text(child))
        elif tag not in _IGNORED or len(child):
            raise Decline
    return entry


def _atom_text(element: Any, language: str | None) -> tuple[str, dict[str, Any]]:
    kind = (element.get("type") or "text").lower()
    kind = {"text": "text/plain", "plain": "text/plain", "html": "text/html"}.get(kind, kind)
    if kind not in ("text/plain", "text/html") or set(element.attrib) - {"type", XML_LANG}:
        raise Decline
    value = _text(element)
    return value, _detail(value, kind, _lang(element, language))


def _atom(root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    language = _lang(root, None)
    feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
    entries = []
    for child in root:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == f"{ATOM}entry":
            entries.append(_atom_entry(child, language))
        elif tag == f"{ATOM}title":
            if "title" in feed:
                raise Decline
            feed["title"], feed["title_detail"] = _atom_text(child, language)
        elif tag == f"{ATOM}link":
            _atom_link(child, feed)
        elif tag in (f"{ATOM}id", f"{ATOM}updated", f"{ATOM}generator", f"{ATOM}icon", f"{ATOM}logo"):
            if len(child):
                raise Decline
        elif tag in (f"{ATOM}author", f"{ATOM}contributor"):
            _person(child)
        elif tag not in _ATOM_IGNORED and tag != f"{ATOM}subtitle":
            raise Decline
    return feed, entries


def _person(element: Any) -> None:
    if any(isinstance(child.tag, str) and (child.tag not in _PERSON or len(child)) for child in element):
        raise Decline


def _atom_link(element: Any, context: dict[str, Any]) -> None:
    href = element.get("href")
    if href is None or len(element) or set(element.attrib) - {"href", "rel", "type", "title", "length", "hreflang"}:
        raise Decline
    rel = (element.get("rel") or "alternate").lower()
    kind = (element.get("type") or ("application/atom+xml" if rel == "self" else "text/html")).lower()
    if rel == "alternate" and kind in ("text/html", "application/xhtml+xml"):
        if _URI_FIXED.match(href):
            raise Decline
        context["link"] = href


def _atom_entry(element: Any, inherited: str | None) -> dict[str, Any]:
    language = _lang(element, inherited)
    if set(element.attrib) - {XML_LANG}:
        raise Decline
    entry: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == f"{ATOM}title":
            if "title" in entry:
                raise Decline
            entry["title"], entry["title_detail"] = _atom_text(child, language)
        elif tag == f"{ATOM}link":
            _atom_link(child, entry)
        elif tag == f"{ATOM}id":
            if "id" in entry or child.attrib:
                raise Decline
            entry["id"] = _text(child)
            entry.setdefault("guidislink", False)
        elif tag == f"{ATOM}summary":
            if "summary" in entry:
                raise Decline
            entry["summary"], entry["summary_detail"] = _atom_text(child, language)
        elif tag == f"{ATOM}content":
            if child.get("src") is not None:
                raise Decline
            entry.setdefault("content", []).append(_atom_text(child, language)[1])
        elif tag in (f"{ATOM}published", f"{ATOM}updated"):
            _date(entry, tag[len(ATOM) :], _text(child))
        elif tag in (f"{ATOM}author", f"{ATOM}contributor"):
            _person(child)
        elif tag not in _ATOM_IGNORED or len(child):
            raise Decline
    return entry

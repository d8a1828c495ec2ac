"""A fast reader of well-formed RSS 2.0/0.9x, RSS 1.0 and Atom 1.0 feeds with lxml.

It gives each entry the feedparser fields :func:`~pozirk_reader.core.web.feed_format.parse_feed` reads (title
and its detail, link, id, guidislink, summary/content with their types, languages and bases, dates), computed as
feedparser 6 computes them (:mod:`~pozirk_reader.core.web.fast_feed_values`), so one conversion serves both.
Elements are known by feedparser's own name for them (:mod:`~pozirk_reader.core.web.fast_feed_names`): those it
only keeps under that name (``sy:*``, ``slash:*``, ``wfw:*``, an unknown namespace's) and those whose handlers
never touch the reader's fields (authors, categories, enclosures, ``media:content``, most of ``itunes:*``,
``atom:link`` but an alternate one, images) are passed over. Whatever it cannot read exactly (a document that is
not well-formed, a DOCTYPE with an internal subset or used entities, an element it does not know to be harmless, markup inside a text element, a title
that may be HTML, ``media:description``, an item's ``itunes:summary``, a date only feedparser's parsers read)
makes it *decline*: :func:`read_feed` returns ``None`` and feedparser reads the feed. Entities are never
resolved, nothing is loaded from a network.

An entry the cache has seen is known by its bytes (:mod:`~pozirk_reader.core.web.feed_digests`): the caller names
the digests it knows, and each such entry comes back :class:`Unread`, its fields read only if asked for. Every
entry read is given its digest under :data:`ITEM_DIGEST`.
"""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from pozirk_reader.core.web import fast_feed_names as names
from pozirk_reader.core.web import fast_feed_values as values
from pozirk_reader.core.web.fast_feed_names import declarations_are_plain, element_key, plain_key
from pozirk_reader.core.web.fast_feed_values import Decline
from pozirk_reader.core.web.feed_digests import ENTRY_START, ITEM_DIGEST, ITEM_START, Unread, entry_digests

_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[")


def read_feed(
    payload: bytes, media: str, known: Container[str] = (), salt: str = ""
) -> tuple[dict[str, Any], list[dict[str, Any] | Unread]] | None:
    """The feed's fields and its entries' from UTF-8 ``payload`` (served as ``media``), or ``None`` to decline.

    An entry whose digest is in ``known`` comes back :class:`Unread`; ``salt`` (what else the caller's reading
    of an entry depends on) goes into every digest.
    """
    if media.split(";")[0].strip().lower() not in values.XML_MEDIA or not declarations_are_plain(payload):
        return None
    from lxml import etree  # imported when a feed is read: core imports stay light

    token = values.C1_POSSIBLE.set(b"&#" in payload or values.C1_BYTES.search(payload) is not None)
    try:
        root = etree.fromstring(payload, etree.XMLParser(**values.PARSER_OPTIONS))
        if root.getroottree().docinfo.doctype and not _plain_doctype(root, payload, etree):
            return None
        if not all(values.PI_TARGET.fullmatch(pi.target) for pi in root.xpath("//processing-instruction()")):
            return None
        attributes = {name for element in root.iter() for name in element.keys()}  # noqa: SIM118 (not a dict)
        if not all(map(values.plain_attribute, attributes)):
            return None
        has_base = values.XML_BASE in attributes or "base" in attributes
        reader = _Reader(values.bases(root, etree) if has_base else None)
        reader.payload, reader.known, reader.salt = payload, known, salt
        reader.c1 = values.C1_POSSIBLE.get()
        read = {"rss": reader.rss, f"{values.RDF}RDF": reader.rdf, f"{values.ATOM}feed": reader.atom}.get(root.tag)
        if read is not None:
            found = read(root)
            reader.payload = b""  # (an entry left unread keeps the reader, not the document's bytes)
            return found
    except (etree.XMLSyntaxError, Decline, ValueError):
        return None
    finally:
        values.C1_POSSIBLE.reset(token)
    return None


def _plain_doctype(root: Any, payload: bytes, etree: Any) -> bool:
    """Whether a document's DOCTYPE changes nothing: feedparser drops it, so it must declare nothing (no
    internal subset) and the document must use no entity it would have declared."""
    subset = root.getroottree().docinfo.internalDTD
    if _SUBSET.search(payload, 0, 65536) or (subset is not None and (subset.elements() or subset.entities())):
        return False
    return next(root.iter(etree.Entity), None) is None


def _cleared(element: Any, entry: dict[str, Any]) -> dict[str, Any]:
    """``entry``, read from ``element``, whose nodes go now: the tree shrinks as the entries grow (the peak memory
    of a big feed is the larger of the two, not their sum)."""
    element.clear(keep_tail=True)
    return entry


class _Reader:
    """One document's walk: feedparser's key of each element name met, and the title bookkeeping."""

    def __init__(self, bases: dict[Any, str] | None) -> None:
        self.keys: dict[str, str] = {}
        self.bases = bases
        self.payload = b""
        self.known: Container[str] = ()
        self.salt = ""
        self.c1 = False

    def base(self, element: Any) -> str:
        return self.bases[element] if self.bases is not None else ""

    def key(self, element: Any) -> str:
        tag = element.tag
        found = self.keys.get(tag)
        if found is None:
            if not values.NAME.fullmatch(tag.rpartition("}")[2]):
                raise Decline  # (libxml2 and expat disagree on some letters outside ASCII)
            found = self.keys[tag] = element_key(tag, element.prefix)
        return found

    def harmless(self, element: Any, key: str) -> None:
        """Pass over an element feedparser keeps apart, or decline; ``media:title`` is for the caller."""
        if key in names.TREES:
            allowed = names.TREES[key]
            for child in element:
                if isinstance(child.tag, str):
                    child_key = self.key(child)
                    if child_key not in allowed or (child_key == "media_title" and not self.titled):
                        raise Decline
                    if child_key in names.TREES:
                        self.harmless(child, child_key)
                    elif len(child):
                        raise Decline
        elif key in names.LEAVES:
            if len(element):
                raise Decline
        elif plain_key(key):  # kept under its name; so are its children if they are too
            for child in element:
                if isinstance(child.tag, str):
                    child_key = self.key(child)
                    if child_key not in names.LEAVES and not plain_key(child_key):
                        raise Decline
                    self.harmless(child, child_key)
        else:
            raise Decline

    def children(self, element: Any, allowed: frozenset[str]) -> None:
        for child in element:
            if isinstance(child.tag, str) and (len(child) or self.key(child) not in allowed):
                raise Decline

    # RSS 2.0 and 1.0

    def rss(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any] | Unread]]:
        if values.attributes(root) - {"version"}:
            raise Decline
        channels = [child for child in root if isinstance(child.tag, str)]
        language = values.lang(root, None)
        feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
        if not channels:
            return feed, []
        if len(channels) != 1 or channels[0].tag != "channel" or values.attributes(channels[0]):
            raise Decline
        channel_language = values.lang(channels[0], language)
        items = self.channel(channels[0], channel_language, feed, rss1=False)
        return feed, self.entries(root, items, channel_language, self.rss_item, ITEM_START)

    def rdf(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any] | Unread]]:
        language = values.lang(root, None)
        feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
        items: list[dict[str, Any] | Unread] = []
        elements = [child for child in root if child.tag == f"{values.RSS1}item"]
        digests = self.digests(root, elements, language, ITEM_START)
        seen_channel = False
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{values.RSS1}channel" and not seen_channel:
                seen_channel = True  # first: a title met before it would hide the channel's (title_depth)
                if values.attributes(child) - {f"{values.RDF}about"}:
                    raise Decline
                self.channel(child, values.lang(child, language), feed, rss1=True)
            elif not seen_channel:
                raise Decline
            elif child.tag == f"{values.RSS1}item":
                items.append(self.entry(child, language, self.rdf_item, digests[len(items)] if digests else None))
            elif child.tag in (f"{values.RSS1}image", f"{values.RSS1}textinput"):
                self.children(child, names.IMAGE_PARTS if child.tag == f"{values.RSS1}image" else names.TEXTINPUT_PARTS)
            else:
                key = self.key(child)
                if key in names.DATES or key in ("title", "link", "description", "id", "media_title"):
                    raise Decline
                self.harmless(child, key)
        return feed, items

    def entries(
        self, root: Any, elements: list[Any], language: str | None, read: Any, start: re.Pattern[bytes]
    ) -> list[dict[str, Any] | Unread]:
        """Each entry's fields (:meth:`entry`)."""
        digests = self.digests(root, elements, language, start)
        return [
            self.entry(element, language, read, digests[position] if digests else None)
            for position, element in enumerate(elements)
        ]

    def entry(self, element: Any, language: str | None, read: Any, digest: str | None) -> dict[str, Any] | Unread:
        """An entry's fields, read from its element (then cleared), or :class:`Unread` if its digest is known."""
        if digest is not None and digest in self.known:
            return Unread(digest, element, read, language, self.c1)
        fields: dict[str, Any] = _cleared(element, read(element, language))
        if digest is not None:
            fields[ITEM_DIGEST] = digest
        return fields

    def digests(
        self, root: Any, elements: list[Any], language: str | None, start: re.Pattern[bytes]
    ) -> list[str] | None:
        """Each entry's digest (:func:`~.feed_digests.entry_digests`), unless xml:base reaches it from outside."""
        if self.bases is not None:
            return None
        return entry_digests(self.payload, root, elements, start, (self.salt, str(language), str(self.c1)))

    def rss_item(self, element: Any, language: str | None) -> dict[str, Any]:
        return self.item(element, language, rss1=False)

    def rdf_item(self, element: Any, language: str | None) -> dict[str, Any]:
        return self.item(element, language, rss1=True)

    def channel(self, channel: Any, language: str | None, feed: dict[str, Any], *, rss1: bool) -> list[Any]:
        items = []
        self.titled, pending, linked = False, False, False
        for child in channel:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if rss1 and tag.startswith(values.RSS1):
                tag = tag[len(values.RSS1) :]
            elif rss1 and not tag.startswith("{"):
                raise Decline
            if tag == "item" and not rss1:
                items.append(child)
                self.titled = False  # its titles move feedparser's title_depth below the channel's
                continue
            if tag == "title":
                if "title" in feed:
                    raise Decline
                feed["title"], feed["title_detail"] = values.rss_title(
                    child, values.lang(child, language), self.base(child)
                )
                self.titled, pending = bool(feed["title"]), False
                continue
            if tag == "link" and not values.attributes(child):
                if linked:
                    raise Decline
                feed["link"], linked = values.entities_fixed(values.uri(child, self.base(child))), True
                continue
            if tag == "items" and rss1:
                continue
            key = self.key(child)
            if key in ("language", "dc_language"):
                feed["language"] = values.text(child)
            elif key == "link":
                values.link(child, feed, self.base(child))
            elif key == "id":
                if values.attributes(child):
                    raise Decline
                values.guid(child, feed, True, self.base(child))
                del feed["id"], feed["guidislink"]
            elif key in ("description", "summary", "itunes_summary"):
                # (after a summary, feedparser reads one as the feed's content: nothing the reader reads)
                if len(child):
                    raise Decline
            elif key in ("image", "textinput"):
                self.children(child, names.IMAGE_PARTS if key == "image" else names.TEXTINPUT_PARTS)
                self.titled = False
            elif key == "media_title":
                pending = pending or not self.titled
            elif key in names.DATES:
                if len(child):
                    raise Decline
            else:
                self.harmless(child, key)
        if pending:
            raise Decline
        return items

    def item(self, item: Any, inherited: str | None, *, rss1: bool) -> dict[str, Any]:
        language = values.lang(item, inherited)
        entry: dict[str, Any] = {}
        about = item.get(f"{values.RDF}about")
        if (about is not None and not rss1) or values.attributes(item) - {f"{values.RDF}about"}:
            raise Decline
        if about:
            entry["id"] = about
        self.titled, pending, titled = False, False, False
        for child in item:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if rss1 and tag.startswith(values.RSS1):
                tag = tag[len(values.RSS1) :]
            elif rss1 and not tag.startswith("{"):
                raise Decline
            if tag == "title":
                if titled:
                    raise Decline
                entry["title"], entry["title_detail"] = values.rss_title(
                    child, values.lang(child, language), self.base(child)
                )
                self.titled, pending, titled = bool(entry["title"]), False, True
            elif tag == "image" and not rss1:
                self.item_image(child, entry, values.lang(child, language), titled)
            elif tag == "link" and not values.attributes(child):
                entry["link"] = values.entities_fixed(values.uri(child, self.base(child)).replace("&amp;", "&"))
            elif tag == "guid" and not rss1:
                if values.attributes(child) - {"isPermaLink", "ispermalink"}:
                    raise Decline
                values.guid(child, entry, values.permalink(child), self.base(child))
            elif tag == "description":
                if "summary" in entry or values.attributes(child):
                    raise Decline
                entry["summary"] = values.text(child)
                entry["summary_detail"] = values.detail(
                    entry["summary"], "text/html", values.lang(child, language), self.base(child)
                )
            elif tag == f"{values.CONTENT}encoded":
                if values.attributes(child):
                    raise Decline
                entry.setdefault("content", []).append(
                    values.detail(values.text(child), "text/html", values.lang(child, language), self.base(child))
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
                    value, detail = values.rss_title(child, values.lang(child, language), self.base(child))
                    if not titled:
                        entry["title"] = value
                    entry["title_detail"] = detail

    def entry_child(self, child: Any, entry: dict[str, Any], pending: bool) -> bool:
        """An entry's child no format reads itself; whether a ``media:title`` still waits for the entry's title."""
        key = self.key(child)
        if key in names.DATES:
            values.date(entry, names.DATES[key], values.text(child))
        elif key == "link":
            values.link(child, entry, self.base(child))
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
                        elif part_key not in names.SOURCE_PARTS or len(part):
                            raise Decline
            elif len(child):
                raise Decline
        else:
            self.harmless(child, key)
        return pending

    # Atom 1.0

    def atom(self, root: Any) -> tuple[dict[str, Any], list[dict[str, Any] | Unread]]:
        language = values.lang(root, None)
        feed: dict[str, Any] = {"language": language.replace("_", "-")} if language else {}
        entries = []
        self.titled, pending = False, False
        for child in root:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{values.ATOM}entry":
                entries.append(child)
                self.titled = False
                continue
            if tag == f"{values.ATOM}title":
                if "title" in feed:
                    raise Decline
                feed["title"], feed["title_detail"] = values.atom_text(child, language, self.base(child))
                self.titled, pending = bool(feed["title"]), False
                continue
            key = self.key(child)
            if key == "link":
                values.link(child, feed, self.base(child))
            elif key == "id":
                if values.attributes(child):
                    raise Decline
                values.guid(child, feed, True, self.base(child))
                del feed["id"], feed["guidislink"]
            elif key == "media_title":
                pending = pending or not self.titled
            elif key in names.DATES or key in ("icon", "logo"):
                if len(child):
                    raise Decline
            elif key in ("summary", "description", "itunes_summary", "language", "dc_language"):
                raise Decline
            else:
                self.harmless(child, key)
        if pending:
            raise Decline
        return feed, self.entries(root, entries, language, self.atom_entry, ENTRY_START)

    def atom_entry(self, element: Any, inherited: str | None) -> dict[str, Any]:
        language = values.lang(element, inherited)
        if values.attributes(element):
            raise Decline
        entry: dict[str, Any] = {}
        self.titled, pending = False, False
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{values.ATOM}title":
                if "title" in entry:
                    raise Decline
                entry["title"], entry["title_detail"] = values.atom_text(child, language, self.base(child))
                self.titled, pending = bool(entry["title"]), False
            elif tag == f"{values.ATOM}id":
                if values.attributes(child):
                    raise Decline
                values.guid(child, entry, True, self.base(child))
            elif tag == f"{values.ATOM}summary":
                if "summary" in entry:
                    raise Decline
                entry["summary"], entry["summary_detail"] = values.atom_text(child, language, self.base(child))
            elif tag == f"{values.ATOM}content":
                if child.get("src") is not None:
                    raise Decline
                entry.setdefault("content", []).append(values.atom_text(child, language, self.base(child))[1])
            else:
                key = self.key(child)
                if key in ("summary", "description", "content", "itunes_summary", "media_description", "title"):
                    raise Decline
                pending = self.entry_child(child, entry, pending)
        if pending:
            raise Decline
        return entry

"""How feedparser 6 stores a value, for the fast path: text repairs, URIs and ``xml:base``, dates, languages.

Each function gives what feedparser's ``pop()`` and its handlers would keep for one element, or raises
:class:`Decline` where the fast path cannot be sure to.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlparse

_CP1252 = {c: bytes([c]).decode("cp1252") for c in range(128, 160) if c not in (129, 141, 143, 144, 157)}
"""feedparser's mapping of the C1 controls to windows-1252's characters."""
_C1 = re.compile("[\x80-\x9f]")
C1_BYTES = re.compile(b"\xc2[\x80-\x9f]")
C1_POSSIBLE: ContextVar[bool] = ContextVar("c1_possible", default=True)
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
PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
XML_MEDIA = frozenset(
    ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/rdf+xml")
)
PI_TARGET = re.compile(r"(?!(?i:xml))[A-Za-z_][A-Za-z0-9_.-]*|xml-stylesheet")
"""Processing instructions expat reads as libxml2 does (libxml2 takes some expat refuses, such as ``XmL``)."""
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
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


class Decline(Exception):
    """The fast path cannot read this feed exactly as feedparser does."""


def plain_attribute(name: str) -> bool:
    """Whether feedparser reads an attribute of this name as we do: an ASCII name, and no ``base`` or ``lang``
    it would take for ``xml:base``/``xml:lang`` though written otherwise (another case, another namespace)."""
    namespace, _, local = name[1:].rpartition("}") if name[0] == "{" else ("", "", name)
    if not NAME.fullmatch(local):
        return False
    lowered = local.lower()
    if lowered == "base":
        return local == "base" and namespace in ("", XML_NAMESPACE[1:-1])
    if lowered == "lang":
        return namespace == "" or (local == "lang" and namespace == XML_NAMESPACE[1:-1])
    return True


def lang(element: Any, inherited: str | None) -> str | None:
    """The language feedparser gives an element: its ``xml:lang`` or ``lang``, else its parent's."""
    if not element.keys():
        return inherited
    value = element.get(XML_LANG)
    if value is None:
        value = attribute(element, "lang")
    if value == "":
        return None
    return inherited if value is None else value


def attributes(element: Any) -> set[str]:
    """An element's attributes but ``xml:lang`` and ``xml:base`` (read wherever they are)."""
    names = element.keys()
    return set(names) - _XML_ATTRIBUTES if names else set()


def attribute(element: Any, name: str) -> str | None:
    """An attribute without a namespace, by its name in any case (feedparser lowercases names)."""
    found = [value for key, value in element.items() if key.lower() == name]
    if len(found) > 1:
        raise Decline
    return found[0] if found else None


def text(element: Any) -> str:
    """An element's text as feedparser stores it (stripped, UTF-8 mistaken for Latin-1 undone, C1 mapped)."""
    if len(element):
        raise Decline  # markup or comments inside
    return repaired((element.text or "").strip())


def repaired(output: str) -> str:
    if output.isascii():
        return output
    try:  # noqa: SIM105 (contextlib.suppress costs more, and this runs for every non-ASCII text)
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return output.translate(_CP1252) if C1_POSSIBLE.get() and _C1.search(output) else output


def entities_fixed(link: str) -> str:
    """feedparser's repair of ``&name;`` in a link (``?a=1&b;=2`` read back as ``?a=1&b=2``)."""
    return _ENTITY_LIKE.sub(r"&\1", link) if "&" in link else link


def uri(element: Any, base: str) -> str:
    """A URI element's text as feedparser stores it: resolved against the element's ``xml:base`` first."""
    if len(element):
        raise Decline
    raw = (element.text or "").strip()
    return repaired(join_uri(base, raw) if raw else raw)


def join_uri(base: str, uri: str) -> str:
    """feedparser's ``_urljoin``."""
    if ":///" in uri:
        uri = _URI_FIXER.sub(r"\1\3", uri)
    if not base:
        return uri
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


def safe_absolute(base: str, relative: str) -> str:
    """feedparser's ``make_safe_absolute_uri`` (``base`` is never empty here)."""
    if not relative:
        try:
            scheme = urlparse(base)[0]
        except ValueError:
            return ""
        return base if not scheme or scheme in _SAFE_SCHEMES else ""
    uri = join_uri(base, relative)
    return uri if uri.strip().split(":", 1)[0] in _SAFE_SCHEMES else ""


def bases(root: Any, etree: Any) -> dict[Any, str]:
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
            current = (safe_absolute(current, given) or current) if current else join_uri(current, given)
            stack.append(current)
            bases[element] = current
        else:
            stack.pop()
            if stack and stack[-1]:
                current = stack[-1]
    return bases


def detail(value: str, kind: str, language: str | None, base: str) -> dict[str, Any]:
    return {
        "type": kind,
        "language": language.replace("_", "-") if language else language,
        "base": base,
        "value": value,
    }


def date(entry: dict[str, Any], key: str, value: str) -> None:
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


def rss_title(element: Any, language: str | None, base: str) -> tuple[str, dict[str, Any]]:
    if attributes(element):
        raise Decline
    value = text(element)
    if _MAYBE_HTML.search(value):
        raise Decline  # feedparser's looks_like_html decides; leave it to feedparser
    return value, detail(value, "text/plain", language, base)


def map_type(kind: str) -> str:
    kind = kind.lower()
    return {"text": "text/plain", "plain": "text/plain", "html": "text/html", "xhtml": "application/xhtml+xml"}.get(
        kind, kind
    )


def link(element: Any, context: dict[str, Any], base: str) -> None:
    """A ``link`` with attributes, as feedparser's ``_start_link`` reads it: an alternate HTML one is the link."""
    href = element.get("href")
    if href is None or len(element) or attributes(element) - _LINK_ATTRIBUTES:
        raise Decline
    rel = element.get("rel")
    rel = "alternate" if rel is None else rel.lower()
    kind = element.get("type")
    kind = ("application/atom+xml" if rel == "self" else "text/html") if kind is None else kind.lower()
    if rel == "alternate" and map_type(kind) in ("text/html", "application/xhtml+xml"):
        context["link"] = join_uri(base, href)


def guid(element: Any, context: dict[str, Any], permalink: bool, base: str) -> None:
    """An RSS ``guid`` or an Atom ``id`` (feedparser reads both alike): a permalink is also the link if none yet."""
    if "id" in context:
        raise Decline
    context["id"] = uri(element, base) if permalink else text(element)
    context.setdefault("guidislink", permalink and "link" not in context)
    if permalink:
        context.setdefault("link", context["id"])


def permalink(element: Any) -> bool:
    return (attribute(element, "ispermalink") or "true") == "true"


def atom_text(element: Any, language: str | None, base: str) -> tuple[str, dict[str, Any]]:
    kind = map_type(element.get("type") or "text")
    if kind not in ("text/plain", "text/html") or attributes(element) - {"type"}:
        raise Decline
    value = text(element)
    return value, detail(value, kind, lang(element, language), base)

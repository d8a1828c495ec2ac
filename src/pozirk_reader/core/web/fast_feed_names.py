"""How feedparser 6 names the elements it meets, so the fast path can tell which ones it acts on.

feedparser calls an element by a *key*: its namespace's standard prefix (``dc``, ``itunes``, ``media``; none for
RSS and Atom), an underscore and its lowercased local name (``dc_creator``, ``pubdate``, ``link``). An element in a
namespace it does not know keeps the prefix it was declared with, and one in an unknown default namespace has
none. A key feedparser has a handler for (:data:`HANDLED`) does something of its own; any other element's text is
only kept under its key, which the reader never reads unless it is one of :data:`RESERVED`. A test checks both
tables against the installed feedparser.
"""

from __future__ import annotations

import re

NAMESPACES = {
    uri.lower(): prefix
    for uri, prefix in {
        "": "",
        "http://backend.userland.com/rss": "",
        "http://blogs.law.harvard.edu/tech/rss": "",
        "http://purl.org/rss/1.0/": "",
        "http://my.netscape.com/rdf/simple/0.9/": "",
        "http://example.com/newformat#": "",
        "http://example.com/necho": "",
        "http://purl.org/echo/": "",
        "uri/of/echo/namespace#": "",
        "http://purl.org/pie/": "",
        "http://purl.org/atom/ns#": "",
        "http://www.w3.org/2005/Atom": "",
        "http://purl.org/rss/1.0/modules/rss091#": "",
        "http://webns.net/mvcb/": "admin",
        "http://purl.org/rss/1.0/modules/aggregation/": "ag",
        "http://purl.org/rss/1.0/modules/annotate/": "annotate",
        "http://media.tangent.org/rss/1.0/": "audio",
        "http://backend.userland.com/blogChannelModule": "blogChannel",
        "http://creativecommons.org/ns#license": "cc",
        "http://web.resource.org/cc/": "cc",
        "http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html": "creativeCommons",
        "http://backend.userland.com/creativeCommonsRssModule": "creativeCommons",
        "http://purl.org/rss/1.0/modules/company": "co",
        "http://purl.org/rss/1.0/modules/content/": "content",
        "http://my.theinfo.org/changed/1.0/rss/": "cp",
        "http://purl.org/dc/elements/1.1/": "dc",
        "http://purl.org/dc/terms/": "dcterms",
        "http://purl.org/rss/1.0/modules/email/": "email",
        "http://purl.org/rss/1.0/modules/event/": "ev",
        "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
        "http://freshmeat.net/rss/fm/": "fm",
        "http://xmlns.com/foaf/0.1/": "foaf",
        "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
        "http://www.georss.org/georss": "georss",
        "http://www.opengis.net/gml": "gml",
        "http://postneo.com/icbm/": "icbm",
        "http://purl.org/rss/1.0/modules/image/": "image",
        "http://www.itunes.com/DTDs/PodCast-1.0.dtd": "itunes",
        "http://example.com/DTDs/PodCast-1.0.dtd": "itunes",
        "http://purl.org/rss/1.0/modules/link/": "l",
        "http://search.yahoo.com/mrss": "media",
        "http://search.yahoo.com/mrss/": "media",
        "http://madskills.com/public/xml/rss/module/pingback/": "pingback",
        "http://prismstandard.org/namespaces/1.2/basic/": "prism",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
        "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
        "http://purl.org/rss/1.0/modules/reference/": "ref",
        "http://purl.org/rss/1.0/modules/richequiv/": "reqv",
        "http://purl.org/rss/1.0/modules/search/": "search",
        "http://purl.org/rss/1.0/modules/slash/": "slash",
        "http://schemas.xmlsoap.org/soap/envelope/": "soap",
        "http://purl.org/rss/1.0/modules/servicestatus/": "ss",
        "http://hacks.benhammersley.com/rss/streaming/": "str",
        "http://purl.org/rss/1.0/modules/subscription/": "sub",
        "http://purl.org/rss/1.0/modules/syndication/": "sy",
        "http://schemas.pocketsoap.com/rss/myDescModule/": "szf",
        "http://purl.org/rss/1.0/modules/taxonomy/": "taxo",
        "http://purl.org/rss/1.0/modules/threading/": "thr",
        "http://purl.org/rss/1.0/modules/textinput/": "ti",
        "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
        "http://wellformedweb.org/commentAPI/": "wfw",
        "http://purl.org/rss/1.0/modules/wiki/": "wiki",
        "http://www.w3.org/1999/xhtml": "xhtml",
        "http://www.w3.org/1999/xlink": "xlink",
        "http://www.w3.org/XML/1998/namespace": "xml",
        "http://podlove.org/simple-chapters": "psc",
    }.items()
}
"""feedparser's ``_FeedParserMixin.namespaces``, by lowercased URI (feedparser matches URIs in any case)."""

_STANDARD_PREFIXES = frozenset(NAMESPACES.values()) - {""}

HANDLED = frozenset(
    [
        "abstract",
        "author",
        "body",
        "category",
        "cc_license",
        "channel",
        "cloud",
        "content",
        "content_encoded",
        "contributor",
        "copyright",
        "created",
        "creativecommons_license",
        "dc_author",
        "dc_contributor",
        "dc_creator",
        "dc_date",
        "dc_description",
        "dc_language",
        "dc_publisher",
        "dc_rights",
        "dc_subject",
        "dc_title",
        "dcterms_created",
        "dcterms_issued",
        "dcterms_modified",
        "dcterms_valid",
        "description",
        "email",
        "enclosure",
        "entry",
        "expirationdate",
        "feed",
        "feedburner_browserfriendly",
        "fullitem",
        "generator",
        "geom",
        "georss_box",
        "georss_line",
        "georss_point",
        "georss_polygon",
        "georss_where",
        "georssgeom",
        "gml_exterior",
        "gml_linearring",
        "gml_linestring",
        "gml_point",
        "gml_polygon",
        "gml_pos",
        "gml_poslist",
        "guid",
        "height",
        "homepage",
        "id",
        "image",
        "info",
        "issued",
        "item",
        "itunes_author",
        "itunes_block",
        "itunes_category",
        "itunes_email",
        "itunes_explicit",
        "itunes_image",
        "itunes_keywords",
        "itunes_link",
        "itunes_name",
        "itunes_owner",
        "itunes_subtitle",
        "itunes_summary",
        "keywords",
        "language",
        "lastbuilddate",
        "link",
        "managingeditor",
        "media_category",
        "media_content",
        "media_credit",
        "media_description",
        "media_group",
        "media_keywords",
        "media_license",
        "media_player",
        "media_rating",
        "media_restriction",
        "media_thumbnail",
        "media_title",
        "modified",
        "name",
        "newlocation",
        "psc_chapter",
        "psc_chapters",
        "pubdate",
        "published",
        "rights",
        "rss",
        "source",
        "subtitle",
        "summary",
        "tagline",
        "tags",
        "textinput",
        "title",
        "updated",
        "uri",
        "url",
        "webmaster",
        "where",
        "width",
        "xhtml_body",
    ]
)
"""The keys feedparser has a ``_start_``/``_end_`` handler for (lowercased: it lowercases the names it meets)."""

RESERVED = frozenset(
    [
        "title",
        "title_detail",
        "link",
        "links",
        "id",
        "guidislink",
        "summary",
        "summary_detail",
        "content",
        "published",
        "updated",
        "created",
        "expired",
        "language",
        "tags",
        "authors",
        "author",
        "author_detail",
        "contributors",
        "publisher",
        "publisher_detail",
        "image",
        "textinput",
        "source",
        "generator",
        "generator_detail",
        "subtitle",
        "subtitle_detail",
        "rights",
        "rights_detail",
        "info",
        "info_detail",
        "cloud",
        "where",
        "href",
        "url",
        "license",
        "newlocation",
        "rating",
        "credit",
        "restriction",
        "errorreportsto",
        "name",
        "email",
        "width",
        "height",
        "keywords",
        "category",
        "description",
        "validity_start",
        "validity_end",
        "itunes_block",
        "itunes_explicit",
        "media_content",
        "media_thumbnail",
        "media_credit",
        "media_rating",
        "media_restriction",
        "media_license",
        "media_player",
        "psc_chapters",
    ]
)
"""Keys feedparser itself writes, or the reader reads: an unknown element of that name would overwrite them."""

_USERLAND = "backend.userland.com/rss"
_DECLARATION = re.compile(rb"""xmlns(?::([^\s=/>]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def element_key(tag: str, prefix: str | None) -> str:
    """feedparser's key for an element named ``tag`` (lxml's ``{uri}local``) written with ``prefix``."""
    if tag[0] != "{":
        return tag.lower()
    uri, local = tag[1:].split("}", 1)
    lowered = uri.lower()
    standard = "" if _USERLAND in lowered else NAMESPACES.get(lowered)
    if standard is None:
        standard = prefix or ""
    return f"{standard.lower()}_{local.lower()}" if standard else local.lower()


def plain_key(key: str) -> bool:
    """Whether an element with this key is only kept under it: no handler, and no name feedparser or we use."""
    return key not in HANDLED and key not in RESERVED and not key.endswith(("_detail", "_parsed"))


def declarations_are_plain(payload: bytes) -> bool:
    """Whether the document's namespace declarations make :func:`element_key` give feedparser's keys.

    feedparser names an element of an unknown namespace by the first prefix declared for it, and maps a
    prefix to the one namespace it was last declared for; so a prefix declared for two namespaces, an unknown
    namespace declared under two prefixes, and a standard prefix given to another known namespace than its own
    (when that one is declared too) make it decline. Declarations are found in the raw text: one that is only quoted in a text can only add a refusal.
    """
    by_prefix: dict[bytes | None, bytes] = {}
    by_uri: dict[bytes, bytes | None] = {}
    renamed: list[tuple[str, str]] = []  # (prefix, its namespace's standard prefix) where the two differ
    used: set[str] = set()  # the standard prefixes of the namespaces declared
    for found in _DECLARATION.finditer(payload):
        prefix, uri = found[1], found[2] if found[2] is not None else found[3]
        if prefix is not None and not re.fullmatch(rb"[A-Za-z_][-\w.]*", prefix, re.ASCII):
            return False  # (libxml2 and expat disagree on which letters a name may hold)
        if prefix is not None and by_prefix.setdefault(prefix, uri) != uri:  # (the default one is looked up by URI)
            return False
        lowered = uri.decode("utf-8", "replace").lower()
        standard = "" if _USERLAND in lowered else NAMESPACES.get(lowered)
        if standard is None:
            if by_uri.setdefault(uri, prefix) != prefix:
                return False
            continue
        used.add(standard.lower())
        if prefix is not None and prefix.decode("utf-8", "replace") != standard:
            renamed.append((prefix.decode("utf-8", "replace").lower(), standard))
    # feedparser maps a prefix to its namespace's standard one: fine unless another declared namespace has it
    return not any(prefix in used and prefix != standard.lower() for prefix, standard in renamed)


DATES = {
    **dict.fromkeys(("pubdate", "published", "issued", "dcterms_issued"), "published"),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), "updated"),
    **dict.fromkeys(("created", "dcterms_created"), "created"),
}
"""feedparser's date elements, by key, and the entry field each one sets."""
LEAVES = frozenset(
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
TREES = {
    "author": frozenset(("name", "email", "uri")),
    "contributor": frozenset(("name", "email", "uri")),
    "itunes_owner": frozenset(("itunes_name", "itunes_email")),
    "itunes_category": frozenset(("itunes_category",)),
    "media_group": frozenset(("media_title", *(key for key in LEAVES if key.startswith("media_")))),
    "media_content": frozenset(("media_title", *(key for key in LEAVES if key.startswith("media_")))),
}
"""Elements whose children are harmless too, when they are these (checked with the same rules)."""
SOURCE_PARTS = frozenset(("title", "subtitle", "id", "link", "updated", "published", "rights", "icon", "logo"))
"""An Atom ``source``'s children: feedparser keeps them apart, in the entry's ``source``."""
IMAGE_PARTS = frozenset(("title", "link", "url", "width", "height", "description"))
"""A channel's ``image`` children: feedparser keeps them in the feed's ``image`` (other ones end it early)."""
TEXTINPUT_PARTS = frozenset(("title", "link", "name", "description"))

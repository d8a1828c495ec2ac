"""HTML markup to the calls of an :class:`html.parser.HTMLParser`, fast for well-formed markup, safe for any.

:func:`parse_html` gives a parser every call ``HTMLParser`` itself would make for a document. Well-formed
markup (plain start and end tags with quoted or simple attributes, text; no comments, declarations, scripts
or styles) is tokenised by one regular expression, which is most of the speed of reading feeds; anything else
goes through ``HTMLParser``, rewritten first where it would raise, and never in quadratic time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from typing import TypeVar

_Parser = TypeVar("_Parser", bound=HTMLParser)

_LONG_CHARREF = re.compile(r"&#([0-9]{100,});?")

# The subset of HTML tokenised without HTMLParser: text, end tags, and start tags whose attributes are separated
# by ASCII white space and are bare names, quoted values or simple bare values. On this subset HTMLParser makes the
# same calls (tag and attribute names lower-cased, values unquoted and unescaped, "/>" a start-end tag); the first
# token outside it sends the whole document to HTMLParser. Text matches at every character but "<", so the last
# group, a "<" that starts no token of the subset, is where a document leaves it (the tokens are then contiguous,
# and found all at once by findall).
_WS = "[ \t\n\r\f]"
_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_VALUE = "\"[^\"]*\"|'[^']*'|[^\\s\"'=<>`]+"
_TOKEN = re.compile(
    f"([^<]+)|<([a-zA-Z][a-zA-Z0-9]*)((?:{_WS}+{_NAME}(?:{_WS}*={_WS}*(?:{_VALUE})(?={_WS}|/?>))?)*){_WS}*(/?)>"
    f"|</([a-zA-Z][a-zA-Z0-9]*){_WS}*>|(<)"
)
_ATTRIBUTE = re.compile(f"{_WS}+({_NAME})(?:{_WS}*={_WS}*({_VALUE}))?")  # in attributes _TOKEN has checked
_LISTED_CHARS = 100_000  # a longer document's tokens are not listed all at once
_CDATA_TAGS = frozenset(("script", "style"))  # HTMLParser reads their content raw: left to it


def parse_html(html: str, make_parser: Callable[[], _Parser]) -> _Parser:
    """Feed ``html`` to a parser from ``make_parser`` and return the parser that read it all.

    The parser must convert character references (``convert_charrefs=True``). A document outside the simple
    subset is read by a second, fresh parser (the first saw part of it). It never raises for malformed markup:
    what was read before ``HTMLParser``'s own checks gave up is kept.
    """
    # Rewrite what makes HTMLParser raise: "<![" (browsers read it as a bogus comment up to ">", as HTMLParser
    # reads "<?"), and decimal references too long for int() (all past U+10FFFF, or zero-padded).
    if "<![" in html:
        html = html.replace("<![", "<?[")
    if "&#" in html:
        html = _LONG_CHARREF.sub(_short_charref, html)
    parser = make_parser()
    if _feed_simple(parser, html):
        return parser
    parser = make_parser()  # a fresh start: the tokens fed so far go to HTMLParser again
    try:
        parser.feed(html)
        # close() re-scans an unfinished tag or comment once per "<" after it, in quadratic time on Pythons
        # without the fix for CVE-2025-6069. Such a construct runs to the end of the input and browsers drop it;
        # so do we.
        if not parser.rawdata.startswith("<") or len(parser.rawdata) == 1:
            parser.close()
    except (AssertionError, ValueError):  # HTMLParser's own checks on malformed markup: keep what was read
        pass
    return parser


def _feed_simple(parser: HTMLParser, html: str) -> bool:
    """Give ``parser`` the calls HTMLParser would for ``html``, if it is all in the simple subset (see :data:`_TOKEN`).

    Returns False at the first token outside it; the parser has then seen part of the document and is spoilt.
    """
    data, start, end = parser.handle_data, parser.handle_starttag, parser.handle_endtag
    # All the tokens at once, but of a long document one at a time (its list would take ~100 bytes a token).
    tokens = (
        _TOKEN.findall(html) if len(html) <= _LISTED_CHARS else (found.groups("") for found in _TOKEN.finditer(html))
    )
    for text, tag, attributes, slash, end_tag, outside in tokens:  # (a group that did not match is "")
        if text:
            data(unescape(text) if "&" in text else text)
        elif end_tag:
            end(end_tag.lower())
        elif outside:
            return False
        else:
            tag = tag.lower()
            if tag in _CDATA_TAGS:
                return False
            attrs = (
                [(name.lower(), _attribute_value(value)) for name, value in _ATTRIBUTE.findall(attributes)]
                if attributes
                else []
            )
            if slash:
                parser.handle_startendtag(tag, attrs)
            else:
                start(tag, attrs)
    return True


def _attribute_value(value: str) -> str | None:
    """An attribute's value as HTMLParser gives it: ``None`` without one, unquoted, entities decoded."""
    if not value:
        return None
    if value[0] in "\"'":
        value = value[1:-1]
    return unescape(value) if "&" in value else value


def _short_charref(found: re.Match[str]) -> str:
    """The same decimal character reference without leading zeros, or one past U+10FFFF if it is larger."""
    digits = found[1].lstrip("0") or "0"
    return f"&#{digits if len(digits) <= 7 else 0x110000};"

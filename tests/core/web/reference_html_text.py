"""A frozen copy of ``core/web/html_text.py`` (reading markup with ``reference_html_tokens``, a frozen copy too) as it
was before the converter was optimised (main at 8f247ca): the oracle of ``test_html_text_identity.py``, which proves
the optimised converter gives byte for byte the same output.

Do not edit it to follow a change of the converter's rules: a deliberate change of output makes that test fail
where the rule changed; update this copy then (or drop the test) in the same commit, as a reviewed decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from pozirk_reader.core.article.hygiene import clean_text, fold_spaces
from pozirk_reader.core.article.model import BlockKind, RelatedLink
from pozirk_reader.core.article.plaintext import RELATED
from pozirk_reader.core.limits import (
    MAX_HTML_CHARS,
    MAX_INLINE_LINKS,
    MAX_LIST_DEPTH,
    MAX_PARAGRAPHS,
    MAX_RELATED,
    MAX_URL_CHARS,
)
from pozirk_reader.core.web.urls import HTTP_SCHEMES
from tests.core.web.reference_html_tokens import parse_html

MAX_QUOTE_DEPTH = 8  # blockquotes nested deeper get no more "> " marks
TAB_SIZE = 8  # a tab in preformatted text reaches the next multiple of this many columns

_DROPPED = frozenset(  # elements whose content is never text
    "script style noscript template iframe object svg math head form title textarea select video audio"  # noqa: SIM905
    " canvas noembed noframes".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())  # noqa: SIM905
_LISTS = frozenset(("ul", "ol", "menu", "dir"))
_BLOCKS = _LISTS | frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset"  # noqa: SIM905
    " figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main nav p pre section"
    " summary table tbody tfoot thead tr".split()
)
_MARKER_CHARS = 40  # longer text is never a see-also marker
_HTML_SPACE = re.compile(r"[\t\n\r\f ]+")
_URL_BREAKS = re.compile(r"[\t\n\r]")

_DROPPED_SPACES = re.compile("[\x0b\x1c-\x1f\x85]")  # white space to str.split(), but dropped by clean_text
_SUP_OPEN, _SUP_CLOSE = "\x02", "\x03"  # around <sup> text until it is rendered (clean_text drops both)
_SUPERSCRIPT = re.compile("\x02([^\x02\x03]*)\x03?")
_SUPERSCRIPT_DIGITS = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_HEADINGS = {f"h{level}": BlockKind(str(level)) for level in range(1, 7)}
_BULLETS = ("• ", "◦ ", "▪ ")  # by list level, with ``structure``

SIMPLE_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[-A-Za-z0-9._~!$&'()*+,=:@/%]*)?(?:\?[-A-Za-z0-9._~!$&'()*+,=:@/%?]+)?"
)
"""An absolute http(s) URL (matched whole) that ``urljoin`` with any valid base returns unchanged: ASCII, no
user name, no ``;`` parameters, no fragment, no empty query."""


@dataclass(frozen=True, slots=True)
class HtmlText:
    """The text of an HTML document: its paragraphs and its "see also" links.

    With ``structure``: ``kinds`` has each paragraph's kind, and ``links`` the links in the text, link ``n``
    marked ``[n]`` in it; otherwise both are empty.
    """

    paragraphs: tuple[str, ...]
    related: tuple[RelatedLink, ...]
    kinds: tuple[BlockKind, ...] = ()
    links: tuple[RelatedLink, ...] = ()


class _Piece(NamedTuple):
    """A run of a block's text: plain ``text``, an ``image``'s alt text, a ``link`` or a see-also ``marker``."""

    kind: str
    shown: str  # what the body shows
    words: str = ""  # a link's own words, without its images' alt text
    href: str = ""


class _Block(NamedTuple):
    """One paragraph-to-be: its pieces and its marks ("> " per blockquote, a list bullet, inside ``<pre>``)."""

    quote: str
    bullet: str
    pre: bool
    pieces: list[_Piece]
    text: str  # the text of all its pieces, as :func:`_inline` makes it
    kind: BlockKind = BlockKind.TEXT
    marked: bool = False  # it holds a link or a superscript (with ``structure``): its text is rendered anew


def html_to_text(html: str, base_url: str | None = None, *, structure: bool = False) -> HtmlText:
    """Return the paragraphs and "see also" links of ``html``; relative link URLs are resolved on ``base_url``.

    ``structure`` keeps headings, preformatted text, list levels, footnote marks and inline links (see above).
    """
    parser = parse_html(html[:MAX_HTML_CHARS], lambda: _Parser(structure))
    parser.end_block()
    return _split_related(parser.blocks, base_url, structure)


class _Parser(HTMLParser):
    """Gathers the blocks of text pieces of a document; see :func:`html_to_text` for the rules."""

    def __init__(self, structure: bool = False) -> None:
        """Start with no blocks, outside every element."""
        super().__init__(convert_charrefs=True)
        self._structure = structure
        self._heading: BlockKind | None = None  # the open heading's kind
        self._marked = False  # the block holds a link or a superscript
        self.blocks: list[_Block] = []
        self._pieces: list[_Piece] = []
        self._run: list[str] = []  # plain text not yet made a piece
        self._block_no = 0
        self._href: str | None = None  # the open link's target, and its text so far
        self._link: list[str] = []
        self._words: list[str] = []
        self._bold: list[tuple[int, int] | None] = []  # (block number, piece index) per open <b> or <strong>
        self._drop: tuple[str, int] | None = None  # the outermost dropped element open, and how deep it nests
        self._lists: list[list[int]] = []  # [ordered, last number] per open list
        self._bullet = ""
        self._quote = 0
        self._pre = 0
        self._br = False  # a <br> with nothing but white space after it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element: start a block, a list item, a link; drop what is not text."""
        if self._drop or (tag in _DROPPED and tag not in _VOID):
            if self._drop is None or self._drop[0] == tag:
                self._drop = (tag, self._drop[1] + 1 if self._drop else 1)
            elif tag == "body" and self._drop[0] == "head":  # an unclosed <head>
                self._drop = None
            return
        if tag in _BLOCKS:
            self.end_block()
            if tag in _LISTS:
                start = (dict(attrs).get("start") or "").strip()
                self._lists.append([tag == "ol", int(start) - 1 if re.fullmatch(r"-?[0-9]{1,9}", start) else 0])
            elif tag == "li" and self._lists and self._lists[-1][0]:
                self._lists[-1][1] += 1
                self._bullet = self._indent() + f"{self._lists[-1][1]}. "
            elif tag == "li":
                self._bullet = self._indent() + (_BULLETS[(len(self._lists) - 1) % 3] if self._structure else "• ")
            elif tag in _HEADINGS:
                self._heading = _HEADINGS[tag]
            self._quote += tag == "blockquote"
            self._pre += tag == "pre"
        elif tag == "br" and self._pre:
            self._add_text("\n")
        elif tag == "br" and self._br:  # two in a row end the paragraph
            self.end_block()
        elif tag == "br":
            self._add_text(" ")
            self._br = True
        elif tag == "img" and (alt := _inline(dict(attrs).get("alt") or "")):
            self._br = False
            if self._href is not None:
                self._link.append(f" [{alt}] ")
            else:
                self._flush_run(_Piece("image", f" [{alt}] "))
        elif tag == "a":
            self._end_link()
            if "href" in (attributes := dict(attrs)):
                self._flush_run()
                self._href = attributes["href"] or ""
        elif tag in ("b", "strong"):
            self._flush_run()
            self._bold.append(None if self._href is not None else (self._block_no, len(self._pieces)))
        elif tag in ("td", "th"):
            self._add_text(" ")
        elif tag == "sup" and self._structure:
            self._add_text(_SUP_OPEN)
            self._marked = True

    def _indent(self) -> str:
        """Two spaces a level of list nesting past the first (with ``structure``)."""
        return "  " * min(len(self._lists) - 1, MAX_LIST_DEPTH) if self._structure and self._lists else ""

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A ``<tag/>``: opened, and closed unless void (so ``<br/>`` is one line break, not two)."""
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close an element; an end tag with nothing open to close is ignored."""
        if self._drop:
            if self._drop[0] == tag:
                self._drop = (tag, self._drop[1] - 1) if self._drop[1] > 1 else None
        elif tag in _BLOCKS:
            self.end_block()
            if tag in _LISTS and self._lists:
                self._lists.pop()
            self._bullet = "" if tag == "li" else self._bullet
            self._quote -= tag == "blockquote" and self._quote > 0
            self._pre -= tag == "pre" and self._pre > 0
            self._heading = None if tag in _HEADINGS else self._heading
        elif tag == "a":
            self._end_link()
        elif tag in ("b", "strong") and self._bold:
            self._end_bold(self._bold.pop())
        elif tag in ("td", "th"):
            self._add_text(" ")
        elif tag == "sup" and self._structure:
            self._add_text(_SUP_CLOSE)

    def handle_data(self, data: str) -> None:
        """Text, its entities already decoded (once)."""
        if not self._drop:
            self._br = self._br and data.isspace()
            self._add_text(data)

    def _add_text(self, text: str) -> None:
        """Add text to the open link, or else to the block."""
        if self._href is not None:
            self._link.append(text)
            self._words.append(text)
        else:
            self._run.append(text)

    def _flush_run(self, piece: _Piece | None = None) -> None:
        """Make the plain text gathered so far a piece; then append ``piece``, if given."""
        if self._run:
            self._pieces.append(_Piece("text", "".join(self._run)))
            self._run = []
        if piece is not None:
            self._pieces.append(piece)

    def _end_link(self, keep_open: bool = False) -> None:
        """Make the open link a piece; ``keep_open`` when a block ends inside the link."""
        if self._href is not None:
            href, shown, words = self._href, "".join(self._link), "".join(self._words)
            self._href, self._link, self._words = None, [], []
            if shown:
                self._flush_run(_Piece("link", shown, words, href))
                self._marked = True
            self._href = href if keep_open else None

    def _end_bold(self, opened: tuple[int, int] | None) -> None:
        """Make a ``<b>``/``<strong>`` in this block whose whole text is a see-also marker a marker piece."""
        self._flush_run()
        if opened is None or opened[0] != self._block_no or len(self._pieces) - opened[1] > _MARKER_CHARS:
            return
        span = self._pieces[opened[1] :]
        if span and sum(len(piece.shown) for piece in span) <= _MARKER_CHARS:
            shown = "".join(piece.shown for piece in span)
            if all(piece.kind == "text" for piece in span) and _is_marker(_inline(shown)):
                self._pieces[opened[1] :] = [_Piece("marker", shown)]

    def end_block(self) -> None:
        """End the paragraph: keep its pieces as a block if they show any text."""
        if not self._pieces and not self._run and self._href is None:  # an empty paragraph: nothing to keep
            self._br, self._block_no, self._marked = False, self._block_no + 1, False
            return
        self._flush_run()
        self._end_link(keep_open=True)
        pieces, self._pieces = self._pieces, []
        marked, self._marked = self._marked, False
        self._br, self._block_no = False, self._block_no + 1
        if pieces and len(self.blocks) < MAX_PARAGRAPHS:
            text = _inline(pieces[0].shown if len(pieces) == 1 else "".join(piece.shown for piece in pieces))
            if text:
                quote = "> " * min(self._quote, MAX_QUOTE_DEPTH)
                kind = BlockKind.PREFORMATTED if self._pre else self._heading or BlockKind.TEXT
                self.blocks.append(_Block(quote, self._bullet, self._pre > 0, pieces, text, kind, marked))
                self._bullet = ""


def _split_related(blocks: list[_Block], base_url: str | None, structure: bool = False) -> HtmlText:
    """Render the blocks as paragraphs, taking each see-also marker and the links after it out as ``related``."""
    paragraphs: list[str] = []
    kinds: list[BlockKind] = []  # each paragraph's
    related: list[RelatedLink] = []
    numbers = _Numbers(base_url) if structure else None
    marker = ""  # a marker paragraph waiting for its links
    in_links = False  # the last block was see-also links
    for block in blocks:
        if (marker or in_links) and (links := _links(block.pieces, base_url)):
            related += links
            marker, in_links = "", True
            continue
        paragraphs.append(marker)
        kinds.append(BlockKind.TEXT)
        marker, in_links = "", False
        before, marker_pieces, after = _marker_split(block)
        if links := _links(after, base_url):
            paragraphs.append(_render(block, before, numbers))
            kinds.append(block.kind)
            related += links
            in_links = True
        elif marker_pieces and not after and not _inline("".join(piece.shown for piece in before)):
            marker = _render(block, marker_pieces)
        else:
            paragraphs.append(_render(block, block.pieces, numbers))
            kinds.append(block.kind)
    paragraphs.append(marker)
    kinds.append(BlockKind.TEXT)
    unique: dict[tuple[str | None, str | None], RelatedLink] = {}
    for link in related:  # the same URL (or the same title without one) once
        unique.setdefault((link.url, None if link.url else link.title), link)
    if numbers is None:
        return HtmlText(tuple(filter(None, paragraphs)), tuple(unique.values())[:MAX_RELATED])
    kept = [index for index, text in enumerate(paragraphs) if text]
    return HtmlText(
        tuple(paragraphs[index] for index in kept),
        tuple(unique.values())[:MAX_RELATED],
        tuple(kinds[index] for index in kept),
        tuple(numbers.links),
    )


class _Numbers:
    """The links in the text, numbered in order of first appearance (the same URL keeps its number)."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.links: list[RelatedLink] = []
        self._by_url: dict[str, int] = {}

    def number(self, piece: _Piece) -> int | None:
        """The number of a link piece, or ``None`` for one that goes nowhere on the web (or within the page)."""
        if piece.href.lstrip().startswith("#"):
            return None
        url = absolute_url(piece.href, self.base_url)
        if url is None:
            return None
        if url not in self._by_url:
            if len(self.links) >= MAX_INLINE_LINKS:
                return None
            title = _inline(_SUPERSCRIPT.sub(r"\1", piece.words)) or url
            self.links.append(RelatedLink(title, url))
            self._by_url[url] = len(self.links)
        return self._by_url[url]


def _marker_split(block: _Block) -> tuple[list[_Piece], list[_Piece], list[_Piece]]:
    """Split a block at its see-also marker (bold, or all the text before its first link): before, marker, after.

    A block with no marker is all "before".
    """
    pieces = block.pieces
    for index, piece in enumerate(pieces):
        if piece.kind == "marker":
            return pieces[:index], [piece], pieces[index + 1 :]
    head = next((index for index, piece in enumerate(pieces) if piece.kind == "link"), len(pieces))
    text = block.text if head == len(pieces) else _inline("".join(piece.shown for piece in pieces[:head]))
    if _is_marker(text):
        return [], pieces[:head], pieces[head:]
    return pieces, [], []


def _links(pieces: list[_Piece], base_url: str | None) -> list[RelatedLink]:
    """The links of pieces that hold nothing else (but images, punctuation and numbers); else none."""
    found: list[RelatedLink] = []
    for piece in pieces:
        if piece.kind == "link" and (title := _inline(piece.words)):
            found.append(RelatedLink(title, absolute_url(piece.href, base_url)))
        elif piece.kind in ("text", "marker") and any(char.isalpha() for char in piece.shown):
            return []
    return found


def _render(block: _Block, pieces: list[_Piece], numbers: _Numbers | None = None) -> str:
    """The paragraph text of ``pieces``, cleaned and marked (with ``numbers``, links too); "" when it shows nothing."""
    if numbers is not None and pieces is block.pieces and not block.pre and not block.marked:
        numbers = None  # nothing to number or set apart: the block's text as it is
    if numbers is not None:
        shown = "".join(_numbered(piece, numbers) for piece in pieces)
        if _SUP_OPEN in shown:
            shown = _SUPERSCRIPT.sub(_superscript, shown)
    else:
        shown = "".join(piece.shown for piece in pieces)
    if block.pre:  # line breaks and indentation kept, blank lines at either end dropped
        if numbers is not None:  # tabs expanded (clean_text would make each one space)
            shown = "\n".join(line.expandtabs(TAB_SIZE) for line in shown.split("\n"))
        text = "\n".join(line.rstrip() for line in clean_text(shown).split("\n")).strip("\n")
        text = ("\n" + block.quote).join(text.split("\n"))
    elif pieces is block.pieces and numbers is None:
        text = block.text
    else:
        text = _inline(shown)
    return block.quote + block.bullet + text if text else ""


def _numbered(piece: _Piece, numbers: _Numbers) -> str:
    """A piece as shown, a link followed by its number."""
    if piece.kind != "link" or not _inline(_SUPERSCRIPT.sub(r"\1", piece.shown)):
        return piece.shown
    number = numbers.number(piece)
    return piece.shown if number is None else f"{piece.shown.rstrip()} [{number}]"


def _superscript(found: re.Match[str]) -> str:
    """A ``<sup>``'s text set apart: digits (a footnote's number) as superscripts, other text after a "^"."""
    text = _inline(found.group(1))
    if not text:
        return ""
    if all(char in "0123456789+-=()" for char in text):
        return text.translate(_SUPERSCRIPT_DIGITS)
    if text.isalpha() and len(text) <= 3:  # 19th, 1er, Mme
        return text
    return f"^{text}" if len(text) <= 12 else f" ({text})"


def _inline(text: str) -> str:
    """Clean ``text`` and fold all its white space, line breaks included, into single spaces."""
    folded = " ".join(text.split())
    # The same, faster, for most text: printable once split, it held nothing clean_text drops (its controls, format
    # characters, surrogates and non-characters are all unprintable) but white space, which it makes a space, bar
    # the few white-space controls it drops.
    if folded.isprintable() and not _DROPPED_SPACES.search(text):
        return folded
    return fold_spaces(clean_text(_HTML_SPACE.sub(" ", text)).replace("\n", " "))


def _is_marker(text: str) -> bool:
    """Tell whether ``text`` is a see-also marker and nothing else ("См. также:", "Related")."""
    found = RELATED.match(text) if len(text) <= _MARKER_CHARS else None
    return found is not None and not found["rest"]


def absolute_url(href: str, base_url: str | None) -> str | None:
    """The absolute ``http(s)`` URL of a link, or ``None`` for another scheme or a malformed or over-long one."""
    target = _URL_BREAKS.sub("", href).strip()
    try:
        if SIMPLE_URL.fullmatch(target):
            if base_url:
                urlsplit(base_url)  # urljoin reads the base first, and raises ValueError for a malformed one
            return target if len(target) <= MAX_URL_CHARS else None
        url = urljoin(base_url or "", target).replace(" ", "%20")
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in HTTP_SCHEMES or not parts.netloc or len(url) > MAX_URL_CHARS:
        return None
    return url if clean_text(url) == url else None

"""An article web page as an article's full text: main text by trafilatura, see-also links by :mod:`htmltext`.

:func:`extract_page` reads a fetched page (already decoded to ``str``) into a :class:`PageText`:

* the main text comes from trafilatura (``bare_extraction``, no comments, tables, images or links), walked
  element by element so that headings, list items ("• ", "1. ") and quotes ("> ") stay paragraphs as
  :mod:`htmltext` makes them; every piece passes through ``clean_text``;
* the see-also links come from the page's ``<article>`` (the top-level one with the most text; else ``<main>``,
  else ``<body>``) run through :func:`htmltext.html_to_text`, because trafilatura drops a "См. также:" list;
  the see-also marker, the link headlines after it and share buttons ("Поделиться:") are taken out of the text;
* the headline, the dateline and the lead photo's credit are not paragraphs: the headline is ``title``, a short
  block holding the article's first ``<time>`` ("1 ноября 2026, 09:10 · Минск") becomes ``place_time``
  ("Минск 09:10") and a "Фото: ..." caption becomes ``photo_credit``, as in the plain-text format. A run-in
  dateline at the start of the first paragraph ("13 мая, Позірк. ...") is left in the text as written;
* language, canonical URL, publication time and feed links come from the page's own markup.

If trafilatura finds nothing, :func:`htmltext.html_to_text` of the same element gives the text; if that is empty
too, :class:`NoArticleTextError` is raised. Hostile pages are bounded: input is cut at
:data:`htmltext.MAX_HTML_CHARS` characters, and a page of more than :data:`MAX_EXTRACT_ELEMENTS` elements skips
trafilatura (whose time grows faster than linearly with the element count) for the linear fallback.

trafilatura and lxml are imported inside the functions, so importing this module stays cheap (about 40 ms in a
fresh interpreter, nearly all of it the core modules it shares with the rest of the reader). Measured on a sample
page (``sample_articles/feeds/pages/2301.html``, 5 KB): the first call takes about 95 ms, nearly all of it
importing trafilatura and lxml; later calls take about 2 ms. Hostile pages of 1 to 3 MB take at most about 1.3 s.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from pozirk_reader.core.article.hygiene import clean_text, fold_spaces
from pozirk_reader.core.article.language import language_of_code
from pozirk_reader.core.article.model import RelatedLink
from pozirk_reader.core.article.plaintext import CREDIT, RELATED
from pozirk_reader.core.errors import ArticleError
from pozirk_reader.core.limits import MAX_HTML_CHARS, MAX_PARAGRAPHS, MAX_WEB_TITLE_CHARS
from pozirk_reader.core.web.html_text import MAX_QUOTE_DEPTH, HtmlText, absolute_url, html_to_text

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

    from lxml.html import HtmlElement

MAX_EXTRACT_ELEMENTS = 25_000
"""A page with more elements than this (ten times a heavy news page) is read by the linear fallback alone."""

MAX_FEED_LINKS = 100  # feed links a page announces past this many are ignored
FEED_TYPES = frozenset(("application/rss+xml", "application/atom+xml"))

_DATELINE_CHARS = 120  # a longer block holding the first <time> is body text, not a dateline
_NOT_TEXT = (  # elements dropped with their content before anything reads the page
    *("script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "applet", "svg", "math"),
    *("canvas", "video", "audio", "textarea", "select", "button", "noembed", "noframes"),
)
_HEAD_PARAGRAPHS = 4  # the dateline, credit and headline are looked for among this many first paragraphs
_MAX_NESTING = 32  # trafilatura lists and quotes nested deeper are read as plain text
_OUTPUT_BLOCKS = frozenset(("p", "head", "list", "quote", "code", "table", "graphic"))  # in trafilatura's output
_SHARE = re.compile(r"^(?:ПОДЕЛИТЬСЯ|ПАДЗЯЛІЦЦА|SHARE|Share this)\s*(?::.{0,80})?$", re.IGNORECASE)
_BULLET = re.compile(r"^(?:> )*(?:• |\d{1,9}\. )?")
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?!\d)")
_DATELINE_SEPARATORS = re.compile(r"\s*[·•|,;/—–]\s*|\s+-\s+")
_HTML_SPACE = re.compile(r"[\t\n\r\f ]+")
_URL_BREAKS = re.compile(r"[\t\n\r]")
_PUBLISHED_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "dc.date.issued")


class NoArticleTextError(ArticleError):
    """A page in which neither trafilatura nor the HTML reader found any article text."""


@dataclass(frozen=True, slots=True)
class PageText:
    """An article read from its web page.

    ``language`` is "ru", "be", "en" or ``None``; ``canonical_url`` and ``feed_urls`` are absolute http(s) URLs;
    ``published`` keeps the page's own UTC offset (naive when the page gives none, midnight for a bare date).
    ``place_time`` ("Минск 09:10") and ``photo_credit`` ("архив редакции") are what the plain-text format
    calls them.
    """

    title: str | None
    paragraphs: tuple[str, ...]
    related: tuple[RelatedLink, ...]
    language: str | None
    canonical_url: str | None
    published: datetime | None
    feed_urls: tuple[str, ...]
    place_time: str | None = None
    photo_credit: str | None = None


def extract_page(html: str, url: str) -> PageText:
    """Read the article on the web page ``html`` fetched from ``url``.

    Raises :class:`NoArticleTextError` (a one-line message naming ``url``) if the page holds no article text.
    """
    html = html[:MAX_HTML_CHARS]
    tree = _parse(html)
    if tree is None:  # nothing lxml can read as a document: all the text is the article
        found = html_to_text(html, url)
        paragraphs = _without_see_also(list(found.paragraphs), found.related)
        if not paragraphs:
            raise NoArticleTextError(url, "no article text found on the page")
        return PageText(None, tuple(paragraphs), found.related, None, None, None, ())

    base = _base_url(tree, url)
    container, is_article = _container(tree)
    found = _see_also_text(container, base)
    title = _title(tree, container if is_article else None)
    dateline = _dateline(container)
    caption, credit = _credit_caption(container)
    published = _published(tree, container)
    own_text = _tidy(list(found.paragraphs), found.related, title, dateline, caption)
    if is_article and not own_text:  # an empty <article>: what trafilatura would find is the page's furniture
        raise NoArticleTextError(url, "no article text found on the page")

    paragraphs = []
    if _element_count(tree) <= MAX_EXTRACT_ELEMENTS:
        paragraphs = _tidy(_main_text(tree, url), found.related, title, dateline, caption)
    paragraphs = paragraphs or own_text
    if not paragraphs:
        raise NoArticleTextError(url, "no article text found on the page")

    return PageText(
        title=title,
        paragraphs=tuple(paragraphs[:MAX_PARAGRAPHS]),
        related=found.related,
        language=_language(tree),
        canonical_url=_canonical(tree, base),
        published=published,
        feed_urls=tuple(_feed_links(tree, base)),
        place_time=dateline[2] if dateline else None,
        photo_credit=credit,
    )


def find_feed_links(html: str, base_url: str) -> list[str]:
    """The RSS and Atom feeds a page announces (``<link rel="alternate" type="application/rss+xml" ...>``).

    In document order, duplicates dropped, resolved on ``base_url`` (or the page's ``<base href>``); only
    absolute http(s) URLs are kept, and a ``rel="alternate"`` link without a feed ``type`` is not a feed.
    """
    tree = _parse(html[:MAX_HTML_CHARS])
    return [] if tree is None else _feed_links(tree, _base_url(tree, base_url))


# Reading the page


def _parse(html: str) -> HtmlElement | None:
    """The page as an lxml tree rooted at ``<html>``, without what is never text, or ``None``.

    Comments, processing instructions and the elements in :data:`_NOT_TEXT` (scripts, styles, templates, frames,
    buttons...) are dropped, so neither trafilatura nor the HTML reader ever sees them.
    """
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        tree = document_fromstring(html.replace("\x00", "").encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # "Document is empty" and the like
        return None
    etree.strip_elements(tree, *_NOT_TEXT, with_tail=False)
    return tree


def _see_also_text(element: HtmlElement, base: str) -> HtmlText:
    """The text and see-also links of ``element`` (not the text after it), read by :func:`html_to_text`.

    lxml's serializer percent-encodes link targets (a tab in ``java&#9;script:`` would become ``%09``, a relative
    URL on the page; "/навіны/" would become "/%D0%BD..."), so every ``href`` is resolved here as the HTML reader
    would and replaced by a placeholder, and the links found are given their URLs back as written. A target that
    is not http(s) becomes ``about:invalid``: its link text is kept, with no URL.
    """
    from lxml.html import tostring

    placeholders: dict[str, str] = {}  # URL -> its placeholder
    for link in element.iter("a"):
        if (href := link.get("href")) is not None:
            url = absolute_url(href, base)
            placeholder = placeholders.setdefault(url, f"https://link.invalid/{len(placeholders)}") if url else None
            link.set("href", placeholder or "about:invalid")
    found = html_to_text(tostring(element, encoding="unicode", method="html", with_tail=False), base)
    urls = {placeholder: url for url, placeholder in placeholders.items()}
    related = tuple(RelatedLink(link.title, urls.get(link.url or "")) for link in found.related)
    return HtmlText(found.paragraphs, related)


def _element_count(tree: HtmlElement) -> int:
    """How many elements the tree has."""
    return sum(1 for _ in tree.iter())


def _container(tree: HtmlElement) -> tuple[HtmlElement, bool]:
    """The element holding the article, and whether it is an ``<article>``.

    The top-level ``<article>`` with the most text; else the first ``<main>`` (or ``role="main"``); else ``<body>``.
    """
    articles = tree.xpath("//article[not(ancestor::article)]")
    if articles:
        return max(articles, key=lambda element: element.xpath("string-length(.)")), True
    main = tree.xpath("(//main | //*[@role='main'])[1]")
    if main:
        return main[0], False
    body = tree.find("body")
    return (body if body is not None else tree), False


def _base_url(tree: HtmlElement, url: str) -> str:
    """The URL relative links resolve on: the page's own, or its ``<base href>`` if that is http(s)."""
    base = next(tree.iter("base"), None)
    href = base.get("href") if base is not None else None
    return (absolute_url(href, url) if href else None) or url


def _rel_tokens(element: HtmlElement) -> set[str]:
    """The ``rel`` keywords of a ``<link>``, lower-cased."""
    return set((element.get("rel") or "").lower().split())


def _feed_links(tree: HtmlElement, base: str) -> list[str]:
    """The absolute URLs of the page's feed autodiscovery links, in document order, each once."""
    found: dict[str, None] = {}
    for link in tree.iter("link"):
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = link.get("href")
        if kind in FEED_TYPES and "alternate" in _rel_tokens(link) and href and (url := absolute_url(href, base)):
            found[url] = None
            if len(found) >= MAX_FEED_LINKS:
                break
    return list(found)


def _canonical(tree: HtmlElement, base: str) -> str | None:
    """The absolute http(s) URL of the page's ``<link rel="canonical">``, or ``None``."""
    for link in tree.iter("link"):
        if "canonical" in _rel_tokens(link) and (href := link.get("href")):
            return absolute_url(href, base)
    return None


def _language(tree: HtmlElement) -> str | None:
    """The page's language, "ru", "be" or "en", from ``<html lang>`` (else Content-Language or og:locale meta)."""
    codes = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language" or meta.get("property") == "og:locale":
            codes.append(meta.get("content"))
    for code in codes:
        if code and code.strip():
            return language_of_code(code)
    return None


def _title(tree: HtmlElement, article: HtmlElement | None) -> str | None:
    """The headline: the article's ``<h1>``, else ``og:title``, else the first ``<h1>``, else ``<title>``."""
    candidates: list[str | None] = []
    if article is not None:
        candidates.append(_first_text(article.iter("h1")))
    candidates.append(_meta(tree, "og:title"))
    candidates.append(_first_text(tree.iter("h1")))
    candidates.append(_first_text(tree.iter("title")))
    for candidate in candidates:
        if candidate:
            return candidate[:MAX_WEB_TITLE_CHARS]
    return None


def _first_text(elements: Iterator[HtmlElement]) -> str | None:
    """The text of the first of ``elements`` that shows any."""
    for element in elements:
        if text := _inline(element.text_content()):
            return text
    return None


def _meta(tree: HtmlElement, name: str) -> str | None:
    """The cleaned ``content`` of the first ``<meta>`` whose ``property``, ``name`` or ``itemprop`` is ``name``."""
    for meta in tree.iter("meta"):
        keys = {(meta.get(attribute) or "").strip().lower() for attribute in ("property", "name", "itemprop")}
        if name in keys and (content := _inline(meta.get("content") or "")):
            return content
    return None


def _published(tree: HtmlElement, container: HtmlElement) -> datetime | None:
    """When the page says the article was published: its meta tags, else the article's first ``<time datetime>``."""
    for name in _PUBLISHED_META:
        if (value := _meta(tree, name)) and (when := _read_time(value)):
            return when
    for scope in (container, tree):
        for element in scope.iter("time"):
            if (value := element.get("datetime")) and (when := _read_time(value)):
                return when
    return None


def _read_time(value: str) -> datetime | None:
    """An ISO 8601 (or RFC 822) date and time, or ``None``."""
    value = value.strip()[:64]
    for read in (datetime.fromisoformat, parsedate_to_datetime):
        try:
            return read(value.replace("Z", "+00:00") if read is datetime.fromisoformat else value)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
    return None


def _dateline(container: HtmlElement) -> tuple[str, str, str | None] | None:
    """The dateline holding the article's first ``<time>``: its text, its text without the time, and place-time.

    "1 ноября 2026, 09:10 · Минск" gives ``("1 ноября 2026, 09:10 · Минск", "· Минск", "Минск 09:10")``.
    """
    time_element = next(container.iter("time"), None)
    if time_element is None:
        return None
    block = time_element
    for ancestor in time_element.iterancestors():
        if ancestor is container:
            break
        if ancestor.tag in ("p", "div", "header", "footer", "li", "dd", "address", "section"):
            block = ancestor
            break
    text = _inline(block.text_content())
    if not text or len(text) > _DATELINE_CHARS:
        return None
    clock_text = _inline(time_element.text_content())
    rest = _inline(text.replace(clock_text, " ", 1)) if clock_text else text
    clock = _CLOCK.search(clock_text or text)
    parts = [part for part in (_place(rest), clock[0] if clock else None) if part]
    return text, rest, " ".join(parts) or None


def _place(rest: str) -> str | None:
    """The place in what a dateline holds besides its time ("· Минск"): one short capitalised name, no digits."""
    segments = [segment for segment in _DATELINE_SEPARATORS.split(rest) if segment]
    if len(segments) != 1:
        return None
    place = segments[0]
    short = len(place) <= 40 and len(place.split()) <= 4
    return place if short and place[0].isupper() and not any(char.isdigit() for char in place) else None


def _credit_caption(container: HtmlElement) -> tuple[str | None, str | None]:
    """The article's first caption that is a photo credit, and the credit: ("Фото: архив редакции", "архив редакции")."""
    for caption in container.iter("figcaption"):
        text = _inline(caption.text_content())
        if len(text) <= _DATELINE_CHARS and (found := CREDIT.match(text)):
            return text, found["credit"].strip() or None
    return None, None


# The main text


def _main_text(tree: HtmlElement, url: str) -> list[str]:
    """The paragraphs trafilatura finds on the page; none if it finds nothing (or fails)."""
    from lxml import etree

    trafilatura = _trafilatura()
    etree.strip_tags(tree, "time")  # trafilatura drops <time> with its text ("в 10:00"); the text is kept
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            with_metadata=False,
        )
    except Exception:  # a bug in a third-party extractor must not lose the page: the fallback reads it
        return []
    body = getattr(document, "body", None)
    if body is None:
        return []
    paragraphs: list[str] = []
    _walk(body, 0, paragraphs)
    return paragraphs


def _trafilatura() -> ModuleType:
    """trafilatura, imported on first use, with its log messages kept off the terminal."""
    import trafilatura

    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logger = logging.getLogger(name)
        if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
            logger.addHandler(logging.NullHandler())  # no "discarding data" on stderr through logging's last resort
    return trafilatura


def _walk(element: HtmlElement, quote: int, out: list[str], depth: int = 0) -> None:
    """Add the paragraphs of the blocks in trafilatura's output ``element`` to ``out``."""
    for child in element:
        if len(out) >= MAX_PARAGRAPHS:
            return
        _block(child, quote, out, depth)


def _block(element: HtmlElement, quote: int, out: list[str], depth: int) -> None:
    """Add the paragraphs of one output block: a paragraph or heading, a list (one per item) or a quote."""
    tag = element.tag
    if depth >= _MAX_NESTING or tag not in ("list", "quote"):
        if tag not in ("graphic", "table"):
            _add(out, quote, "", _element_text(element))
    elif tag == "list":
        ordered = element.get("rend") == "ol"
        for number, item in enumerate(element, start=1):
            text, nested = _own_text(item)
            _add(out, quote, f"{number}. " if ordered else "• ", text)
            for sub in nested:
                _block(sub, quote, out, depth + 1)
    elif any(sub.tag in _OUTPUT_BLOCKS for sub in element):
        text, nested = _own_text(element)
        _add(out, quote + 1, "", text)
        for sub in nested:
            _block(sub, quote + 1, out, depth + 1)
    else:
        _add(out, quote + 1, "", _element_text(element))


def _own_text(element: HtmlElement) -> tuple[str, list[HtmlElement]]:
    """The text of ``element`` outside its nested blocks, and those blocks."""
    parts = [element.text or ""]
    nested: list[HtmlElement] = []
    for child in element:
        if child.tag in _OUTPUT_BLOCKS:
            nested.append(child)
            parts.append("\n\n")
        else:
            parts.append(_element_text(child))
        parts.append(child.tail or "")
    return "".join(parts), nested


def _element_text(element: HtmlElement) -> str:
    """All the text in ``element``, a ``<lb/>`` read as a line break."""
    for line_break in element.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    return "".join(element.itertext())


def _add(out: list[str], quote: int, bullet: str, text: str) -> None:
    """Append ``text`` as paragraphs (a blank line splits it), marked with quotes and a bullet."""
    marks = "> " * min(quote, MAX_QUOTE_DEPTH)
    for part in re.split(r"\n[\t\f\r ]*\n", text):
        if inline := _inline(part):
            out.append(marks + bullet + inline)
            bullet = ""


def _inline(text: str) -> str:
    """Clean ``text`` and fold all its white space, line breaks included, into single spaces."""
    return fold_spaces(clean_text(_HTML_SPACE.sub(" ", text)).replace("\n", " "))


# Tidying the text


def _tidy(
    paragraphs: list[str],
    related: tuple[RelatedLink, ...],
    title: str | None,
    dateline: tuple[str, str, str | None] | None,
    caption: str | None,
) -> list[str]:
    """Take the headline, dateline, photo credit, see-also block and share buttons out of ``paragraphs``."""
    head_texts = {_key(text) for text in (title, caption, *(dateline[:2] if dateline else ())) if text}
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index < _HEAD_PARAGRAPHS and _key(paragraph) in head_texts:
            continue
        if _SHARE.match(paragraph):
            continue
        kept.append(paragraph)
    return _without_see_also(kept, related)


def _without_see_also(paragraphs: list[str], related: tuple[RelatedLink, ...]) -> list[str]:
    """``paragraphs`` without see-also markers and, after a marker, the headlines of the see-also links."""
    titles = {_key(link.title) for link in related}
    kept: list[str] = []
    in_block = False
    for paragraph in paragraphs:
        found = RELATED.match(paragraph)
        if found and (not found["rest"] or _key(found["rest"]) in titles):
            in_block = True
            continue
        if in_block and _key(_BULLET.sub("", paragraph, count=1)) in titles:
            continue
        in_block = False
        kept.append(paragraph)
    return kept


def _key(text: str) -> str:
    """``text`` compared loosely: folded case and spaces."""
    return " ".join(text.casefold().split())

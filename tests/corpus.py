"""The corpus judge: every real feed in ``../shared/corpus`` read by the reader and by feedparser, compared.

The reader reads each file the way a subscription does (``add_feed`` into one cache for all of them, without
fetching article pages; what it kept is read back through the store once all are in, so an article one feed
took from another counts as lost), once from the local file and once over a loopback HTTP server that sends the file's bytes with the
Content-Type its case implies (feedparser's cases name their HTTP headers in a ``Header:`` line of their
opening comment; other files get their extension's XML media type, with no charset). feedparser 6 with
default settings reads the same bytes, with the same headers in the HTTP run, as the reference.

Differences, by kind:

``traceback``  the reader raised something other than its one-line :class:`ReaderError`
``hang``       reading one file took longer than :data:`TIME_BOUND_S` (a bound against hangs, not a benchmark)
``refused``    the reader refused a document feedparser read as a feed (a version, or entries)
``message``    an empty document not called empty, or a refusal message of more than one line
``entries``    a different number of articles than feedparser's entries that have a title or text
``titles``     a title of feedparser's, entry's or feed's (its markup reduced to text, white space folded), the
               reader lacks
``script``     where feedparser decodes cleanly: mojibake, U+FFFD or letters of a script feedparser has not
``decoding``   where feedparser guessed (a fallback encoding nothing declared) or garbled: the reader differs
``control``    a control character in what the reader stored

:func:`judge` returns one :class:`Verdict` a file and run; ``tests/test_corpus.py`` asserts on them and
``benchmarks/corpus_report.py`` prints their figures. ``POZIRK_READER_CORPUS`` points it at another corpus
laid out the same way (a ``feeds/`` folder).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import threading
import traceback
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pozirk_reader.core.operations.feeds import FeedReport
    from pozirk_reader.core.store.library import Store

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("POZIRK_READER_CORPUS") or PROJECT.parent / "shared" / "corpus")
FEEDS = CORPUS / "feeds"

TIME_BOUND_S = 120.0
"""A file the reader has not read in this long counts as a hang (a generous bound on a loaded machine)."""

KINDS = ("traceback", "hang", "refused", "message", "entries", "titles", "script", "decoding", "control")

_MEDIA_BY_SUFFIX = {".atom": "application/atom+xml", ".rss": "application/rss+xml", ".rdf": "application/rdf+xml"}
_FALLBACKS = {"windows-1252", "iso-8859-2"}  # what feedparser falls back to when nothing declared works
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\x1b]")
_MOJIBAKE = re.compile(  # runs of what UTF-8 bytes look like read as windows-1252, Latin-1 or windows-1251
    "[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u0400-\u045f\u0490\u0491"
    "\u2013-\u203a\u20ac\u2116\u2122]{2,}"
)
_XML_ENCODING = re.compile(r"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")


@dataclass(frozen=True, slots=True)
class Case:
    """One corpus file: its bytes and the HTTP headers its case implies."""

    name: str
    path: Path
    data: bytes
    headers: dict[str, str]

    @property
    def content_type(self) -> str:
        return self.headers["content-type"]


@dataclass
class Reading:
    """What one side made of a file: entry titles and texts, or why it refused."""

    titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    refused: str | None = None
    error: str | None = None  # a traceback or a hang
    encoding: str | None = None
    warning: str | None = None
    clean: bool = True  # feedparser only: decoded as declared (or as UTF-8), with no mojibake
    feed: bool = False  # feedparser only: it took the document for a feed (a version, or entries)
    feed_title: str = ""


@dataclass
class Verdict:
    """How the reader compared with feedparser on one file in one run (``file`` or ``http``)."""

    case: str
    run: str
    entries: int  # feedparser's entries with a title or text
    read: int  # the reader's articles
    differences: dict[str, str] = field(default_factory=dict)


def cases() -> list[Case]:
    """Every file of the corpus, in name order."""
    found = []
    for path in sorted(FEEDS.iterdir()):
        if path.is_file():
            data = path.read_bytes()
            found.append(Case(path.name, path, data, http_headers(data, path.suffix)))
    return found


def http_headers(data: bytes, suffix: str) -> dict[str, str]:
    """The headers a case implies: its ``Header:`` lines, with a Content-Type for its kind if they name none."""
    headers: dict[str, str] = {}
    for line in re.findall(r"^Header:[ \t]*(.+?)[ \t]*$", _comment_text(data), re.MULTILINE):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    headers.setdefault("content-type", _MEDIA_BY_SUFFIX.get(suffix, "application/xml"))
    return headers


def _comment_text(data: bytes) -> str:
    """The first 2 KB of a file as text, whatever its Unicode form, to read its test comment."""
    head = data[:4096]
    for bom, codec in ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le")):
        if head.startswith(bom):
            return head[4:].decode(codec, "replace")
    if head[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return head.decode("utf-32-be" if head[0] == 0 else "utf-32-le", "replace")
    if head[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return head.decode("utf-16", "replace")
    if head[:2] in (b"\x00<", b"<\x00"):
        return head.decode("utf-16-be" if head[0] == 0 else "utf-16-le", "replace")
    return head.decode("latin-1")


# -- the reference -------------------------------------------------------------------------------------------


def reference(case: Case, http: bool) -> Reading:
    """feedparser 6 with default settings on the case's bytes (and, over HTTP, its headers)."""
    import feedparser

    parsed = feedparser.parse(io.BytesIO(case.data), response_headers=dict(case.headers) if http else {})
    reading = Reading(encoding=parsed.get("encoding"), feed=bool(parsed.get("version") or parsed.entries))
    reading.feed_title = fold(parsed.feed.get("title") or "")
    if (parsed.feed.get("title_detail") or {}).get("type") in ("text/html", "application/xhtml+xml"):
        reading.feed_title = html_as_text(reading.feed_title)
    for entry in parsed.entries:
        title = _reference_title(entry)
        text = _reference_text(entry)
        if title or text:
            reading.titles.append(title)
            reading.texts.append(text)
    declared = _declared(case, http)
    guessed = (reading.encoding or "").lower() in _FALLBACKS and _codec(declared) != _codec(reading.encoding)
    shown = "\n".join([reading.feed_title, *reading.titles, *reading.texts])
    reading.clean = not guessed and "\ufffd" not in shown and not has_mojibake(shown) and not _CONTROL.search(shown)
    return reading


def _reference_title(entry: dict) -> str:
    detail = entry.get("title_detail") or {}
    title = entry.get("title") or ""
    if detail.get("type") in ("text/html", "application/xhtml+xml") and detail.get("value") == title:
        title = html_as_text(title)
    return fold(title)


def _reference_text(entry: dict) -> str:
    contents = [c.get("value", "") for c in entry.get("content") or [] if c.get("value", "").strip()]
    detail = entry.get("summary_detail") or {}
    value = max(contents, key=len) if contents else entry.get("summary") or ""
    if contents or detail.get("type") != "text/plain":
        value = html_as_text(value)
    return fold(value)


def _declared(case: Case, http: bool) -> str | None:
    """The charset the HTTP header (in the HTTP run) or else the XML declaration names."""
    if http:
        found = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", case.content_type, re.IGNORECASE)
        if found:
            return found.group(1)
    declaration = _XML_ENCODING.match(_comment_text(case.data).lstrip("\ufeff"))
    return declaration.group(1) if declaration else None


def _codec(label: str | None) -> str | None:
    import codecs

    try:
        return codecs.lookup(label).name if label else None
    except LookupError:
        return None


class _TextOf(HTMLParser):
    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "pre",
            "blockquote",
            "tr",
            "td",
            "th",
            "table",
            "hr",
            "dd",
            "dt",
        ]
    )
    _DROPPED = frozenset(("script", "style"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._dropping += tag in self._DROPPED
        if tag in self._BLOCKS:
            self.parts.append(" ")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(f" [{alt}] ")  # as the reader shows an image

    def handle_endtag(self, tag: str) -> None:
        self._dropping -= tag in self._DROPPED and self._dropping > 0
        if tag in self._BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def html_as_text(html: str) -> str:
    """The text of some HTML, blocks set apart by spaces (an independent, plain reading)."""
    parser = _TextOf()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):
        return fold(unescape(re.sub(r"<[^>]*>", " ", html)))
    return fold("".join(parser.parts))


def fold(text: str) -> str:
    """White space folded to single spaces, the ends stripped, and controls and invisible format characters
    (zero-width spaces, direction marks, a stray BOM) left out: the reader drops them on purpose (``clean_text``)."""
    if not text.isascii() or not text.isprintable():
        text = "".join(char for char in text if char in "\t\n\r" or unicodedata.category(char) not in ("Cf", "Cc"))
    return " ".join(text.split())


def has_mojibake(text: str) -> bool:
    """Whether ``text`` holds UTF-8 read as windows-1252, Latin-1 or windows-1251 ("Ã©", "â€™", "РџСЂ")."""
    for found in _MOJIBAKE.finditer(text):
        for codec, least in (("cp1252", 1), ("latin-1", 1), ("cp1251", 2)):  # "Р»" may be «СССР»: two at least
            try:
                decoded = found.group().encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            if sum(not char.isascii() for char in decoded) >= least:
                return True
    return False


def scripts(text: str) -> set[str]:
    """The scripts of the letters past ASCII in ``text`` (LATIN, CYRILLIC, CJK, HEBREW, ...)."""
    found = set()
    for char in set(text):
        if ord(char) > 0x7F and char.isalpha():
            name = unicodedata.name(char, "")
            found.add(name.split(" ")[0] if name else "UNKNOWN")
    return found


# -- the reader ----------------------------------------------------------------------------------------------


def read_with_reader(locations: dict[str, str], cache: Path) -> dict[str, Reading]:
    """Subscribe to every location (name -> file path or URL) in one cache, as ``feeds add`` does; read back."""
    from pozirk_reader.core.errors import ReaderError
    from pozirk_reader.core.operations.feeds import add_feed
    from pozirk_reader.core.store.library import Store

    readings: dict[str, Reading] = {}
    reports: dict[str, FeedReport] = {}
    with Store.open(cache) as store:
        for name, location in locations.items():
            outcome: list[FeedReport | Reading] = []

            def work(location: str = location, outcome: list[FeedReport | Reading] = outcome) -> None:
                try:
                    outcome.append(add_feed(store, location, full_text=False))
                except ReaderError as error:
                    outcome.append(Reading(refused=str(error)))
                except BaseException:
                    outcome.append(Reading(error=traceback.format_exc()))

            thread = threading.Thread(target=work, daemon=True, name=f"corpus-{name}")
            thread.start()
            thread.join(TIME_BOUND_S)
            if thread.is_alive():
                readings[name] = Reading(error=f"hang: not read in {TIME_BOUND_S:.0f} s")
                break  # the thread may hold the cache: the rest cannot be judged fairly
            result = outcome[0]
            if isinstance(result, Reading):
                readings[name] = result
            else:
                reports[name] = result
        for name, report in reports.items():  # read once all are in: an article taken over by a later feed is lost
            readings[name] = _stored(store, report)
    return readings


def _stored(store: Store, report: FeedReport) -> Reading:
    """What the cache holds of the feed a report is of: its articles' titles and texts, as the reader shows them."""
    from pozirk_reader.core.operations.searching import search
    from pozirk_reader.core.search.filters import SearchFilters

    reading = Reading(warning=report.warning, feed_title=report.title or "")
    for hit in search(store, "", limit=1_000_000, filters=SearchFilters(source_id=report.source_id)):
        stored = store.get(hit.headline.id)
        assert stored is not None
        reading.titles.append(stored.article.title)
        reading.texts.append(stored.article.body)
        reading.encoding = stored.article.encoding
    return reading


# -- judging -------------------------------------------------------------------------------------------------


def compare(case: Case, run: str, ours: Reading, theirs: Reading) -> Verdict:
    """The differences between the reader's reading and feedparser's of one case in one run."""
    verdict = Verdict(case.name, run, len(theirs.titles), len(ours.titles))
    found = verdict.differences
    if ours.error:
        found["hang" if ours.error.startswith("hang") else "traceback"] = ours.error.strip().splitlines()[-1]
        return verdict
    if ours.refused is not None:
        if "\n" in ours.refused:
            found["message"] = f"a refusal of more than one line: {ours.refused!r}"
        elif _empty(case.data) and "empty" not in ours.refused.replace(case.name, ""):  # not its file name's
            found["message"] = f"an empty document not called empty: {ours.refused}"
        if theirs.feed:
            found["refused"] = f"{ours.refused} (feedparser: a feed of {len(theirs.titles)} entries)"
        return verdict
    if len(ours.titles) != len(theirs.titles):
        found["entries"] = f"{len(ours.titles)} articles, feedparser {len(theirs.titles)} entries"
    ours_titles = Counter(fold(title) for title in ours.titles)
    missing = Counter(title for title in theirs.titles if title) - ours_titles
    if theirs.feed_title and fold(ours.feed_title) != theirs.feed_title:
        missing[f"feed title: {theirs.feed_title}"] += 1
        ours_titles[f"feed title: {fold(ours.feed_title)}"] += 1
    shown = "\n".join([ours.feed_title, *ours.titles, *ours.texts])
    if missing:
        sample = next(iter(missing))
        extra = next(iter(ours_titles - Counter(theirs.titles)), "")
        kind = "titles" if theirs.clean else "decoding"
        found[kind] = f"{sum(missing.values())} titles differ, e.g. {sample[:60]!r}, ours {extra[:60]!r}"
    theirs_shown = "\n".join([theirs.feed_title, *theirs.titles, *theirs.texts])
    problem = _script_problem(shown, theirs_shown)
    if problem:
        found["script" if theirs.clean else "decoding"] = problem
    if control := _CONTROL.search(shown):
        found["control"] = f"control character {control.group()!r}"
    return verdict


def _empty(data: bytes) -> bool:
    """Whether a document holds no element: nothing, or only white space, comments and declarations."""
    text = _comment_text(data).lstrip("\ufeff")
    return len(data) < 4096 and not re.sub(r"<!--.*?-->|<\?.*?\?>|\s+", "", text, flags=re.DOTALL)


def _script_problem(ours: str, theirs: str) -> str | None:
    if "\ufffd" in ours and "\ufffd" not in theirs:
        return "U+FFFD in the text"
    if has_mojibake(ours) and not has_mojibake(theirs):
        return "mojibake in the text"
    extra = scripts(ours) - scripts(theirs)
    if extra:
        return f"letters of {', '.join(sorted(extra))} that feedparser has not (it has {sorted(scripts(theirs))})"
    return None


def judge(selected: Iterable[Case] | None = None) -> list[Verdict]:
    """Read every case both ways with the reader and with feedparser; one verdict a case and run."""
    from tests.feedserver import Route, Site

    chosen = list(selected if selected is not None else cases())
    verdicts: list[Verdict] = []
    site = Site().start()
    try:
        for case in chosen:
            headers = {name: value for name, value in case.headers.items() if name != "content-type"}
            site.routes["/" + case.name] = Route(case.data, case.content_type, headers=headers)
        with tempfile.TemporaryDirectory(prefix="corpus-") as folder:
            runs = {
                "file": read_with_reader({c.name: str(c.path) for c in chosen}, Path(folder) / "file.db"),
                "http": read_with_reader({c.name: site.url(c.name) for c in chosen}, Path(folder) / "http.db"),
            }
    finally:
        site.stop()
    for run, readings in runs.items():
        for case in chosen:
            ours = readings.get(case.name, Reading(error="hang: not read (an earlier file hung)"))
            verdicts.append(compare(case, run, ours, reference(case, http=run == "http")))
    return verdicts

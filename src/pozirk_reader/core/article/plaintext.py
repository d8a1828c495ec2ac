"""The plain-text article format, as the agency publishes it.

An article file reads, every part optional but the headline::

    Минск 22:16                      place-and-time line
    Кубраков пожаловался ...         headline
    Фото: пресс-служба МВД           photo credit ("Фота:", "Photo:")
    13 мая, Позірк. Отношения ...    dateline opening the first paragraph, then the body
    См. также:                       related headlines, one a line ("Гл. таксама:", "See also:")
    ПОДЕЛИТЬСЯ:                      footer, never body text ("ПАДЗЯЛІЦЦА:", "SHARE:")

Parts are separated by blank lines; a line break inside a paragraph is a space, and a
file with no blank lines at all takes each line as a paragraph. A related line may end
in an ``http(s)://`` URL, and a ``URL: https://...`` line after the headline gives the
article's own address. The dateline has no year: see :func:`infer_date`.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

from pozirk_reader.core.article import files
from pozirk_reader.core.article.datelines import infer_date, match_dateline
from pozirk_reader.core.article.decoding import decode_bytes
from pozirk_reader.core.article.hygiene import clean_text, fold_spaces, shorten
from pozirk_reader.core.article.language import detect_language
from pozirk_reader.core.article.model import Article, RelatedLink, stable_id
from pozirk_reader.core.errors import ArticleError, EmptyFileError, FileTooLargeError
from pozirk_reader.core.limits import MAX_FILE_BYTES, MAX_HEADLINE_CHARS

_FLAGS = re.IGNORECASE
PLACE_TIME = re.compile(r"^(?P<place>(?:[^\W\d_][\w.'’-]*\s+){0,3}?)(?P<time>\d{1,2}:\d{2})$")
CREDIT = re.compile(r"^(?:Фото|Фота|Photo|Photos|Фото и видео|Фота і відэа)\s*:\s*(?P<credit>.+)$", _FLAGS)
OWN_URL = re.compile(r"^URL\s*:\s*(?P<url>https?://\S+)$", _FLAGS)
RELATED = re.compile(
    r"^(?:См\.?\s*также|Смотрите также|Читайте также|Гл\.?\s*таксама|Глядзіце таксама|Чытайце таксама"
    r"|See also|Read also|Related)\s*(?::\s*(?P<rest>.*)|$)",
    _FLAGS,
)
FOOTER = re.compile(r"^(?:ПОДЕЛИТЬСЯ|ПАДЗЯЛІЦЦА|SHARE|Share this)\s*:?$", _FLAGS)
TRAILING_URL = re.compile(r"^(?P<title>.*?)\s*(?:[—–-]\s*)?<?(?P<url>https?://[^\s<>]+)>?$")


def too_large(name: str, size: int) -> FileTooLargeError:
    """The error for a file of ``size`` bytes over :data:`MAX_FILE_BYTES`."""
    return files.too_large(name, size, MAX_FILE_BYTES)


def parse_file(path: str | os.PathLike[str]) -> Article:
    """Read and parse one article file (a regular file only, see :mod:`~pozirk_reader.core.article.files`).

    Raises :class:`ArticleError` naming the file.
    """
    file = Path(path)
    name = str(file)
    try:
        data, status = files.read_regular_file(file, MAX_FILE_BYTES, name)
    except OSError as error:
        raise ArticleError(name, error.strerror or str(error)) from error
    modified = datetime.fromtimestamp(status.st_mtime)
    return parse_bytes(data, origin=files.path_text(file.resolve()), modified=modified, name=name)


def parse_bytes(data: bytes, origin: str, modified: datetime | date | None = None, name: str | None = None) -> Article:
    """Parse an article from its bytes; ``name`` (default ``origin``) is used in error messages."""
    name = name or origin
    if len(data) > MAX_FILE_BYTES:
        raise too_large(name, len(data))
    decoded = decode_bytes(data, name)
    return parse_text(decoded.text, origin=origin, modified=modified, encoding=decoded.encoding, name=name)


def parse_text(
    text: str,
    origin: str,
    modified: datetime | date | None = None,
    encoding: str | None = None,
    name: str | None = None,
) -> Article:
    """Parse an article from text; ``modified`` dates the dateline (default: today)."""
    name = name or origin
    lines = [fold_spaces(line) for line in clean_text(text).split("\n")]
    own_url: str | None = None

    footer_at = _last_index(lines, FOOTER)
    if footer_at is not None:
        own_url = _find_own_url(lines[footer_at + 1 :])
        lines = lines[:footer_at]

    related: list[RelatedLink] = []
    related_at = _last_index(lines, RELATED, require_after=True)
    if related_at is not None:
        found = RELATED.match(lines[related_at])
        rest = (found["rest"] or "") if found else ""
        related = _related_links([rest, *lines[related_at + 1 :]])
        lines = lines[:related_at]

    place_time: str | None = None
    filled = [index for index, line in enumerate(lines) if line]
    if len(filled) > 1 and _is_place_time(lines[filled[0]]):
        place_time = lines[filled[0]]
        lines = lines[filled[0] + 1 :]

    units = _units(lines)
    if not units:
        raise EmptyFileError(name, "the file has no text")
    title = units.pop(0)
    if len(title) > MAX_HEADLINE_CHARS:
        units.insert(0, title)
        title = shorten(title, 120)

    credit: str | None = None
    while units:
        if credit is None and (found := CREDIT.match(units[0])):
            credit = found["credit"].strip()
        elif own_url is None and (found := OWN_URL.match(units[0])):
            own_url = found["url"]
        else:
            break
        units.pop(0)

    source_name: str | None = None
    dated: date | None = None
    if units and (dateline := match_dateline(units[0])):
        source_name = dateline.source
        if dateline.year is not None:
            dated = _safe_date(dateline.year, dateline.month, dateline.day)
        else:
            dated = infer_date(dateline.day, dateline.month, modified or datetime.now())
        first = units[0][dateline.length :].strip()
        if first:
            units[0] = first
        else:
            units.pop(0)

    return Article(
        id=stable_id(origin),
        title=title,
        paragraphs=tuple(units),
        language=detect_language(title, units),
        source_name=source_name,
        date=dated,
        place_time=place_time,
        photo_credit=credit,
        related=tuple(related),
        origin=origin,
        url=own_url,
        encoding=encoding,
    )


def _units(lines: list[str]) -> list[str]:
    """Group lines into paragraphs: blank-line separated blocks, or one a line if there are no blanks."""
    while lines and not lines[-1]:
        lines = lines[:-1]
    start = 0
    while start < len(lines) and not lines[start]:
        start += 1
    lines = lines[start:]
    if "" not in lines:
        return list(lines)
    units: list[str] = []
    block: list[str] = []
    for line in [*lines, ""]:
        if line and not (block and _stands_alone(line)):
            block.append(line)
            continue
        if block:
            units.append(" ".join(block))
            block = []
        if line:
            block.append(line)
    return units


def _stands_alone(line: str) -> bool:
    """Lines that are always their own part, even with no blank line before them."""
    return bool(CREDIT.match(line) or OWN_URL.match(line))


def _is_place_time(unit: str) -> bool:
    """Tell whether ``unit`` is a place-and-time line: up to three capitalised words and ``HH:MM``."""
    found = PLACE_TIME.match(unit)
    if found is None:
        return False
    hours, minutes = found["time"].split(":")
    words = found["place"].split()
    return int(hours) < 24 and int(minutes) < 60 and all(word[0].isupper() for word in words)


def _related_links(lines: list[str]) -> list[RelatedLink]:
    """Turn the lines of a "see also" block into links; a bare URL line joins the headline above it."""
    links: list[RelatedLink] = []
    for line in lines:
        if not line:
            continue
        found = TRAILING_URL.match(line)
        if found is None:
            links.append(RelatedLink(line))
        elif found["title"]:
            links.append(RelatedLink(found["title"], found["url"]))
        elif links and links[-1].url is None:
            links[-1] = RelatedLink(links[-1].title, found["url"])
        else:
            links.append(RelatedLink(found["url"], found["url"]))
    return links


def _last_index(lines: list[str], pattern: re.Pattern[str], require_after: bool = False) -> int | None:
    """Index of the last line matching ``pattern`` (with non-blank lines after it, if required)."""
    for index in range(len(lines) - 1, -1, -1):
        found = pattern.match(lines[index])
        if found and (not require_after or found.groupdict().get("rest") or any(lines[index + 1 :])):
            return index
    return None


def _find_own_url(lines: list[str]) -> str | None:
    """The article's own URL from lines after the footer (``URL: ...`` or a bare URL)."""
    for line in lines:
        if found := OWN_URL.match(line):
            return found["url"]
        if (found := TRAILING_URL.match(line)) and not found["title"]:
            return found["url"]
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    """``date(year, month, day)``, or ``None`` if that day does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None

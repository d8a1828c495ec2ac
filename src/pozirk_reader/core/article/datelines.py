"""Datelines: "13 мая, Позірк." / "13 траўня, Позірк." / "13 May, Pozirk." and the year they omit."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        # Russian (genitive), Belarusian (genitive), English (full and short)
        ("января", "студзеня", "january", "jan"),
        ("февраля", "лютага", "february", "feb"),
        ("марта", "сакавіка", "march", "mar"),
        ("апреля", "красавіка", "april", "apr"),
        ("мая", "траўня", "may"),
        ("июня", "чэрвеня", "june", "jun"),
        ("июля", "ліпеня", "july", "jul"),
        ("августа", "жніўня", "august", "aug"),
        ("сентября", "верасня", "september", "sep", "sept"),
        ("октября", "кастрычніка", "october", "oct"),
        ("ноября", "лістапада", "november", "nov"),
        ("декабря", "снежня", "december", "dec"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number

_MONTH = r"(?P<month>[^\W\d_]{3,12})\.?"
_DAY = r"(?P<day>\d{1,2})"
_YEAR = r"(?:\s+(?P<year>\d{4})(?:\s*г(?:ода)?\.?)?)?"
_SOURCE = r"(?P<source>[^\W\d_][^.,\n]{0,39}?)"
DATELINE = re.compile(
    rf"^(?:{_DAY}\s+{_MONTH}|{_MONTH.replace('month', 'month2')}\s+{_DAY.replace('day', 'day2')}){_YEAR}"
    rf"\s*,\s*{_SOURCE}\s*\.\s*",
)

SOURCE_ALIASES = {"позірк": "Pozirk", "позирк": "Pozirk", "pozirk": "Pozirk"}
"""Spellings of agency names in datelines mapped to one name, whatever the article's language."""


@dataclass(frozen=True, slots=True)
class Dateline:
    """A parsed dateline: day, month, an explicit year if written, the source, and its length."""

    day: int
    month: int
    year: int | None
    source: str
    length: int


def match_dateline(paragraph: str) -> Dateline | None:
    """Return the dateline that opens ``paragraph``, or ``None`` if it does not open with one."""
    found = DATELINE.match(paragraph)
    if found is None:
        return None
    month = MONTHS.get((found["month"] or found["month2"]).lower())
    day = int(found["day"] or found["day2"])
    if month is None or not 1 <= day <= _max_day(month):
        return None
    source = found["source"].strip()
    if not source[0].isupper() or len(source.split()) > 3:
        return None  # "5 мая, в Минске прошла встреча." is prose, not a dateline
    source = SOURCE_ALIASES.get(source.lower(), source)
    year = int(found["year"]) if found["year"] else None
    return Dateline(day, month, year, source, found.end())


def infer_date(day: int, month: int, reference: datetime | date) -> date:
    """Give the dateline a year: the latest year in which it is not after ``reference``.

    ``reference`` is the file's modification time (a feed entry's published time).
    13 May read with a reference of 2 Mar 2025 is 13 May 2024; with 20 May 2025 it is
    13 May 2025. 29 February goes back to the latest leap year that fits.
    """
    ref = reference.date() if isinstance(reference, datetime) else reference
    year = ref.year
    for _ in range(9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            year -= 1
            continue
        if candidate <= ref:
            return candidate
        year -= 1
    raise ValueError(f"no year fits {day}.{month}")  # pragma: no cover - 29 Feb recurs within 8 years


def _max_day(month: int) -> int:
    """Longest a month can be (February counts 29)."""
    return 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31

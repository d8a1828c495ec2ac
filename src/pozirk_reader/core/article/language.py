"""Languages: telling Russian, Belarusian and English apart, reading language codes, naming them.

An article's language is ``ru``, ``be``, ``en``, or ``und`` when it cannot be told.
"""

from __future__ import annotations

import re

LANGUAGE_NAMES = {"ru": "Russian", "be": "Belarusian", "en": "English", "und": "unknown language"}

LANGUAGE_CODES = {"ru": "ru", "rus": "ru", "be": "be", "bel": "be", "by": "be", "en": "en", "eng": "en"}
"""Language codes (ISO 639-1 and -2, and the country code ``by`` some Belarusian feeds give) to the reader's."""

_NOT_LATIN_BYTES = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
_SUBTAG = re.compile(r"[-_,\s]")


def language_of_code(code: object) -> str | None:
    """``ru``, ``be`` or ``en`` for a language code or tag such as ``ru-RU``, ``bel`` or ``en_GB``; else ``None``."""
    text = str(code or "").strip().lower()
    if not text:
        return None
    primary = _SUBTAG.split(text, maxsplit=1)[0]
    return LANGUAGE_CODES.get(primary) or LANGUAGE_CODES.get(primary[:2])


def detect_language(title: str, paragraphs: list[str]) -> str:
    """Tell ``ru``, ``be`` or ``en`` from the letters of the headline and the first paragraphs."""
    sample = " ".join([title, *paragraphs[:4]])[:4000]
    data = sample.encode("utf-8", "replace")
    latin = len(data.translate(None, _NOT_LATIN_BYTES))
    cyrillic = sum(map(data.count, (b"\xd0", b"\xd1", b"\xd2", b"\xd3")))  # lead bytes of U+0400..U+04FF
    if latin == cyrillic == 0:
        return "und"
    if latin > cyrillic:
        return "en"
    belarusian = sum(map(sample.count, "іІўЎ"))
    russian = sum(map(sample.count, "иИщЩъЪ"))
    return "be" if belarusian > russian else "ru"

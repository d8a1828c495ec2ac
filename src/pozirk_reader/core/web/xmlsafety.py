"""A check run on XML bytes from outside (feeds, OPML) before any parser sees them.

Entity declarations in a ``<!DOCTYPE`` are how "billion laughs" and external-entity attacks
start; no feed or OPML file needs them, so bytes carrying them are refused outright.
"""

from __future__ import annotations

import re

from pozirk_reader.core.errors import ReaderError

_DOCTYPE = re.compile(rb"<!\s*DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)


class UnsafeXmlError(ReaderError):
    """XML that is refused before parsing; the message says why in one line."""


def check_no_entity_declarations(data: bytes, source: str) -> None:
    """Raise :class:`UnsafeXmlError` if ``data`` has a DOCTYPE that declares entities.

    UTF-16 and UTF-32 documents are checked too (their zero bytes are ignored for the check).
    """
    sample = data.replace(b"\x00", b"") if b"\x00" in data[:64] else data
    doctype = _DOCTYPE.search(sample)
    if doctype and _ENTITY.search(sample, doctype.end()):
        raise UnsafeXmlError(f"{source}: refused: its DOCTYPE declares entities (a known XML attack)")

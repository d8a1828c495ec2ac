"""Turning a file's bytes into text: UTF-8, windows-1251 or KOI8-R, detected, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pozirk_reader.core.errors import BinaryFileError, EmptyFileError, UnknownEncodingError

CYRILLIC_ENCODINGS = ("cp1251", "koi8_r")
"""The single-byte encodings tried, in this order of names, when strict UTF-8 fails."""

ENCODING_NAMES = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1251": "windows-1251", "koi8_r": "koi8-r"}
"""The name an article's encoding is shown and kept by, for each codec it may have been decoded with."""

_CODECS = {"windows-1251": "cp1251", "koi8-r": "koi8_r"}
"""Names :func:`codecs.lookup` gives the Cyrillic encodings, to the codecs of :data:`CYRILLIC_ENCODINGS`."""

_BINARY_SAMPLE = 8192
_NOT_CONTROL = bytes(sorted(set(range(256)) - (set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D})))


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text and the name of the encoding it was read with (``utf-8``, ``windows-1251``, ``koi8-r``)."""

    text: str
    encoding: str


def looks_binary(data: bytes) -> bool:
    """Tell whether ``data`` is binary: a NUL byte, or over 10% control bytes, in its first 8 KiB."""
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls * 10 > len(sample)


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> DecodedText:
    """Decode ``data`` from ``source`` (a name used in error messages).

    Strict UTF-8 comes first (a BOM is dropped). Then, if ``declared`` names one of
    the Cyrillic encodings and decodes, it is used; otherwise charset-normalizer,
    limited to windows-1251 and KOI8-R, decides. Raises :class:`EmptyFileError`,
    :class:`BinaryFileError` or :class:`UnknownEncodingError`.
    """
    if not data.strip():
        raise EmptyFileError(source, "the file is empty")
    if looks_binary(data):
        raise BinaryFileError(source, "the file is binary, not text")
    try:
        return DecodedText(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared_codec = codec_name(declared)
    if declared_codec in CYRILLIC_ENCODINGS:
        try:
            return DecodedText(data.decode(declared_codec), ENCODING_NAMES[declared_codec])
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes  # imported here: only non-UTF-8 text needs it

    best = from_bytes(data, cp_isolation=list(CYRILLIC_ENCODINGS)).best()
    if best is None or best.encoding not in CYRILLIC_ENCODINGS:
        raise UnknownEncodingError(source, "the text is not UTF-8, windows-1251 or KOI8-R")
    return DecodedText(str(best), ENCODING_NAMES[best.encoding])


def codec_name(label: str | None) -> str | None:
    """The Python codec of an encoding label such as ``Windows-1251`` or ``KOI8-R``, or ``None`` if unknown.

    The Cyrillic encodings get the names of :data:`CYRILLIC_ENCODINGS` (and :data:`ENCODING_NAMES`).
    """
    if not label:
        return None
    import codecs

    try:
        codec = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):  # ValueError: a label with a NUL in it
        return None
    return _CODECS.get(codec, codec)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def decode_web_page(data: bytes, declared: str | None = None) -> DecodedText:
    """Decode an HTML page: strict UTF-8, else the server's charset, else ``<meta charset>``, else detected.

    Never raises: bytes no encoding explains are decoded as windows-1252 with replacements.
    """
    try:
        return DecodedText(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:8192])
    for label in (declared, meta.group(1).decode("ascii") if meta else None):
        codec = codec_name(label)
        if codec and codec not in ("utf-8", "utf_8"):
            try:
                return DecodedText(data.decode(codec), ENCODING_NAMES.get(codec, codec))
            except (UnicodeDecodeError, LookupError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=[*CYRILLIC_ENCODINGS, "cp1252"]).best()
    codec = best.encoding if best is not None else "cp1252"
    return DecodedText(data.decode(codec, "replace"), ENCODING_NAMES.get(codec, codec))

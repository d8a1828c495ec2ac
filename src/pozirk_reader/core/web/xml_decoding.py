"""XML bytes from the web to text, by the rules of XML and HTTP (RFC 7303), then by detection.

The order: a byte order mark (UTF-8, UTF-16, UTF-32) decides; else the HTTP ``charset`` and then the XML
declaration's ``encoding``, the first that names an encoding the bytes are in; else UTF-16/32 told by the
``<?`` of the declaration, or UTF-8. Labels are read as browsers read them (``iso-8859-1`` and
``us-ascii`` as windows-1252, ``gb2312`` as GBK, ``shift_jis`` as windows-31j, ``euc-kr`` as windows-949).
A declared single-byte charset always decodes, so it is never replaced by a guess; one exception: bytes
declared single-byte that are valid UTF-8 with characters past ASCII are UTF-8 mislabelled.

When nothing declared fits, the encoding is detected over those the text could really be in, and
:attr:`DecodedXml.guess` says so: mostly valid UTF-8 stays UTF-8 (stray bytes read as windows-1252);
otherwise charset-normalizer ranks the legacy encodings and a reading is taken only if it reads as its
script does (a Latin reading whose "words" are mostly accented letters, a Cyrillic one with Latin letters
inside its words or its case upside down, are not text), so Cyrillic wins only when the text reads as
Cyrillic, and Latin-1 text stays Latin.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass

from pozirk_reader.core.article.decoding import codec_name

BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)
"""Byte order marks, UTF-32 first (its little-endian mark starts like UTF-16's)."""

_SNIFFS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
"""The first characters of a document (``<?`` or ``<``) without a BOM, in UTF-32 and UTF-16."""

GUESSED = "the encoding was guessed"
"""How a feed's warning begins when its encoding was guessed (then a colon and :attr:`DecodedXml.guess`)."""

SAMPLE_CHARS = 200_000
"""How much of a reading :func:`reads_as_text` judges (the start of a long feed tells as well as all of it)."""

LEGACY_CANDIDATES = (
    "cp1252", "cp1250", "cp1251", "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp874",
    "cp932", "euc_jp", "gb18030", "big5", "cp949", "koi8_u", "iso8859_15", "iso8859_2",
)  # fmt: skip
"""The legacy encodings detection chooses among: Western, Central European, Cyrillic, Greek, Turkish, Hebrew,
Arabic, Baltic, Thai, Japanese, Chinese, Korean."""

ENCODING_LABELS = {
    "cp1252": "windows-1252", "cp1250": "windows-1250", "cp1251": "windows-1251", "koi8_r": "koi8-r",
    "cp1253": "windows-1253", "cp1254": "windows-1254", "cp1255": "windows-1255", "cp1256": "windows-1256",
    "cp1257": "windows-1257", "cp874": "windows-874", "cp932": "shift_jis", "euc_jp": "euc-jp",
    "gb18030": "gb18030", "gbk": "gbk", "big5": "big5", "cp950": "big5", "big5hkscs": "big5-hkscs",
    "cp949": "euc-kr", "euc_kr": "euc-kr", "koi8_u": "koi8-u", "iso8859_15": "iso-8859-15",
    "iso8859_2": "iso-8859-2", "utf-8": "utf-8", "utf-16-be": "utf-16be", "utf-16-le": "utf-16le",
    "utf-32-be": "utf-32be", "utf-32-le": "utf-32le", "shift_jis": "shift_jis",
}  # fmt: skip
"""Python codec names to the labels a person (and the web) knows them by."""

_WEB_CODECS = {
    "iso8859_1": "cp1252", "latin_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254", "gb2312": "gbk",
    "shift_jis": "cp932", "euc_kr": "cp949", "big5": "cp950", "tis_620": "cp874", "iso8859_11": "cp874",
}  # fmt: skip
"""How browsers read some labels: the Windows superset of the charset named (WHATWG Encoding)."""

_SINGLE_BYTE_SAFE = frozenset(("cp1252",))  # decoded by :func:`_windows_1252`, which never fails
_XML_ENCODING = re.compile(r"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_C1_AS_1252 = {
    0x80 + i: char for i, char in enumerate(bytes(range(0x80, 0xA0)).decode("cp1252", "replace")) if char != "\ufffd"
}
_WORD = re.compile(r"[^\W\d_]+")
_PLAIN_SYMBOLS = frozenset("“”‘’„‚–—…«»‹›€£¥©®°·•™¡¿×÷§¶\u00a0\u00ad±½¼¾²³µ")
_BETWEEN_LETTERS = re.compile(
    "(?<=[^\\W\\d_])[^\\x00-\\x7f\\w\\s’·\u2000-\u206f\u3000-\u303f\uff00-\uff65]+(?=[^\\W\\d_])"
)
"""A symbol (or control) between two letters, as in "Za¿ó³æ": a sign of the wrong encoding."""
_PUNCTUATION = re.compile("[\u2000-\u206f\u3000-\u303f\u30fb\uff00-\uff65]")
"""General, CJK and full-width punctuation: plain text, not a sign of the wrong encoding."""
_ICELANDIC = re.compile("[ðþýÐÞÝ]")
_VOWELS = {"CYRILLIC": frozenset("аеёиоуыэюяіїєўѣ"), "GREEK": frozenset("αεηιουωάέήίόύώϊϋΐΰ")}


@dataclass(frozen=True, slots=True)
class DecodedXml:
    """A document's text, the label of the encoding it was read in, and how that was known when guessed."""

    text: str
    encoding: str
    guess: str | None = None
    """``None`` when a BOM, a declaration or UTF-8 decided; else the encoding chosen and why it was a guess, as
    "windows-1252 (no charset declared)"."""


def decode_xml(data: bytes, charset: str | None = None) -> DecodedXml:
    """Decode XML ``data`` served with HTTP ``charset`` (``None`` for a file); never raises."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return DecodedXml(body.decode(codec), ENCODING_LABELS[codec])
            except UnicodeDecodeError:
                if codec == "utf-8":
                    return _mostly_utf8(body, "a UTF-8 byte order mark, yet not all UTF-8")
                return DecodedXml(
                    body.decode(codec, "replace"),
                    ENCODING_LABELS[codec],
                    f"{ENCODING_LABELS[codec]}, with bytes that are not (its byte order mark says so)",
                )
    family = next((codec for sniff, codec in _SNIFFS if data.startswith(sniff)), None)
    head = data[:1024].decode(family, "replace") if family else data[:1024].decode("latin-1")
    declared = _XML_ENCODING.match(head)
    for label in (charset, declared.group(1) if declared else None):
        decoded = _as_declared(data, label, family)
        if decoded is not None:
            return decoded
    if family:
        return DecodedXml(data.decode(family, "replace"), ENCODING_LABELS[family])
    try:
        return DecodedXml(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    named = [label for label in (charset, declared.group(1) if declared else None) if label]
    reason = f"declared {' and '.join(sorted(set(named)))}, which the bytes are not" if named else "no charset declared"
    if _mostly_valid_utf8(data):
        return _mostly_utf8(data, reason)
    return detect_legacy(data, reason)


def head_text(data: bytes, size: int = 4096) -> str:
    """The first ``size`` bytes of a document as text, enough to read its first element whatever its Unicode
    form (a BOM, else UTF-32 or UTF-16 told by its first ``<``, else each byte a character)."""
    head = data[:size]
    for bom, codec in BOMS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore")
    family = next((codec for sniff, codec in _SNIFFS if head.startswith(sniff)), None)
    return head.decode(family, "ignore") if family else head.decode("latin-1")


def web_codec(label: str | None) -> str | None:
    """The Python codec a charset label means on the web, or ``None`` for an unknown label."""
    codec = codec_name(label.strip().strip("\"'")) if label else None
    return None if codec is None else _WEB_CODECS.get(codec.replace("-", "_"), codec)


def _as_declared(data: bytes, label: str | None, family: str | None) -> DecodedXml | None:
    """``data`` decoded as ``label`` says, or ``None`` if it names no encoding the bytes can be in."""
    codec = web_codec(label)
    if codec is None:
        return None
    wide = codec.startswith(("utf_16", "utf-16", "utf_32", "utf-32"))
    if family and not wide:
        return None  # a UTF-16/32 document declaring an 8-bit encoding: the bytes say otherwise
    if wide:
        if not family or family[:6].replace("-", "_") != codec[:6].replace("-", "_"):
            return None
        codec = family
    try:
        text = _windows_1252(data) if codec in _SINGLE_BYTE_SAFE else data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    name = str(label).strip().strip("\"'").lower()
    if codec != "utf-8" and not wide and _has_utf8_sequences(data) and _stray_bytes(data) == 0:
        try:
            return DecodedXml(data.decode("utf-8"), "utf-8", f"utf-8 (declared {label}, but the bytes are UTF-8)")
        except UnicodeDecodeError:
            pass
    return DecodedXml(text, name)


def _windows_1252(data: bytes) -> str:
    """windows-1252 as browsers read it: its five unassigned bytes as the C1 controls they are in Latin-1."""
    return data.decode("latin-1").translate(_C1_AS_1252)


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
"""A valid UTF-8 sequence of two or more bytes."""


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether ``data`` holds at least one valid UTF-8 sequence of two or more bytes."""
    return _UTF8_SEQUENCE.search(data) is not None


def _stray_bytes(data: bytes) -> int:
    """How many bytes past ASCII are not part of a valid UTF-8 sequence."""
    return len(_UTF8_SEQUENCE.sub(b"", data).translate(None, bytes(range(0x80))))


def _mostly_valid_utf8(data: bytes) -> bool:
    """Whether at least three in four bytes past ASCII make valid UTF-8 sequences (a few stray ones aside)."""
    high = len(data.translate(None, bytes(range(0x80))))
    return high > 0 and _stray_bytes(data) * 4 <= high


def _mostly_utf8(data: bytes, reason: str) -> DecodedXml:
    """UTF-8 with a few bytes that are not: those read as windows-1252."""
    stray = _stray_bytes(data)
    text = data.decode("utf-8", "pozirk-windows-1252")
    return DecodedXml(text, "utf-8", f"utf-8, {stray} stray bytes read as windows-1252 ({reason})")


def _stray_as_1252(error: UnicodeError) -> tuple[str, int]:
    """A codec error handler: the bad bytes as windows-1252 characters."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return _windows_1252(bytes(bad)), error.end


codecs.register_error("pozirk-windows-1252", _stray_as_1252)


def detect_legacy(data: bytes, reason: str) -> DecodedXml:
    """Detect the legacy encoding of bytes that are not UTF-8 (see the module's docstring).

    windows-1252 is taken when it reads as text; else the first reading that does, in charset-normalizer's
    order and then :data:`LEGACY_CANDIDATES`'; else charset-normalizer's best (or windows-1252) with a warning.
    """
    from charset_normalizer import from_bytes

    ranked = [match.encoding for match in from_bytes(data, cp_isolation=list(LEGACY_CANDIDATES))]
    order = ["cp1252", *ranked, *LEGACY_CANDIDATES]
    if _ICELANDIC.search(_windows_1252(data)):
        order.insert(0, "cp1254")  # ð þ ý in a Western reading are far likelier ğ ş ı of Turkish
    seen: set[str] = set()
    for codec in order:
        if codec in seen:
            continue
        seen.add(codec)
        try:
            text = _windows_1252(data) if codec == "cp1252" else data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if reads_as_text(text[:SAMPLE_CHARS]):
            label = codec_label(codec)
            return DecodedXml(text, label, f"{label} ({reason})")
    codec = ranked[0] if ranked else "cp1252"
    text = _windows_1252(data) if codec == "cp1252" else data.decode(codec, "replace")
    label = codec_label(codec)
    return DecodedXml(text, label, f"{label}, which reads badly ({reason})")


def codec_label(codec: str) -> str:
    """The label people know a Python codec by (``cp1251`` is ``windows-1251``, ``iso8859-7`` ``iso-8859-7``)."""
    if codec in ENCODING_LABELS:
        return ENCODING_LABELS[codec]
    if re.fullmatch(r"cp125[0-8]", codec):
        return "windows-" + codec[2:]
    found = re.fullmatch(r"iso8859[-_]([0-9]+)", codec)
    return f"iso-8859-{found.group(1)}" if found else codec.replace("_", "-")


def reads_as_text(text: str) -> bool:
    """Whether a reading's letters past ASCII make words of one script, in their case, with their vowels.

    Not text: Latin "words" mostly of accented letters, symbols or controls between letters, words that mix
    scripts (or ASCII letters with another alphabet), capitals after small letters, a Cyrillic or Greek
    reading with too few or too many vowels.
    """
    words = [word for word in _WORD.findall(text) if not word.isascii()]
    high = [char for char in text if ord(char) > 0x7F and not char.isspace()]
    if not high:
        return True
    odd = sum(1 for char in high if not _plain(char))
    between = len(_BETWEEN_LETTERS.findall(text))
    if odd * 4 > len(high) or between * 10 > max(len(words), 1):
        return False
    if not words:
        return True
    letters = mixed = upside_down = accented = latin = 0
    vowels: dict[str, list[int]] = {}
    for word in words:
        found = {_script(char) for char in word if ord(char) > 0x7F} - {""}
        ascii_letters = sum(char.isascii() for char in word)
        letters += len(word)
        if len(found) > 1 or (ascii_letters and found - {"LATIN", "CJK"}):
            mixed += len(word)
        if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)) or "ς" in word[:-1]:
            upside_down += len(word)
        if found == {"LATIN"}:
            latin += len(word)
            accented += len(word) - ascii_letters
        for script in found & _VOWELS.keys():
            counts = vowels.setdefault(script, [0, 0])
            counts[0] += sum(char in _VOWELS[script] for char in word.lower())
            counts[1] += len(word)
    if latin * 2 > letters and accented > 0.6 * latin:
        return False  # Latin "words" made mostly of accented letters: another script read as Latin
    if any(total >= 8 and not 0.2 <= vowel / total <= 0.7 for vowel, total in vowels.values()):
        return False
    return mixed * 10 <= letters and upside_down * 5 <= letters


def _plain(char: str) -> bool:
    """Whether a character past ASCII belongs in text: a letter, a combining mark, common punctuation."""
    return (
        char.isalpha()
        or char in _PLAIN_SYMBOLS
        or _PUNCTUATION.match(char) is not None
        or unicodedata.category(char).startswith(("M", "N"))
    )


def _script(char: str) -> str:
    """The script of a letter by its Unicode name (LATIN, CYRILLIC, CJK, ...); "" for others."""
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    cjk = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC")
    return "CJK" if first.startswith(cjk) else first

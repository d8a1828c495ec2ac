"""Text hygiene: everything from files and feeds passes through here once, and every outside string on its way out.

Control and escape characters never reach the terminal. :func:`clean_text` runs where text enters the
reader: C0 and C1 controls (ESC included), DEL, the bidirectional marks, overrides and isolates, the
zero-width and other invisible format characters (U+200B, U+2060, U+FEFF, soft hyphens, invisible
operators, tag characters) are dropped, and every kind of space becomes a plain space. Zero-width
non-joiner and joiner (U+200C, U+200D) are kept only where they do a job: between two letters of a
script whose letters join or combine (Arabic and Persian, Syriac, N'Ko, the Indic scripts, Mongolian),
and, for the joiner, inside an emoji sequence; in Cyrillic or Latin text they do nothing visible and
would only split a word so that search misses it, so there they go too.

:func:`safe_line` is for what is shown on one line: notifications, the status line, dialogs, command
line errors. Any string from outside (a title, a file name, a path, a URL, a server's or the system's
message) comes out as plain text on one line, with every control, format and line-break character made
visible as an escape (``\\n``, ``\\x1b``, ``\\u202e``), and bytes a file name could not decode shown as
``\\xNN``. It does not touch markup: the surfaces it feeds never read markup.
"""

from __future__ import annotations

import os
import re

_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_LINE_BREAKS = "\u2028\u2029"
_JOINERS = "\u200c\u200d"
_TAGS = "\U000e0000-\U000e007f"
_FORMAT = (
    # soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width space, joiners, direction marks,
    # bidi embeddings, overrides and isolates, word joiner and invisible operators, deprecated format
    # characters, BOM / zero-width no-break space, interlinear annotation, tags
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb" + _TAGS
)
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Controls (but newline and tab), DEL, C1 controls, the format characters above, non-characters, lone
# surrogates, special spaces and line separators: dropped or replaced (see _replace).
_UNCLEAN = re.compile(f"[{_CONTROLS}{_FORMAT}\ufffe\uffff\ud800-\udfff{_SPACES}{_LINE_BREAKS}]")
_REPLACEMENTS = {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_LINE_BREAKS, "\n")}
_RUNS_OF_SPACES = re.compile(r" {2,}")

_JOINING_LETTER = re.compile("[\u0600-\u08ff\u0900-\u0dff\u1800-\u18af\ua8e0-\ua8ff\ufb50-\ufdff\ufe70-\ufefc]")
"""Letters and marks of the scripts in which ZWNJ and ZWJ change how letters join: Arabic (with Persian and
Urdu), Syriac, N'Ko and their extensions, Devanagari to Sinhala, Mongolian, and Arabic presentation forms."""

_EMOJI = re.compile(
    "[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u27bf\u2900-\u297f\u2b00-\u2bff\ufe0f"
    "\U0001f000-\U0001faff]"
)
"""What may stand on either side of a ZWJ in an emoji sequence (emoji, skin tones, the emoji variation selector)."""

_FLAG = "\U0001f3f4"
"""The black flag that starts an emoji tag sequence (the flags of England, Scotland, Wales)."""


def _kept(text: str, at: int) -> bool:
    """Whether the joiner or tag character at ``text[at]`` does a job there and so is kept."""
    char = text[at]
    before = text[at - 1] if at else ""
    if char in _JOINERS:
        after = text[at + 1] if at + 1 < len(text) else ""
        if _JOINING_LETTER.match(before) and _JOINING_LETTER.match(after):
            return True
        return char == "\u200d" and bool(_EMOJI.match(before)) and bool(_EMOJI.match(after))
    if "\U000e0020" <= char <= "\U000e007f":
        start = at
        while start > 0 and at - start < 32 and "\U000e0020" <= text[start - 1] <= "\U000e007e":
            start -= 1
        return start > 0 and text[start - 1] == _FLAG
    return False


def _replace(found: re.Match[str]) -> str:
    """What one unclean character becomes: a space, a newline, itself (a joiner doing its job), or nothing."""
    char = found.group()
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    if (char in _JOINERS or "\U000e0000" <= char <= "\U000e007f") and _kept(found.string, found.start()):
        return char
    return ""


def clean_text(text: str) -> str:
    """Return ``text`` with controls and invisible characters removed and spaces made plain; newlines are kept.

    Carriage returns are folded into newlines first, so CRLF and CR files read as LF.
    """
    return _UNCLEAN.sub(_replace, text.replace("\r\n", "\n").replace("\r", "\n"))


_OTHER_FORMAT = (
    "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
)
"""The rest of Unicode's format characters (category Cf): signs and controls of particular scripts, kept in
text but shown as escapes on a line, where nothing invisible may hide."""

_UNSAFE_ON_A_LINE = re.compile(
    f"[\x00-\x1f\x7f-\x9f{_FORMAT}{_OTHER_FORMAT}\ufffe\uffff\ud800-\udfff{_SPACES[1:]}{_LINE_BREAKS}]"
)
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(found: re.Match[str]) -> str:
    """One character that must not reach a line as it is: a plain space, an escape, or itself (a joiner at work)."""
    char = found.group()
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char in _SPACES:
        return " "
    if char == "\u00ad":
        return ""  # a soft hyphen: only a hint where a word may break
    if (char in _JOINERS or 0xE0000 <= code <= 0xE007F) and _kept(found.string, found.start()):
        return char
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte of a file name that is not UTF-8 (surrogateescape)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def safe_line(text: str | bytes | os.PathLike[str] | os.PathLike[bytes], limit: int | None = None) -> str:
    """``text`` from outside as one line of plain text, safe on a terminal (see the module's docstring).

    Paths and bytes are decoded as the OS does (undecodable bytes shown as ``\\xNN``); with ``limit``, the
    line is shortened to that many characters with an ellipsis.
    """
    if not isinstance(text, str):
        raw = os.fspath(text)
        text = raw if isinstance(raw, str) else os.fsdecode(raw)
    line = _UNSAFE_ON_A_LINE.sub(_visible, text)
    return shorten(line, limit) if limit is not None else line


def fold_spaces(line: str) -> str:
    """Strip an already cleaned line and fold its runs of spaces into one."""
    line = line.strip()
    return _RUNS_OF_SPACES.sub(" ", line) if "  " in line else line


def shorten(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else cut to fit them with an ellipsis.

    The cut falls at the last space that leaves room for the ellipsis (within a single word, where
    it must), and punctuation left dangling before it goes.
    """
    if len(text) <= limit:
        return text
    room = text[: max(0, limit - 1)]
    cut = room.rsplit(" ", 1)[0] if " " in room else room
    return (cut.rstrip(",;:—–- ") or room) + "…"

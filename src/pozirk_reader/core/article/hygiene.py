"""Text hygiene: everything from files and feeds passes through here once.

Control and escape characters never reach the terminal: C0 and C1 controls (ESC
included), DEL, and the bidirectional overrides are dropped; every kind of space
becomes a plain space.
"""

from __future__ import annotations

import re

_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_LINE_BREAKS = "\u2028\u2029"
# Controls (but newline and tab), DEL, C1 controls, zero-width and direction marks, bidi overrides and
# isolates, BOM and non-characters, lone surrogates: all dropped.
_UNCLEAN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
    "\ud800-\udfff" + _SPACES + _LINE_BREAKS + "]"
)
_REPLACEMENTS = {**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_LINE_BREAKS, "\n")}
_RUNS_OF_SPACES = re.compile(r" {2,}")


def _replace(found: re.Match[str]) -> str:
    """What one unclean character becomes: a space, a newline, or nothing."""
    return _REPLACEMENTS.get(found.group(), "")


def clean_text(text: str) -> str:
    """Return ``text`` with controls removed and spaces made plain; newlines are kept.

    Carriage returns are folded into newlines first, so CRLF and CR files read as LF.
    """
    return _UNCLEAN.sub(_replace, text.replace("\r\n", "\n").replace("\r", "\n"))


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

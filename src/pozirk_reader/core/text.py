"""Text hygiene: everything from files and feeds passes through here once.

Control and escape characters never reach the terminal: C0 and C1 controls (ESC
included), DEL, and the bidirectional overrides are dropped; every kind of space
becomes a plain space.
"""

from __future__ import annotations

import re

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_DROP = (
    "".join(chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n\t")
    + "\x7f"
    + "".join(chr(c) for c in range(0x80, 0xA0))
    + "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffe\uffff"
)
_TABLE = str.maketrans({**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_DROP), "\u2028": "\n", "\u2029": "\n"})
_RUNS_OF_SPACES = re.compile(r" {2,}")
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Return ``text`` with controls removed and spaces made plain; newlines are kept.

    Carriage returns are folded into newlines first, so CRLF and CR files read as LF.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TABLE)
    return _SURROGATES.sub("", text)


def clean_line(text: str) -> str:
    """Return one line of text: cleaned, newlines made spaces, runs of spaces folded, stripped."""
    return _RUNS_OF_SPACES.sub(" ", clean_text(text).replace("\n", " ")).strip()

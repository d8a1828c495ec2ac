"""Hostile strings for the tests of every surface that shows outside text on one line.

Each would do something if it reached a terminal or Textual's markup parser as it is: close a style
that was never opened (a ``MarkupError``), plant a click that quits the app, write the clipboard
(OSC 52), clear the screen, split the line, reverse the rest of it, or hide inside a word.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.feedserver import FEEDS

MARKUP = "[bold]x[/bold] [/]"
CLICK = "[@click=app.quit]x"
CLIPBOARD = "\x1b]52;c;aGk=\x07"
CLEAR = "\x1b[2J"
NEWLINE = "a\nb"
BIDI = "\u202eevil"
ZWSP = "zero\u200bwidth"

HOSTILE = (MARKUP, CLICK, CLIPBOARD, CLEAR, NEWLINE, BIDI, ZWSP)

HOSTILE_NAME = " ".join(part for part in HOSTILE if "/" not in part)
"""All of them that a file name can hold (no slash): a folder or file named so."""

HOSTILE_TITLE = " ".join(HOSTILE)
"""All of them, for a title or an error text."""

HOSTILE_NAME_SHOWN = "[@click=app.quit]x \\x1b]52;c;aGk=\\x07 \\x1b[2J a\\nb \\u202eevil zero\\u200bwidth"
"""How :data:`HOSTILE_NAME` reads on a line: the markup as typed, every invisible or control character an escape."""

UNSAFE = ("\x1b", "\x07", "\n", "\r", "\u202e", "\u200b")


def assert_one_safe_line(line: str) -> None:
    """``line`` sends nothing to the terminal and is one line."""
    for char in UNSAFE:
        assert char not in line, f"{char!r} reached {line!r}"


def assert_safe_lines(text: str, expected_lines: int | None = None) -> list[str]:
    """Every line of ``text`` is safe; returns them (``expected_lines`` of them, if given)."""
    lines = text.splitlines()
    for line in lines:
        assert_one_safe_line(line)
    assert "\x1b" not in text and "\x07" not in text
    if expected_lines is not None:
        assert len(lines) == expected_lines, lines
    return lines


def write_hostile_feed(folder: Path) -> Path:
    """A local feed file in ``folder`` at a hostile name, its channel titled with every hostile string.

    XML 1.0 cannot hold ESC or BEL at all, so the title has the rest; the file's name has them.
    """
    text = (FEEDS / "rss-full.xml").read_text("utf-8")
    title = HOSTILE_TITLE.replace("\x1b", "").replace("\x07", "")
    feed = folder / f"{HOSTILE_NAME}.xml"
    feed.write_text(re.sub(r"<title>[^<]*</title>", f"<title>{title}</title>", text, count=1), "utf-8")
    return feed

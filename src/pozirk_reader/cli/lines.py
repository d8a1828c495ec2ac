"""Message lines of the command line: summaries, errors, a feed's line, each one safe line.

Kept apart from :mod:`pozirk_reader.cli.console` so that an error can be said without importing Rich.
"""

from __future__ import annotations

import sys

from pozirk_reader.core.article.hygiene import safe_line

PROG = "pozirk-reader"


def say(line: str, *, error: bool = False, named: bool = True) -> None:
    """Print one message line as :func:`safe_line` makes it; an ``error`` goes to stderr, after the program's
    name unless not ``named`` (a feed's line, which starts with the feed's host).

    Names, titles, addresses and error texts in it come out as plain text: no markup read, no control or
    escape sequence, bidi or zero-width character sent, no line break.
    """
    if error:
        print(f"{PROG}: {safe_line(line)}" if named else safe_line(line), file=sys.stderr)
    else:
        print(safe_line(line))

"""Fitting outside text into the terminal: cut at word boundaries, by cell width.

Cuts fall between graphemes: a wide (CJK) character that would straddle the edge goes to the far side
whole, and a letter keeps its combining marks.
"""

from __future__ import annotations

from rich.cells import cell_len, split_graphemes
from rich.segment import Segment
from rich.style import Style

from pozirk_reader.core.article.hygiene import safe_line

ELLIPSIS = "…"


def _fitting_prefix(text: str, width: int) -> int:
    """How many characters of ``text`` fit in ``width`` cells, cut between graphemes."""
    spans, _ = split_graphemes(text)
    cells = 0
    for start, _end, size in spans:
        if cells + size > width:
            return start
        cells += size
    return len(text)


def fit(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` cells, else cut at the last whole word with an ellipsis.

    A single word longer than the width is cut where it must be (there is no word boundary).
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    end = _fitting_prefix(text, width - 1)
    room = text[:end]
    whole = room[-1:].isspace() or text[end : end + 1].isspace()  # the cut fell at the end of a word
    room = room.rstrip()
    cut = room if whole or " " not in room else room.rsplit(" ", 1)[0]
    cut = cut.rstrip(" ,;:—–-")
    return (cut or room) + ELLIPSIS


def source_label(name: str, width: int) -> str:
    """A source's name in at most ``width`` cells, so that names that differ only in a qualifier stay apart.

    "Pozirk sample (full text)", "(summaries)" and "(Atom)" would all be "Pozirk…" cut from the end: a name
    ending in a parenthesised qualifier keeps it, after its first word if there is room ("Pozirk full text"),
    else alone ("full text"). Any other name is cut at a word with an ellipsis. Control characters in it are
    shown as visible escapes (:func:`safe_line`): a source's name comes from outside.
    """
    name = safe_line(name)
    if cell_len(name) <= width:
        return name
    base, opened, qualifier = name.rstrip().removesuffix(")").rpartition(" (")
    if opened and base.strip() and qualifier.strip():
        first = base.split()[0]
        for candidate in (f"{first} {qualifier}", qualifier):
            if cell_len(candidate) <= width:
                return candidate
        return fit(qualifier, width)
    return fit(name, width)


def split_first_line(text: str, width: int) -> tuple[str, str]:
    """Split ``text`` into what fits on a line of ``width`` cells (whole words) and the rest."""
    if cell_len(text) <= width:
        return text, ""
    end = _fitting_prefix(text, width)
    room = text[:end]
    if " " in room and not text[end : end + 1].isspace():
        room = room.rsplit(" ", 1)[0]
    return room.rstrip(), text[len(room) :].strip()


def marked(
    text: str, offset: int, spans: tuple[tuple[int, int], ...], style: Style, match_style: Style
) -> list[Segment]:
    """``text`` (found at ``offset`` in the string ``spans`` refer to) as segments, the spans in ``match_style``."""
    if not spans:
        return [Segment(text, style)]
    segments: list[Segment] = []
    position = 0
    for start, end in sorted(spans):
        start, end = max(start - offset, position), min(end - offset, len(text))
        if start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start], style))
        segments.append(Segment(text[start:end], match_style))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], style))
    return segments

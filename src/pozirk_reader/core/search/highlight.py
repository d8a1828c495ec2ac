"""Where a query matches a text: highlighted spans, and a one-line snippet around the first match.

Words match as the search matches them (:class:`~pozirk_reader.core.search.query.Matcher`): the same
stems, a ``word*`` prefix, or a whole phrase in order.
"""

from __future__ import annotations

from pozirk_reader.core.search.query import Query, parse_query

SNIPPET_WIDTH = 160
"""About how many characters a snippet holds."""


def highlight_spans(text: str, query: str | Query, language: str | None = None) -> list[tuple[int, int]]:
    """The ``(start, end)`` character spans of ``text`` that ``query`` matches, in order and not overlapping.

    Words match as the search matches them (stems, ``word*`` prefixes, phrases as a whole);
    excluded terms are not highlighted. ``language`` (``ru``, ``be``, ``en``) narrows the stems
    a word of the text may stand for; without it, any.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    if not parsed.groups:
        return []
    merged: list[tuple[int, int]] = []
    for start, end in sorted(parsed.matcher.spans(text, language)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippet(body: str, query: str | Query, language: str | None = None, width: int = SNIPPET_WIDTH) -> str:
    """One line of ``body`` of about ``width`` characters around the first match of ``query`` (else its start)."""
    parsed = parse_query(query) if isinstance(query, str) else query
    first = parsed.matcher.first(body, language) if parsed.groups else None
    start = 0 if first is None else max(0, first - width // 4)
    if start:
        space = body.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = start + width
    if end < len(body):
        space = body.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    text = " ".join(body[start:end].split())
    return ("…" if start else "") + text + ("…" if end < len(body) else "")

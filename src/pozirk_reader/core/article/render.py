"""Articles as plain text, Markdown and JSON, for the CLI and for export."""

from __future__ import annotations

import json
import re

from pozirk_reader.core.article.language import LANGUAGE_NAMES
from pozirk_reader.core.article.model import Article

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<~]|&(?=#?\w+;))")
"""What makes Markdown anywhere in a line: emphasis, code, links and images, HTML, strike-through, entities."""
_LINE_START = re.compile(r"(?:#|>|[+-](?:\s|$)|\d{1,9}[.)](?:\s|$))")
"""What makes Markdown at a line's start: a heading, a quote, a list item."""
_QUOTE = re.compile(r"(?:> )+")
_BULLET = re.compile(r"(?P<indent> *)(?:[•◦▪] |(?P<number>\d{1,9})\. )")
"""A paragraph's list bullet or number, as :func:`~pozirk_reader.core.web.html_text.html_to_text` writes it."""
_BACKTICKS = re.compile("`+")


def metadata_parts(article: Article) -> list[str]:
    """The metadata line's parts: source, date and time, place, photo credit, language."""
    parts: list[str] = []
    if article.source_name:
        parts.append(article.source_name)
    when = f"{article.date.day} {article.date:%B %Y}" if article.date else ""
    if article.time:
        when = f"{when} {article.time}".strip()
    if when:
        parts.append(when)
    if article.place:
        parts.append(article.place)
    if article.photo_credit:
        parts.append(f"Photo: {article.photo_credit}")
    parts.append(LANGUAGE_NAMES.get(article.language, article.language))
    return parts


HEADING_RULES = {1: "═", 2: "─"}
"""A heading of level 1 or 2 is underlined with these in plain text; deeper ones are set apart by blank lines only."""

HEADING_RULE_CHARS = 80
"""A heading's underline is at most this long."""


def to_plain(article: Article, states: list[str] | None = None) -> str:
    """The article as plain text: headline, metadata, body, numbered related links (with ``states``), then the
    links in the text. Headings are underlined (levels 1 and 2), preformatted text keeps its lines."""
    lines = [article.title, " · ".join(metadata_parts(article))]
    if article.url:
        lines.append(article.url)
    lines.append("")
    for index, paragraph in enumerate(article.paragraphs):
        level = article.heading_level(index)
        lines.append(paragraph)
        if level in HEADING_RULES:
            lines.append(HEADING_RULES[level] * min(len(paragraph), HEADING_RULE_CHARS))
        lines.append("")
    if article.related:
        lines.append("See also:")
        for number, link in enumerate(article.related, start=1):
            state = f" [{states[number - 1]}]" if states and number <= len(states) else ""
            lines.append(f"  {number}. {link.title}" + (f" <{link.url}>" if link.url else "") + state)
    if article.links:
        lines.extend(["", "Links in the text:"] if article.related else ["Links in the text:"])
        lines.extend(f"  [{number}] {link.title} <{link.url}>" for number, link in enumerate(article.links, start=1))
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(article: Article) -> str:
    """The article as Markdown, with text escaped so nothing in it becomes markup (and nothing else escaped).

    A heading of level ``n`` in the text is ``n + 1`` ``#`` (the headline is the one ``#``); preformatted text is
    a fenced code block (a fence longer than any run of backticks in it, so it cannot be closed early). List items
    (the paragraphs' bullets and numbers) are a Markdown list, nested as they were; quoted paragraphs ("> ") stay a
    quote."""
    lines = [f"# {_md_heading(article.title)}", "", f"*{_md(' · '.join(metadata_parts(article)))}*", ""]
    if article.url:
        lines.extend([f"<{article.url}>", ""])
    before: tuple[str, int] | None = None  # the last paragraph's quote marks and list level (-1: not an item)
    for index, paragraph in enumerate(article.paragraphs):
        level = article.heading_level(index)
        if article.is_preformatted(index):
            fence = "`" * max(3, max((len(run) for run in _BACKTICKS.findall(paragraph)), default=0) + 1)
            lines.extend([fence, paragraph, fence, ""])
            before = None
        elif level:
            lines.extend([f"{'#' * min(level + 1, 6)} {_md_heading(paragraph)}", ""])
            before = None
        else:
            quote, item, text = _md_paragraph(paragraph, before)
            if before is not None and before[0] == quote and ((item >= 0 and before[1] >= 0) or quote):
                lines.pop()  # the same list (tight) or the same quote: no blank line between
                if item < 0 or before[1] < 0:
                    lines.append(quote.rstrip())
            lines.extend([text, ""])
            before = (quote, item)
    if article.related:
        lines.extend(["## See also", ""])
        for number, link in enumerate(article.related, start=1):
            title = f"[{_md(link.title)}](<{link.url}>)" if link.url else _md(link.title)
            lines.append(f"{number}. {title}")
    if article.links:
        lines.extend(["", "## Links in the text", ""] if article.related else ["## Links in the text", ""])
        for number, link in enumerate(article.links, start=1):
            lines.append(f"{number}. [{_md(link.title)}](<{link.url}>)")
    return "\n".join(lines).rstrip() + "\n"


def to_json(article: Article, extra: dict[str, object] | None = None) -> str:
    """The article's fields as pretty JSON (UTF-8 text, not escaped)."""
    return json.dumps({**article.to_dict(), **(extra or {})}, ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    """Escape what would be Markdown inside a line of ``text``: emphasis, code, links, HTML and entities."""
    return _MARKDOWN_INLINE.sub(r"\\\1", text)


def _md_start(text: str) -> str:
    """:func:`_md` of ``text`` at the start of a line: also what would open a heading, a quote, a list or a rule."""
    text = _md(text.lstrip())
    if _LINE_START.match(text) or (set(text) <= {"-", " "} and text.count("-") >= 3):  # a rule: ---
        return "\\" + text if not text[0].isdigit() else re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return text


def _md_heading(text: str) -> str:
    """A heading's text: :func:`_md` and a last ``#`` kept (Markdown drops a heading's closing ``#`` run)."""
    text = _md(text)
    return text[:-1] + "\\#" if text.endswith("#") else text


def _md_paragraph(paragraph: str, before: tuple[str, int] | None) -> tuple[str, int, str]:
    """(quote marks, list level or -1, Markdown line) of a paragraph; a level deeper than one past the last
    item's is made that (Markdown would read it as code)."""
    found = _QUOTE.match(paragraph)
    quote = found.group() if found else ""
    rest = paragraph[len(quote) :]
    bullet = _BULLET.match(rest)
    if bullet is None:
        return quote, -1, quote + _md_start(rest)
    deepest = before[1] + 1 if before is not None and before[0] == quote else 0
    level = min(len(bullet["indent"]) // 2, deepest)
    marker = f"{bullet['number']}." if bullet["number"] else "-"
    return quote, level, f"{quote}{'    ' * level}{marker} {_md_start(rest[bullet.end() :])}"

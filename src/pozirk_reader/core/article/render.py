"""Articles as plain text, Markdown and JSON, for the CLI and for export."""

from __future__ import annotations

import json
import re

from pozirk_reader.core.article.language import LANGUAGE_NAMES
from pozirk_reader.core.article.model import Article

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")
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
    """The article as Markdown, with text escaped so nothing in it becomes markup.

    A heading of level ``n`` in the text is ``n + 1`` ``#`` (the headline is the one ``#``); preformatted text is
    a fenced code block (a fence longer than any run of backticks in it, so it cannot be closed early)."""
    lines = [f"# {_md(article.title)}", "", f"*{_md(' · '.join(metadata_parts(article)))}*", ""]
    if article.url:
        lines.extend([f"<{article.url}>", ""])
    for index, paragraph in enumerate(article.paragraphs):
        level = article.heading_level(index)
        if article.is_preformatted(index):
            fence = "`" * max(3, max((len(run) for run in _BACKTICKS.findall(paragraph)), default=0) + 1)
            lines.extend([fence, paragraph, fence, ""])
        elif level:
            lines.extend([f"{'#' * min(level + 1, 6)} {_md(paragraph)}", ""])
        else:
            lines.extend([_md(paragraph), ""])
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
    """Escape Markdown's special characters in ``text``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)

"""Articles as plain text, Markdown and JSON, for the CLI and for export."""

from __future__ import annotations

import json
import re

from pozirk_reader.core.article.language import LANGUAGE_NAMES
from pozirk_reader.core.article.model import Article

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


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


def to_plain(article: Article, states: list[str] | None = None) -> str:
    """The article as plain text: headline, metadata, body and numbered related links (with ``states``)."""
    lines = [article.title, " · ".join(metadata_parts(article))]
    if article.url:
        lines.append(article.url)
    lines.append("")
    for paragraph in article.paragraphs:
        lines.extend([paragraph, ""])
    if article.related:
        lines.append("See also:")
        for number, link in enumerate(article.related, start=1):
            state = f" [{states[number - 1]}]" if states and number <= len(states) else ""
            lines.append(f"  {number}. {link.title}" + (f" <{link.url}>" if link.url else "") + state)
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(article: Article) -> str:
    """The article as Markdown, with text escaped so nothing in it becomes markup."""
    lines = [f"# {_md(article.title)}", "", f"*{_md(' · '.join(metadata_parts(article)))}*", ""]
    if article.url:
        lines.extend([f"<{article.url}>", ""])
    for paragraph in article.paragraphs:
        lines.extend([_md(paragraph), ""])
    if article.related:
        lines.extend(["## See also", ""])
        for number, link in enumerate(article.related, start=1):
            title = f"[{_md(link.title)}](<{link.url}>)" if link.url else _md(link.title)
            lines.append(f"{number}. {title}")
    return "\n".join(lines).rstrip() + "\n"


def to_json(article: Article, extra: dict[str, object] | None = None) -> str:
    """The article's fields as pretty JSON (UTF-8 text, not escaped)."""
    return json.dumps({**article.to_dict(), **(extra or {})}, ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    """Escape Markdown's special characters in ``text``."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)

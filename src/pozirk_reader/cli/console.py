"""Printing articles and headlines on a terminal with Rich, or as plain text when piped.

Text from files and feeds is always handed to Rich as :class:`rich.text.Text`, never as
markup, and the console runs with markup and highlighting off. Whether to style is Rich's call,
so its rules apply: styled on a terminal, plain when piped, ``FORCE_COLOR`` styles a pipe too,
``NO_COLOR`` keeps the styles but drops the colours (``TTY_COMPATIBLE`` as Rich documents it).
Every message line (a summary, an error, a feed's line) goes out through
:func:`pozirk_reader.cli.lines.say`, which makes it one safe line whatever it holds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from pozirk_reader.core.article.hygiene import safe_line

if TYPE_CHECKING:  # Rich is imported only to style: piped output, the benchmarks' and scripts', needs none of it
    from rich.console import Console, Group
    from rich.progress import Progress

    from pozirk_reader.core.article.model import Article
    from pozirk_reader.core.operations.searching import SearchHit
    from pozirk_reader.core.store.read_models import Headline


def progress_bar() -> Progress:
    """A transient progress bar on stderr whose description is plain text (Rich reads it as markup by default)."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=make_console(stderr=True),
        transient=True,
    )


def make_console(file: TextIO | None = None, stderr: bool = False) -> Console:
    """A console that never reads markup or highlights text it prints."""
    from rich.console import Console

    return Console(file=file, stderr=stderr, markup=False, highlight=False, emoji=False, soft_wrap=False)


def styled(stream: TextIO) -> Console | None:
    """A console for ``stream`` if Rich would style what goes there (see the module's docstring), else ``None``."""
    if _surely_plain(stream):
        return None
    console = make_console(stream)
    return console if console.is_terminal else None


def _surely_plain(stream: TextIO) -> bool:
    """Whether Rich would surely not style ``stream``, told by its own rules without importing it: ``TTY_COMPATIBLE``
    is 0, or neither it (1) nor ``FORCE_COLOR`` is set and ``stream`` is no terminal. Else Rich decides."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible == "0":
        return True
    return compatible != "1" and "FORCE_COLOR" not in os.environ and not is_terminal(stream)


def is_terminal(stream: TextIO | None = None) -> bool:
    """Tell whether ``stream`` (default stdout) is a terminal itself (for progress bars, which a pipe never wants)."""
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def article_renderable(article: Article, related_states: Iterable[str] | None = None) -> Group:
    """The article as Rich renderables: headline, metadata, body (headings underlined, preformatted text
    indented and never wrapped), numbered related links, then the links in the text.

    ``related_states`` optionally gives each related link a marker (e.g. "in cache").
    """
    from rich.console import Group, RenderableType
    from rich.padding import Padding
    from rich.text import Text

    from pozirk_reader.core.article.render import metadata_parts

    parts: list[RenderableType] = [
        Text(article.title, style="bold"),
        Text(" · ".join(metadata_parts(article)), style="dim"),
    ]
    if article.url:
        parts.append(Text(article.url, style="dim underline"))
    parts.append(Text(""))
    for index, paragraph in enumerate(article.paragraphs):
        if article.is_preformatted(index):
            parts.append(Padding(Text(paragraph, no_wrap=True, overflow="crop"), (0, 0, 1, 2)))
        elif article.heading_level(index):
            parts.append(Padding(Text(paragraph, style="bold underline"), (0, 0, 1, 0)))
        else:
            parts.append(Padding(Text(paragraph), (0, 0, 1, 0)))
    if article.related:
        parts.append(Text("See also:", style="bold"))
        states = list(related_states or [])
        for number, link in enumerate(article.related, start=1):
            line = Text(f"{number:>3}. ", style="bold")
            line.append(link.title)
            if link.url:
                line.append(f" <{link.url}>", style="dim")
            if number - 1 < len(states) and states[number - 1]:
                line.append(f" [{states[number - 1]}]", style="dim italic")
            parts.append(line)
    if article.links:
        parts.append(Text("Links in the text:", style="bold"))
        for number, link in enumerate(article.links, start=1):
            line = Text(f"{f'[{number}]':>5} ", style="bold")
            line.append(link.title)
            line.append(f" <{link.url}>", style="dim")
            parts.append(line)
    return Group(*parts)


def print_article(article: Article, stream: TextIO | None = None, states: list[str] | None = None) -> None:
    """Print ``article``: styled on a terminal, plain text otherwise; ``states`` mark its related links."""
    stream = stream or sys.stdout
    console = styled(stream)
    if console is not None:
        console.print(article_renderable(article, states))
    else:
        from pozirk_reader.core.article.render import to_plain

        stream.write(to_plain(article, states))


def print_headlines(headlines: Iterable[Headline], stream: TextIO | None = None) -> None:
    """Print headline rows: id, date, ``N`` for unread and ``*`` for starred, source, headline."""
    from rich.cells import cell_len

    stream = stream or sys.stdout
    rows = [
        (
            item.id,
            item.date.isoformat() if item.date else " " * 10,
            ("N" if not item.read else " ") + ("*" if item.starred else " "),
            safe_line(item.source_name or ""),
            item.title + (" (gone from its source)" if item.gone else ""),
        )
        for item in headlines
    ]
    width = max((cell_len(row[3]) for row in rows), default=0)  # every name whole, the column as wide as the longest
    console = styled(stream)
    if console is not None:
        from rich.text import Text

        for row in rows:
            line = Text(f"{row[0]}  ", style="dim")
            line.append(f"{row[1]}  {row[2]} ", style="bold" if row[2].startswith("N") else "")
            line.append(row[3] + " " * (width - cell_len(row[3])) + "  ", style="cyan")
            line.append(row[4], style="bold" if row[2].startswith("N") else "")
            console.print(line, overflow="ellipsis", no_wrap=True)
    else:
        for row in rows:
            source = row[3] + " " * (width - cell_len(row[3]))
            stream.write(f"{row[0]}  {row[1]}  {row[2]} {source}  {row[4]}\n")


def print_hits(hits: Iterable[SearchHit], stream: TextIO | None = None) -> None:
    """Print search results: id, date and headline (matches marked on a terminal), then a line of text."""
    stream = stream or sys.stdout
    hits = list(hits)
    if not hits:
        stream.write("nothing found\n")
        return
    console = styled(stream)
    if console is not None:
        from rich.text import Text

    for hit in hits:
        day = hit.headline.date.isoformat() if hit.headline.date else " " * 10
        if console is None:
            stream.write(f"{hit.headline.id}  {day}  {hit.headline.title}\n    {hit.snippet}\n")
            continue
        title = Text(hit.headline.title, style="bold")
        for start, end in hit.title_spans:
            title.stylize("reverse", start, end)
        snippet = Text(hit.snippet, style="dim")
        for start, end in hit.snippet_spans:
            snippet.stylize("bold not dim", start, end)
        console.print(Text.assemble((f"{hit.headline.id}  {day}  ", "dim"), title), overflow="fold")
        console.print(Text("    ").append_text(snippet), overflow="fold")

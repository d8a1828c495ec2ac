"""The article pane: headline, a metadata line, the body in wrapped paragraphs, numbered related links.

Headings stand out, preformatted text is shown as written (not wrapped), and the marks of the links in the text
("[3]") are styled; those links are listed in the "see also" pane.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from pozirk_reader.core.article.render import metadata_parts
from pozirk_reader.core.store.read_models import OpenedArticle
from pozirk_reader.ui.textual_private import content_style_parser, update_scrollbars

LINK_MARKS = {"cached": "→", "url": "↗", "missing": "✗"}
LINK_NOTES = {"cached": "", "url": "  (web only)", "missing": "  (not available)"}


Block = tuple[Content, bool]
"""Whole lines of the article: a :class:`Content` and whether it is wrapped to the pane (preformatted text is not)."""

LINK_MARK = r"\[[0-9]{1,4}\]"
"""How a link in the text is marked after its words ("[3]"), styled in the pane."""


def article_blocks(opened: OpenedArticle) -> list[Block]:
    """The whole article as blocks of lines; outside text is never read as markup.

    Headings are bold (underlined at levels 1 and 2), preformatted text keeps its lines and is not wrapped,
    the marks of the links in the text stand out, and the paragraphs are set apart by blank lines.
    """
    article = opened.stored.article
    meta = " · ".join(metadata_parts(article))
    flags = [
        flag for flag, on in (("★ starred", opened.stored.starred), ("gone from its source", opened.stored.gone)) if on
    ]
    parts: list[str | tuple[str, str] | Content] = [(article.title, "bold $text-primary"), "\n", (meta, "$text-muted")]
    if flags:
        parts += ["\n", (" · ".join(flags), "italic $text-warning")]
    if article.is_summary:
        parts += ["\n", ("The feed's summary only: press f to fetch the full text", "bold $text-warning")]
    elif opened.stored.from_the_web:
        parts += ["\n", ("Full text", "italic $text-success")]
    if article.url:
        parts += ["\n", (article.url, "underline $text-muted")]
    if opened.stored.encoding_warning:
        parts += ["\n", (f"⚠ {opened.stored.encoding_warning}", "italic $text-warning")]
    blocks: list[Block] = [(Content.assemble(*parts), True)]
    blank = (Content(""), False)
    for index, paragraph in enumerate(article.paragraphs):
        level = article.heading_level(index)
        if article.is_preformatted(index):
            text = Content("\n".join("  " + line for line in paragraph.split("\n")))
        elif level:
            text = Content.styled(paragraph, "bold underline $text-primary" if level <= 2 else "bold")
        else:
            text = Content(paragraph)
        if article.links:
            text = text.highlight_regex(LINK_MARK, style="bold $text-accent")
        blocks += [blank, (text, not article.is_preformatted(index))]
    if opened.links:
        parts = ["\n", ("See also", "bold"), "  ", ("press 1–9 to follow", "$text-muted")]
        for link in opened.links:
            number = f"{link.position + 1:>2}" if link.position < 9 else "  "
            style = "" if link.state == "cached" else "$text-muted"
            parts += ["\n", (f"{number} {LINK_MARKS[link.state]} ", "bold"), (link.title, style)]
            if LINK_NOTES[link.state]:
                parts.append((LINK_NOTES[link.state], "italic $text-muted"))
        blocks.append((Content.assemble(*parts), True))
    return blocks


def fold(text: str) -> str:
    """``text`` for matching: lower case, ё as е, every character kept in its place."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    return lowered.replace("ё", "е")


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; scrolls with the arrows, j/k, PgUp/PgDn, space, g/G; finds words in it.

    The article is wrapped and drawn once per article (and width), then only the lines
    on screen are handed out (Textual's Line API), so showing one never relayouts the screen.
    """

    @dataclass
    class Found(Message):
        """A find in the article: match ``current`` (0-based; -1 when none) of ``total``."""

        query: str
        current: int
        total: int

    BINDINGS = [
        Binding("n", "next_match", "Next match", show=False, id="article.next_match"),
        Binding("N", "previous_match", "Previous match", show=False, id="article.previous_match"),
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("space", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("g", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    COMPONENT_CLASSES = {"article-view--match", "article-view--current-match"}

    DEFAULT_CSS = """
    ArticleView { padding: 0 1; overflow-y: scroll; }
    ArticleView > .article-view--match { background: $warning 30%; }
    ArticleView > .article-view--current-match { background: $warning; color: $background; text-style: bold; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._blocks: list[Block] = [(Content("No article open."), True)]
        self._lines: list[Content] = []
        self._strips: dict[int, Strip] = {}
        self._width = 0
        self._query = ""
        self._matches: list[tuple[int, int, int]] = []  # (line, start, end) in the wrapped lines
        self._current = -1

    @property
    def text(self) -> str:
        """What the pane shows, as plain text."""
        return "\n".join(content.plain for content, _ in self._blocks)

    @property
    def lines(self) -> list[str]:
        """The lines the pane holds at its width, as plain text (wrapped, but preformatted lines whole)."""
        return [line.plain for line in self._lines]

    def show(self, opened: OpenedArticle) -> None:
        """Show ``opened`` from its top."""
        self._set(article_blocks(opened))

    def show_message(self, text: str) -> None:
        """Show a plain message instead of an article."""
        self._set([(Content(text), True)])

    def redraw(self, opened: OpenedArticle) -> None:
        """Show ``opened`` again where the reader is (after its flags changed)."""
        scroll_y = self.scroll_y
        self._set(article_blocks(opened))
        self.scroll_to(y=scroll_y, animate=False, immediate=True)

    def _set(self, blocks: list[Block]) -> None:
        self._blocks = blocks
        self._wrap()
        self.scroll_home(animate=False, immediate=True)
        if self._query:
            self.find(self._query)

    # -- finding ---------------------------------------------------------------------------------

    @property
    def match_count(self) -> int:
        """How many matches the current find has."""
        return len(self._matches)

    @property
    def current_match(self) -> int:
        """Which match is the current one (0-based; -1 when there is none)."""
        return self._current

    def find(self, query: str) -> int:
        """Mark every match of ``query`` (any case, ё as е) and go to the first one on or after the top line.

        Returns the number of matches; an empty query clears the find.
        """
        self._query = query.strip()
        self._find_matches()
        if self._matches:
            top = self.scroll_offset.y
            self._current = next((i for i, match in enumerate(self._matches) if match[0] >= top), 0)
            self._show_current()
        self.post_message(self.Found(self._query, self._current, len(self._matches)))
        return len(self._matches)

    def clear_find(self) -> None:
        """Forget the find and its marks."""
        self.find("")

    def action_next_match(self) -> None:
        """Go to the next match (round to the first)."""
        self._step(1)

    def action_previous_match(self) -> None:
        """Go to the previous match (round to the last)."""
        self._step(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """n and N step through matches only while a find has some; otherwise they mean what the screen says."""
        if action in ("next_match", "previous_match"):
            return bool(self._matches)
        return True

    def _step(self, step: int) -> None:
        if not self._matches:
            return
        self._current = (self._current + step) % len(self._matches)
        self._show_current()
        self.post_message(self.Found(self._query, self._current, len(self._matches)))

    def _show_current(self) -> None:
        """Scroll the current match into view, a third of the way down, and draw the marks again."""
        line = self._matches[self._current][0]
        if not self.scroll_offset.y <= line < self.scroll_offset.y + self.scrollable_content_region.height:
            self.scroll_to(y=max(line - self.scrollable_content_region.height // 3, 0), animate=False, immediate=True)
        self._strips.clear()
        self.refresh()

    def _find_matches(self) -> None:
        """The matches of the query in the wrapped lines (a match broken over two lines is not found)."""
        current = self._current
        self._matches = []
        self._current = -1
        self._strips.clear()
        self.refresh()
        needle = fold(self._query)
        if not needle:
            return
        for index, line in enumerate(self._lines):
            text = fold(line.plain)
            start = text.find(needle)
            while start != -1:
                self._matches.append((index, start, start + len(needle)))
                start = text.find(needle, start + len(needle))
        if self._matches and current >= 0:
            self._current = min(current, len(self._matches) - 1)  # the same words wrapped anew: stay on the match

    def _wrap(self) -> None:
        """Wrap the whole article for the current width; lines are drawn when they come into view."""
        width = self.scrollable_content_region.width
        self._width = width
        self._lines = []
        if width > 0:
            for content, wrapped in self._blocks:  # preformatted lines are kept whole (cut at the pane's edge)
                self._lines += content.wrap(width) if wrapped else content.split("\n", allow_blank=True)
        self._strips.clear()
        # A new height needs no new layout (the pane's size is fixed and its scrollbar always shown): set it
        # without the layout that assigning ``virtual_size`` asks for, and update the scrollbar directly.
        virtual_size = Size(width, len(self._lines))
        self.set_reactive(ArticleView.virtual_size, virtual_size)
        update_scrollbars(self, virtual_size)
        self.refresh()
        if self._query:
            self._find_matches()  # the same words, on the new lines

    def render_line(self, y: int) -> Strip:
        """One line of the wrapped article."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            line = self._lines[index]
            if self._matches:
                line = self._marked(index, line)
            strip = self._strips[index] = self._line_strip(line, width)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _line_strip(self, line: Content, width: int) -> Strip:
        """One wrapped line as a strip: what ``Visual.to_strips`` makes of it, without wrapping it again.

        The lines are wrapped already, so the styled segments of a line that fits are made directly (with the
        offsets text selection reads). Textual's own path draws a line while text is selected, and a line it
        would change: one with a tab, or a preformatted line wider than the pane.
        """
        if self.text_selection is not None or line.cell_length > width or "\t" in line.plain:
            return Visual.to_strips(self, line, width, 1, self.visual_style)[0]
        style, x, segments = self.visual_style, 0, []
        for text, text_style in line.render(style, end="", parse_style=content_style_parser(self)):
            segments.append(Segment(text, (style + text_style).rich_style_with_offset(x, 0)))
            x += len(text)
        return Strip(segments, line.cell_length)

    def _marked(self, index: int, line: Content) -> Content:
        """A wrapped line with its matches marked (the current one differently)."""
        current = self._matches[self._current] if self._current >= 0 else None
        for match in self._matches:
            if match[0] == index:
                component = "article-view--current-match" if match == current else "article-view--match"
                line = line.stylize(Style.from_rich_style(self.get_component_rich_style(component)), match[1], match[2])
        return line

    def on_resize(self) -> None:
        """Wrap again when the width changes."""
        if self.scrollable_content_region.width != self._width:
            self._wrap()

    def notify_style_update(self) -> None:
        """Styles changed (a theme): draw the article again."""
        super().notify_style_update()
        if self._width:
            self._wrap()

"""The article pane: headline, a metadata line, the body in wrapped paragraphs, numbered related links."""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from pozirk_reader.core.export import metadata_parts
from pozirk_reader.core.records import OpenedArticle

LINK_MARKS = {"cached": "→", "url": "↗", "missing": "✗"}
LINK_NOTES = {"cached": "", "url": "  (web only)", "missing": "  (not available)"}


def article_content(opened: OpenedArticle) -> Content:
    """The whole article as one :class:`Content`; outside text is never read as markup."""
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
    for paragraph in article.paragraphs:
        parts += ["\n\n", paragraph]
    if opened.links:
        parts += ["\n\n", ("See also", "bold"), "  ", ("press 1–9 to follow", "$text-muted")]
        for link in opened.links:
            number = f"{link.position + 1:>2}" if link.position < 9 else "  "
            style = "" if link.state == "cached" else "$text-muted"
            parts += ["\n", (f"{number} {LINK_MARKS[link.state]} ", "bold"), (link.title, style)]
            if LINK_NOTES[link.state]:
                parts.append((LINK_NOTES[link.state], "italic $text-muted"))
    return Content.assemble(*parts)


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; scrolls with the arrows, j/k, PgUp/PgDn, space, g/G.

    The article is wrapped and drawn once per article (and width), then only the lines
    on screen are handed out (Textual's Line API), so showing one never relayouts the screen.
    """

    BINDINGS = [
        Binding("k", "scroll_up", "Up", show=False, id="article.up"),
        Binding("j", "scroll_down", "Down", show=False, id="article.down"),
        Binding("space", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("g", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
    ]

    DEFAULT_CSS = """
    ArticleView { padding: 0 1; overflow-y: scroll; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._content = Content("No article open.")
        self._lines: list[Content] = []
        self._strips: dict[int, Strip] = {}
        self._width = 0

    @property
    def text(self) -> str:
        """What the pane shows, as plain text."""
        return self._content.plain

    def show(self, opened: OpenedArticle) -> None:
        """Show ``opened`` from its top."""
        self._set(article_content(opened))

    def show_message(self, text: str) -> None:
        """Show a plain message instead of an article."""
        self._set(Content(text))

    def redraw(self, opened: OpenedArticle) -> None:
        """Show ``opened`` again where the reader is (after its flags changed)."""
        scroll_y = self.scroll_y
        self._set(article_content(opened))
        self.scroll_to(y=scroll_y, animate=False, immediate=True)

    def _set(self, content: Content) -> None:
        self._content = content
        self._wrap()
        self.scroll_home(animate=False, immediate=True)

    def _wrap(self) -> None:
        """Wrap the whole article for the current width; lines are drawn when they come into view."""
        width = self.scrollable_content_region.width
        self._width = width
        self._lines = self._content.wrap(width) if width > 0 else []
        self._strips.clear()
        # A new height needs no new layout (the pane's size is fixed and its scrollbar always shown): set it
        # without the layout that assigning ``virtual_size`` asks for, and update the scrollbar directly.
        virtual_size = Size(width, len(self._lines))
        self.set_reactive(ArticleView.virtual_size, virtual_size)
        self._scroll_update(virtual_size)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """One line of the wrapped article."""
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = Visual.to_strips(self, self._lines[index], width, 1, self.visual_style)[0]
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def on_resize(self) -> None:
        """Wrap again when the width changes."""
        if self.scrollable_content_region.width != self._width:
            self._wrap()

    def notify_style_update(self) -> None:
        """Styles changed (a theme): draw the article again."""
        super().notify_style_update()
        if self._width:
            self._wrap()

"""The headline list: a virtual list that draws only the rows on screen.

It holds no store: it knows how many rows there are and asks for the pages it needs
(:class:`HeadlineList.PagesNeeded`); the screen fetches them in a worker and hands
them back with :meth:`HeadlineList.supply`. Rows not yet fetched draw as a dim dot.

A headline takes two lines (its start, then its rest with the date and source) or one
(marks, date, source, headline, like newsboat's list): the ``headline_rows`` setting, where
"auto" means one line once the list is :data:`ONE_LINE_WIDTH` cells wide.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from pozirk_reader.core.config import HeadlineRows
from pozirk_reader.core.store.read_models import Headline
from pozirk_reader.ui.fitting import fit, marked, source_label, split_first_line

PAGE_SIZE = 200
"""Rows fetched from the cache at a time."""

PAGES_KEPT = 12
"""Pages kept in memory; the least recently used go first."""

MAX_CACHED_STRIPS = 4000
"""Drawn lines kept for redrawing; the cache starts over when it grows past this."""

NARROW_LIST_WIDTH = 40
"""Below this width the date drops its year, to leave room for the headline."""

ROW_HEIGHT = 2
"""Lines a headline takes on two-line rows: its start, then its rest with the date and source."""

ONE_LINE_WIDTH = 64
"""With ``headline_rows = "auto"``, a list at least this wide shows a headline on one line."""

SOURCE_CELLS = 16
"""A source's name takes at most this many cells (see :func:`~pozirk_reader.ui.fitting.source_label`)."""

MIN_SOURCE_CELLS = 9
"""On two-line rows, a headline's rest takes the room a long source name would, down to this many cells."""


class HeadlineList(ScrollView, can_focus=True):
    """Headlines newest first: date, source, headline; unread rows marked and bold."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="headlines.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="headlines.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="headlines.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="headlines.page_down"),
        Binding("home,g", "first", "First", show=False, id="headlines.first"),
        Binding("end,G", "last", "Last", show=False, id="headlines.last"),
        Binding("enter", "open", "Open", id="headlines.open"),
    ]

    COMPONENT_CLASSES = {
        "headline-list--cursor",
        "headline-list--unread",
        "headline-list--date",
        "headline-list--source",
        "headline-list--placeholder",
        "headline-list--match",
    }

    DEFAULT_CSS = """
    HeadlineList { background: $surface; overflow-x: hidden; }
    HeadlineList > .headline-list--cursor { background: $block-cursor-blurred-background; }
    HeadlineList:focus > .headline-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    HeadlineList > .headline-list--unread { text-style: bold; }
    HeadlineList > .headline-list--date { color: $foreground-muted; }
    HeadlineList > .headline-list--source { color: $text-accent; }
    HeadlineList > .headline-list--placeholder { color: $foreground-disabled; }
    HeadlineList > .headline-list--match { background: $warning 35%; text-style: bold underline; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """The row under the cursor; :meth:`watch_cursor` redraws only the two rows it leaves and lands on."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a headline (posted once the row is loaded)."""

        headline: Headline
        row: int

    @dataclass
    class Opened(Message):
        """Enter was pressed on a headline."""

        headline: Headline
        row: int

    @dataclass
    class PagesNeeded(Message):
        """Rows starting at each of ``starts`` (multiples of the page size) are wanted."""

        starts: list[int]
        generation: int

    def __init__(
        self,
        *,
        rows: HeadlineRows = HeadlineRows.AUTO,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = rows
        self.row_height = 1 if rows is HeadlineRows.ONE else ROW_HEIGHT
        """Lines a headline takes now (with "auto", it follows the width)."""
        self.total = 0
        self.generation = 0
        self._pages: OrderedDict[int, list[Headline]] = OrderedDict()
        self._requested: set[int] = set()
        self._announced: tuple[int, str] | None = None
        self._quiet: int | None = None
        self._strips: dict[tuple[int, int, bool, int], Strip] = {}
        self._highlights: dict[str, tuple[tuple[int, int], ...]] = {}
        self._row_style_pair: tuple[Style, Style] | None = None  # these two worked out once until the
        self._faded_styles: dict[str, Style] = {}  # styles change (see notify_style_update)

    # -- attributes down -------------------------------------------------------------------------

    def reset(self, total: int, cursor: int = 0, announce: bool = True) -> None:
        """Start over with ``total`` rows (after a filter change or an import); cached pages are dropped.

        With ``announce`` false, the row the cursor starts on is not announced as highlighted.
        """
        self.generation += 1
        self.total = total
        self._strips.clear()
        self._pages.clear()
        self._requested.clear()
        self._highlights.clear()
        self._announced = None
        self._size_rows()
        self.move_to(cursor, announce)
        self.refresh()

    def move_to(self, row: int, announce: bool = False) -> None:
        """Put the cursor on ``row``; unless ``announce``, without posting :class:`Highlighted` for it."""
        self._quiet = None if announce else self.validate_cursor(row)
        self.cursor = row

    def supply(
        self,
        start: int,
        headlines: list[Headline],
        generation: int,
        highlights: dict[str, tuple[tuple[int, int], ...]] | None = None,
    ) -> None:
        """Take a page fetched for :class:`PagesNeeded`; pages from an older generation are ignored.

        ``highlights`` gives, by article id, the ``(start, end)`` spans of each headline to mark as matches.
        """
        if generation != self.generation:
            return
        if highlights:
            self._highlights.update(highlights)
        self._requested.discard(start)
        self._pages[start] = headlines
        self._pages.move_to_end(start)
        while len(self._pages) > PAGES_KEPT:
            self._pages.popitem(last=False)
        self.refresh()
        self._announce()

    def replace(self, headline: Headline) -> None:
        """Update a row already shown (its read or starred mark changed)."""
        for start, rows in self._pages.items():
            for index, row in enumerate(rows):
                if row.id == headline.id:
                    rows[index] = headline
                    self._refresh_row(start + index)
                    return

    def _refresh_row(self, row: int) -> None:
        """Draw one headline again."""
        for key in [key for key in self._strips if key[0] == row]:
            del self._strips[key]
        self.refresh(Region(0, row * self.row_height - self.scroll_offset.y, self.size.width, self.row_height))

    def headline_at(self, row: int) -> Headline | None:
        """The headline at ``row`` if its page is loaded."""
        page = self._pages.get(row - row % PAGE_SIZE)
        if page is None or row % PAGE_SIZE >= len(page):
            return None
        return page[row % PAGE_SIZE]

    def row_of(self, article_id: str) -> int | None:
        """The row of ``article_id`` if it is on a page loaded now."""
        for start, rows in self._pages.items():
            for index, row in enumerate(rows):
                if row.id == article_id:
                    return start + index
        return None

    def match_spans(self, article_id: str) -> tuple[tuple[int, int], ...]:
        """The ``(start, end)`` spans of ``article_id``'s headline marked as search matches."""
        return self._highlights.get(article_id, ())

    @property
    def highlighted(self) -> Headline | None:
        """The headline under the cursor, if loaded."""
        return self.headline_at(self.cursor)

    # -- drawing ---------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one visible line (a headline takes :attr:`row_height` lines), asking for its page if needed."""
        scroll_x, scroll_y = self.scroll_offset
        row, line = divmod(scroll_y + y, self.row_height)
        width = self.scrollable_content_region.width
        plain, cursor_row = self._row_styles()
        base = cursor_row if row == self.cursor else plain
        if row >= self.total:
            return Strip.blank(width, plain)
        key = (row, line, row == self.cursor, width)
        cached = self._strips.get(key)
        if cached is not None:
            return cached.crop_extend(scroll_x, scroll_x + width, base)
        headline = self.headline_at(row)
        if headline is None:
            self._want(row)
            style = base + self._faded("headline-list--placeholder")
            return Strip([Segment("  ·" if line == 0 else "", style)]).crop_extend(scroll_x, scroll_x + width, base)
        if len(self._strips) > MAX_CACHED_STRIPS:
            self._strips.clear()
        strip = self._strips[key] = Strip(self._segments(headline, line, width, base))
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _segments(self, headline: Headline, line: int, width: int, base: Style) -> list[Segment]:
        """One line of a headline: marks and the headline's start, then its rest with date and source."""
        if self.row_height == 1:
            return self._one_line(headline, width, base)
        title_style = base
        if not headline.read:
            title_style += self.get_component_rich_style("headline-list--unread", partial=True)
        text_width = max(width - 3, 1)
        title = headline.title + (" (gone)" if headline.gone else "")
        date_format = "%d.%m.%y" if width >= NARROW_LIST_WIDTH else "%d.%m"
        date = headline.date.strftime(date_format) if headline.date else ""
        first, rest = split_first_line(title, text_width)
        source = self._two_line_source(headline.source_name or "", text_width - len(date) - 1)
        meta = " ".join(part for part in (date, source) if part)
        room = text_width - cell_len(meta) - 1
        spans = self._highlights.get(headline.id, ())
        match_style = title_style + self.get_component_rich_style("headline-list--match", partial=True)
        if line == 0:
            mark = ("●" if not headline.read else " ") + ("★" if headline.starred else " ")
            return [Segment(mark + " ", title_style), *marked(first, 0, spans, title_style, match_style)]
        rest_text = fit(rest, room) if rest else ""
        gap = max(text_width - cell_len(rest_text) - len(meta), 1)
        rest_at = title.find(rest, len(first)) if rest else 0
        segments = [
            Segment("   ", base),
            *marked(rest_text, rest_at, spans, title_style, match_style),
            Segment(" " * gap, base),
        ]
        if date:
            segments.append(Segment(date, base + self._faded("headline-list--date")))
        if source:
            source_style = base + self.get_component_rich_style("headline-list--source", partial=True)
            segments.append(Segment((" " if date else "") + source, source_style))
        return segments

    @staticmethod
    def _two_line_source(name: str, room: int) -> str:
        """The source's label beside the date on a headline's second line (``room`` cells for it and the
        headline's rest): as long for every row of a list this wide, none on a list too narrow for both."""
        cells = SOURCE_CELLS if room >= 3 * SOURCE_CELLS else MIN_SOURCE_CELLS
        if not name or room - cells - 1 < MIN_SOURCE_CELLS:
            return ""
        return source_label(name, cells)

    @staticmethod
    def source_cells(width: int) -> int:
        """Cells of the source column on one-line rows of ``width`` cells."""
        return SOURCE_CELLS if width >= ONE_LINE_WIDTH else MIN_SOURCE_CELLS

    def _one_line(self, headline: Headline, width: int, base: Style) -> list[Segment]:
        """A headline on one line: marks, date, source (on a list wide enough), headline."""
        title_style = base
        if not headline.read:
            title_style += self.get_component_rich_style("headline-list--unread", partial=True)
        mark = ("●" if not headline.read else " ") + ("★" if headline.starred else " ") + " "
        wide = width >= NARROW_LIST_WIDTH
        day = headline.date.strftime("%d.%m.%y" if wide else "%d.%m") if headline.date else " " * (8 if wide else 5)
        segments = [
            Segment(mark, title_style),
            Segment(day + "  ", base + self._faded("headline-list--date")),
        ]
        if wide:
            cells = self.source_cells(width)
            source = source_label(headline.source_name or "", cells)
            source += " " * (cells - cell_len(source))
            segments.append(
                Segment(source + "  ", base + self.get_component_rich_style("headline-list--source", partial=True))
            )
        used = sum(cell_len(segment.text) for segment in segments)
        title = headline.title + (" (gone)" if headline.gone else "")
        match_style = title_style + self.get_component_rich_style("headline-list--match", partial=True)
        spans = self._highlights.get(headline.id, ())
        return [*segments, *marked(fit(title, max(width - used, 1)), 0, spans, title_style, match_style)]

    def _want(self, row: int) -> None:
        """Ask for the page holding ``row`` and its neighbours, once each."""
        start = row - row % PAGE_SIZE
        wanted = [
            page
            for page in (start, start + PAGE_SIZE, start - PAGE_SIZE)
            if 0 <= page < self.total and page not in self._pages and page not in self._requested
        ]
        if wanted:
            self._requested.update(wanted)
            self.post_message(self.PagesNeeded(wanted, self.generation))

    def _announce(self) -> None:
        """Post :class:`Highlighted` for the cursor row once it is loaded and not yet announced."""
        headline = self.highlighted
        if headline is None:
            if self.total:
                self._want(self.cursor)
            return
        if self._announced == (self.cursor, headline.id):
            return
        self._announced = (self.cursor, headline.id)
        if self._quiet == self.cursor:
            self._quiet = None
            return
        self.post_message(self.Highlighted(headline, self.cursor))

    # -- cursor ----------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        """Redraw the two rows, keep the cursor in view, and say what is highlighted."""
        _, scroll_y = self.scroll_offset
        width = self.size.width
        self.refresh(
            Region(0, old * self.row_height - scroll_y, width, self.row_height),
            Region(0, new * self.row_height - scroll_y, width, self.row_height),
        )
        self._scroll_to_cursor()
        self._announce()

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a row."""
        return min(max(value, 0), max(self.total - 1, 0))

    def action_cursor_up(self) -> None:
        """Move up one row."""
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        """Move down one row."""
        self.cursor += 1

    def action_page_up(self) -> None:
        """Move up a screenful."""
        self.cursor -= max(self.size.height // self.row_height - 1, 1)

    def action_page_down(self) -> None:
        """Move down a screenful."""
        self.cursor += max(self.size.height // self.row_height - 1, 1)

    def action_first(self) -> None:
        """Go to the newest headline."""
        self.cursor = 0

    def action_last(self) -> None:
        """Go to the oldest headline."""
        self.cursor = self.total - 1

    def action_open(self) -> None:
        """Open the headline under the cursor."""
        headline = self.highlighted
        if headline is not None:
            self.post_message(self.Opened(headline, self.cursor))

    def on_click(self, event: object) -> None:
        """Move the cursor to the clicked row."""
        offset = getattr(event, "y", None)
        if offset is not None:
            self.cursor = (self.scroll_offset.y + int(offset)) // self.row_height

    def on_focus(self) -> None:
        """The cursor row is drawn differently with focus."""
        self._redraw()

    def on_blur(self) -> None:
        """The cursor row is drawn differently without focus."""
        self._redraw()

    def _redraw(self) -> None:
        """Forget the drawn rows and draw the list again."""
        self._strips.clear()
        self.refresh()

    def _row_styles(self) -> tuple[Style, Style]:
        """The list's own style and the cursor row's. ``rich_style`` walks every ancestor: worked out for each
        line, it was most of the time of a frame that scrolls the list."""
        if self._row_style_pair is None:
            plain = self.rich_style
            self._row_style_pair = plain, plain + self.get_component_rich_style("headline-list--cursor", partial=True)
        return self._row_style_pair

    def _faded(self, component: str) -> Style:
        """The colour of ``component`` (a theme's translucent foreground) blended over the list's background:
        a Rich style drops the translucency, and an "auto" colour resolves to white on a light theme."""
        found = self._faded_styles.get(component)
        if found is None:
            background = self.background_colors[1]
            color = (background + self.get_component_styles(component).color).rich_color
            found = self._faded_styles[component] = Style(color=color)
        return found

    def notify_style_update(self) -> None:
        """Styles changed (a theme, a focus change): drawn rows and the styles they were drawn in go."""
        self._strips.clear()
        self._row_style_pair = None
        self._faded_styles.clear()
        super().notify_style_update()

    def on_resize(self) -> None:
        """Keep the virtual size in step with the widget, the rows' height with the width, and the cursor's
        headline in view, the list starting with a whole headline."""
        self._strips.clear()
        top_row = self.scroll_offset.y // self.row_height
        if self.rows is HeadlineRows.AUTO:
            self.row_height = 1 if self.size.width >= ONE_LINE_WIDTH else ROW_HEIGHT
        self._size_rows()
        self._scroll_to_cursor(top_row)

    def _size_rows(self) -> None:
        """The virtual size: the rows, and room below the last so that the list scrolls by whole headlines."""
        view = max(self.scrollable_content_region.height, 1)
        spare = -view % self.row_height
        self.virtual_size = Size(self.scrollable_content_region.width, self.total * self.row_height + spare)

    def _scroll_to_cursor(self, top_row: int | None = None) -> None:
        """Scroll by whole headlines (from ``top_row``, else where the list is) until the cursor's is in view."""
        height = self.row_height
        if top_row is None:
            top_row = -(-self.scroll_offset.y // height)  # the first headline shown whole
        shown = max(self.scrollable_content_region.height // height, 1)
        if self.cursor < top_row:
            top_row = self.cursor
        elif self.cursor >= top_row + shown:
            top_row = self.cursor - shown + 1
        self.scroll_to(y=top_row * height, animate=False, immediate=True, force=True)

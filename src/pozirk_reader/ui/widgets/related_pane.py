"""The "see also" pane: the open article's related links, the links in its text, suggestions ("more like this"),
then what links to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pozirk_reader.core.store.read_models import OpenedArticle, ResolvedLink
from pozirk_reader.ui.textual_private import update_scrollbars
from pozirk_reader.ui.widgets.article_view import LINK_MARKS, LINK_NOTES


class RelatedPane(OptionList):
    """Related links (marked followable, web only, or not available), suggestions and backlinks; Enter follows."""

    BINDINGS = [
        Binding("k", "cursor_up", "Up", show=False, id="related.up"),
        Binding("j", "cursor_down", "Down", show=False, id="related.down"),
        Binding("g", "first", "First", show=False, id="related.first"),
        Binding("G", "last", "Last", show=False, id="related.last"),
    ]

    @dataclass
    class LinkChosen(Message):
        """Enter on related link number ``position`` (0-based)."""

        position: int

    @dataclass
    class InlineLinkChosen(Message):
        """Enter on link number ``position + 1`` of the links in the text (0-based ``position``)."""

        position: int

    @dataclass
    class SuggestionChosen(Message):
        """Enter on a suggested similar article."""

        article_id: str

    @dataclass
    class BacklinkChosen(Message):
        """Enter on an article that links here."""

        article_id: str

    DEFAULT_CSS = """
    RelatedPane { overflow-y: scroll; }
    """

    _steady = False

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        """Refresh, without asking for a layout while :meth:`show` replaces the options."""
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._steady, recompose=recompose)

    def show(self, opened: OpenedArticle, keep_cursor: bool = False) -> None:
        """List ``opened``'s links and backlinks; with ``keep_cursor``, the cursor stays on the option it was on."""
        kept = self.highlighted_option.id if keep_cursor and self.highlighted_option is not None else None
        options: list[Option | None] = []
        if not opened.links:
            options.append(Option(Content.styled("no related links", "italic $text-muted"), disabled=True))
        for link in opened.links:
            number = f"{link.position + 1}" if link.position < 9 else "·"
            prompt = Content.assemble((f"{number} {LINK_MARKS[link.state]} ", "bold"), link.title)
            if LINK_NOTES[link.state]:
                prompt = prompt.append(Content.styled(LINK_NOTES[link.state], "italic $text-muted"))
            options.append(Option(prompt, id=f"link-{link.position}"))
        if opened.inline:
            options.append(None)
            options.append(Option(Content.styled(f"Links in the text ({len(opened.inline)})", "bold"), disabled=True))
            for link in opened.inline:
                prompt = Content.assemble((f"[{link.position + 1}] {LINK_MARKS[link.state]} ", "bold"), link.title)
                if LINK_NOTES[link.state]:
                    prompt = prompt.append(Content.styled(LINK_NOTES[link.state], "italic $text-muted"))
                options.append(Option(prompt, id=f"inline-{link.position}"))
        if opened.suggestions:
            options.append(None)
            options.append(Option(Content.styled("More like this", "bold"), disabled=True))
            for headline in opened.suggestions:
                options.append(Option(Content.assemble(("≈ ", "bold"), headline.title), id=f"like-{headline.id}"))
        options.append(None)
        options.append(Option(Content.styled(f"Linked from ({len(opened.backlinks)})", "bold"), disabled=True))
        for headline in opened.backlinks:
            options.append(Option(Content.assemble(("← ", "bold"), headline.title), id=f"back-{headline.id}"))
        if not opened.backlinks:
            options.append(Option(Content.styled("no article links here", "italic $text-muted"), disabled=True))
        # The pane's size is fixed by the layout and its scrollbar always shown, so new options need no new
        # layout of the screen (which would repaint every pane): only the scrollbar is brought up to date.
        self._steady = True
        try:
            self.set_options(options)
        finally:
            self._steady = False
        update_scrollbars(self, self.virtual_size)
        first = next((index for index, option in enumerate(self.options) if not option.disabled), None)
        self.highlighted = next((i for i, option in enumerate(self.options) if kept and option.id == kept), first)

    def highlighted_link(self, opened: OpenedArticle | None) -> ResolvedLink | None:
        """The link under the cursor (a see-also link or a link in the text), if a link is."""
        option = self.highlighted_option
        if opened is None or option is None or not option.id:
            return None
        kind, _, number = option.id.partition("-")
        links = {"link": opened.links, "inline": opened.inline}.get(kind, ())
        return next((link for link in links if str(link.position) == number), None)

    def highlighted_url(self, opened: OpenedArticle | None) -> str | None:
        """The web address of the link under the cursor (a see-also link or a link in the text), if it has one."""
        link = self.highlighted_link(opened)
        return link.url if link else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Turn a selection into :class:`LinkChosen`, :class:`InlineLinkChosen`, :class:`BacklinkChosen` or
        :class:`SuggestionChosen`."""
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith("link-"):
            self.post_message(self.LinkChosen(int(option_id.removeprefix("link-"))))
        elif option_id.startswith("inline-"):
            self.post_message(self.InlineLinkChosen(int(option_id.removeprefix("inline-"))))
        elif option_id.startswith("back-"):
            self.post_message(self.BacklinkChosen(option_id.removeprefix("back-")))
        elif option_id.startswith("like-"):
            self.post_message(self.SuggestionChosen(option_id.removeprefix("like-")))

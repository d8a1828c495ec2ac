"""The command palette's reader commands: every action of the main screen, and the open article's links."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from functools import partial
from typing import ClassVar, Protocol

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from pozirk_reader.core.store.read_models import LinkState, OpenedArticle

PALETTE_HELP = {
    "back": "Go back to the previous article",
    "forward": "Go forward in the history",
    "toggle_read": "Mark the open article read or unread",
    "toggle_star": "Star or unstar the open article",
    "toggle_unread_only": "Show only unread headlines, or all",
    "next_unread": "Open the next unread article",
    "previous_unread": "Open the previous unread article",
    "open_in_browser": "Open the article's web address in the browser",
    "refresh": "Fetch new articles from every feed",
    "sync": "Sync the accounts on news servers: push what was read and starred, pull what is new",
    "accounts": "The accounts on news servers (Google Reader API, Fever): add, remove, sync",
    "search": "Search every article (headline and text) as you type",
    "filter": "Filter the headlines: unread, starred, one source, a date range",
    "close_search": "Leave the search results for the whole list",
    "find": "Find words in the open article",
    "full_text": "Fetch the full text of a feed summary from its page",
    "mark_view_read": "Mark every article of the list as shown read (U undoes)",
    "mark_source_read": "Mark every article of the open article's source read (U undoes)",
    "undo_mark": "Undo the last mark of a view or a source",
    "sources": "Show the sources with their counts, to pick, refresh, rename, remove or mark read",
    "copy": "Copy the article's or the link's web address",
    "thread": "Show the story: every cached article joined to this one by links",
    "help": "Show every key",
}

TEXTUAL_OFFERS = {"quit"}
"""Actions the palette lists already as Textual's own commands (its Quit), not offered twice."""


class PaletteSource(Protocol):
    """The screen whose actions the palette offers: its bindings, its actions, the open article's links."""

    BINDINGS: ClassVar[list[BindingType]]

    @property
    def opened(self) -> OpenedArticle | None: ...

    def run_action(self, action: str) -> Awaitable[None]: ...

    def follow_link(self, position: int) -> None: ...


def palette_commands(screen: PaletteSource) -> Iterable[SystemCommand]:
    """Every reader action for the command palette, named as in the help screen."""
    for binding in screen.BINDINGS:
        if (
            isinstance(binding, Binding)
            and binding.description
            and not binding.action.startswith("follow")
            and binding.action not in TEXTUAL_OFFERS
        ):
            yield SystemCommand(
                binding.description,
                PALETTE_HELP.get(binding.action, binding.description),
                partial(screen.run_action, binding.action),
            )
    if screen.opened:
        for link in screen.opened.links[:9]:
            number = link.position + 1
            if link.state == LinkState.MISSING:  # not available: what Enter does is a search for it
                name, what = f"Search for link {number}: {link.title}", "Not cached: look for articles with its words"
            elif link.state == LinkState.URL:
                name, what = f"Fetch link {number}: {link.title}", "Fetch this page from the web and open it"
            else:
                name, what = f"Follow link {number}: {link.title}", "Open this related article"
            yield SystemCommand(name, what, partial(screen.follow_link, link.position))

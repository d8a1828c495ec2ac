"""The filter dialog: unread only, starred only, one source, a date range; they combine with the search."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.search.filters import NO_FILTERS, SearchFilters
from pozirk_reader.core.store.read_models import Source


class FilterScreen(ModalScreen[SearchFilters | None]):
    """Choose filters; Apply (or Enter in a date) returns them, Clear returns none, Escape changes nothing."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="filters.cancel")]

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical { width: 64; height: auto; border: round $primary; background: $surface; padding: 1 2; }
    FilterScreen Horizontal { height: auto; }
    FilterScreen Input { width: 1fr; }
    FilterScreen Label { margin-top: 1; }
    FilterScreen #buttons { margin-top: 1; align-horizontal: right; }
    FilterScreen Button { margin-left: 1; }
    """

    def __init__(self, filters: SearchFilters, sources: list[Source]) -> None:
        super().__init__()
        self.filters = filters
        self.sources = sources

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Filter the headlines"
            yield Checkbox("Unread only", self.filters.unread_only, id="unread")
            yield Checkbox("Starred only", self.filters.starred_only, id="starred")
            yield Label("Source")
            options = [(Text(safe_line(source.name)), source.id) for source in self.sources]
            yield Select(
                options,
                value=self.filters.source_id if self.filters.source_id is not None else Select.NULL,
                prompt="All sources",
                id="source",
            )
            yield Label("Dated from … to … (YYYY-MM-DD, both days included; either may be empty)")
            with Horizontal():
                yield Input(_iso(self.filters.since), placeholder="since", id="since")
                yield Input(_iso(self.filters.until), placeholder="until", id="until")
            with Horizontal(id="buttons"):
                yield Button("Clear", id="clear")
                yield Button("Apply", variant="primary", id="apply")

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(NO_FILTERS)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply(self) -> None:
        try:
            since = _date(self.query_one("#since", Input).value)
            until = _date(self.query_one("#until", Input).value)
        except ValueError as error:
            self.notify(str(error), severity="error", timeout=5)  # it quotes what was typed: plain text (see the app)
            return
        if since and until and since > until:
            self.notify("The first date is after the second.", severity="error", timeout=5)
            return
        source = self.query_one("#source", Select).value
        self.dismiss(
            SearchFilters(
                unread_only=self.query_one("#unread", Checkbox).value,
                starred_only=self.query_one("#starred", Checkbox).value,
                source_id=source if isinstance(source, int) else None,
                since=since,
                until=until,
            )
        )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _date(text: str) -> date | None:
    """A date typed as YYYY-MM-DD, or ``None`` for nothing typed."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"“{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-11-24") from None

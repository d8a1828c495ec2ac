"""A one-line query input, hidden until asked for: the search line over the headlines, the find line under the article."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


@dataclass
class _FromBar(Message):
    """A message from a :class:`QueryBar`; ``@on(..., "#id")`` tells the bars apart by it."""

    bar: QueryBar

    @property
    def control(self) -> QueryBar:
        return self.bar


class QueryBar(Input):
    """An :class:`Input` that says when it is left: Escape posts :class:`Cancelled`, ↓ posts :class:`Leave`.

    Typing posts Textual's ``Input.Changed`` and Enter ``Input.Submitted``, as any input does.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="query.cancel"),
        Binding("down", "leave", "To the results", show=False, id="query.leave"),
    ]

    class Cancelled(_FromBar):
        """Escape: close the bar and undo what it did."""

    class Leave(_FromBar):
        """↓: keep the query and move to what it found."""

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self))

    def action_leave(self) -> None:
        self.post_message(self.Leave(self))

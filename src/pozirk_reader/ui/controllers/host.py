"""What every controller needs from the screen that owns it, and how a controller runs work in a thread."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker

if TYPE_CHECKING:
    from textual.app import App


class Host(Protocol):
    """The screen, as any controller sees it: Textual's messages, workers, timers and notifications."""

    @property
    def app(self) -> App[object]: ...

    def post_message(self, message: Message) -> bool: ...

    def run_worker(
        self,
        work: Callable[[], None],
        name: str | None = "",
        group: str = "default",
        description: str = "",
        exit_on_error: bool = True,
        start: bool = True,
        exclusive: bool = False,
        thread: bool = False,
    ) -> Worker[None]: ...

    def set_timer(
        self,
        delay: float,
        callback: Callable[[], object] | None = None,
        *,
        name: str | None = None,
        pause: bool = False,
    ) -> Timer: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Show a notification; plain text (never markup) unless ``markup``."""
        ...

    def update_status(self) -> None:
        """Write the status line again (counts, search, filters, tasks)."""
        ...


H = TypeVar("H", bound=Host)


class Controller(Generic[H]):
    """A job the main screen hands over: it keeps the job's state and reaches Textual through ``host``."""

    def __init__(self, host: H) -> None:
        self.host = host


C = TypeVar("C", bound=Controller[Any])
P = ParamSpec("P")


def in_thread(
    *, group: str, description: str, exclusive: bool = False
) -> Callable[[Callable[Concatenate[C, P], None]], Callable[Concatenate[C, P], None]]:
    """Run the decorated controller method in a thread worker of its host, as ``@work(thread=True)`` would.

    The worker belongs to the host (the screen): ``exclusive`` cancels the host's other workers in
    ``group``, and an error reaches the host's ``on_worker_state_changed`` instead of ending the app.
    """

    def decorator(method: Callable[Concatenate[C, P], None]) -> Callable[Concatenate[C, P], None]:
        @functools.wraps(method)
        def start(self: C, *args: P.args, **kwargs: P.kwargs) -> None:
            self.host.run_worker(
                functools.partial(method, self, *args, **kwargs),
                name=method.__name__,
                group=group,
                description=description,
                exclusive=exclusive,
                exit_on_error=False,
                thread=True,
            )

        return start

    return decorator


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus at once. ``Widget.focus`` waits until the app's queued messages are handled,
    so keys already queued (``/`` and a word typed fast, in one burst) would go to the widget that had it."""
    widget.screen.set_focus(widget)

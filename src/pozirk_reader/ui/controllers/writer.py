"""Writes of reading state in the order they were asked for, one after another, off the UI thread.

Marking read (an opening, a dwell), toggling a flag, marking a view or a source read and undoing it
must reach the cache in the order the keys were pressed: a toggle computed while an opening's "read" is
still on its way would undo the wrong thing. Thread workers run in any order, so the screen keeps one
:class:`OrderedWriter`: each write is queued and one worker at a time runs the queue to its end.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from pozirk_reader.ui.controllers.host import Host

Write = Callable[[], None]
"""One write (it runs in a worker thread, and posts what changed)."""


class OrderedWriter:
    """Runs writes in a worker of ``host``, in the order :meth:`submit` was called."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self._queue: deque[Write] = deque()
        self._lock = threading.Lock()
        self._running = False

    def submit(self, write: Write, description: str = "saving what was read") -> None:
        """Queue ``write``; it runs after every write queued before it."""
        with self._lock:
            self._queue.append(write)
            if self._running:
                return
            self._running = True
        self.host.run_worker(
            self._drain, name="write", group="write", description=description, exit_on_error=False, thread=True
        )

    def _drain(self) -> None:
        """Run queued writes until none is left (a failing one is reported and the rest still run)."""
        while True:
            with self._lock:
                if not self._queue:
                    self._running = False
                    return
                write = self._queue.popleft()
            try:
                write()
            except Exception:
                with self._lock:
                    if self._queue:  # the rest run in a worker of their own
                        self.host.app.call_from_thread(self._restart)
                    else:
                        self._running = False
                raise

    def _restart(self) -> None:
        self.host.run_worker(
            self._drain,
            name="write",
            group="write",
            description="saving what was read",
            exit_on_error=False,
            thread=True,
        )

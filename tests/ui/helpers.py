"""Helpers for driving the reader in tests: a private library with fixed dates, and waiting on the app.

Nothing here waits a fixed time. :func:`settle` waits until the app has nothing left to do (no worker,
no worker thread, no message queued); :func:`wait_for` polls a condition (a timer firing, a key handled);
:class:`ManualTimers` lets a test fire the screen's preview and dwell timers itself.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
import weakref
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from pozirk_reader.core.config import Settings
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import OpenedArticle
from pozirk_reader.ui.app import ReaderApp
from pozirk_reader.ui.screens.main import MainScreen
from tests.samples import SAMPLES

FIXED_TIME = datetime(2026, 11, 20, 12, 0).timestamp()
"""Every sample file's modification time in tests, so inferred years and the undated article's place are fixed."""


def sample_library(folder: Path) -> Path:
    """Copy the samples into ``folder / 'sample_articles'`` with a fixed modification time."""
    target = Path(shutil.copytree(SAMPLES, folder / "sample_articles"))
    for file in target.glob("*.txt"):
        os.utime(file, (FIXED_TIME, FIXED_TIME))
    return target


def imported_cache(folder: Path) -> tuple[Path, Path]:
    """A cache at ``folder/data`` with the samples already imported; returns (cache, library)."""
    library = sample_library(folder)
    cache = folder / "data" / "library.sqlite3"
    with Store.open(cache) as store:
        import_path(store, library)
    return cache, library


def make_app(
    cache: Path,
    samples: Path | None = None,
    import_paths: list[Path] | None = None,
    feeds: Iterable[str] = (),
    **settings: Any,
) -> ReaderApp:
    """The reader on ``cache``, with ``settings`` as if the config file gave them."""
    return ReaderApp(
        cache,
        settings=Settings(**settings),
        import_paths=import_paths or [],
        samples=samples,
        feeds=feeds,
    )


_NOTIFIED: weakref.WeakKeyDictionary[App[Any], list[Notification]] = weakref.WeakKeyDictionary()


def run(
    app: ReaderApp,
    size: tuple[int, int] = (120, 40),
    message_hook: Callable[[Message], None] | None = None,
    notifications: bool = False,
) -> AbstractAsyncContextManager[Pilot[None]]:
    """``app.run_test`` at ``size``, keeping every notification the app is sent, for :func:`notified`.

    The app forgets a notification once its timeout passes; the record does not, so a check cannot
    miss one on a slow machine. ``notifications`` also shows them on screen (toasts).
    """
    shown = _NOTIFIED.setdefault(app, [])

    def hook(message: Message) -> None:
        if isinstance(message, Notify):
            shown.append(message.notification)
        if message_hook is not None:
            message_hook(message)

    return app.run_test(size=size, message_hook=hook, notifications=notifications)


def notifications(app: App[Any]) -> list[Notification]:
    """Every notification ``app`` (run with :func:`run`) was sent so far."""
    if app not in _NOTIFIED:
        raise AssertionError("run the app with tests.ui.helpers.run to check its notifications")
    return list(_NOTIFIED[app])


def notified(app: App[Any], text: str) -> bool:
    """Whether ``app`` (run with :func:`run`) was sent a notification containing ``text`` (any case)."""
    return any(text.lower() in notification.message.lower() for notification in notifications(app))


# -- waiting for the app ----------------------------------------------------------------------------


class CountingExecutor(ThreadPoolExecutor):
    """The event loop's default executor in the UI tests: it knows when every call it was given has returned.

    Textual runs thread workers here. A worker cancelled by an exclusive newer one is no longer a running
    worker, but its thread runs on to the end and may still post a message; no worker state says when it
    ends. This does: :attr:`idle` is set whenever no call is queued or running.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(thread_name_prefix="reader-test")
        self._loop = loop
        self._lock = threading.Lock()
        self._busy = 0
        self.idle = asyncio.Event()
        self.idle.set()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self._busy += 1
        self.idle.clear()  # run_in_executor calls this on the loop's thread
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any]) -> None:
        with self._lock:
            self._busy -= 1
            idle = self._busy == 0
        if idle:
            self._loop.call_soon_threadsafe(self._check_idle)

    def _check_idle(self) -> None:
        with self._lock:
            if self._busy == 0:
                self.idle.set()

    @property
    def busy(self) -> bool:
        """Whether a call is queued or running."""
        with self._lock:
            return self._busy > 0


_EXECUTORS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CountingExecutor] = weakref.WeakKeyDictionary()


def count_worker_threads(monkeypatch: pytest.MonkeyPatch) -> list[CountingExecutor]:
    """Give every event loop a :class:`CountingExecutor` as its default executor; returns them, to shut down."""
    made: list[CountingExecutor] = []
    original = asyncio.BaseEventLoop.run_in_executor

    def run_in_executor(loop: asyncio.BaseEventLoop, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        if executor is None:
            executor = _EXECUTORS.get(loop)
            if executor is None:
                executor = _EXECUTORS[loop] = CountingExecutor(loop)
                made.append(executor)
        return original(loop, executor, func, *args)

    monkeypatch.setattr(asyncio.BaseEventLoop, "run_in_executor", run_in_executor)
    return made


def _nodes(app: App[Any]) -> list[Any]:
    """The app, every screen on its stack and every widget on them."""
    return [app, *(node for screen in app.screen_stack for node in screen.walk_children(with_self=True))]


async def _handled(app: App[Any]) -> None:
    """Wait until every message queued now for the app, its screens and their widgets has been handled."""
    done: list[asyncio.Event] = []
    for node in _nodes(app):
        event = asyncio.Event()
        if node.call_later(event.set):  # queued behind the node's messages
            done.append(event)
    await asyncio.gather(*(event.wait() for event in done))


async def settle(pilot: Pilot[Any], timeout: float = 60.0) -> None:
    """Wait until the app has nothing left to do: no worker running, no worker thread (a cancelled one's
    included), and every message they or their handlers posted handled. Timers are not waited for.
    """
    app = pilot.app

    def running() -> list[Any]:
        return [worker for worker in app.workers if worker.is_running and not worker.is_cancelled]

    async def until_idle() -> None:
        while True:
            executor = _EXECUTORS.get(asyncio.get_running_loop())
            if executor is not None:
                await executor.idle.wait()
            await asyncio.gather(*(worker.wait() for worker in running()), return_exceptions=True)
            await _handled(app)
            busy = executor is not None and executor.busy
            if not busy and not running() and not any(node.message_queue_size for node in _nodes(app)):
                return

    try:
        await asyncio.wait_for(until_idle(), timeout)
    except TimeoutError:
        raise AssertionError(f"the app was still busy after {timeout} s: {running()}") from None


async def wait_for(pilot: Pilot, condition: Callable[[], object], timeout: float = 30.0) -> None:
    """Let the app run until ``condition()`` is true (a timer fired, a message arrived); a poll, not a pause."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


def main_screen(pilot: Pilot) -> MainScreen:
    """The reader's main screen."""
    screen = pilot.app.screen_stack[1] if len(pilot.app.screen_stack) > 1 else pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def ready(pilot: Pilot) -> MainScreen:
    """Wait until the main screen is up with its list loaded and an article shown."""
    await wait_for(pilot, lambda: len(pilot.app.screen_stack) > 1)
    screen = main_screen(pilot)
    await wait_for(pilot, lambda: screen.opened is not None and screen.headline_list.highlighted is not None)
    return screen


def shown(screen: MainScreen) -> OpenedArticle:
    """The article the article pane shows."""
    assert screen.opened is not None
    return screen.opened


async def shows_title(pilot: Pilot, screen: MainScreen, prefix: str) -> None:
    """Wait until the open article's headline starts with ``prefix``."""
    await wait_for(pilot, lambda: screen.opened is not None and screen.opened.stored.article.title.startswith(prefix))


async def follow_first_link_of_oldest(pilot: Pilot) -> MainScreen:
    """Go to the oldest sample (the tram line) and follow its link 1, to the Grodno buses."""
    screen = await ready(pilot)
    await pilot.press("G")
    await shows_title(pilot, screen, "В Минске продлят")
    await pilot.press("1")
    await shows_title(pilot, screen, "Пригородные автобусы Гродно")
    return screen


class ManualTimer:
    """A stand-in for a Textual timer that fires only when the test says."""

    def __init__(self, name: str, callback: Callable[[], object]) -> None:
        self.name = name
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class ManualTimers:
    """The main screen's timers named ``names`` (e.g. "preview", "dwell"), fired by the test instead of the clock.

    Other timers run as usual. :meth:`install` before the app starts.
    """

    def __init__(self, *names: str) -> None:
        self.names = set(names)
        self.made: list[ManualTimer] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> ManualTimers:
        real = MainScreen.set_timer

        def set_timer(screen: MainScreen, delay: float, callback: Any = None, *, name: str | None = None, **kw: Any):
            if name in self.names:
                timer = ManualTimer(name, callback)
                self.made.append(timer)
                return timer
            return real(screen, delay, callback, name=name, **kw)

        monkeypatch.setattr(MainScreen, "set_timer", set_timer)
        return self

    def pending(self, name: str) -> list[ManualTimer]:
        """The timers named ``name`` set and neither stopped nor fired."""
        return [timer for timer in self.made if timer.name == name and not timer.stopped]

    def fire(self, name: str) -> None:
        """Fire the one pending timer named ``name`` (there must be exactly one), as its time had come."""
        pending = self.pending(name)
        assert len(pending) == 1, f"{len(pending)} {name} timers pending"
        pending[0].stopped = True
        pending[0].callback()

"""The Textual app: opens the cache in a worker, then hands over to the main screen."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.config import Settings, save_settings
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.screens.main import MainScreen

VERIFY_AFTER_SECONDS = 2.0
"""The integrity check waits this long after start-up, so it does not slow the first screen."""


class ReaderApp(App[None]):
    """pozirk-reader's terminal UI."""

    CSS_PATH = "reader.tcss"
    TITLE = "pozirk-reader"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        cache: Path,
        settings_path: Path | None = None,
        settings: Settings | None = None,
        import_paths: Iterable[Path] = (),
        samples: Path | None = None,
        feeds: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self.cache = cache
        self.settings_path = settings_path
        self.settings = settings or Settings()
        self.import_paths = list(import_paths)
        self.feeds = list(feeds)
        self.samples = samples
        self.store: Store | None = None
        self.exit_message: str | None = None
        self._mounted = False
        """Whether the app has mounted: from then on a theme set is the reader's choice, and remembered."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification, from any screen or widget: plain text on one line, whatever ``markup`` says.

        Notifications hold file names, feed titles, addresses and error texts from outside: markup in them
        is shown as typed, and controls, bidi and zero-width characters as escapes (:func:`safe_line`).
        """
        super().notify(safe_line(message), title=safe_line(title), severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        """Apply the saved theme and keymap, then open the cache off the UI thread."""
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if self.settings.problem:
            self.notify(self.settings.problem, severity="warning")
        self._mounted = True
        self._open_cache()

    @work(thread=True, exclusive=True, group="cache", exit_on_error=False, description="opening the cache")
    def _open_cache(self, check: bool = False) -> Store:
        """Open the cache; without ``check`` the integrity check runs afterwards, in the background."""
        if self.store is not None:
            self.store.close()
        return Store.open(self.cache, check=check)

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False, description="checking the cache")
    def _verify_cache(self, store: Store) -> None:
        """Run the integrity check; a damaged cache is reopened with the check, which moves it aside."""
        problem = store.integrity_problem()
        if problem is not None:
            self.call_from_thread(self._recover, problem)

    def _recover(self, problem: str) -> None:
        """Leave the damaged cache: back to the empty screen, then reopen with the check."""
        self.notify(f"The cache failed its integrity check ({problem}); moving it aside.", severity="error")
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._open_cache(check=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show the main screen once the cache is open; a cache that cannot open ends the app with why."""
        if event.worker.name != "_open_cache":
            return
        if event.state == WorkerState.SUCCESS:
            self.store = event.worker.result
            assert self.store is not None
            self.push_screen(MainScreen(self.store, self.import_paths, self.samples, self.feeds, self.settings.keymap))
            if self.store.recovery_message:
                self.notify(self.store.recovery_message, severity="warning", timeout=15)
            else:
                store = self.store
                self.set_timer(VERIFY_AFTER_SECONDS, lambda: self._verify_cache(store))
        elif event.state == WorkerState.ERROR:
            self.exit_message = str(event.worker.error)
            self.exit(return_code=1)

    def watch_theme(self, theme: str) -> None:
        """Remember the theme chosen while the reader runs (not one set before it starts)."""
        if self.settings_path and theme != self.settings.theme and self._mounted:
            self.settings.theme = theme
            self._save_settings()

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False, description="saving settings")
    def _save_settings(self) -> None:
        assert self.settings_path is not None
        save_settings(self.settings_path, self.settings)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, then every reader action with its key."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield from screen.palette_commands()

    def on_unmount(self) -> None:
        """Close the cache."""
        if self.store is not None:
            self.store.close()

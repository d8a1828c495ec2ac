"""The Textual app: applies the config, opens the cache in a worker, then hands over to the main screen.

The config file is read before the app starts (see :func:`pozirk_reader.core.config.load_config`) and
never written. Its problems, and those only the app can find (an unknown binding id or theme), are
notifications; the valid settings apply. A theme picked in the palette is remembered in the cache
(meta ``theme``), with the configured theme it replaced: it applies at the next start as long as the
config's ``theme`` is unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, SystemCommand
from textual.logging import TextualHandler
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from pozirk_reader.core import logs
from pozirk_reader.core.article.hygiene import safe_line
from pozirk_reader.core.config import LoadedConfig, Settings, check_keymap, check_theme
from pozirk_reader.core.paths import CONFIG_FILE
from pozirk_reader.core.store.library import Store
from pozirk_reader.ui.keys import binding_ids
from pozirk_reader.ui.screens.main import MainScreen

VERIFY_AFTER_SECONDS = 2.0
"""The integrity check waits this long after start-up, so it does not slow the first screen."""

PROBLEMS_SHOWN = 5
"""Config problems shown as notifications at start; the rest are counted (all are in the log)."""

THEME_META = "theme"
"""The cache's meta key for the theme picked in the palette: ``{"picked": name, "config": name | None}``."""

log = logging.getLogger(__name__)


class ReaderApp(App[None]):
    """pozirk-reader's terminal UI."""

    CSS_PATH = "reader.tcss"
    TITLE = "pozirk-reader"
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        cache: Path,
        config: LoadedConfig | None = None,
        import_paths: Iterable[Path] = (),
        samples: Path | None = None,
        feeds: Iterable[str] = (),
        settings: Settings | None = None,
    ) -> None:
        """``config`` is the config file as read; or give only ``settings`` (as a test does)."""
        super().__init__()
        self.cache = cache
        self.config = config or LoadedConfig(Path(CONFIG_FILE), settings or Settings())
        self.settings = self.config.settings
        self.import_paths = list(import_paths)
        self.feeds = list(feeds)
        self.samples = samples
        self.store: Store | None = None
        self.exit_message: str | None = None
        self.keymap: dict[str, str] = {}
        self.configured_theme: str | None = None
        self._picked_theme: str | None = None
        self._applying_theme = True
        """True until the config's theme is applied: a theme set before is no choice of the reader's."""
        self._log_handler = TextualHandler(stderr=False, stdout=False)

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
        """Apply the configured theme and keymap, say what is wrong with the config, open the cache."""
        logs.install(self._log_handler)
        self.keymap = check_keymap(self.config, binding_ids())
        self.configured_theme = check_theme(self.config, self.available_themes)
        if self.configured_theme:
            self.theme = self.configured_theme
        if self.keymap:
            self.set_keymap(self.keymap)
        self._applying_theme = False
        for note in self.config.notes:
            log.info("%s", note)
            self.notify(note, timeout=10, markup=False)
        problems = self.config.in_order()
        for problem in problems:
            log.warning("%s", problem)
        for problem in problems[:PROBLEMS_SHOWN]:
            self.notify(problem, title="Config", severity="warning", timeout=15, markup=False)
        if len(problems) > PROBLEMS_SHOWN:
            more = len(problems) - PROBLEMS_SHOWN
            text = f"…and {more} more (`pozirk-reader config check` lists them)"
            self.notify(text, title="Config", severity="warning", timeout=15, markup=False)
        self._open_cache()

    @work(thread=True, exclusive=True, group="cache", exit_on_error=False, description="opening the cache")
    def _open_cache(self, check: bool = False) -> tuple[Store, Any]:
        """Open the cache and read the remembered theme; without ``check`` the integrity check runs afterwards."""
        if self.store is not None:
            self.store.close()
        store = Store.open(self.cache, check=check)
        return store, store.get_meta(THEME_META)

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False, description="checking the cache")
    def _verify_cache(self, store: Store) -> None:
        """Run the integrity check; a damaged cache is reopened with the check, which moves it aside."""
        problem = store.integrity_problem()
        if problem is not None:
            self.call_from_thread(self._recover, problem)

    def _recover(self, problem: str) -> None:
        """Leave the damaged cache: back to the empty screen, then reopen with the check."""
        log.error("the cache failed its integrity check: %s", problem)
        self.notify(
            f"The cache failed its integrity check ({problem}); moving it aside.", severity="error", markup=False
        )
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._open_cache(check=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show the main screen once the cache is open; a cache that cannot open ends the app with why.

        Any failure of the app's workers goes to the log with its traceback.
        """
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            log.error("%s failed", event.worker.description, exc_info=(type(error), error, error.__traceback__))
        if event.worker.name != "_open_cache":
            return
        if event.state == WorkerState.SUCCESS:
            assert event.worker.result is not None
            self.store, remembered = event.worker.result
            self._remembered_theme(remembered)
            settings, keymap = self.settings, self.keymap
            self.push_screen(MainScreen(self.store, self.import_paths, self.samples, self.feeds, keymap, settings))
            if self.store.recovery_message:
                log.warning("%s", self.store.recovery_message)
                self.notify(self.store.recovery_message, severity="warning", timeout=15, markup=False)
            else:
                store = self.store
                self.set_timer(VERIFY_AFTER_SECONDS, lambda: self._verify_cache(store))
        elif event.state == WorkerState.ERROR:
            self.exit_message = str(event.worker.error)
            self.exit(return_code=1)

    # -- the theme: the config's, or the one picked in the palette --------------------------------

    def _remembered_theme(self, remembered: Any) -> None:
        """Apply the theme picked in the palette last time, if the config's theme is what it was then."""
        if self._picked_theme is not None:  # picked while the cache was opening: remember that one
            self._remember_theme(self._picked_theme)
            return
        if not isinstance(remembered, dict) or remembered.get("config") != self.configured_theme:
            return
        picked = remembered.get("picked")
        if isinstance(picked, str) and picked in self.available_themes and picked != self.theme:
            self._applying_theme = True
            self.theme = picked
            self._applying_theme = False

    def watch_theme(self, theme: str) -> None:
        """Remember a theme chosen while the reader runs (in the cache; never in the config file)."""
        if self._applying_theme or not self.is_running:
            return
        self._picked_theme = theme
        if self.store is not None:
            self._remember_theme(theme)

    @work(thread=True, exclusive=True, group="theme", exit_on_error=False, description="remembering the theme")
    def _remember_theme(self, theme: str) -> None:
        assert self.store is not None
        self.store.set_meta(THEME_META, {"picked": theme, "config": self.configured_theme})

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, then every reader action with its key."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield from screen.palette_commands()

    def on_unmount(self) -> None:
        """Close the cache; the log no longer goes to Textual's console."""
        logs.uninstall(self._log_handler)
        if self.store is not None:
            self.store.close()

"""Opening a web address in a browser: the ``browser`` setting, else ``$BROWSER``, else the system's.

A browser command is split like a shell would (:func:`shlex.split`) but never run through one: the
address is one argument of its own, put where ``%u`` is (``%s`` as in ``$BROWSER``) or at the end.
A command runs with the reader suspended, as newsboat runs its ``browser``: a terminal browser gets
the whole terminal and the keys, and the reader draws itself again when it ends.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import threading
import webbrowser
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

if TYPE_CHECKING:
    from textual.app import App

PLACEHOLDERS = ("%u", "%s")


def with_url(words: list[str], url: str) -> list[str]:
    """The command ``words`` with ``url`` in place of its placeholders, or after it if it has none."""
    if any(placeholder in word for word in words for placeholder in PLACEHOLDERS):
        return [word.replace("%u", url).replace("%s", url) for word in words]
    return [*words, url]


def command_for(url: str, configured: str | None, environ: Mapping[str, str]) -> list[str] | None:
    """The command to open ``url`` with: the configured one, else the first of ``$BROWSER`` that is
    installed; ``None`` to leave it to the system's browser."""
    if configured:
        return with_url(shlex.split(configured), url)
    for entry in environ.get("BROWSER", "").split(os.pathsep):
        try:
            words = shlex.split(entry)
        except ValueError:
            continue
        if words and shutil.which(words[0]):
            return with_url(words, url)
    return None


def terminal_command(controller: webbrowser.BaseBrowser, url: str) -> list[str] | None:
    """The system browser's command when it is a terminal program (w3m, lynx, links, elinks), else ``None``."""
    if type(controller) is webbrowser.GenericBrowser:
        return [controller.name, *(arg.replace("%s", url) for arg in controller.args)]
    if isinstance(controller, webbrowser.UnixBrowser) and not controller.background:
        return [controller.name, url]
    return None


def browser_command(url: str, configured: str | None, environ: Mapping[str, str]) -> list[str] | None:
    """The command to run suspended for ``url`` (:func:`command_for`, else a terminal system browser);
    ``None``: :func:`webbrowser.open` opens it in a graphical one, if there is one."""
    return command_for(url, configured, environ) or system_terminal_command(url)


def system_terminal_command(url: str) -> list[str] | None:
    """The command of the system's browser for ``url`` if that is a terminal program; ``None`` if it is
    graphical (:func:`webbrowser.open` opens it) or there is none."""
    try:
        controller = webbrowser.get()
    except webbrowser.Error:
        return None
    return terminal_command(controller, url)


def run_suspended(app: App[object], argv: list[str]) -> str | None:
    """Run ``argv`` with ``app`` suspended and wait for it; a one-line problem if it could not run or failed.

    Runs on the UI thread, as Textual's :meth:`App.suspend` requires: the terminal is the command's
    until it ends. Nothing inside the ``with`` may raise, or the app would stay suspended.
    """
    outcome: subprocess.CompletedProcess[bytes] | OSError
    try:
        with app.suspend(), _interrupts_go_to_the_command():
            try:
                outcome = subprocess.run(argv, check=False)
            except OSError as error:
                outcome = error
    except SuspendNotSupported:
        return "The browser cannot be given this terminal (suspending is not supported here)."
    if isinstance(outcome, FileNotFoundError):
        return f"The browser command was not found: {argv[0]}"
    if isinstance(outcome, OSError):
        return f"The browser could not be started: {outcome.strerror or outcome}"
    if outcome.returncode != 0:
        return f"The browser ended with exit status {outcome.returncode}."
    return None


@contextmanager
def _interrupts_go_to_the_command() -> Iterator[None]:
    """While a command has the terminal, Ctrl+C is the command's: the reader ignores SIGINT.

    A handler, not ``SIG_IGN``, so the command (which does not inherit handlers) still gets the default.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda _signal, _frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

"""The reader's log: the standard library's logging, to a rotating file in the user log directory.

The level is ``--debug`` (DEBUG) or ``$POZIRK_READER_LOG`` (debug, info, warning, error), else INFO
for the reader's own messages; other libraries log only warnings and errors. Every record goes
through :class:`SafeFormatter`: text from files and feeds cannot write control sequences into the
log, a message stays on one line, and credentials (a URL's password, tokens in a query, an
``Authorization`` header) are replaced by ``***``. Nothing is ever logged to the terminal.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

LOG_ENV = "POZIRK_READER_LOG"
LOGGER = "pozirk_reader"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
DEFAULT_LEVEL = logging.INFO
MAX_LOG_BYTES = 1024 * 1024
"""The log file is rotated past this size, keeping :data:`LOG_BACKUPS` older files."""
LOG_BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d %(threadName)s] %(message)s"

_installed: list[logging.Handler] = []

_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
_SECRET_WORDS = r"(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|auth|session|sig|signature)"
_QUERY_SECRET = re.compile(rf"(?i)([?&;][^=&\s#]*{_SECRET_WORDS}[^=&\s#]*=)[^&\s#]+")
_HEADER_SECRET = re.compile(
    r"(?im)\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key)(\"?'?\s*[:=]\s*)[^\n]+"
)
_ASSIGNED_SECRET = re.compile(rf"(?i)\b({_SECRET_WORDS})(\"?'?\s*[:=]\s*\"?'?)[^\s\"'&,;]+")


def redact(text: str) -> str:
    """``text`` with credentials replaced by ``***``: URL passwords, secrets in queries, headers, assignments."""
    text = _URL_USERINFO.sub(r"\1***@", text)
    text = _QUERY_SECRET.sub(r"\1***", text)
    text = _HEADER_SECRET.sub(r"\1\2***", text)
    return _ASSIGNED_SECRET.sub(r"\1\2***", text)


def escape_controls(text: str, keep_newlines: bool = False) -> str:
    """Control, bidi and other invisible characters as escapes (``\\x1b``); newlines too unless kept."""
    return "".join(
        char
        if char.isprintable() or (keep_newlines and char == "\n")
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class SafeFormatter(logging.Formatter):
    """A formatter whose output is safe to show: one line a message, escapes for controls, no credentials.

    A record is shared by every handler; what another handler cached on it (its ``exc_text``) is
    never used as it is.
    """

    def format(self, record: logging.LogRecord) -> str:
        record.message = escape_controls(redact(record.getMessage()))
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        elif record.exc_text:
            text += "\n" + _safe_lines(record.exc_text)
        if record.stack_info:
            text += "\n" + self.formatStack(record.stack_info)
        return text

    def formatException(
        self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
    ) -> str:
        return _safe_lines(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _safe_lines(super().formatStack(stack_info))


def _safe_lines(text: str) -> str:
    return escape_controls(redact(text), keep_newlines=True)


class _LogFile(logging.Handler):
    """The rotating log file: the standard library's ``RotatingFileHandler``, made at the first record.

    ``logging.handlers`` (with the socket and pickle modules it imports) is 6-8 ms of a command's start, and
    the read commands log nothing. The file is made at once, so a log that cannot be written is told at the
    start. A record it cannot write (a full disk) is dropped, never printed to stderr.
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        with open(path, "a", encoding="utf-8"):  # fails as the rotating handler would
            pass
        self.path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._file is None:
                self._file = _rotating_file(self.path)
            self._file.setFormatter(self.formatter)
            self._file.emit(record)  # (under this handler's lock, taken by handle())
        except Exception:
            pass

    def handleError(self, record: logging.LogRecord) -> None:
        pass

    def close(self) -> None:
        with self.lock or contextlib.nullcontext():
            if self._file is not None:
                self._file.close()
                self._file = None
        super().close()


def _rotating_file(path: Path) -> logging.Handler:
    """The rotating handler of :class:`_LogFile`, rotated past :data:`MAX_LOG_BYTES`, silent on errors."""
    from logging.handlers import RotatingFileHandler

    class Quiet(RotatingFileHandler):
        def handleError(self, record: logging.LogRecord) -> None:
            pass

    return Quiet(path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")


def level_from(debug: bool = False, environ: Mapping[str, str] | None = None) -> tuple[int, str | None]:
    """The log level ``--debug`` or ``$POZIRK_READER_LOG`` asks for, and a problem line if the latter is not one."""
    if debug:
        return logging.DEBUG, None
    wanted = (os.environ if environ is None else environ).get(LOG_ENV, "").strip()
    if not wanted:
        return DEFAULT_LEVEL, None
    level = LEVELS.get(wanted.lower())
    if level is None:
        shown = escape_controls(wanted[:40])
        return DEFAULT_LEVEL, f"{LOG_ENV}: {shown!r} is not a log level (one of {', '.join(LEVELS)}); using info"
    return level, None


def setup_logging(path: Path, level: int) -> str | None:
    """Log to ``path`` (rotating) at ``level``; returns a one-line problem if the file cannot be opened.

    Called again, it replaces the handlers it installed before.
    """
    root = logging.getLogger()
    stop_logging()
    logging.getLogger(LOGGER).setLevel(level)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    problem = None
    handler: logging.Handler
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _LogFile(path)
    except OSError as error:
        problem = f"{path}: the log cannot be written ({error.strerror or error})"
        handler = logging.NullHandler()
    install(handler)
    return problem


def install(handler: logging.Handler) -> None:
    """Send every record the log takes to ``handler`` too (e.g. Textual's console), safely formatted."""
    handler.setFormatter(SafeFormatter(FORMAT))
    logging.getLogger().addHandler(handler)
    _installed.append(handler)


def uninstall(handler: logging.Handler) -> None:
    """Stop sending records to a handler given to :func:`install`."""
    logging.getLogger().removeHandler(handler)
    if handler in _installed:
        _installed.remove(handler)


def stop_logging() -> None:
    """Remove (and close) every handler :func:`setup_logging` and :func:`install` added."""
    for handler in list(_installed):
        logging.getLogger().removeHandler(handler)
        handler.close()
    _installed.clear()

"""The config file users own: ``config.toml`` (see :func:`pozirk_reader.core.paths.config_path`).

The reader reads it and never writes it. A file that cannot be read is never fatal: each problem is
one line (with the line number for a syntax error, the key for an unknown key or a wrong type) and
whatever is valid still applies; a line with a syntax error is ignored and the rest is read again.
What the reader remembers by itself (a theme picked in the palette, the last article, the history)
lives in the cache, not here.

The settings file of earlier versions, ``config.json`` in the data directory, is carried over once:
when there is no ``config.toml`` yet, its theme and keymap are written to a new one; the old file is
left as it was and not read again.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import shlex
import stat
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Any

from pozirk_reader.core.limits import DEFAULT_FEED_ENTRIES, MAX_FEED_ENTRIES, MAX_KEPT_PER_FEED

MAX_CONFIG_BYTES = 1024 * 1024
"""A config file larger than this (thousands of times a real one) is not read."""

MAX_SYNTAX_ERRORS = 20
"""After this many lines with syntax errors the rest of the file is given up."""

MAX_NESTING = 100
"""Brackets nested deeper than this on a line make it unreadable (the parser would run out of stack)."""

DEFAULT_READ_AFTER_SECONDS = 1.5
DEFAULT_CONCURRENT_FEEDS = 8
MAX_CONCURRENT_FEEDS = 32
MAX_REFRESH_MINUTES = 7 * 24 * 60
MAX_READ_AFTER_SECONDS = 3600.0


class HeadlineRows(StrEnum):
    """How many lines a headline takes in the list."""

    ONE = "one"
    """One line: marks, date, source, headline (like newsboat)."""
    TWO = "two"
    """Two lines: the headline's start, then its rest with the date and source."""
    AUTO = "auto"
    """One line when the list is wide enough, else two."""


@dataclass(frozen=True)
class AccountSettings:
    """An ``[accounts.NAME]`` table: where the account's password comes from (never the password itself)."""

    password_command: str | None = None
    """A command that prints the password on its first line (run without a shell, like newsboat's
    ``*-passwordeval``)."""
    password_env: str | None = None
    """The environment variable holding the password (default: ``POZIRK_READER_PASSWORD_<NAME>``)."""


@dataclass(frozen=True)
class Settings:
    """Every setting, with its default."""

    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    browser: str | None = None
    read_after_seconds: float = DEFAULT_READ_AFTER_SECONDS
    headline_rows: HeadlineRows = HeadlineRows.AUTO
    refresh_minutes: int = 0
    full_text: bool = True
    concurrent_feeds: int = DEFAULT_CONCURRENT_FEEDS
    entries_per_refresh: int = DEFAULT_FEED_ENTRIES
    max_articles_per_feed: int = 0
    accounts: Mapping[str, AccountSettings] = field(default_factory=dict)


@dataclass
class LoadedConfig:
    """What reading the config file gave: the settings, and a line for each problem (and note)."""

    path: Path
    settings: Settings = field(default_factory=Settings)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Things worth saying that are not problems (settings carried over from ``config.json``)."""
    exists: bool = False
    lines: list[str] = field(default_factory=list, repr=False)
    """The file's lines, to say where a key found invalid later (by the reader) is."""

    def in_order(self) -> list[str]:
        """The problems by file and line (those of the whole file first)."""
        return sorted(self.problems, key=_problem_order)


def _problem_order(problem: str) -> tuple[str, int]:
    found = re.search(r": line (\d+): ", problem)
    return (problem[: found.start()], int(found.group(1))) if found else (problem.partition(": ")[0], 0)


class _Invalid(ValueError):
    """A value of the wrong type or out of range; the message says what was expected."""


# -- the settings: how each key is read ---------------------------------------------------------


def _type_name(value: object) -> str:
    """The TOML name of a value's type."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime | date | time):
        return "a date or time"
    return type(value).__name__


def visible(value: object, limit: int = 40) -> str:
    """A value from the file as a short, safe literal: quoted, control and invisible characters escaped.

    A table or array nested too deeply to write out (``a.a.a…= 1`` with thousands of parts) is named, not shown.
    """
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    except (RecursionError, ValueError):
        return f"{_type_name(value)} nested too deeply to show"
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrong(expected: str, value: object) -> _Invalid:
    return _Invalid(f"expected {expected}, not {_type_name(value)} ({visible(value)})")


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _wrong("a string", value)
    if not value.strip():
        raise _Invalid("is empty")
    return value


def _browser(value: object) -> str:
    command = _text(value)
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise _Invalid(f"cannot be read as a command ({error})") from None
    if not words:
        raise _Invalid("is empty")
    return command


def _number(value: object, expected: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong(expected, value)
    if not (math.isfinite(value) and low <= value <= high):
        raise _Invalid(f"must be {expected}, not {visible(value)}")
    return value


def _seconds(value: object) -> float:
    return float(_number(value, f"a number of seconds from 0 to {MAX_READ_AFTER_SECONDS:g}", 0, MAX_READ_AFTER_SECONDS))


def _minutes(value: object) -> int:
    expected = f"a whole number of minutes from 0 to {MAX_REFRESH_MINUTES}"
    if isinstance(value, float):
        raise _wrong(expected, value)
    return int(_number(value, expected, 0, MAX_REFRESH_MINUTES))


def _feeds(value: object) -> int:
    expected = f"a whole number from 1 to {MAX_CONCURRENT_FEEDS}"
    if isinstance(value, float):
        raise _wrong(expected, value)
    return int(_number(value, expected, 1, MAX_CONCURRENT_FEEDS))


def _whole(low: int, high: int) -> Callable[[object], int]:
    """A reader of a whole number from ``low`` to ``high``."""

    def read(value: object) -> int:
        expected = f"a whole number from {low} to {high:,}"
        if isinstance(value, float):
            raise _wrong(expected, value)
        return int(_number(value, expected, low, high))

    return read


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise _wrong("true or false", value)
    return value


def _rows(value: object) -> HeadlineRows:
    choices = ", ".join(f'"{rows}"' for rows in HeadlineRows)
    if not isinstance(value, str):
        raise _wrong(f"one of {choices}", value)
    try:
        return HeadlineRows(value)
    except ValueError:
        raise _Invalid(f"must be one of {choices}, not {visible(value)}") from None


KEYS: dict[str, Callable[[object], object]] = {
    "theme": _text,
    "browser": _browser,
    "read_after_seconds": _seconds,
    "headline_rows": _rows,
    "refresh_minutes": _minutes,
    "full_text": _boolean,
    "concurrent_feeds": _feeds,
    "entries_per_refresh": _whole(1, MAX_FEED_ENTRIES),
    "max_articles_per_feed": _whole(0, MAX_KEPT_PER_FEED),
}
"""Each top-level key and how its value is read (``keymap`` is a table of its own)."""

KEYMAP = "keymap"
ACCOUNTS = "accounts"
ACCOUNT_KEYS: dict[str, Callable[[object], object]] = {"password_command": _browser, "password_env": _text}
"""The keys of an ``[accounts.NAME]`` table and how each is read (a command is split as ``browser`` is)."""


# -- reading the file --------------------------------------------------------------------------


def shown_path(path: Path) -> str:
    """``path`` for messages, with the home directory as ``~``."""
    text = "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in str(path))
    home = os.path.expanduser("~")
    if home not in ("", "~", "/") and text.startswith(home + os.sep):
        return "~" + text[len(home) :]
    return text


def load_config(path: Path, legacy: Path | None = None) -> LoadedConfig:
    """Read the config at ``path``; defaults for what is absent or invalid, a line for each problem.

    With ``legacy`` (the old ``config.json``) and no file at ``path``, the old settings are carried over
    into a new ``config.toml`` first.
    """
    try:
        return _load(path, legacy)
    except (RecursionError, MemoryError, ValueError) as error:  # a last resort: reading it never stops anything
        loaded = LoadedConfig(path)
        reason = "nested too deeply" if isinstance(error, RecursionError) else type(error).__name__
        _problem(loaded, None, f"cannot be read ({reason}); using the defaults")
        return loaded


def _load(path: Path, legacy: Path | None) -> LoadedConfig:
    loaded = LoadedConfig(path)
    if legacy is not None and not _exists(path) and _exists(legacy) and not _carry_over(legacy, path, loaded):
        return loaded
    text = _read(path, loaded)
    if text is None:
        return loaded
    loaded.exists = True
    loaded.lines = text.split("\n")
    data, found = _parse(text)
    loaded.settings = _settings(data, loaded.lines, lambda line, message: found.append((line, message)))
    for line, message in sorted(found, key=lambda problem: problem[0] or 0):
        _problem(loaded, line, message)
    return loaded


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def _problem(loaded: LoadedConfig, line: int | None, message: str) -> None:
    loaded.problems.append(f"{shown_path(loaded.path)}: {f'line {line}: ' if line else ''}{message}")


def _read_capped(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_CONFIG_BYTES`; ``OSError`` or ``ValueError`` if not."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise ValueError("is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise ValueError("is not a regular file")
    with path.open("rb") as stream:
        data = stream.read(MAX_CONFIG_BYTES + 1)
    if len(data) > MAX_CONFIG_BYTES:
        raise ValueError(f"is larger than {MAX_CONFIG_BYTES // 1024} KiB")
    return data


def _read(path: Path, loaded: LoadedConfig) -> str | None:
    """The file's text (``None`` if absent or unreadable, with a problem for the latter)."""
    try:
        data = _read_capped(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        _problem(loaded, None, f"cannot be read ({error.strerror or error}); using the defaults")
        return None
    except ValueError as error:
        _problem(loaded, None, f"{error}; using the defaults")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _problem(loaded, None, f"is not UTF-8 text (a bad byte at offset {error.start}); read with it replaced")
        return data.decode("utf-8-sig", errors="replace")


_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")


def _parse(text: str) -> tuple[dict[str, Any], list[tuple[int | None, str]]]:
    """Parse TOML, ignoring each line with a syntax error (and saying so) until the rest parses."""
    lines = text.split("\n")
    problems: list[tuple[int | None, str]] = []
    while len(problems) < MAX_SYNTAX_ERRORS:
        try:
            return tomllib.loads("\n".join(lines)), problems
        except tomllib.TOMLDecodeError as error:
            found = _POSITION.search(str(error))
            message = str(error)[: found.start()] if found else str(error)
            line = int(found.group(1)) if found and found.group(1) else None
        except RecursionError:
            message, line = "nested too deeply to read", _deepest_line(lines)
        if line is None or not 1 <= line <= len(lines) or not lines[line - 1].strip():
            where = "at the end of the file" if line is None else "there"
            problems.append((line, f"{message} ({where}); the rest of the file is ignored"))
            return {}, problems
        problems.append((line, f"{message}; the line is ignored"))
        lines[line - 1] = ""
    problems.append((None, f"more than {MAX_SYNTAX_ERRORS} lines with errors; the file is ignored"))
    return {}, problems


def _deepest_line(lines: list[str]) -> int | None:
    """The first line (1-based) where brackets nest deeper than :data:`MAX_NESTING`, if any."""
    depth = 0
    for number, line in enumerate(lines, start=1):
        for char in line:
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            if depth > MAX_NESTING:
                return number
    return None


def _line_of(lines: list[str], key: str) -> int | None:
    """The line (1-based) where ``key`` is given a value (or is the start of a dotted key), if it can be found."""
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*[=.]""")
    return next((number for number, line in enumerate(lines, start=1) if pattern.search(line)), None)


def _settings(data: dict[str, Any], lines: list[str], problem: Callable[[int | None, str], None]) -> Settings:
    """The settings ``data`` gives; a problem for each key that is unknown or has a value that is not valid."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == KEYMAP:
            values[KEYMAP] = _keymap(value, lines, problem)
            continue
        if key == ACCOUNTS:
            values[ACCOUNTS] = _accounts(value, lines, problem)
            continue
        read = KEYS.get(key)
        if read is None:
            kind = "table" if isinstance(value, dict) else "key"
            problem(_line_of(lines, key) or _table_line(lines, key), f"unknown {kind} {visible(key)}{_suggest(key)}")
            continue
        try:
            values[key] = read(value)
        except _Invalid as error:
            problem(_line_of(lines, key), f"{key}: {error}")
    return Settings(**values)


def _table_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"""^\s*\[\s*(?:{re.escape(key)}|"{re.escape(key)}")\s*\]""")
    return next((number for number, line in enumerate(lines, start=1) if pattern.search(line)), None)


def _suggest(key: str, known: Iterable[str] | None = None) -> str:
    close = difflib.get_close_matches(
        key, list(known if known is not None else [*KEYS, KEYMAP, ACCOUNTS]), n=1, cutoff=0.6
    )
    return f" (did you mean {visible(close[0])}?)" if close else ""


def _keymap(value: object, lines: list[str], problem: Callable[[int | None, str], None]) -> dict[str, str]:
    if not isinstance(value, dict):
        problem(_line_of(lines, KEYMAP), f"keymap: {_wrong('a table of binding id = keys', value)}")
        return {}
    keymap: dict[str, str] = {}
    for binding, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            reason = _wrong('keys as a string such as "ctrl+b,h"', keys) if not isinstance(keys, str) else "is empty"
            problem(_line_of(lines, binding), f"keymap: {visible(binding)}: {reason}")
            continue
        keymap[binding] = keys
    return keymap


def _accounts(
    value: object, lines: list[str], problem: Callable[[int | None, str], None]
) -> dict[str, AccountSettings]:
    if not isinstance(value, dict):
        problem(_line_of(lines, ACCOUNTS), f"accounts: {_wrong('a table of [accounts.NAME] tables', value)}")
        return {}
    accounts: dict[str, AccountSettings] = {}
    for name, table in value.items():
        where = _table_line(lines, f"{ACCOUNTS}.{name}") or _line_of(lines, name)

        def line_of(key: str, where: int | None = where) -> int | None:
            if where is None:
                return _line_of(lines, key)
            section = lines[where:]
            end = next((n for n, text in enumerate(section) if text.lstrip().startswith("[")), len(section))
            found = _line_of(section[:end], key)
            return where + found if found else where

        if not isinstance(table, dict):
            problem(where, f"accounts: {visible(name)}: {_wrong('a table', table)}")
            continue
        read: dict[str, Any] = {}
        for key, item in table.items():
            reader = ACCOUNT_KEYS.get(key)
            if reader is None:
                problem(
                    _line_of(lines, key) or where,
                    f"accounts.{name}: unknown key {visible(key)}{_suggest(key, ACCOUNT_KEYS)}",
                )
                continue
            try:
                read[key] = reader(item)
            except _Invalid as error:
                problem(line_of(key), f"accounts.{name}.{key}: {error}")
        accounts[name] = AccountSettings(**read)
    return accounts


# -- what only the reader knows: its binding ids and themes -------------------------------------


def check_keymap(loaded: LoadedConfig, known_ids: Iterable[str]) -> dict[str, str]:
    """The keymap's entries whose binding id is one of ``known_ids``; a problem for each other one."""
    known = sorted(set(known_ids))
    lines = loaded.lines
    keymap: dict[str, str] = {}
    for binding, keys in loaded.settings.keymap.items():
        if binding in known:
            keymap[binding] = keys
        else:
            message = f"keymap: unknown binding id {visible(binding)}{_suggest(binding, known)}"
            _problem(loaded, _line_of(lines, binding), message + " (the help screen, ?, lists them)")
    return keymap


def check_theme(loaded: LoadedConfig, themes: Iterable[str]) -> str | None:
    """The configured theme if it is one of ``themes``; else ``None``, with a problem."""
    theme = loaded.settings.theme
    names = sorted(themes)
    if theme is None or theme in names:
        return theme
    message = f"theme: no theme named {visible(theme)}{_suggest(theme, names)}; one of {', '.join(names)}"
    _problem(loaded, _line_of(loaded.lines, "theme"), message)
    return None


# -- carrying over config.json -----------------------------------------------------------------


def _carry_over(legacy: Path, target: Path, loaded: LoadedConfig) -> bool:
    """Write ``target`` from the theme and keymap of the old ``legacy`` JSON file, which is left as it was.

    Returns whether ``target`` is there to be read now; if it could not be written, ``loaded`` has the
    old file's settings for this time.
    """
    problems: list[str] = []
    theme: str | None = None
    keymap: dict[str, str] = {}
    try:
        data = json.loads(_read_capped(legacy).decode("utf-8"))
    except (OSError, ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error).splitlines()[0]
        problems.append(f"cannot be read ({_comment(reason)[:120]})")
        data = {}
    if not isinstance(data, dict):
        problems.append(f"expected a JSON object, not {visible(data)}")
        data = {}
    if isinstance(data.get("theme"), str) and _is_text(data["theme"]):
        theme = data["theme"]
    elif data.get("theme") is not None:
        problems.append(f"theme: expected a string, not {visible(data['theme'])}")
    raw_keymap = data.get("keymap") or {}
    if isinstance(raw_keymap, dict):
        for binding, keys in raw_keymap.items():
            if isinstance(keys, str) and _is_text(keys) and _is_text(binding):
                keymap[binding] = keys
            else:
                problems.append(f"keymap: {visible(binding)}: expected a string, not {visible(keys)}")
    else:
        problems.append(f"keymap: expected an object, not {visible(raw_keymap)}")
    for reason in problems:
        loaded.problems.append(f"{shown_path(legacy)}: {reason} (not carried over)")
    text = _carried_text(legacy, theme, keymap, problems)
    problem: str | None = None
    try:
        if not target.parent.is_dir():
            target.parent.mkdir(parents=True)
        with target.open("x", encoding="utf-8") as stream:
            stream.write(text)
    except FileExistsError:
        if target.exists():  # written meanwhile, by another run
            return True
        problem = f"{shown_path(target.parent)} is not a folder"
    except OSError as error:
        problem = str(error.strerror or error)
    if problem is not None:
        return _not_carried(legacy, target, loaded, problem, theme, keymap)
    loaded.notes.append(
        f"settings carried over from {shown_path(legacy)} to {shown_path(target)};"
        f" {legacy.name} is left as it was and no longer read"
    )
    return True


def _not_carried(
    legacy: Path, target: Path, loaded: LoadedConfig, problem: str, theme: str | None, keymap: dict[str, str]
) -> bool:
    """``target`` could not be written: say so, and use the old file's settings this time."""
    loaded.problems.append(
        f"{shown_path(target)}: cannot be written ({problem}); the settings of {shown_path(legacy)} apply this time"
    )
    loaded.settings = replace(loaded.settings, theme=theme, keymap=keymap)
    return False


def _is_text(text: str) -> bool:
    """Whether ``text`` can be written as TOML (no lone surrogates from JSON's ``\\ud800`` escapes)."""
    return not any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def _carried_text(legacy: Path, theme: str | None, keymap: dict[str, str], problems: list[str]) -> str:
    lines = [
        f"# pozirk-reader settings, carried over from {_comment(str(legacy))} on {date.today().isoformat()}.",
        "# The reader reads this file and never writes it. Every setting: `pozirk-reader config --example`.",
    ]
    lines += [f"# Not carried over: {_comment(problem)}" for problem in problems]
    lines.append("")
    if theme is not None:
        lines += [f"theme = {toml_string(theme)}", ""]
    if keymap:
        lines.append("[keymap]")
        lines += [f"{toml_string(binding)} = {toml_string(keys)}" for binding, keys in keymap.items()]
        lines.append("")
    return "\n".join(lines)


def _comment(text: str) -> str:
    return "".join(char if char.isprintable() else "?" for char in text)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and every non-printable character escaped."""
    escapes = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif not char.isprintable():
            out.append(f"\\u{ord(char):04X}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'

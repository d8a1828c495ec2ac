"""The config file: what is valid applies, each problem is one line that says where, nothing is fatal."""

from __future__ import annotations

import json
import os
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pozirk_reader.core.config import (
    KEYS,
    MAX_CONFIG_BYTES,
    HeadlineRows,
    Settings,
    check_keymap,
    check_theme,
    load_config,
    toml_string,
)
from pozirk_reader.core.example_config import EXAMPLE
from pozirk_reader.ui.keys import binding_ids


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def one_line_each(problems: list[str]) -> None:
    for problem in problems:
        assert "\n" not in problem and "\r" not in problem and problem.isprintable(), problem


def test_no_file_is_the_defaults_and_no_problem(tmp_path: Path) -> None:
    loaded = load_config(tmp_path / "config.toml")
    assert loaded.settings == Settings()
    assert loaded.problems == [] and not loaded.exists


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'theme = "nord"\nbrowser = "w3m %u"\nread_after_seconds = 0\nheadline_rows = "one"\nrefresh_minutes = 15\n'
        'full_text = false\nconcurrent_feeds = 3\n[keymap]\n"reader.back" = "backspace,h"\n',
    )
    loaded = load_config(path)
    assert loaded.problems == []
    assert loaded.settings == Settings(
        theme="nord",
        keymap={"reader.back": "backspace,h"},
        browser="w3m %u",
        read_after_seconds=0.0,
        headline_rows=HeadlineRows.ONE,
        refresh_minutes=15,
        full_text=False,
        concurrent_feeds=3,
    )


def test_a_syntax_error_names_its_line_and_the_other_lines_still_apply(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "nord"\nkeymap = {"reader.back" = "h",}\nfull_text = false\n')
    loaded = load_config(path)
    assert len(loaded.problems) == 1
    assert loaded.problems[0].startswith(f"{path}: line 2: ") and "the line is ignored" in loaded.problems[0]
    assert loaded.settings.theme == "nord" and loaded.settings.full_text is False


def test_unknown_keys_and_wrong_types_are_named_by_key_with_their_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'thme = "nord"\nconcurrent_feeds = "eight"\nfull_text = "yes"\nread_after_seconds = -1\n'
        'headline_rows = "three"\nrefresh_minutes = 1.5\ntheme = "gruvbox"\n[keymap]\n"reader.back" = 5\n'
        '"reader.toggle_star" = "x"\n[reader]\nx = 1\n',
    )
    loaded = load_config(path)
    one_line_each(loaded.problems)
    assert loaded.problems == [
        f"{path}: line 1: unknown key 'thme' (did you mean 'theme'?)",
        f"{path}: line 2: concurrent_feeds: expected a whole number from 1 to 32, not a string ('eight')",
        f"{path}: line 3: full_text: expected true or false, not a string ('yes')",
        f"{path}: line 4: read_after_seconds: must be a number of seconds from 0 to 3600, not -1",
        f'{path}: line 5: headline_rows: must be one of "one", "two", "auto", not \'three\'',
        f"{path}: line 6: refresh_minutes: expected a whole number of minutes from 0 to 10080, not a float (1.5)",
        f"{path}: line 9: keymap: 'reader.back': expected keys as a string such as \"ctrl+b,h\", not an integer (5)",
        f"{path}: line 11: unknown table 'reader'",
    ]
    # what was valid applies; the rest keeps its default
    assert loaded.settings == Settings(theme="gruvbox", keymap={"reader.toggle_star": "x"})


def test_a_browser_command_that_cannot_be_split_is_refused(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, 'browser = "w3m \'unclosed %u"\n'))
    assert loaded.settings.browser is None
    assert loaded.problems == [
        f"{tmp_path / 'config.toml'}: line 1: browser: cannot be read as a command (No closing quotation)"
    ]


def test_unknown_binding_ids_and_themes_are_found_against_what_the_reader_has(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "nrod"\n[keymap]\n"reader.bakc" = "h"\n"reader.toggle_star" = "x"\n')
    loaded = load_config(path)
    assert loaded.problems == []
    assert check_keymap(loaded, ["reader.back", "reader.toggle_star"]) == {"reader.toggle_star": "x"}
    assert check_theme(loaded, ["nord", "gruvbox"]) is None
    assert loaded.problems[0].startswith(
        f"{path}: line 3: keymap: unknown binding id 'reader.bakc' (did you mean 'reader.back'?)"
    )
    assert loaded.problems[1].startswith(f"{path}: line 1: theme: no theme named 'nrod' (did you mean 'nord'?)")


def test_deep_nesting_is_one_problem_not_a_recursion_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'theme = "nord"\nx = ' + "[" * 50_000 + "]" * 50_000 + "\nfull_text = false\n")
    loaded = load_config(path)
    assert loaded.problems == [f"{path}: line 2: nested too deeply to read; the line is ignored"]
    assert loaded.settings.theme == "nord" and loaded.settings.full_text is False


def test_a_file_that_cannot_be_read_is_one_line_and_the_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    assert load_config(folder).problems == [f"{folder}: is a folder, not a file; using the defaults"]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    assert load_config(fifo).problems == [f"{fifo}: is not a regular file; using the defaults"]  # and no hang
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * MAX_CONFIG_BYTES)
    assert load_config(big).problems == [f"{big}: is larger than 1024 KiB; using the defaults"]


def test_text_that_is_not_utf8_is_read_around_the_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path, b'theme = "nord"\n# caf\xe9\nfull_text = false\n')
    loaded = load_config(path)
    assert loaded.problems == [f"{path}: is not UTF-8 text (a bad byte at offset 20); read with it replaced"]
    assert loaded.settings.theme == "nord" and loaded.settings.full_text is False


def test_hostile_values_are_shown_escaped_on_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'concurrent_feeds = "\\u001b[2J\\n\\u202e[b]x"\n"\\u001b]52;c;QQ==\\u0007" = 1\n')
    loaded = load_config(path)
    one_line_each(loaded.problems)
    assert len(loaded.problems) == 2
    assert all("\x1b" not in problem and "\u202e" not in problem for problem in loaded.problems)
    assert any(
        "concurrent_feeds: expected a whole number" in problem and "\\x1b[2J" in problem for problem in loaded.problems
    )


def test_the_example_is_valid_and_names_every_setting(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, EXAMPLE))
    assert loaded.problems == []
    assert loaded.settings == Settings()  # its values are the defaults
    for key in [*KEYS, "[keymap]"]:
        assert re.search(rf"^(# )?{re.escape(key)}( = |$)", EXAMPLE, re.MULTILINE), key
    commented = [line[2:] for line in EXAMPLE.splitlines() if re.match(r'# ("?[\w.]+"?) = ', line)]
    assert tomllib.loads("\n".join(commented))  # the commented-out settings are valid TOML too
    keymap = tomllib.loads("[keymap]\n" + "\n".join(line for line in commented if line.startswith('"')))
    assert check_keymap(load_config(write(tmp_path, toml_keymap(keymap["keymap"]))), binding_ids()) == keymap["keymap"]


def toml_keymap(keymap: dict[str, str]) -> str:
    return "[keymap]\n" + "".join(f"{toml_string(key)} = {toml_string(keys)}\n" for key, keys in keymap.items())


def test_config_json_is_carried_over_once_and_kept(tmp_path: Path) -> None:
    legacy = tmp_path / "data" / "config.json"
    legacy.parent.mkdir()
    legacy.write_text(json.dumps({"theme": "nord", "keymap": {"reader.back": "h", "reader.quit": 'q,"x\\'}}), "utf-8")
    before = legacy.read_bytes()
    target = tmp_path / "config" / "config.toml"
    loaded = load_config(target, legacy=legacy)
    assert loaded.problems == []
    assert loaded.notes == [
        f"settings carried over from {legacy} to {target}; config.json is left as it was and no longer read"
    ]
    assert loaded.settings.theme == "nord"
    assert loaded.settings.keymap == {"reader.back": "h", "reader.quit": 'q,"x\\'}
    assert legacy.read_bytes() == before
    written = target.read_bytes()
    legacy.write_text(json.dumps({"theme": "gruvbox"}), "utf-8")  # never read again
    again = load_config(target, legacy=legacy)
    assert again.notes == [] and again.settings.theme == "nord"
    assert target.read_bytes() == written


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('{"theme": "nord",}', "cannot be read (Expecting property name enclosed in double quotes"),
        ("[" * 100_000 + "]" * 100_000, "cannot be read (nested too deeply)"),
        ('{"theme": 5, "keymap": {"reader.back": ["h"]}}', "theme: expected a string, not 5"),
    ],
)
def test_a_broken_config_json_is_reported_and_never_stops_anything(tmp_path: Path, content: str, reason: str) -> None:
    legacy = tmp_path / "config.json"
    legacy.write_text(content, "utf-8")
    target = tmp_path / "config.toml"
    loaded = load_config(target, legacy=legacy)
    one_line_each(loaded.problems)
    assert loaded.problems and loaded.problems[0].startswith(f"{legacy}: {reason}")
    assert all(problem.endswith("(not carried over)") for problem in loaded.problems)
    assert loaded.settings.theme is None
    assert tomllib.loads(target.read_text("utf-8")) == {}  # written once, with what was wrong as comments
    assert load_config(target, legacy=legacy).problems == []


def test_a_config_dir_that_cannot_be_written_keeps_the_json_settings_for_now(tmp_path: Path) -> None:
    legacy = tmp_path / "config.json"
    legacy.write_text('{"theme": "nord"}', "utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    loaded = load_config(blocker / "config.toml", legacy=legacy)
    assert loaded.settings.theme == "nord"
    assert len(loaded.problems) == 1 and "cannot be written" in loaded.problems[0]


@given(st.text())
def test_toml_strings_read_back_as_written(text: str) -> None:
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return  # lone surrogates are not text (they are never written)
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_the_defaults_are_those_of_the_code_they_set() -> None:
    from pozirk_reader.core.operations.feeds import DEFAULT_WORKERS
    from pozirk_reader.ui.controllers.reading import DWELL_SECONDS

    assert Settings().concurrent_feeds == DEFAULT_WORKERS
    assert Settings().read_after_seconds == DWELL_SECONDS


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("theme." + ".".join(["a"] * 20_000) + " = 1\n", "line 2: theme: expected a string, not a table"),
        ("[keymap]\nx." + ".".join(["a"] * 20_000) + " = 1\n", "line 3: keymap: 'x': expected keys as a string"),
    ],
    ids=["dotted-theme", "dotted-keymap"],
)
def test_a_value_nested_too_deeply_to_show_is_one_problem_named_by_key(tmp_path: Path, text: str, problem: str) -> None:
    """A dotted key of 20,000 parts makes a table too deep to write out: json.dumps raised RecursionError."""
    path = write(tmp_path, "full_text = false\n" + text)
    loaded = load_config(path)
    one_line_each(loaded.problems)
    assert len(loaded.problems) == 1 and loaded.problems[0].startswith(f"{path}: {problem}")
    assert loaded.settings.full_text is False  # what is valid still applies


def test_the_feed_limits_are_read_and_wrong_types_named_by_key(tmp_path: Path) -> None:
    loaded = load_config(write(tmp_path, "entries_per_refresh = 200\nmax_articles_per_feed = 5000\n"))
    assert loaded.problems == []
    assert (loaded.settings.entries_per_refresh, loaded.settings.max_articles_per_feed) == (200, 5000)
    path = write(tmp_path, 'entries_per_refresh = 0\nmax_articles_per_feed = "all"\n')
    loaded = load_config(path)
    assert loaded.problems == [
        f"{path}: line 1: entries_per_refresh: must be a whole number from 1 to 20,000, not 0",
        f"{path}: line 2: max_articles_per_feed: expected a whole number from 0 to 1,000,000, not a string ('all')",
    ]
    assert loaded.settings == Settings()


def test_a_path_that_cannot_be_a_file_is_one_line_and_the_defaults(tmp_path: Path) -> None:
    """A symlink loop, a name too long for the system, a NUL in the name: each is one line, never an error."""
    loop = tmp_path / "loop.toml"
    os.symlink(loop, loop)
    too_long = tmp_path / ("x" * 300 + ".toml")
    for path in (loop, too_long, Path(str(tmp_path / "nul\0.toml"))):
        loaded = load_config(path)
        one_line_each(loaded.problems)
        assert len(loaded.problems) == 1 and loaded.problems[0].endswith("; using the defaults"), loaded.problems
        assert loaded.settings == Settings()

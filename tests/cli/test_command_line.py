"""The command line without surprises: typos, no terminal, config, completion, colour, the log."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pozirk_reader import __version__
from pozirk_reader.cli.commands import COMMANDS, build_parser, main
from pozirk_reader.core.example_config import EXAMPLE
from pozirk_reader.core.operations.retention import Keeping
from pozirk_reader.core.paths import log_path
from tests.samples import SAMPLES

PROJECT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("pozirk-reader")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def no_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening the reader fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the reader was opened")

    monkeypatch.setattr("pozirk_reader.ui.app.ReaderApp.__init__", refuse)


def test_a_mistyped_command_is_an_error_with_a_suggestion(capsys: pytest.CaptureFixture[str], no_reader: None) -> None:
    status, out, err = cli(capsys, "serch", "tram")
    assert (status, out) == (2, "")
    assert err == "pozirk-reader: 'serch' is not a command, a file or a URL; did you mean `search`?\n"
    assert cli(capsys, "--data-dir", "/tmp/x", "lsit")[2].endswith("did you mean `list`?\n")
    status, _, err = cli(capsys, "xyzzy")
    assert (
        status == 2 and err == "pozirk-reader: 'xyzzy' is not a command, a file or a URL (see `pozirk-reader --help`)\n"
    )
    status, _, err = cli(capsys, str(SAMPLES), "missing.txt")
    assert status == 2 and err == "pozirk-reader: 'missing.txt': no such file or folder, and not an http(s) URL\n"
    status, _, err = cli(capsys, "open", "nowhere/at/all")
    assert status == 2 and "no such file or folder" in err


def test_the_typo_in_a_real_process_never_opens_the_reader() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pozirk_reader", "serch", "tram"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == "pozirk-reader: 'serch' is not a command, a file or a URL; did you mean `search`?\n"


def test_the_reader_needs_a_terminal(capsys: pytest.CaptureFixture[str], no_reader: None) -> None:
    for args in ([], [str(SAMPLES)], ["open"]):
        status, out, err = cli(capsys, *args)
        assert status == 2 and out == ""
        assert err.startswith("pozirk-reader: the reader needs a terminal (standard input and output are not one)")


def test_completion_scripts_list_every_command(tmp_path: Path) -> None:
    parser = build_parser()
    for shell in ("bash", "zsh", "fish"):
        done = subprocess.run(
            [sys.executable, "-m", "pozirk_reader", "completion", shell], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        for word in (*COMMANDS, "add", "remove", "check", "--unread", "--data-dir", "--no-full-text"):
            if shell == "fish" and word.startswith("--"):
                word = f"-l {word[2:]}"  # fish names long options so
            assert re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", done.stdout), (shell, word)
        checker = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}[shell]
        if shutil.which(checker[0]):
            script = tmp_path / f"completion.{shell}"
            script.write_text(done.stdout)
            checked = subprocess.run([*checker, str(script)], capture_output=True, text=True)
            assert checked.returncode == 0, checked.stderr
    assert parser.prog == "pozirk-reader"


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["sea"], {"search"}),
        (["co"], {"config", "completion"}),
        (["feeds", "re"], {"remove"}),
        (["list", "--un"], {"--unread"}),
        (["refresh", "--j"], {"--jobs"}),
        (["config", "ch"], {"check"}),
        (["completion", "--he"], {"--help"}),
    ],
)
def test_bash_completes_commands_actions_and_options(words: list[str], expected: set[str], tmp_path: Path) -> None:
    script = subprocess.run(
        [sys.executable, "-m", "pozirk_reader", "completion", "bash"], capture_output=True, text=True
    ).stdout
    test = (
        f"{script}\nCOMP_WORDS=(pozirk-reader {' '.join(words)}); COMP_CWORD={len(words)}\n"
        '_pozirk_reader\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", test], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == expected


def test_force_color_colours_a_pipe_and_no_color_takes_the_colours_away(tmp_path: Path) -> None:
    data = tmp_path / "data"
    base = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE")}

    def listed(**env: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "pozirk_reader", "list", "--limit", "3", "--data-dir", str(data)],
            capture_output=True, text=True, encoding="utf-8", env={**base, **env}, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert subprocess.run([sys.executable, "-m", "pozirk_reader", "import", str(SAMPLES), "--data-dir", str(data)],
                          capture_output=True, env=base).returncode == 0  # fmt: skip
    assert "\x1b[" not in listed()
    coloured = listed(FORCE_COLOR="1")
    assert "\x1b[36m" in coloured or "\x1b[2;36m" in coloured  # the source, in cyan
    styled = listed(FORCE_COLOR="1", NO_COLOR="1")
    assert "\x1b[" in styled and "36m" not in styled  # bold and dim stay, colours go


# -- config ----------------------------------------------------------------------------------


def test_config_example_is_the_readme_example_and_valid(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = cli(capsys, "config", "--example")
    assert status == 0 and out == EXAMPLE
    readme = (PROJECT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert EXAMPLE in blocks
    config = Path(os.environ["POZIRK_READER_CONFIG"])
    config.write_text(out, "utf-8")
    status, out, err = cli(capsys, "config", "check")
    assert (status, err) == (0, "") and out == f"{config}: no problems\n"
    for key in re.findall(r"^#? ?(\w+) = ", EXAMPLE, re.MULTILINE):
        assert f"`{key}`" in readme, f"{key} is documented in the README"


def test_config_path_says_where_each_file_is(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = cli(capsys, "config", "path", "--data-dir", str(tmp_path / "d"))
    config = os.environ["POZIRK_READER_CONFIG"]
    assert status == 0
    assert out.splitlines() == [
        f"config  {config}  (not there: the defaults apply)",
        f"cache   {tmp_path / 'd' / 'library.sqlite3'}",
        f"log     {log_path()}",
    ]
    assert str(log_path()).startswith(os.environ["XDG_STATE_HOME"])
    assert cli(capsys, "config", "--data-dir", str(tmp_path / "d"))[1] == out


def test_config_check_lists_every_problem_one_a_line(capsys: pytest.CaptureFixture[str]) -> None:
    config = Path(os.environ["POZIRK_READER_CONFIG"])
    config.write_text('theme = "nordd"\nfull_text = 1\n[keymap]\n"reader.quitt" = "Q"\nbroken =\n', "utf-8")
    status, out, err = cli(capsys, "config", "check")
    assert (status, out) == (1, "")
    lines = err.splitlines()
    assert [line.split(": ")[2] for line in lines] == ["line 1", "line 2", "line 4", "line 5"]
    assert "theme: no theme named 'nordd' (did you mean 'nord'?)" in lines[0]
    assert "full_text: expected true or false, not an integer (1)" in lines[1]
    assert "unknown binding id 'reader.quitt' (did you mean 'reader.quit'?)" in lines[2]
    assert "the line is ignored" in lines[3]


def test_refresh_takes_its_defaults_from_the_config_and_says_what_is_wrong_in_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr("pozirk_reader.core.operations.feeds.refresh", lambda store, ids, **kw: calls.append(kw) or [])
    data = str(tmp_path / "data")
    assert cli(capsys, "feeds", "import", str(_opml(tmp_path)), "--no-refresh", "--data-dir", data)[0] == 0
    config = Path(os.environ["POZIRK_READER_CONFIG"])
    config.write_text(
        "full_text = false\nconcurrent_feeds = 3\nrefresh_minutes = -5\nentries_per_refresh = 50\n"
        "max_articles_per_feed = 100\n",
        "utf-8",
    )
    status, _, err = cli(capsys, "refresh", "--data-dir", data)
    assert status == 0
    assert (
        err
        == f"pozirk-reader: {config}: line 3: refresh_minutes: must be a whole number of minutes from 0 to 10080, not -5\n"
    )
    assert calls[-1]["full_text"] is False and calls[-1]["workers"] == 3
    assert calls[-1]["keep"] == Keeping(entries=50, articles=100)
    cli(capsys, "refresh", "--full-text", "--jobs", "2", "--data-dir", data)
    assert calls[-1]["full_text"] is True and calls[-1]["workers"] == 2


def _opml(folder: Path) -> Path:
    path = folder / "feeds.opml"
    path.write_text(
        '<opml version="2.0"><body><outline text="Example" xmlUrl="https://example.org/feed.xml"/></body></opml>'
    )
    return path


def test_an_old_config_json_is_carried_over_once_and_kept(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    legacy = data / "config.json"
    legacy.write_text(json.dumps({"theme": "nord", "keymap": {"reader.back": "backspace,h"}}), "utf-8")
    before = legacy.read_bytes()
    config = Path(os.environ["POZIRK_READER_CONFIG"])
    status, _, err = cli(capsys, "config", "check", "--data-dir", str(data))
    assert status == 0
    assert err == (
        f"pozirk-reader: settings carried over from {legacy} to {config}; "
        "config.json is left as it was and no longer read\n"
    )
    assert legacy.read_bytes() == before
    text = config.read_text("utf-8")
    assert 'theme = "nord"\n\n[keymap]\n"reader.back" = "backspace,h"\n' in text
    assert cli(capsys, "config", "check", "--data-dir", str(data)) == (0, f"{config}: no problems\n", "")
    assert config.read_text("utf-8") == text


# -- the log ---------------------------------------------------------------------------------


def test_debug_logs_everything_and_the_level_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(capsys, "list", "--debug", "--data-dir", str(tmp_path))
    text = log_path().read_text("utf-8")
    assert "DEBUG pozirk_reader.cli.commands" in text and "SQLite" in text
    log_path().unlink()
    monkeypatch.setenv("POZIRK_READER_LOG", "warning")
    cli(capsys, "list", "--data-dir", str(tmp_path))
    assert log_path().read_text("utf-8") == ""
    monkeypatch.setenv("POZIRK_READER_LOG", "chatty")
    assert cli(capsys, "list", "--data-dir", str(tmp_path))[2].startswith("pozirk-reader: POZIRK_READER_LOG: 'chatty'")


def test_an_unexpected_error_is_one_line_and_its_traceback_is_in_the_log(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug\x1b[2J")

    monkeypatch.setattr("pozirk_reader.cli.console.print_headlines", broken)
    status, out, err = cli(capsys, "list", "--data-dir", str(tmp_path))
    assert status == 1 and out == ""
    assert err == f"pozirk-reader: unexpected error: 'a bug\\x1b[2J' (the log has the details: {log_path()})\n"
    text = log_path().read_text("utf-8")
    assert "pozirk-reader list failed" in text and "Traceback (most recent call last):" in text and "in broken" in text


def test_version_and_help_come_before_any_check(capsys: pytest.CaptureFixture[str], no_reader: None) -> None:
    for args in (["--data-dir", "somewhere", "--version"], ["--debug", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 0
    assert capsys.readouterr().out.startswith(f"pozirk-reader {__version__}\nPython ")


@pytest.mark.parametrize(("kind", "workers"), [("folder", 8), ("deep", 8), ("not-utf8", 3)])
def test_a_config_that_cannot_be_read_is_one_line_and_the_command_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, workers: int
) -> None:
    calls: list[dict[str, object]] = []
    monkeypatch.setattr("pozirk_reader.core.operations.feeds.refresh", lambda store, ids, **kw: calls.append(kw) or [])
    config = Path(os.environ["POZIRK_READER_CONFIG"])
    if kind == "folder":
        config.mkdir()
    elif kind == "deep":
        config.write_text("concurrent_feeds." + ".".join(["a"] * 20_000) + " = 1\n", "utf-8")
    else:
        config.write_bytes(b"concurrent_feeds = 3 # caf\xe9\n")
    data = str(tmp_path / "data")
    assert cli(capsys, "feeds", "import", str(_opml(tmp_path)), "--no-refresh", "--data-dir", data)[0] == 0
    status, _, err = cli(capsys, "refresh", "--data-dir", data)
    assert status == 0
    (line,) = err.splitlines()
    assert line.startswith(f"pozirk-reader: {config}: ")
    assert calls[-1]["workers"] == workers  # the defaults, or what could be read

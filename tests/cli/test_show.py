"""``pozirk-reader show FILE``, ``--version`` and ``--help`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pozirk_reader import __version__
from pozirk_reader.cli.commands import main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process, as ``python -m pozirk_reader``."""
    return subprocess.run(
        [sys.executable, "-m", "pozirk_reader", *args], capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def test_version_and_help() -> None:
    import sqlite3
    from importlib.metadata import version

    import textual

    lines = run("--version").stdout.splitlines()
    assert lines[0] == f"pozirk-reader {__version__}"
    assert lines[1] == f"Python {sys.version.split()[0]}"
    assert f"Textual {textual.__version__}" in lines
    assert f"Rich {version('rich')}" in lines and f"feedparser {version('feedparser')}" in lines
    assert f"httpx {version('httpx')}" in lines and f"SQLite {sqlite3.sqlite_version}" in lines
    helped = run("--help")
    assert helped.returncode == 0
    assert "show" in helped.stdout


def test_show_prints_plain_text_when_piped(seed_path: Path) -> None:
    shown = run("show", str(seed_path))
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("Кубраков пожаловался главе Интерпола")
    assert "Pozirk" in lines[1] and "Минск" in lines[1] and "пресс-служба МВД" in lines[1]
    assert "\x1b" not in shown.stdout
    assert "  3. Интерпол выдал красные карточки" in shown.stdout
    assert "ПОДЕЛИТЬСЯ" not in shown.stdout


def test_show_json(seed_path: Path) -> None:
    shown = run("show", "--json", str(seed_path))
    data = json.loads(shown.stdout)
    assert data["source_name"] == "Pozirk"
    assert data["photo_credit"] == "пресс-служба МВД"
    assert len(data["paragraphs"]) == 11
    assert len(data["related"]) == 3
    assert data["date"].endswith("-05-13")


def test_markup_in_a_file_is_printed_literally(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.txt"
    path.write_text("[bold]Заголовок[/]\n\nТекст [link=file:///etc/passwd]x[/link] [@click=app.quit]y[/]", "utf-8")
    assert main(["show", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[bold]Заголовок[/]" in out
    assert "[link=file:///etc/passwd]x[/link]" in out and "[@click=app.quit]y[/]" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty"), (b"\x00\x01\x02binary", "the file is binary, not text")],
)
def test_bad_file_gives_one_line_on_stderr(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    shown = run("show", str(path))
    assert shown.returncode == 1
    assert shown.stdout == ""
    assert shown.stderr == f"pozirk-reader: {path}: {message}\n"


def test_missing_file(tmp_path: Path) -> None:
    shown = run("show", str(tmp_path / "nope.txt"))
    assert shown.returncode == 1
    assert "nope.txt" in shown.stderr and "Traceback" not in shown.stderr

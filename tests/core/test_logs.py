"""The log: a rotating file, a level from --debug or the environment, safe text, no credentials."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core import logs
from pozirk_reader.core.logs import SafeFormatter, level_from, redact, setup_logging, stop_logging


@pytest.fixture(autouse=True)
def _stop_logging() -> Iterator[None]:
    yield
    stop_logging()


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("pozirk_reader.test", logging.ERROR, __file__, 1, message, args, exc_info)


def test_messages_from_outside_cannot_write_control_sequences_or_split_a_line() -> None:
    hostile = "title\x1b]52;c;QQ==\x07 \x1b[2J\nFAKE 2026 ERROR line \u202eevil\u200d [b]x[/b]"
    text = SafeFormatter("%(message)s").format(record("feed %s failed", hostile))
    assert text.isprintable() and "\n" not in text
    assert "\\x1b]52;c;QQ==\\x07" in text and "\\x1b[2J" in text and "\\n" in text and "\\u202e" in text
    assert "[b]x[/b]" in text  # markup is nothing special in a log


def test_a_traceback_keeps_its_lines_but_not_control_characters() -> None:
    try:
        raise RuntimeError("bad \x1b[31mred\x1b[0m name")
    except RuntimeError as error:
        text = SafeFormatter("%(message)s").format(record("it failed", exc=error))
    lines = text.splitlines()
    assert lines[0] == "it failed" and lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "RuntimeError: bad \\x1b[31mred\\x1b[0m name"
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET https://reader:hunter2@feeds.example.org/rss failed", "hunter2"),
        ("https://example.org/feed?user=me&token=abc123&x=1 timed out", "abc123"),
        ("https://example.org/feed?api_key=k3y#top", "k3y"),
        ("headers: Authorization: Bearer eyJhbGciOi.secret", "eyJhbGciOi"),
        ("Cookie: session=s3ss10n; other=1", "s3ss10n"),
        ("login with password=pa55word for sync", "pa55word"),
        ('{"password": "pa55word"}', "pa55word"),
    ],
)
def test_credentials_never_reach_the_log(text: str, secret: str, tmp_path: Path) -> None:
    assert secret not in redact(text) and "***" in redact(text)
    path = tmp_path / "log" / "reader.log"
    assert setup_logging(path, logging.DEBUG) is None
    logging.getLogger("pozirk_reader.sync").info("%s", text)
    try:
        raise ValueError(text)
    except ValueError:
        logging.getLogger("pozirk_reader.sync").exception("failed: %s", text)
    written = path.read_text("utf-8")
    assert secret not in written and written.count("***") >= 3


def test_redaction_leaves_ordinary_text_alone() -> None:
    text = "https://pozirk.online/news/123?page=2 by the author: 3 articles; tokenizer=on"
    assert redact(text) == text


def test_the_level_comes_from_debug_or_the_environment() -> None:
    assert level_from(debug=True, environ={"POZIRK_READER_LOG": "error"}) == (logging.DEBUG, None)
    assert level_from(environ={}) == (logging.INFO, None)
    assert level_from(environ={"POZIRK_READER_LOG": "Warning"}) == (logging.WARNING, None)
    level, problem = level_from(environ={"POZIRK_READER_LOG": "loud\x1b[2J"})
    assert level == logging.INFO
    assert (
        problem
        == "POZIRK_READER_LOG: 'loud\\\\x1b[2J' is not a log level (one of debug, info, warning, error); using info"
    )


def test_the_file_rotates_and_other_libraries_log_only_warnings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logs, "MAX_LOG_BYTES", 2000)
    path = tmp_path / "reader.log"
    setup_logging(path, logging.INFO)
    for number in range(200):
        logging.getLogger("pozirk_reader.x").info("line %d %s", number, "x" * 40)
    logging.getLogger("somelibrary").info("chatter")
    logging.getLogger("somelibrary").warning("a library's warning")
    files = sorted(path.parent.glob("reader.log*"))
    assert [file.name for file in files] == ["reader.log", "reader.log.1", "reader.log.2", "reader.log.3"]
    assert all(file.stat().st_size <= 2000 for file in files)
    text = path.read_text("utf-8")
    assert "line 199" in text and "a library's warning" in text and "chatter" not in text


def test_setting_up_again_replaces_the_handler(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a.log", logging.INFO)
    setup_logging(tmp_path / "b.log", logging.WARNING)
    logging.getLogger("pozirk_reader.x").warning("once")
    logging.getLogger("pozirk_reader.x").info("not at warning")
    assert (tmp_path / "a.log").read_text() == ""
    assert (tmp_path / "b.log").read_text().count("once") == 1 and "not at warning" not in (
        tmp_path / "b.log"
    ).read_text()


def test_a_log_that_cannot_be_written_is_one_line_and_nothing_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    problem = setup_logging(blocker / "log" / "reader.log", logging.INFO)
    assert problem is not None and problem.startswith(f"{blocker / 'log' / 'reader.log'}: the log cannot be written")
    logging.getLogger("pozirk_reader.x").error("goes nowhere, and no error")


def test_a_record_that_cannot_be_written_is_dropped_silently(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_logging(tmp_path / "reader.log", logging.INFO)
    logging.getLogger("pozirk_reader.x").error("kept")
    file = logs._installed[0]._file  # type: ignore[attr-defined]  # the rotating handler, made by the first record

    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(file, "stream", FullDisk())
    logging.getLogger("pozirk_reader.x").error("lost")
    assert capsys.readouterr().err == ""
    assert "kept" in (tmp_path / "reader.log").read_text()

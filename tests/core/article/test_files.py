"""Reading outside files: regular files only (symlinks to them followed), a cap that holds while reading."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pozirk_reader.core.article.files import NotRegularFileError, path_text, read_regular_file, read_start
from pozirk_reader.core.article.plaintext import parse_file
from pozirk_reader.core.errors import ArticleError, FileTooLargeError

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")


def finishes(action: Callable[[], object], seconds: float = 20.0) -> BaseException | None:
    """Run ``action`` in a thread and return what it raised (or None); fail if it is still blocked after ``seconds``."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            action()
        except BaseException as error:  # the error is the result
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still blocked after {seconds} s"
    return outcome[0]


@needs_fifo
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    error = finishes(lambda: read_regular_file(fifo, 1024, "pipe.txt"))
    assert isinstance(error, NotRegularFileError) and error.reason == "a named pipe (FIFO), not a regular file"
    assert isinstance(finishes(lambda: read_start(fifo, 16, "pipe.txt")), NotRegularFileError)
    assert isinstance(finishes(lambda: parse_file(fifo)), ArticleError)


@needs_dev_zero
def test_a_symlink_to_a_device_is_refused_before_it_is_read(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    error = finishes(lambda: read_regular_file(link, 1024, "zero.txt"))
    assert isinstance(error, NotRegularFileError) and error.reason == "a character device, not a regular file"


def test_a_socket_and_a_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFileError, match="a folder, not a regular file"):
        read_regular_file(tmp_path, 1024, "folder")
    if not hasattr(socket, "AF_UNIX"):
        return
    path = tmp_path / "s.txt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(NotRegularFileError, match="a socket, not a regular file"):
            read_regular_file(path, 1024, "s.txt")
    finally:
        server.close()


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_bytes(b"text")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    data, status = read_regular_file(link, 1024, "link.txt")
    assert data == b"text" and status.st_size == 4


def test_the_cap_holds_while_reading(tmp_path: Path) -> None:
    """A file that grows past the cap after its size was checked is refused, never read whole."""
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 10)
    status = os.stat(path)  # as checked before: 10 bytes
    path.write_bytes(b"x" * 5000)
    with pytest.raises(FileTooLargeError, match="over the 100-byte limit"):
        read_regular_file(path, 100, "growing.txt", status)
    assert read_regular_file(path, 5000, "growing.txt")[0] == b"x" * 5000


def test_a_name_that_is_not_utf8_becomes_storable_text() -> None:
    name = os.fsdecode(b"/tmp/caf\xe9.txt")
    assert path_text(name) == "/tmp/caf\\xe9.txt"
    assert path_text("/tmp/Минск.txt") == "/tmp/Минск.txt"
    path_text(name).encode("utf-8")

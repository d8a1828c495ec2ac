"""Reading files from outside: regular files only, with a size cap that holds while reading, under any name.

Article files (import, ``show FILE``), local feed files and OPML files are all read here. A path is
``stat``-ed first, following symlinks, and anything but a regular file is refused without being
opened: a FIFO would block the reader forever, a device may be endless (``/dev/zero`` reports size 0)
or act when opened. A regular file is then opened with ``O_NONBLOCK`` (a FIFO swapped in after the
check cannot block either), checked again with ``fstat`` on the descriptor, and read to at most
``cap + 1`` bytes, so a file that grows while it is read is refused too, never read whole.

File names are kept as the OS gives them; :func:`path_text` is the text a name is stored and
identified by (bytes that are not UTF-8 written ``\\xNN``), and
:func:`~pozirk_reader.core.article.hygiene.safe_line` how it is shown.
"""

from __future__ import annotations

import os
import stat

from pozirk_reader.core.errors import ArticleError, FileTooLargeError

_READ_CHUNK = 1 << 20

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFileError(ArticleError):
    """The path is a folder, a FIFO, a device or a socket: not read."""


def path_text(path: str | os.PathLike[str]) -> str:
    """The path as text that can be stored: as given, except bytes that are not UTF-8, written ``\\xNN``.

    On POSIX the OS hands Python such bytes as lone surrogates (``surrogateescape``), which no UTF-8
    text (and so no SQLite column) can hold.
    """
    text = os.fspath(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def kind_of(mode: int) -> str | None:
    """What a file of ``st_mode`` is, if it is not a regular file ("a named pipe (FIFO)", …), else ``None``."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def check_regular(status: os.stat_result, name: str) -> None:
    """Raise :class:`NotRegularFileError` naming ``name`` unless ``status`` is a regular file's."""
    kind = kind_of(status.st_mode)
    if kind is not None:
        reason = f"{kind}, not a regular file" if kind != "not a regular file" else kind
        raise NotRegularFileError(name, reason)


def regular_stat(path: str | os.PathLike[str], name: str) -> os.stat_result:
    """``os.stat`` of ``path`` (following symlinks), refused unless it is a regular file.

    Raises :class:`NotRegularFileError`, or :class:`OSError` as ``os.stat`` does.
    """
    status = os.stat(path)
    check_regular(status, name)
    return status


def too_large(name: str, size: int, cap: int) -> FileTooLargeError:
    """The error for a file of at least ``size`` bytes, over ``cap``."""
    return FileTooLargeError(name, f"the file is {size:,} bytes, over the {cap:,}-byte limit")


def read_regular_file(
    path: str | os.PathLike[str], cap: int, name: str, status: os.stat_result | None = None
) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (at most ``cap``) and its ``fstat``.

    ``status`` is the path's ``os.stat`` if the caller already has it. ``name`` names the file in
    errors. Raises :class:`NotRegularFileError`, :class:`FileTooLargeError`, or :class:`OSError`.
    """
    if status is None:
        status = regular_stat(path, name)
    else:
        check_regular(status, name)
    if status.st_size > cap:
        raise too_large(name, status.st_size, cap)
    descriptor = _open_regular(path, name)
    try:
        opened = os.fstat(descriptor)
        if opened.st_size > cap:
            raise too_large(name, opened.st_size, cap)
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            chunk = os.read(descriptor, min(_READ_CHUNK, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            raise too_large(name, size, cap)
    finally:
        os.close(descriptor)
    return b"".join(chunks), opened


def read_start(path: str | os.PathLike[str], count: int, name: str) -> bytes:
    """The first ``count`` bytes of the regular file at ``path`` (to tell what it is); refused as :func:`read_regular_file`."""
    regular_stat(path, name)
    descriptor = _open_regular(path, name)
    try:
        return os.read(descriptor, count)
    finally:
        os.close(descriptor)


def _open_regular(path: str | os.PathLike[str], name: str) -> int:
    """Open ``path`` for reading without blocking, and make sure, on the descriptor, that it is a regular file."""
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        check_regular(os.fstat(descriptor), name)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor

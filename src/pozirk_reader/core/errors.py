"""The core's own errors: each says in one line what went wrong and where."""

from __future__ import annotations


class ReaderError(Exception):
    """Base of every error the core raises on purpose."""


class FeedError(ReaderError):
    """A document could not be read as a feed; one line naming the source.

    Defined here (and re-exported by :mod:`pozirk_reader.core.web.feed_format`) so that code raising it
    needs none of the feed-parsing modules.
    """


class ArticleError(ReaderError):
    """A file or entry could not be read as an article.

    ``source`` names the file (or URL) and ``reason`` says why, in one line.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class EmptyFileError(ArticleError):
    """The file has no text at all (or only white space)."""


class BinaryFileError(ArticleError):
    """The file holds binary data, not text."""


class FileTooLargeError(ArticleError):
    """The file is over :data:`pozirk_reader.core.article.limits.MAX_FILE_BYTES`."""


class UnknownEncodingError(ArticleError):
    """The bytes are neither UTF-8, windows-1251 nor KOI8-R."""

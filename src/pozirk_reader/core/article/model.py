"""The article model: immutable values that every part of the reader shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ContentKind(StrEnum):
    """How much of an article the reader holds."""

    FULL = "full"
    """The whole article."""
    SUMMARY = "summary"
    """Only a feed's summary of it (the full text may be fetched from its page)."""


class BlockKind(StrEnum):
    """What a paragraph is: text, a heading of a level, or preformatted text (one letter each, as kept)."""

    TEXT = "p"
    HEADING_1 = "1"
    HEADING_2 = "2"
    HEADING_3 = "3"
    HEADING_4 = "4"
    HEADING_5 = "5"
    HEADING_6 = "6"
    PREFORMATTED = "c"
    """Shown as it is, unwrapped: its line breaks and indentation are the text's."""

    @property
    def heading_level(self) -> int:
        """1-6 for a heading, 0 for a paragraph that is not one."""
        return int(self.value) if self.value.isdigit() else 0


def block_string(kinds: list[BlockKind] | tuple[BlockKind, ...]) -> str:
    """:attr:`Article.blocks` for paragraphs of these kinds ("" when all are text)."""
    return "" if all(kind is BlockKind.TEXT for kind in kinds) else "".join(kinds)


def stable_id(key: str) -> str:
    """Return a short stable id for an article, derived from where it came from.

    The same file path or URL always gives the same id, so re-importing an edited
    file updates the same article instead of adding a new one.
    """
    import hashlib  # (here: loading OpenSSL's hashes costs 3 ms, and reading the cache needs none)

    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """One "see also" entry: a headline and, when known, the URL it points to."""

    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One article, as parsed from a file or a feed entry.

    ``origin`` is where it came from (an absolute file path or a URL) and decides
    ``id``; ``url`` is the article's canonical web address when one is known.
    """

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    language: str = "und"  # "ru", "be" or "en"; "und" when it cannot be told
    source_name: str | None = None
    date: date | None = None
    place_time: str | None = None
    photo_credit: str | None = None
    related: tuple[RelatedLink, ...] = ()
    origin: str = ""
    url: str | None = None
    encoding: str | None = None
    content: ContentKind = ContentKind.FULL
    blocks: str = ""
    """Each paragraph's :class:`BlockKind`, one letter a paragraph; "" when every paragraph is text."""
    links: tuple[RelatedLink, ...] = ()
    """The links in the text: link ``n`` is marked ``[n]`` after its words."""

    def kind(self, index: int) -> BlockKind:
        """The kind of paragraph ``index``."""
        return BlockKind(self.blocks[index]) if index < len(self.blocks) else BlockKind.TEXT

    def heading_level(self, index: int) -> int:
        """The heading level of paragraph ``index`` (1-6), or 0 for one that is not a heading."""
        return self.kind(index).heading_level

    def is_preformatted(self, index: int) -> bool:
        """Whether paragraph ``index`` is preformatted text, shown as it is, unwrapped."""
        return self.kind(index) is BlockKind.PREFORMATTED

    @property
    def is_summary(self) -> bool:
        """Whether this holds only a feed's summary, not the full text."""
        return self.content == ContentKind.SUMMARY

    @property
    def place(self) -> str | None:
        """The place from the place-and-time line ("Минск" of "Минск 22:16")."""
        if not self.place_time:
            return None
        head, _, tail = self.place_time.rpartition(" ")
        if head and _looks_like_time(tail):
            return head
        return None if _looks_like_time(self.place_time) else self.place_time

    @property
    def time(self) -> str | None:
        """The time from the place-and-time line ("22:16"), or ``None``."""
        if not self.place_time:
            return None
        tail = self.place_time.rpartition(" ")[2]
        return tail if _looks_like_time(tail) else None

    @property
    def body(self) -> str:
        """The body as plain text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict[str, object]:
        """Return the fields as JSON-ready values."""
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "source_name": self.source_name,
            "date": self.date.isoformat() if self.date else None,
            "place_time": self.place_time,
            "place": self.place,
            "time": self.time,
            "photo_credit": self.photo_credit,
            "paragraphs": list(self.paragraphs),
            "related": [{"title": link.title, "url": link.url} for link in self.related],
            "origin": self.origin,
            "url": self.url,
            "encoding": self.encoding,
            "content": self.content,
            "blocks": [self.kind(index) for index in range(len(self.paragraphs))],
            "links": [{"title": link.title, "url": link.url} for link in self.links],
        }


def _looks_like_time(text: str) -> bool:
    """Tell whether ``text`` is an ``H:MM`` or ``HH:MM`` clock time."""
    hours, sep, minutes = text.partition(":")
    return (
        sep == ":"
        and hours.isdigit()
        and minutes.isdigit()
        and len(hours) in (1, 2)
        and len(minutes) == 2
        and int(hours) < 24
        and int(minutes) < 60
    )

"""Feed entries known by their bytes: the digest of each entry of a document the fast reader reads.

An entry's digest is its bytes, from its start tag to the next entry's (or the document's end), with what reading
it takes from outside them: :data:`DIGEST_VERSION`, the document's kind (its root), the namespaces in scope, and
the caller's context (the inherited language, whether C1 controls may need repair, the feed's URL and the
converter's version). Equal digests are entries read the same way, so an entry whose digest the cache holds need
not be read again (:class:`Unread`). Where the start tags cannot be told apart surely (more or fewer than the
entries, as a start tag in a comment or CDATA makes them, or a prefixed one) there are no digests.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from pozirk_reader.core.web import fast_feed_values as values

ITEM_START = re.compile(rb"<item[\s/>]")
"""The start tag of an RSS item (an unprefixed ``item``)."""
ENTRY_START = re.compile(rb"<entry[\s/>]")
"""The start tag of an Atom entry (in the default namespace)."""

ITEM_DIGEST = "\x00item_digest"
"""The key under which an entry read is given its digest (no parser's key: the caller takes it out)."""

DIGEST_VERSION = "1"
"""Part of every digest: bump it with any change to how the fast reader reads an entry."""


class Unread:
    """An entry whose digest the caller knows: its fields are read from its element when called for."""

    __slots__ = ("_c1", "_element", "_language", "_read", "digest")

    def __init__(
        self,
        digest: str,
        element: Any,
        read: Callable[[Any, str | None], dict[str, Any]],
        language: str | None,
        c1: bool,
    ) -> None:
        self.digest = digest
        self._element, self._read, self._language, self._c1 = element, read, language, c1

    def __call__(self) -> dict[str, Any]:
        """The entry's fields, with its digest, as if read with the document."""
        token = values.C1_POSSIBLE.set(self._c1)
        try:
            fields = self._read(self._element, self._language)
        finally:
            values.C1_POSSIBLE.reset(token)
        fields[ITEM_DIGEST] = self.digest
        return fields


def entry_digests(
    payload: bytes, root: Any, elements: list[Any], start: re.Pattern[bytes], context: tuple[str, ...]
) -> list[str] | None:
    """The digest of each of the entries ``elements`` of the document ``payload`` (whose root is ``root``), their
    start tags found by ``start``; ``None`` where those cannot be told apart surely."""
    if not elements or any(element.prefix is not None for element in elements):
        return None  # (a prefixed start tag is not searched for)
    starts = [found.start() for found in start.finditer(payload)]
    if len(starts) != len(elements):
        return None  # a start tag in a comment or CDATA, or another element of the name: no way to tell
    starts.append(len(payload))
    namespaces = sorted((prefix or "", uri) for prefix, uri in elements[0].getparent().nsmap.items())
    header = "\n".join((DIGEST_VERSION, root.tag, repr(namespaces), *context))
    base = hashlib.blake2b(header.encode("utf-8", "surrogatepass"), digest_size=16)
    found = []
    for position in range(len(elements)):
        digest = base.copy()
        digest.update(payload[starts[position] : starts[position + 1]])
        found.append(digest.hexdigest())
    return found

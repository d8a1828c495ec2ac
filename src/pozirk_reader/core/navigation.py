"""Back and forward through opened articles, like a browser's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pozirk_reader.core.limits import MAX_HISTORY


@dataclass
class Navigation:
    """A list of opened article ids and where in it the reader stands.

    Opening an article after going back drops the entries ahead, as a browser does. Each entry also
    keeps how far down its article was read (:meth:`remember`, :attr:`current_offset`), so that going
    back and forward reopens it there.
    """

    entries: list[str] = field(default_factory=list)
    index: int = -1
    offsets: list[int] = field(default_factory=list, compare=False)
    """Lines scrolled down in each entry's article, as last left (missing ones are 0)."""

    @property
    def current(self) -> str | None:
        """The article the reader stands on, if any."""
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

    @property
    def current_offset(self) -> int:
        """How far down the current entry's article was read when it was last left."""
        return self.offsets[self.index] if 0 <= self.index < len(self.offsets) else 0

    def remember(self, offset: int) -> None:
        """Note how far down the current entry's article is read now."""
        if 0 <= self.index < len(self.entries):
            self.offsets.extend([0] * (len(self.entries) - len(self.offsets)))
            self.offsets[self.index] = max(0, offset)

    @property
    def can_go_back(self) -> bool:
        """Whether there is an article behind the current one."""
        return self.index > 0

    @property
    def can_go_forward(self) -> bool:
        """Whether there is an article ahead of the current one."""
        return self.index < len(self.entries) - 1

    def visit(self, article_id: str) -> bool:
        """Record opening ``article_id``; returns ``False`` if it is already the current one."""
        if article_id == self.current:
            return False
        del self.entries[self.index + 1 :]
        self.offsets = self.offsets[: self.index + 1]
        self.offsets.extend([0] * (len(self.entries) - len(self.offsets)))
        self.entries.append(article_id)
        self.offsets.append(0)
        if len(self.entries) > MAX_HISTORY:
            del self.entries[: len(self.entries) - MAX_HISTORY]
            del self.offsets[: len(self.offsets) - MAX_HISTORY]
        self.index = len(self.entries) - 1
        return True

    def back(self) -> str | None:
        """Step back; returns the article now current, or ``None`` if there was nowhere to go."""
        if not self.can_go_back:
            return None
        self.index -= 1
        return self.current

    def forward(self) -> str | None:
        """Step forward; returns the article now current, or ``None`` if there was nowhere to go."""
        if not self.can_go_forward:
            return None
        self.index += 1
        return self.current

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy, for keeping in the cache."""
        offsets = (self.offsets + [0] * len(self.entries))[: len(self.entries)]
        return {"entries": list(self.entries), "index": self.index, "offsets": offsets}

    @classmethod
    def from_json(cls, data: Any) -> Navigation:
        """Rebuild from :meth:`to_json` output; anything malformed gives an empty history."""
        if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
            return cls()
        raw = data.get("entries", [])
        offsets = data.get("offsets")
        if not isinstance(offsets, list) or len(offsets) != len(raw):
            offsets = [0] * len(raw)
        kept = [
            (entry, offset if isinstance(offset, int) and not isinstance(offset, bool) and offset >= 0 else 0)
            for entry, offset in zip(raw, offsets, strict=True)
            if isinstance(entry, str)
        ][-MAX_HISTORY:]
        entries = [entry for entry, _ in kept]
        index = data.get("index", len(entries) - 1)
        if not isinstance(index, int) or not entries:
            return cls(entries, len(entries) - 1, [offset for _, offset in kept])
        return cls(entries, min(max(index, 0), len(entries) - 1), [offset for _, offset in kept])

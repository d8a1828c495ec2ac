"""Back and forward through opened articles, like a browser's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pozirk_reader.core.limits import MAX_HISTORY


@dataclass
class Navigation:
    """A list of opened article ids and where in it the reader stands.

    Opening an article after going back drops the entries ahead, as a browser does.
    """

    entries: list[str] = field(default_factory=list)
    index: int = -1

    @property
    def current(self) -> str | None:
        """The article the reader stands on, if any."""
        return self.entries[self.index] if 0 <= self.index < len(self.entries) else None

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
        self.entries.append(article_id)
        if len(self.entries) > MAX_HISTORY:
            del self.entries[: len(self.entries) - MAX_HISTORY]
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
        return {"entries": list(self.entries), "index": self.index}

    @classmethod
    def from_json(cls, data: Any) -> Navigation:
        """Rebuild from :meth:`to_json` output; anything malformed gives an empty history."""
        if not isinstance(data, dict) or not isinstance(data.get("entries", []), list):
            return cls()
        entries = [entry for entry in data.get("entries", []) if isinstance(entry, str)][-MAX_HISTORY:]
        index = data.get("index", len(entries) - 1)
        if not isinstance(index, int) or not entries:
            return cls(entries, len(entries) - 1)
        return cls(entries, min(max(index, 0), len(entries) - 1))

"""Looking after sources from the sources pane: renaming (a display name) and removing one."""

from __future__ import annotations

from pozirk_reader.core.limits import DISPLAY_NAME_LENGTH
from pozirk_reader.core.store.library import Store


def rename_source(store: Store, source_id: int, name: str) -> str | None:
    """Give source ``source_id`` the display name ``name`` (spaces collapsed, at most
    :data:`DISPLAY_NAME_LENGTH` characters, control characters dropped); empty: its own name again.
    Returns the name given (``None`` for its own)."""
    clean = " ".join("".join(ch for ch in name if ch.isprintable()).split())[:DISPLAY_NAME_LENGTH].strip()
    store.set_display_name(source_id, clean or None)
    return clean or None


def remove_source(store: Store, source_id: int) -> int:
    """Remove source ``source_id`` and its cached articles (one transaction); returns how many articles went."""
    with store.writing() as tx:
        return tx.remove_source(source_id)

"""The links inside an article's text (link ``n`` marked ``[n]`` in it), kept in order and resolved when read.

They resolve by URL only (an article whose ``url`` or ``origin`` is the link's), at the time they are read, so
a link to a page cached later follows to it at once; their words ("here", "reported") are no headline to match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from pozirk_reader.core.article.model import RelatedLink

READ_INLINE_LINKS = """
SELECT l.position, l.title, l.url, t.id, t.title FROM inline_links AS l
LEFT JOIN articles AS t ON t.id = (
    SELECT a.id FROM articles AS a WHERE (a.url = l.url OR a.origin = l.url) AND a.id != l.article_id
    ORDER BY a.sort_key DESC LIMIT 1)
WHERE l.article_id = ? ORDER BY l.position
"""
"""The links in one article's text (its id the one parameter), as ``ResolvedLink`` fields: position, title,
URL, and the newest cached article at that URL (its id and title), if any."""


def replace_inline_links(db: sqlite3.Connection, article_id: str, links: Sequence[RelatedLink]) -> None:
    """Keep ``links`` as the article's links in the text (inside the caller's transaction)."""
    db.execute("DELETE FROM inline_links WHERE article_id = ?", (article_id,))
    db.executemany(
        "INSERT INTO inline_links (article_id, position, title, url) VALUES (?, ?, ?, ?)",
        [(article_id, position, link.title, link.url) for position, link in enumerate(links) if link.url],
    )

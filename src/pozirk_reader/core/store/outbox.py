"""The outbox of changes made here to an account's articles, written in the transaction that makes them.

:func:`queue_changes` puts the latest read or starred value of an article an account brought in ``outbox``
(one row an article and field); a local article costs one lookup in an empty index. Its own module because
both the write transaction and the accounts' sync code queue changes.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from enum import StrEnum

_CHUNK = 500
"""Ids in one ``IN (...)`` query."""


class Field(StrEnum):
    """The state of an article that syncs."""

    READ = "read"
    STARRED = "starred"


def queue_changes(db: sqlite3.Connection, article_ids: Sequence[str], changed: Field, value: bool) -> int:
    """Put ``changed = value`` in the outbox for those of ``article_ids`` an account brought; returns how many.

    Runs inside the caller's transaction, so the change and its outbox row commit together.
    """
    queued = 0
    now = time.time()
    for start in range(0, len(article_ids), _CHUNK):
        chunk = list(article_ids[start : start + _CHUNK])
        marks = ",".join("?" * len(chunk))
        queued += db.execute(
            "INSERT INTO outbox (article_id, field, value, queued_at)"
            f" SELECT article_id, ?, ?, ? FROM remote_items WHERE article_id IN ({marks})"
            " ON CONFLICT (article_id, field) DO UPDATE SET value = excluded.value, queued_at = excluded.queued_at",
            (str(changed), int(value), now, *chunk),
        ).rowcount
    return queued

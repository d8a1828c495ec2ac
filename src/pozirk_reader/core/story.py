"""A story's thread: the articles joined to one through "see also" links, in either direction, a few hops out.

Pure: :func:`thread_hops` walks a graph it is given one ring at a time (``neighbours`` answers for many
articles at once, so a store asks one query a hop), breadth first, and stops at :data:`MAX_HOPS` hops or
:data:`MAX_THREAD` articles.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

MAX_HOPS = 3
"""How far from the article a thread reaches (its links' links' links)."""

MAX_THREAD = 200
"""The most articles a thread holds (the nearest first)."""

Neighbours = Callable[[Collection[str]], Mapping[str, Collection[str]]]
"""For some articles, the articles each links to or is linked from."""


def thread_hops(
    start: str, neighbours: Neighbours, max_hops: int = MAX_HOPS, limit: int = MAX_THREAD
) -> dict[str, int]:
    """Every article within ``max_hops`` links of ``start`` (``start`` itself at 0), with its hop count: the
    fewest links between them. At most ``limit`` articles, nearer ones kept first (in a ring, by id)."""
    hops = {start: 0}
    ring = [start]
    for hop in range(1, max_hops + 1):
        if not ring or len(hops) >= limit:
            break
        found = neighbours(ring)
        following: list[str] = []
        for article in sorted({n for a in ring for n in found.get(a, ())} - hops.keys()):
            if len(hops) >= limit:
                break
            hops[article] = hop
            following.append(article)
        ring = following
    return hops

"""CPU of HTML to text on the generated feed's items: the converter today against its frozen pre-optimisation copy.

Run ``python benchmarks/html_text.py [--items 8000] [--runs 5] [--corpus]``. It generates the items of
``feeds.py``'s ``big`` scenario (``feedgen.py``, seed 1, as ``profile_refresh.py`` writes them), converts each
item's HTML as a refresh does (``structure=True``, the item's URL as base) with
``tests/core/web/reference_html_text.py`` ("old") and ``pozirk_reader.core.web.html_text`` ("new"), the two in
turn, and prints each one's CPU time (this thread's, by ``time.thread_time``) as median [min-max] of the runs,
with the machine's load average, and how many documents the tokeniser's simple subset took (the rest went
through ``HTMLParser``). ``--corpus`` converts every entry's HTML of the feeds in ../shared/corpus instead (as
``tests/core/web/test_html_text_identity.py`` collects it, with a fixed base URL).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.core.web.reference_html_text import html_to_text as reference_html_to_text

from feedgen import Generator  # benchmarks/feedgen.py
from pozirk_reader.core.web import html_tokens
from pozirk_reader.core.web.html_text import html_to_text


def items(count: int) -> list[tuple[str, str]]:
    """(HTML, URL) of the first ``count`` items of the big feed."""
    generator, found = Generator(1), []
    for index in range(count):
        xml, _ = generator.item(1000, index, (0, count), 1)
        html = re.search(r"<!\[CDATA\[(.*)\]\]>", xml, re.DOTALL)
        assert html is not None
        found.append((html[1], generator.url(1000, index)))
    return found


def cpu(convert: Callable[..., object], work: list[tuple[str, str]]) -> float:
    start = time.thread_time()
    for html, url in work:
        convert(html, url, structure=True)
    return time.thread_time() - start


def simple_share(work: list[tuple[str, str]]) -> int:
    """How many of the documents the tokeniser reads as its simple subset (without ``HTMLParser``)."""
    original, taken = html_tokens._feed_simple, []

    def counting(parser: Any, html: str) -> bool:
        taken.append(original(parser, html))
        return taken[-1]

    html_tokens._feed_simple = counting
    try:
        cpu(html_to_text, work)
    finally:
        html_tokens._feed_simple = original
    return sum(taken)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=8000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", action="store_true", help="the corpus feeds' entries, not generated items")
    args = parser.parse_args()
    if args.corpus:
        from tests.core.web.test_html_text_identity import _corpus_fragments

        work = [(html, "https://example.org/news/1.html") for html in _corpus_fragments()]
    else:
        work = items(args.items)
    size = sum(len(html.encode()) for html, _ in work)
    print(f"{len(work):,} documents, {size / 2**20:.1f} MiB of HTML; load average {os.getloadavg()[0]:.2f} before")
    print(f"the tokeniser's simple subset: {simple_share(work):,} of them (the rest through HTMLParser)")
    sides = {"old": reference_html_to_text, "new": html_to_text}
    times: dict[str, list[float]] = {name: [] for name in sides}
    for run in range(args.runs):
        for name in sorted(sides, reverse=run % 2 == 1):  # who goes first alternates
            times[name].append(cpu(sides[name], work))
    for name, samples in times.items():
        print(
            f"{name}: {statistics.median(samples):.3f} s [{min(samples):.3f}-{max(samples):.3f}]"
            f" ({len(work) / statistics.median(samples):,.0f} documents/s)"
        )
    print(
        f"new/old: {statistics.median(times['new']) / statistics.median(times['old']):.2f}; load average {os.getloadavg()[0]:.2f} after"
    )


if __name__ == "__main__":
    main()

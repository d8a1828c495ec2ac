"""The corpus figures: how the reader reads the real feeds of ``../shared/corpus`` against feedparser 6.

Run ``python benchmarks/corpus_report.py [--list] [--all]`` from the project. It reads every feed as
``tests/test_corpus.py`` does (see ``tests/corpus.py``: the reader from the local file and over a loopback
HTTP server, feedparser on the same bytes and headers) and prints the figures: feeds, feedparser's entries
and the reader's articles, entries lost, and the differences by kind, those listed as deliberate in
``tests/test_corpus.py`` apart. ``--list`` prints each difference; ``--all`` each deliberate one too.
Set ``POZIRK_READER_CORPUS`` to judge another corpus laid out the same way. It always exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import FEEDS, KINDS, cases, judge
from tests.test_corpus import DELIBERATE


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every difference not listed as deliberate")
    parser.add_argument("--all", action="store_true", help="print the deliberate differences too")
    args = parser.parse_args()
    if not FEEDS.is_dir():
        print(f"no corpus at {FEEDS}")
        return 0
    chosen = cases()
    verdicts = judge(chosen)
    print(f"corpus: {FEEDS}")
    print(f"feeds: {len(chosen)}, each read twice (from the file and over HTTP)")
    for run in ("file", "http"):
        mine = [v for v in verdicts if v.run == run]
        entries = sum(v.entries for v in mine)
        read = sum(v.read for v in mine)
        lost = sum(max(0, v.entries - v.read) for v in mine if "refused" not in v.differences)
        refused = sum(v.entries for v in mine if "refused" in v.differences)
        print(
            f"  {run}: feedparser {entries:,} entries (with a title or text), the reader {read:,} articles;"
            f" {lost:,} entries lost in feeds read, {refused:,} in feeds refused"
        )
    listed: Counter[str] = Counter()
    unlisted: Counter[str] = Counter()
    for verdict in verdicts:
        for kind, detail in verdict.differences.items():
            deliberate = kind in DELIBERATE.get(verdict.case, {})
            (listed if deliberate else unlisted)[kind] += 1
            if (args.list and not deliberate) or args.all:
                mark = "deliberate" if deliberate else "DIFFERENCE"
                print(f"    {mark} {kind:9} {verdict.run:4} {verdict.case}: {detail}")
    print("differences by kind (file and HTTP runs counted apart): unlisted / listed as deliberate")
    for kind in KINDS:
        print(f"  {kind:9} {unlisted[kind]:4} / {listed[kind]:4}")
    files = {verdict.case for verdict in verdicts if verdict.differences}
    print(f"files with any difference: {len(files)} of {len(chosen)}; deliberate ones listed: {len(DELIBERATE)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of search: query times, "more like this", the index's size and the import rate with the index on.

Run ``python benchmarks/search.py [--articles N] [--work DIR] [--seed S]``. It generates N synthetic
articles with the generator of ``benchmarks/store.py``, with one change: a share of the words come
from a large invented vocabulary with Zipf frequencies (inflected like Russian nouns), so the text has
rare words as well as the store benchmark's few hundred common ones. It imports them into a fresh
cache (kept in ``--work DIR`` for reruns with ``--reuse``), then times a mix of common, rare, prefix,
phrase, OR and exclusion queries, "more like this", and measures the index's share of the cache. It
always exits 0: it is a benchmark, not a test.

Warm and cold. The query-time figures are warm: each query ran once before it is timed, so the cache file is
in the OS page cache and SQLite's page cache holds what it read. The cold figures time the first run of 3
queries of each kind on a connection just opened, with the file's pages dropped from the OS page cache
just before (``posix_fadvise(DONTNEED)``), as a search right after the machine has read other things.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.operations.searching import search, similar
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.store.library import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import evict  # benchmarks/harness.py

_spec = importlib.util.spec_from_file_location("store_benchmark", Path(__file__).with_name("store.py"))
assert _spec and _spec.loader
store_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(store_benchmark)

RARE_SHARE = 0.15
"""The share of words drawn from the invented Zipf vocabulary."""

RARE_STEMS = 60_000
"""Size of the invented vocabulary (stems)."""

_ONSETS = "б в г д ж з к л м н п р с т ф х ц ч ш бр вр гр др кр пр тр ст ск сл зв"
_VOWELS = "а о у и е ы"
_CODAS = "н р л к т м с д в б"
_ENDINGS = ("", "а", "у", "ом", "е", "ы", "ов", "ами", "ах")


def invented_stems(count: int, seed: int) -> list[str]:
    """``count`` distinct invented word stems ending in a consonant (so Russian endings can follow)."""
    rng = random.Random(seed)
    onsets, vowels, codas = _ONSETS.split(), _VOWELS.split(), _CODAS.split()
    found: dict[str, None] = {}
    while len(found) < count:
        syllables = [rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3))]
        found["".join(syllables) + rng.choice(codas)] = None
    return list(found)


class ZipfWords:
    """Sentences of the store benchmark's words, with :data:`RARE_SHARE` of them invented, Zipf-distributed."""

    def __init__(self, seed: int) -> None:
        self.stems = invented_stems(RARE_STEMS, seed)
        self.cumulative = list(itertools.accumulate(1 / rank for rank in range(1, len(self.stems) + 1)))

    def word(self, rng: random.Random) -> str:
        stem = rng.choices(self.stems, cum_weights=self.cumulative)[0]
        return stem + rng.choice(_ENDINGS)

    def sentence(self, rng: random.Random) -> str:
        words = [
            self.word(rng) if rng.random() < RARE_SHARE else rng.choice(store_benchmark.WORDS)
            for _ in range(rng.randint(6, 14))
        ]
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."


def generate(folder: Path, count: int, seed: int) -> ZipfWords:
    """The store benchmark's articles, with invented rare words in their sentences."""
    vocabulary = ZipfWords(seed)
    original = store_benchmark.sentence
    store_benchmark.sentence = vocabulary.sentence
    try:
        store_benchmark.generate(folder, count, seed)
    finally:
        store_benchmark.sentence = original
    return vocabulary


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def queries(vocabulary: ZipfWords, seed: int) -> dict[str, list[str]]:
    """The query mix, by kind."""
    rng = random.Random(seed)
    common = list(store_benchmark.WORDS)
    stems = vocabulary.stems
    forms = _ENDINGS
    return {
        "common word": rng.sample(common, 40),
        "two common words": [" ".join(rng.sample(common, 2)) for _ in range(20)],
        "frequent invented word": [stems[rng.randrange(0, 50)] + rng.choice(forms) for _ in range(20)],
        "rare invented word": [stems[rng.randrange(1000, len(stems))] + rng.choice(forms) for _ in range(40)],
        "common + rare": [f"{rng.choice(common)} {stems[rng.randrange(100, 5000)]}" for _ in range(20)],
        "prefix": [rng.choice(common)[:4] + "*" for _ in range(20)]
        + [stems[rng.randrange(0, 3000)][:5] + "*" for _ in range(20)],
        "phrase": [f'"{rng.choice(common)} {rng.choice(common)}"' for _ in range(10)],
        "OR": [f"{stems[rng.randrange(200, 9000)]} OR {stems[rng.randrange(200, 9000)]}" for _ in range(10)],
        "exclude": [f"{rng.choice(common)} -{rng.choice(common)}" for _ in range(10)],
    }


def index_bytes(cache: Path) -> tuple[int, int, int]:
    """Bytes of the search index's tables (and the starred index), the file's bytes, and its free bytes."""
    with sqlite3.connect(cache) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        index = db.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_index%' OR name = 'articles_starred_by_date'"
        ).fetchone()[0]
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
    return int(index or 0), pages * page_size, free * page_size


def run(work: Path, count: int, seed: int, reuse: bool) -> None:
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  sqlite: {sqlite3.sqlite_version}")
    print(f"articles: {count:,}  seed: {seed}  work folder: {work}")
    source, cache = work / "articles", work / "search.sqlite3"
    marker = work / f"built-{count}-{seed}"
    vocabulary = ZipfWords(seed)
    rate = import_s = None
    if not (reuse and marker.exists() and cache.exists()):
        marker.unlink(missing_ok=True)
        shutil.rmtree(source, ignore_errors=True)
        for old in (cache, cache.with_name(cache.name + "-wal"), cache.with_name(cache.name + "-shm")):
            old.unlink(missing_ok=True)
        start = time.perf_counter()
        generate(source, count, seed)
        print(f"generated in {time.perf_counter() - start:.1f} s (not counted)", flush=True)
        print(f"importing {count:,} articles…", flush=True)
        with Store.open(cache) as store:
            start = time.perf_counter()
            report = import_path(store, source)
            import_s = time.perf_counter() - start
        rate = count / import_s
        print(f"import: {report.summary} in {import_s:.1f} s", flush=True)
        with sqlite3.connect(cache) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        marker.touch()
    else:
        print("reusing the cache built before (import rate not measured: leave out --reuse)")

    index, file_size, free = index_bytes(cache)
    without = file_size - index - free

    mix = queries(vocabulary, seed + 1)
    times: dict[str, list[float]] = {}
    store = Store.open(cache, check=False)
    for kind, texts in mix.items():
        for text in texts:
            search(store, text)  # warm-up: the first run of a query reads its pages from disk
        times[kind] = [timed(lambda text=text: search(store, text)) for text in texts]
    every = [value for values in times.values() for value in values]
    starred = [row[0] for row in store._read("SELECT id FROM articles ORDER BY random() LIMIT 30")]
    for article_id in starred:
        store.set_starred(article_id)
    filtered_mix = [*mix["common word"][:10], *mix["rare invented word"][:10], *mix["prefix"][:10]]
    newest = store._read("SELECT max(sort_key) FROM articles")[0][0]
    recent = date.fromisoformat(newest[:10]) - timedelta(days=30)
    filter_kinds = {
        "unread only": SearchFilters(unread_only=True),
        "starred only (30 starred)": SearchFilters(starred_only=True),
        "last 30 days": SearchFilters(since=recent),
    }
    filtered: dict[str, list[float]] = {}
    for name, filters in filter_kinds.items():
        for text in filtered_mix:
            search(store, text, filters=filters)
        filtered[name] = [timed(lambda text=text, f=filters: search(store, text, filters=f)) for text in filtered_mix]
    for article_id in starred:
        store.set_starred(article_id, False)
    ids = [row[0] for row in store._read("SELECT id FROM articles ORDER BY random() LIMIT 200")]
    for article_id in ids[:20]:
        similar(store, article_id)
    similar_times = [timed(lambda article_id=article_id: similar(store, article_id)) for article_id in ids]
    sample = search(store, mix["rare invented word"][0])
    example = similar(store, ids[0])
    store.close()
    cold: dict[str, list[float]] = {}
    for kind, texts in mix.items():
        for text in texts[:3]:
            fresh = Store.open(cache, check=False)
            evict(cache, cache.with_name(cache.name + "-wal"))
            cold.setdefault(kind, []).append(timed(lambda text=text, fresh=fresh: search(fresh, text)))
            fresh.close()

    def row(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{name:<46} {value:>16}  {target:<12} {verdict}")

    print()
    print(f"{'query kind (warm)':<28} {'n':>4} {'median ms':>10} {'p95 ms':>10} {'max ms':>10} {'cold median':>12}")
    print("-" * 79)
    for kind, values in times.items():
        print(
            f"{kind:<28} {len(values):>4} {statistics.median(values):>10.2f} {percentile(values, 0.95):>10.2f}"
            f" {max(values):>10.2f} {statistics.median(cold[kind]):>12.2f}"
        )
    print()
    print(f"{'with filters (mix of 30; warm)':<28} {'n':>4} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}")
    print("-" * 66)
    for kind, values in filtered.items():
        print(
            f"{kind:<28} {len(values):>4} {statistics.median(values):>10.2f} {percentile(values, 0.95):>10.2f}"
            f" {max(values):>10.2f}"
        )
    print()
    row("figure", "value", "target", None)
    print("-" * 84)
    median, p95 = statistics.median(every), percentile(every, 0.95)
    row(f"query time, warm, median of {len(every)} (ms)", f"{median:.2f}", "< 20", median < 20)
    row("query time, warm, 95th percentile (ms)", f"{p95:.2f}", "< 100", p95 < 100)
    every_cold = [value for values in cold.values() for value in values]
    row(f"query time, cold, median of {len(every_cold)} (ms)", f"{statistics.median(every_cold):.2f}")
    row("query time, cold, max (ms)", f"{max(every_cold):.2f}")
    similar_median, similar_p95 = statistics.median(similar_times), percentile(similar_times, 0.95)
    row(
        f"more like this, warm, median of {len(similar_times)} (ms)",
        f"{similar_median:.2f}",
        "< 50",
        similar_median < 50,
    )
    row("more like this, warm, 95th percentile (ms)", f"{similar_p95:.2f}", "< 50", similar_p95 < 50)
    share = index / without
    row("search index (MB)", f"{index / 1e6:.1f}")
    row("cache without the index (MB)", f"{without / 1e6:.1f}")
    row("index / cache without it", f"{share:.0%}", "<= 60%", share <= 0.6)
    row("free pages in the file (MB)", f"{free / 1e6:.1f}")
    if rate is not None and import_s is not None:
        row("import rate with the index (articles/s)", f"{rate:,.0f}", ">= 2,000", rate >= 2000)
        row("import wall time (s)", f"{import_s:.1f}")
    print()
    print(
        f"example: {mix['rare invented word'][0]!r} → {len(sample)} hits; first: {sample[0].snippet if sample else '-'}"
    )
    print(f"example: more like this for {ids[0]} → {[headline.title[:40] for headline in example]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="how many articles (default 100000)")
    parser.add_argument("--work", type=Path, help="work in DIR and keep the files there")
    parser.add_argument("--reuse", action="store_true", help="reuse the cache already built in --work DIR")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated text (default 1)")
    args = parser.parse_args()
    if args.articles < 2:
        parser.error("--articles must be at least 2")
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        run(args.work.resolve(), args.articles, args.seed, args.reuse)
    else:
        with tempfile.TemporaryDirectory(prefix="pozirk-search-bench-") as folder:
            run(Path(folder), args.articles, args.seed, False)


if __name__ == "__main__":
    main()
    sys.exit(0)

"""Benchmark of the search index's Russian stemmer: PyStemmer's C code against the Python port, uncached.

Run ``python benchmarks/stemming.py [--lemmas N]``. The words are every form of Debian's hunspell-ru dictionary
(``apt-get install hunspell-ru``; all lemmas by default), else of the sample library's words inflected (see
``benchmarks/vocabulary.py``). Each stemmer sees every distinct form once, with no cache, in 3 alternating
runs; it prints the median and min-max microseconds a word, and how many stems differ (they must not).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.vocabulary import HUNSPELL, expand, load, read_affixes  # noqa: E402

from pozirk_reader.core.search import stemming  # noqa: E402


def word_forms(lemmas: int | None) -> tuple[list[str], str]:
    """Distinct word forms in normal form, and where they came from."""
    dic, aff = HUNSPELL / "ru_RU.dic", HUNSPELL / "ru_RU.aff"
    if dic.exists() and aff.exists():
        rules = read_affixes(aff)
        entries = dic.read_text(encoding="utf-8").splitlines()[1:][:lemmas]
        raw = (form for entry in entries for form in expand(entry.strip(), rules))
        source = f"hunspell {dic}"
    else:
        vocabulary = load("ru")
        raw = iter(vocabulary.forms)
        source = vocabulary.source
    forms = {word for form in raw if stemming.WORD.fullmatch(word := stemming.normal(form))}
    return sorted(forms), source


def timed(stem: Callable[[str], str], words: list[str]) -> tuple[float, list[str]]:
    started = time.perf_counter()
    stems = [stem(word) for word in words]
    return time.perf_counter() - started, stems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lemmas", type=int, help="only the first N lemmas of the dictionary")
    args = parser.parse_args()
    words, source = word_forms(args.lemmas)
    print(f"{len(words):,} distinct word forms from {source}")
    try:
        import Stemmer
    except ImportError:
        print("PyStemmer is not installed: only the Python port is timed")
        Stemmer = None
    stemmers: dict[str, Callable[[str], str]] = {"Python port (russian_stem)": stemming.russian_stem}
    if Stemmer is not None:
        stemmers["PyStemmer (C)"] = Stemmer.Stemmer("russian", 0).stemWord
    seconds: dict[str, list[float]] = {name: [] for name in stemmers}
    results: dict[str, list[str]] = {}
    for _ in range(3):
        for name, stem in stemmers.items():
            elapsed, results[name] = timed(stem, words)
            seconds[name].append(elapsed)
    for name, runs in seconds.items():
        per_word = [run / len(words) * 1e6 for run in runs]
        print(
            f"{name:<28} {statistics.median(per_word):6.2f} µs a word "
            f"(min {min(per_word):.2f}, max {max(per_word):.2f}; 3 runs, uncached)"
        )
    if len(results) == 2:
        first, second = results.values()
        print(f"stems that differ: {sum(a != b for a, b in zip(first, second, strict=True)):,}")
    print(f"in use for the index: {stemming.RUSSIAN_IMPLEMENTATION}")


if __name__ == "__main__":
    main()

"""Benchmark of the offline cache: import rate, memory, query latency and size on disk at N articles.

Run ``python benchmarks/store.py [--articles N] [--keep DIR] [--seed S] [--edit N] [--similar]``. It
generates N synthetic articles in the agency's plain-text format (seeded, so runs are repeatable),
imports them into a fresh cache, times the reader's queries, and prints the figures beside their
targets. With ``--edit N`` it then edits N of the files (a word of the headline changed, a sentence
added) and times their re-import, and how long another writer (a star) waits meanwhile. It always
exits 0: it is a benchmark, not a test.

Query figures are labelled warm or cold. Warm: the median of 200 calls after 10 untimed ones, the cache file
in the OS page cache and SQLite's own page cache filled. Cold: the first call on a connection just opened
(without the integrity check, which reads the whole file), with the file's pages dropped from the OS page
cache just before (``posix_fadvise(DONTNEED)``); the median of 5 such calls.

The generated text repeats a few hundred words (the store's figures do not depend on the vocabulary);
``benchmarks/search.py`` and ``benchmarks/feeds.py`` use a realistic one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store, StoreError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import evict  # benchmarks/harness.py

SHARD = 1000
"""Files per sub-folder of the generated source."""

TARGET_BYTES = 3000
"""About how large each generated article file is (UTF-8 bytes)."""


def _words(text: str) -> tuple[str, ...]:
    """The space-separated words of ``text``."""
    return tuple(text.split())


MONTHS = _words("января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
PLACES = _words("Минск Гродно Брест Гомель Витебск Могилев Пинск Барановичи Бобруйск Лида Орша Солигорск")
IN_PLACES = _words("Минске Гродно Бресте Гомеле Витебске Могилеве Пинске Барановичах Бобруйске Лиде Орше Солигорске")
CREDITS = ["архив редакции", "пресс-служба МВД", "Позірк", "иллюстративное фото", "соцсети"]
_VOCABULARY = """
власти город район область министерство правительство президент страна граница закон суд решение дело
человек люди жители сотрудники рабочие врачи учителя студенты школьники пенсионеры водители пассажиры
компания предприятие завод фабрика банк магазин рынок цены тарифы зарплата пенсия налог бюджет кредит
рубль доллар евро курс экономика торговля экспорт импорт продукция молоко хлеб картофель зерно урожай
погода дождь снег мороз жара ветер туман гроза температура неделя месяц год день утро вечер ночь
улица дорога мост трамвай троллейбус автобус поезд вокзал аэропорт самолет билет маршрут остановка
школа университет больница поликлиника библиотека музей театр стадион парк площадь центр микрорайон
строительство ремонт реконструкция открытие закрытие запуск проект программа план работа участок
новый старый большой малый главный местный городской областной национальный международный частный
важный известный первый последний следующий прошлый весенний летний осенний зимний бесплатный
сообщил заявил отметил рассказал подчеркнул пообещал объявил решил начал закончил продолжил открыл
закрыл построил отремонтировал задержал осудил оштрафовал повысил снизил изменил перенес отменил
получил выдал передал принял подписал утвердил рассмотрел обсудил предложил запретил разрешил
будет было стало может должен нужно можно сегодня вчера завтра теперь уже еще снова также только
около почти более менее примерно всего впервые однако поэтому кроме после перед между через против
вокруг внутри вместе отдельно быстро медленно долго скоро поздно рано часто редко сразу постепенно
встреча совещание заседание конференция выставка фестиваль конкурс турнир чемпионат матч команда
игрок тренер победа поражение счет очки место медаль награда премия приз участник зритель болельщик
полиция милиция пожарные спасатели авария пожар происшествие проверка задержание штраф нарушение
сообщение заявление информация данные статистика отчет исследование опрос результат итог вывод
здание дом квартира подъезд крыша окно дверь лифт двор сквер набережная проспект переулок шоссе
семья дети родители бабушка дедушка соседи друзья коллеги руководитель директор глава депутат
вода электричество газ отопление свет связь интернет телефон почта доставка очередь документ
"""
WORDS = _words(_VOCABULARY)


def sentence(rng: random.Random) -> str:
    """One sentence of 6–14 vocabulary words, capitalised, with a full stop."""
    text = " ".join(rng.choices(WORDS, k=rng.randint(6, 14)))
    return text[0].upper() + text[1:] + "."


SIMILAR_OPENINGS = (
    "власти города сообщили о том что",
    "в районе начали ремонт и пообещали что",
    "жители микрорайона пожаловались на то что",
    "местные депутаты обсудили вопрос о том как",
)
"""With ``--similar``, every headline opens "В <place>" and one of these: like an agency's recurring headlines,
whose first third many share, so near matching of see-also links has many candidates to weigh."""


def make_headline(rng: random.Random, similar: bool = False) -> str:
    """A headline: "В <place>" and 5–10 vocabulary words (with ``similar``, an opening and 3–5 words)."""
    if similar:
        return f"В {rng.choice(IN_PLACES)} {rng.choice(SIMILAR_OPENINGS)} {' '.join(rng.choices(WORDS, k=rng.randint(3, 5)))}"
    return f"В {rng.choice(IN_PLACES)} {' '.join(rng.choices(WORDS, k=rng.randint(5, 10)))}"


def article_text(rng: random.Random, index: int, headlines: list[str], similar: bool = False) -> tuple[str, list[str]]:
    """The file text of article ``index`` and the kinds of its links (exact, updated, missing).

    With ``similar``, a missing link looks like the headlines (the same openings), so it has near-match candidates.
    """
    kinds, links = [], []
    for _ in range(rng.randint(1, 3)):
        other = rng.randrange(len(headlines) - 1)
        other += other >= index  # never the article itself
        roll = rng.random()
        if roll < 0.8:
            kinds.append("exact")
            links.append(headlines[other])
        elif roll < 0.9:
            kinds.append("updated")
            links.append(headlines[other] + " (обновлено)")
        else:
            kinds.append("missing")
            links.append(
                make_headline(rng, True)
                if similar
                else f"В {rng.choice(IN_PLACES)} архив {' '.join(rng.choices(WORDS, k=7))}"
            )
    parts = [
        f"{rng.choice(PLACES)} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        headlines[index],
        f"Фото: {rng.choice(CREDITS)}",
    ]
    size = sum(len(text.encode()) + 2 for text in [*parts, *links]) + 40
    paragraph = [f"{rng.randint(1, 28)} {rng.choice(MONTHS)}, Позірк."]
    while size < TARGET_BYTES:
        paragraph.append(sentence(rng))
        size += len(paragraph[-1].encode()) + 1
        if len(paragraph) > rng.randint(2, 5):
            parts.append(" ".join(paragraph))
            paragraph = []
    if paragraph:
        parts.append(" ".join(paragraph))
    parts.append("См. также:\n\n" + "\n\n".join(links))
    parts.append("ПОДЕЛИТЬСЯ:")
    return "\n\n".join(parts) + "\n", kinds


def generate(folder: Path, count: int, seed: int, similar: bool = False) -> dict[str, int]:
    """Write ``count`` articles under ``folder`` in shards of :data:`SHARD`; returns link kind counts."""
    rng = random.Random(seed)
    headlines: list[str] = []
    seen: set[str] = set()
    while len(headlines) < count:
        headline = make_headline(rng, similar)
        if headline not in seen:
            seen.add(headline)
            headlines.append(headline)
    kinds = {"exact": 0, "updated": 0, "missing": 0}
    for index in range(count):
        shard = folder / f"{index // SHARD:04d}"
        if index % SHARD == 0:
            shard.mkdir(parents=True, exist_ok=True)
        text, link_kinds = article_text(rng, index, headlines, similar)
        (shard / f"{index:07d}.txt").write_text(text, encoding="utf-8")
        for kind in link_kinds:
            kinds[kind] += 1
    return kinds


def peak_rss_mb() -> float:
    """The process's peak resident set since start (``ru_maxrss``; kilobytes on Linux), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_hwm() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) so it measures from now; False where unsupported."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def hwm_mb() -> float | None:
    """The VmHWM peak resident set from ``/proc/self/status`` in MB, or ``None``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def median_ms(action: Callable[[], object], repetitions: int = 200, warmup: int = 10) -> float:
    """The median wall time of ``action`` in milliseconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def cold_ms(cache: Path, action: Callable[[Store], object], repetitions: int = 5) -> float:
    """The median wall time of ``action`` as the first call on a fresh connection, the file's pages dropped."""
    times = []
    for _ in range(repetitions):
        store = Store.open(cache, check=False)
        evict(cache, cache.with_name(cache.name + "-wal"))
        start = time.perf_counter()
        action(store)
        times.append(time.perf_counter() - start)
        store.close()
    return statistics.median(times) * 1000


def file_mb(*files: Path) -> float:
    """Total size of the files that exist, in MB."""
    return sum(file.stat().st_size for file in files if file.exists()) / 1e6


def edit_files(source: Path, count: int, seed: int) -> int:
    """Edit ``count`` of the generated files: one word of the headline replaced, a sentence added to the body."""
    rng = random.Random(seed + 2)
    files = sorted(source.rglob("*.txt"))
    chosen = rng.sample(files, min(count, len(files)))
    for file in chosen:
        parts = file.read_text(encoding="utf-8").split("\n\n")
        words = parts[1].split()
        words[-1] = rng.choice(WORDS)
        parts[1] = " ".join(words)
        parts[3] += " " + sentence(rng)
        file.write_text("\n\n".join(parts), encoding="utf-8")
    return len(chosen)


def timed_reimport(cache: Path, source: Path) -> tuple[float, str, float, int]:
    """Re-import ``source`` while another thread stars an article every 50 ms.

    Returns the import's seconds, its summary, the longest a star waited (s), and how many stars were saved.
    """
    import threading

    done = threading.Event()
    waits: list[float] = []
    with sqlite3.connect(cache) as db:
        some = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY random() LIMIT 500")]

    def star() -> None:
        with Store.open(cache, check=False) as other:
            for article_id in some:
                if done.is_set():
                    break
                began = time.perf_counter()
                with contextlib.suppress(StoreError):  # a star refused: counted by its long wait
                    other.set_starred(article_id)
                waits.append(time.perf_counter() - began)
                time.sleep(0.05)

    starrer = threading.Thread(target=star)
    store = Store.open(cache)
    starrer.start()
    start = time.perf_counter()
    report = import_path(store, source)
    seconds = time.perf_counter() - start
    done.set()
    starrer.join()
    store.close()
    with sqlite3.connect(cache) as db:
        saved = int(db.execute("SELECT count(*) FROM articles WHERE starred = 1").fetchone()[0])
    return seconds, report.summary, max(waits, default=0.0), saved


def run(work: Path, count: int, seed: int, edits: int = 0, similar: bool = False) -> None:
    """Generate, import, measure, and print the table."""
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  sqlite: {sqlite3.sqlite_version}")
    print(f"articles: {count:,}  seed: {seed}  work folder: {work}")
    source, cache = work / "articles", work / "cache.sqlite3"
    shutil.rmtree(source, ignore_errors=True)
    for old in (cache, cache.with_name(cache.name + "-wal"), cache.with_name(cache.name + "-shm")):
        old.unlink(missing_ok=True)

    start = time.perf_counter()
    kinds = generate(source, count, seed, similar)
    print(f"generated in {time.perf_counter() - start:.1f} s (not counted); links: {kinds}", flush=True)
    text_mb = sum(file.stat().st_size for file in source.rglob("*.txt")) / 1e6

    print(f"importing {count:,} articles ({text_mb:.1f} MB)…", flush=True)
    rss_before, hwm_reset = peak_rss_mb(), reset_hwm()
    store = Store.open(cache)
    start = time.perf_counter()
    report = import_path(store, source)
    import_s = time.perf_counter() - start
    import_hwm = hwm_mb() if hwm_reset else None
    store.close()
    rate = count / import_s
    print(f"import: {report.summary} in {import_s:.1f} s; {report.resolved:,} links resolved", flush=True)

    with sqlite3.connect(cache) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM articles")]
        total_links = int(db.execute("SELECT count(*) FROM related").fetchone()[0])
        unresolved = int(db.execute("SELECT count(*) FROM related WHERE target_id IS NULL").fetchone()[0])
    rng = random.Random(seed + 1)
    store = Store.open(cache)  # reopened: nothing of the import is left in Python
    first_ms = median_ms(lambda: store.headlines(0, 50))
    deep_ms = median_ms(lambda: store.headlines(max(0, count - 60), 50))
    article_ms = median_ms(lambda: (store.get(pick := rng.choice(ids)), store.related(pick)))
    count_ms = median_ms(store.count)
    position_ms = median_ms(lambda: store.position(rng.choice(ids)))
    store.close()
    cold_first_ms = cold_ms(cache, lambda store: store.headlines(0, 50))
    cold_article_ms = cold_ms(cache, lambda store: (store.get(pick := rng.choice(ids)), store.related(pick)))

    with sqlite3.connect(cache) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cache_mb = file_mb(cache, cache.with_name(cache.name + "-wal"))
    open_check_ms = median_ms(lambda: Store.open(cache, check=True).close(), repetitions=5, warmup=1)
    open_plain_ms = median_ms(lambda: Store.open(cache, check=False).close(), repetitions=5, warmup=1)

    store = Store.open(cache)
    start = time.perf_counter()
    again = import_path(store, source)
    again_s = time.perf_counter() - start
    store.close()

    def row(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        print(f"{name:<44} {value:>16}  {target:<14} {verdict}")

    print()
    row("figure", "value", "target", None)
    print("-" * 84)
    row("import rate (articles/s, wall)", f"{rate:,.0f}", ">= 3,000", rate >= 3000)
    row("import wall time (s)", f"{import_s:.1f}")
    row("peak RSS of the import (VmHWM, MB)", f"{import_hwm:.0f}" if import_hwm else "n/a")
    row("peak RSS of the process (ru_maxrss, MB)", f"{peak_rss_mb():.0f}")
    row("  ru_maxrss before the import (MB)", f"{rss_before:.0f}")
    row("links resolved / total", f"{total_links - unresolved:,} / {total_links:,}")
    row("links unresolved (generated missing)", f"{unresolved:,} ({kinds['missing']:,})")
    row("first page headlines(0, 50), warm (ms)", f"{first_ms:.2f}", "< 5", first_ms < 5)
    row("  cold (ms)", f"{cold_first_ms:.2f}")
    row(f"deep page headlines({max(0, count - 60)}, 50), warm (ms)", f"{deep_ms:.2f}")
    row("one article: get + related, warm (ms)", f"{article_ms:.2f}", "< 5", article_ms < 5)
    row("  cold (ms)", f"{cold_article_ms:.2f}")
    row("count(), warm (ms)", f"{count_ms:.2f}")
    row("position(id), random id, warm (ms)", f"{position_ms:.2f}")
    row("cache on disk, db + wal (MB)", f"{cache_mb:.1f}")
    row("source text (MB)", f"{text_mb:.1f}")
    ratio = cache_mb / text_mb
    row("cache / source text", f"{ratio:.2f}x", "<= 1.5x", ratio <= 1.5)
    row("Store.open, check=True, warm (ms)", f"{open_check_ms:.1f}")
    row("Store.open, check=False, warm (ms)", f"{open_plain_ms:.1f}")
    row("second import, unchanged (s)", f"{again_s:.2f}")
    row("  second import report", again.summary.split(",")[2].strip())
    if edits:
        edited = edit_files(source, edits, seed)
        seconds, summary, longest_wait, stars = timed_reimport(cache, source)
        row(f"re-import of {edited:,} edited files (s)", f"{seconds:.1f}", "seconds", seconds < 10)
        row("  its report", summary.split(",")[1].strip())
        row("  longest a star waited meanwhile (s)", f"{longest_wait:.2f}", "< 1", longest_wait < 1)
        row("  stars saved during it", f"{stars:,}")


def main() -> None:
    """Parse the arguments and run the benchmark in a temporary folder (or ``--keep DIR``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000, help="how many articles (default 100000)")
    parser.add_argument(
        "--keep", type=Path, help="work in DIR and keep the files there (replaces DIR/articles, DIR/cache.sqlite3)"
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated text (default 1)")
    parser.add_argument("--edit", type=int, default=0, metavar="N", help="then edit N files and time their re-import")
    parser.add_argument(
        "--similar", action="store_true", help="headlines that share their openings (see SIMILAR_OPENINGS)"
    )
    args = parser.parse_args()
    if args.articles < 2:
        parser.error("--articles must be at least 2")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep.resolve(), args.articles, args.seed, args.edit, args.similar)
    else:
        with tempfile.TemporaryDirectory(prefix="pozirk-bench-") as folder:
            run(Path(folder), args.articles, args.seed, args.edit, args.similar)


if __name__ == "__main__":
    main()
    sys.exit(0)

"""Benchmark of feeds: refreshing many feeds from a local server, and one huge feed against newsboat.

Run ``python benchmarks/feeds.py [--feeds 50] [--items 200] [--big 10000] [--repeat 1] [--no-newsboat]``
(``--big 0`` skips the second part). It generates RSS feeds of Russian and Belarusian news-like items
(about 2 KB of HTML each: paragraphs, a figure with an image's alt text, a "См. также:" / "Гл. таксама:"
list of links to other items), serves them from a ``ThreadingHTTPServer`` on 127.0.0.1 in a child process
(with ETags: a request with a matching ``If-None-Match`` gets 304), and measures, in a fresh cache each:

1. ``refresh(store, full_text=False)`` of ``--feeds`` feeds of ``--items`` items (the sources are created
   first, so no subscribing fetch is counted): wall time, items/s, the CPU time spent inside
   ``feedparser.parse`` (a wrapper sums ``time.thread_time()`` over the worker threads), and the reader's
   own overhead, i.e. the process CPU time of the refresh minus feedparser's (fetching, decoding,
   ``html_to_text``, hashing, SQLite writes), as a share of feedparser's. Then a second refresh, every
   feed answering 304.
2. One ``--big``-item feed: ``add_feed`` into an empty cache (opening and closing the cache counted too)
   against ``newsboat -u urls -c cache.db -C config -x reload`` on an empty cache, and their ratio.

It always exits 0: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import multiprocessing
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.sax.saxutils import escape

import feedparser
import httpx  # noqa: F401  (imported up front, as a running reader has it, so its import is not timed)

from pozirk_reader.core.operations import feeds
from pozirk_reader.core.operations.pages import LIMITS
from pozirk_reader.core.store import writing as writing_module
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceKind
from pozirk_reader.core.store.writing import WriteTransaction
from pozirk_reader.core.web import feed_format as feedparse
from pozirk_reader.core.web.fetch import FetchLimits

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store import IN_PLACES, MONTHS, PLACES, WORDS, _words  # benchmarks/store.py

SITE = "https://pozirk.example"
HTML_BYTES = 2000
"""About how many UTF-8 bytes of HTML each item carries."""

BE_WORDS = _words(
    """улады горад раён вобласць міністэрства ўрад краіна закон суд рашэнне людзі жыхары лекары настаўнікі
    студэнты пенсіянеры завод банк крама рынак цэны заробак пенсія падатак надвор'е дождж снег мароз тыдзень
    месяц год дзень вуліца дарога мост трамвай аўтобус цягнік вакзал школа бальніца бібліятэка музей тэатр
    плошча будаўніцтва рамонт праект праца новы вялікі мясцовы паведаміў заявіў адзначыў расказаў паабяцаў
    вырашыў адкрыў закрыў атрымаў падпісаў будзе было можа трэба сёння учора ўжо яшчэ таксама толькі амаль"""
)
BE_MONTHS = _words(
    "студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня верасня кастрычніка лістапада снежня"
)
BE_PLACES = _words("Мінск Гродна Брэст Гомель Віцебск Магілёў Пінск Баранавічы Бабруйск Ліда Орша Салігорск")
CREDITS = ("архив редакции", "пресс-служба МВД", "Позірк", "иллюстративное фото", "соцсети")
START = datetime(2025, 11, 20, 12, 0, tzinfo=timezone(timedelta(hours=3)))


def _sentence(rng: random.Random, words: tuple[str, ...]) -> str:
    text = " ".join(rng.choices(words, k=rng.randint(6, 14)))
    return text[0].upper() + text[1:] + "."


def headlines(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` (language, headline) pairs, one in five Belarusian."""
    kinds = (("be", "У", BE_PLACES, BE_WORDS), ("ru", "В", IN_PLACES, WORDS))
    chosen = [kinds[rng.random() >= 0.2] for _ in range(count)]
    return [
        (lang, f"{at} {rng.choice(places)} {' '.join(rng.choices(words, k=rng.randint(5, 10)))}")
        for lang, at, places, words in chosen
    ]


def item_html(rng: random.Random, language: str, links: list[tuple[int, str]]) -> str:
    """About :data:`HTML_BYTES` of an item's HTML: paragraphs, a figure, then a see-also list of ``links``."""
    be = language == "be"
    words, months, places = (BE_WORDS, BE_MONTHS, BE_PLACES) if be else (WORDS, MONTHS, PLACES)
    lead = f"<strong>{rng.choice(places)}, {rng.randint(1, 28)} {rng.choice(months)}.</strong> "
    paragraphs = [lead + " ".join(_sentence(rng, words) for _ in range(2))]
    marker = "Гл. таксама:" if be else "См. также:"
    tail = f"<p><b>{marker}</b></p><ul>" + "".join(
        f'<li><a href="{SITE}/news/{index}.html">{escape(title)}</a></li>' for index, title in links
    )
    figure = (
        f'<figure><img src="{SITE}/img/{rng.randrange(10**6)}.jpg" alt="{escape(_sentence(rng, words))}">'
        f"<figcaption>Фото: {rng.choice(CREDITS)}</figcaption></figure>"
    )
    size = len((figure + tail).encode()) + len(paragraphs[0].encode()) + 20
    while size < HTML_BYTES - 150:
        paragraphs.append(" ".join(_sentence(rng, words) for _ in range(rng.randint(1, 3))))
        size += len(paragraphs[-1].encode()) + 7
    paragraphs.insert(1, figure)
    body = "".join(part if part.startswith("<figure") else f"<p>{part}</p>" for part in paragraphs)
    return body + tail + "</ul>"


def write_feed(
    path: Path, title: str, first: int, count: int, names: list[tuple[str, str]], seed: int
) -> tuple[int, int]:
    """Write an RSS 2.0 feed of items ``first`` to ``first + count - 1`` of ``names``.

    Returns its size and the size of its items' HTML, in bytes.
    """
    rng = random.Random(seed)
    items, html_bytes = [], 0
    for index in range(first, first + count):
        language, headline = names[index]
        others = [rng.randrange(len(names)) for _ in range(rng.randint(2, 3))]
        html = item_html(rng, language, [(other, names[other][1]) for other in others if other != index])
        html_bytes += len(html.encode())
        url = f"{SITE}/news/{index}.html"
        date = (START - timedelta(minutes=7 * index)).strftime("%a, %d %b %Y %H:%M:%S %z")
        lead = _sentence(rng, BE_WORDS if language == "be" else WORDS)
        items.append(
            f"<item><title>{escape(headline)}</title><link>{url}</link><guid isPermaLink='true'>{url}</guid>"
            f"<pubDate>{date}</pubDate><description>{escape(lead)}</description>"
            f"<content:encoded><![CDATA[{html}]]></content:encoded></item>\n"
        )
    document = (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content='
        f'"http://purl.org/rss/1.0/modules/content/"><channel><title>{escape(title)}</title><link>{SITE}/</link>'
        f"<description>Навіны і падзеі</description><language>ru</language>\n{''.join(items)}</channel></rss>\n"
    ).encode()
    path.write_bytes(document)
    return len(document), html_bytes


def _serve(folder: str, reply: Connection) -> None:
    """Serve every file of ``folder`` from memory, with a strong ETag; 304 when ``If-None-Match`` matches.

    It runs in a child process, so that its CPU time is not counted as the reader's.
    """
    files = {}
    for path in Path(folder).iterdir():
        data = path.read_bytes()
        files["/" + path.name] = (data, f'"{hashlib.sha1(data).hexdigest()[:20]}"')

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path not in files:
                self.send_error(404)
                return
            data, etag = files[self.path]
            fresh = self.headers.get("If-None-Match") != etag
            self.send_response(200 if fresh else 304)
            self.send_header("ETag", etag)
            if fresh:
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if fresh:
                self.wfile.write(data)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # the default 5 drops connections (1 s SYN retry) when 8 workers connect at once

    server = Server(("127.0.0.1", 0), Handler)
    reply.send(server.server_address[1])
    server.serve_forever()


def start_server(folder: Path) -> tuple[multiprocessing.Process, str]:
    """Start :func:`_serve` in a child process; returns it and the server's root URL."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_serve, args=(str(folder), send), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{receive.recv()}/"


class Timed:
    """Wraps a function of a module (or a method of a class): its calls, and its thread CPU and wall time summed."""

    def __init__(self, module: ModuleType | type, name: str) -> None:
        self.module, self.name, self.original = module, name, getattr(module, name)
        self.calls, self.cpu, self.wall = 0, 0.0, 0.0
        lock = threading.Lock()

        @functools.wraps(self.original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
                with lock:
                    self.calls, self.cpu, self.wall = self.calls + 1, self.cpu + cpu, self.wall + wall

        setattr(module, name, timed)

    def restore(self) -> None:
        setattr(self.module, self.name, self.original)


def install_timers() -> dict[str, Timed]:
    """Time feedparser itself and the reader's parts (names as printed)."""
    timers = {
        "feedparser.parse": Timed(feedparser, "parse"),
        "html_to_text": Timed(feedparse, "html_to_text"),
        "parse_feed": Timed(feeds, "parse_feed"),
        "fetching": Timed(feeds, "fetch_document"),
        "writing": Timed(feeds, "_ingest"),
        "save_article": Timed(WriteTransaction, "save_article"),
        "resolve_links": Timed(WriteTransaction, "resolve_links"),
        "index_article": Timed(writing_module, "index_article"),
    }
    return timers


def measure(action: Callable[[], Any], timers: dict[str, Timed]) -> tuple[Any, float, float]:
    """Run ``action`` with the timers reset; returns its result, wall time and process CPU time."""
    for timer in timers.values():
        timer.calls, timer.cpu, timer.wall = 0, 0.0, 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def describe(size: tuple[int, int], items: int) -> str:
    """The size of feeds and of their items' HTML, e.g. "25.6 MB, 2,016 bytes of HTML an item"."""
    return f"{size[0] / 1e6:.1f} MB, {size[1] / items:,.0f} bytes of HTML an item"


def header(title: str) -> None:
    print(f"\n{title}")
    row("figure", "value", "target")
    print("-" * 96)


def row(name: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("PASS" if ok else "FAIL")
    print(f"{name:<58} {value:>18}  {target:<12} {verdict}")


def breakdown(timers: dict[str, Timed], cpu: float) -> float:
    """Print where the CPU time went; returns the reader's overhead (process CPU minus feedparser's)."""
    parse, html, whole = timers["feedparser.parse"], timers["html_to_text"], timers["parse_feed"]
    row("  CPU in feedparser.parse (thread CPU, summed)", f"{parse.cpu:.2f} s")
    row("    wall in feedparser.parse, summed over threads", f"{parse.wall:.2f} s")
    row("  CPU in html_to_text", f"{html.cpu:.2f} s ({html.calls:,} calls)")
    row("  CPU in the rest of parse_feed (decoding, entries, hashes)", f"{whole.cpu - parse.cpu - html.cpu:.2f} s")
    row("  CPU fetching (httpx)", f"{timers['fetching'].cpu:.2f} s")
    row("  CPU writing (_ingest: SQLite, links)", f"{timers['writing'].cpu:.2f} s")
    row("    of which WriteTransaction.save_article", f"{timers['save_article'].cpu:.2f} s")
    row("      of which search_index.index_article (stems, FTS5)", f"{timers['index_article'].cpu:.2f} s")
    row("    of which WriteTransaction.resolve_links", f"{timers['resolve_links'].cpu:.2f} s")
    rest = cpu - whole.cpu - timers["fetching"].cpu - timers["writing"].cpu
    row("  CPU elsewhere (pool, reports, the rest)", f"{rest:.2f} s")
    return cpu - parse.cpu


def bench_many(work: Path, base: str, names: list[str], size: str, items: int, workers: int) -> None:
    """Refresh every feed into a fresh cache, then again (all 304)."""
    timers = install_timers()
    with Store.open(work / "many.sqlite3") as store:
        with store.writing() as tx:
            for name in names:
                tx.ensure_source(SourceKind.FEED, base + name)
        reports, wall, cpu = measure(lambda: feeds.refresh(store, full_text=False, workers=workers), timers)
        count = store.count()
        with sqlite3.connect(store.path) as db:
            related = db.execute("SELECT count(*), count(target_id) FROM related").fetchone()
        header(f"1. refresh of {len(names)} feeds x {items} items ({size}), {workers} workers, empty cache")
        row("wall time of the refresh", f"{wall:.2f} s")
        row("items/s (wall)", f"{count / wall:,.0f}")
        row("process CPU time (all threads; the server is another process)", f"{cpu:.2f} s")
        overhead = breakdown(timers, cpu)
        share = overhead / timers["feedparser.parse"].cpu
        row("reader's own overhead: process CPU - feedparser CPU", f"{overhead:.2f} s")
        row("  as a share of feedparser's time", f"{share:.0%}", "< 30%", share < 0.3)
        row("articles cached / feeds updated", f"{count:,} / {sum(r.status == 'updated' for r in reports)}")
        row("see-also links stored / resolved", f"{related[0]:,} / {related[1]:,}")
        for report in reports:
            if report.status != "updated":
                print(f"  unexpected: {report.line}")
        reports, wall, cpu = measure(lambda: feeds.refresh(store, full_text=False, workers=workers), timers)
        row("second refresh, every feed 304: wall time", f"{wall:.3f} s", "< 1 s", wall < 1)
        unchanged = sum(report.status == "not modified" for report in reports)
        row("  process CPU time; feeds answered 304", f"{cpu:.3f} s; {unchanged} / {len(names)}")
    for timer in timers.values():
        timer.restore()


def run_newsboat(work: Path, url: str, items: int) -> tuple[float | None, str]:
    """Time ``newsboat -x reload`` of ``url`` on an empty cache; returns its wall time (or None) and a note."""
    folder = work / "newsboat"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / "urls").write_text(url + "\n")
    (folder / "config").write_text("# defaults\n")
    command = ["newsboat", "-u", "urls", "-c", "cache.db", "-C", "config", "-x", "reload"]
    environment = {**os.environ, "HOME": str(folder)}
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=folder, env=environment, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return None, "newsboat did not finish in 15 minutes"
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return None, f"newsboat exited with {done.returncode}: {(done.stderr or done.stdout).strip()[:200]}"
    with sqlite3.connect(folder / "cache.db") as db:
        stored = db.execute("SELECT count(*) FROM rss_item").fetchone()[0]
    if stored != items:
        return None, f"newsboat's cache.db holds {stored:,} items, not {items:,}"
    return wall, f"exit 0, {stored:,} items in its cache.db"


def bench_big(work: Path, url: str, items: int, size: tuple[int, int], repeat: int, newsboat: bool) -> None:
    """One huge feed: add_feed on an empty cache against newsboat's reload on an empty cache."""
    limits = FetchLimits(max_bytes=max(LIMITS.max_bytes, 2 * size[0]))
    timers = install_timers()
    ours: list[float] = []
    theirs: list[float] = []
    note = ""
    have_newsboat = newsboat and shutil.which("newsboat") is not None
    for _ in range(repeat):
        cache = work / "big.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            cache.with_name(cache.name + suffix).unlink(missing_ok=True)

        def subscribe(cache: Path = cache) -> tuple[feeds.FeedReport, int]:
            with Store.open(cache) as store:
                return feeds.add_feed(store, url, full_text=False, limits=limits), store.count()

        (report, count), wall, cpu = measure(subscribe, timers)
        ours.append(wall)
        if have_newsboat:
            seconds, note = run_newsboat(work, url, items)
            if seconds is not None:
                theirs.append(seconds)
    header(f"2. one feed of {items:,} items ({describe(size, items)}), empty cache; median of {repeat} runs")
    mine = statistics.median(ours)
    row("pozirk-reader: open cache + add_feed + close, wall", f"{mine:.2f} s")
    row("  items/s (wall)", f"{count / mine:,.0f}")
    row("  process CPU time (last run)", f"{cpu:.2f} s")
    breakdown(timers, cpu)
    row("  articles cached / report", f"{count:,} / {report.added:,} new")
    if limits.max_bytes > LIMITS.max_bytes:
        cap = LIMITS.max_bytes / 2**20
        print(
            f"  (size cap raised to {limits.max_bytes / 2**20:.0f} MiB: the default {cap:.0f} MiB would refuse this feed)"
        )
    if not newsboat:
        print("newsboat: skipped (--no-newsboat)")
    elif shutil.which("newsboat") is None:
        print("newsboat: not found on PATH, comparison skipped; install it with `sudo apt-get install -y newsboat`")
        print("  (Debian/Ubuntu; the issue's figures are for newsboat 2.21)")
    elif not theirs:
        print(f"newsboat: comparison skipped: {note}")
    else:
        other = statistics.median(theirs)
        version = subprocess.run(["newsboat", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        row(f"{' '.join(version.split()[:2])} -x reload on an empty cache, wall", f"{other:.2f} s")
        row(f"  ({note})", "")
        ratio = mine / other
        row("ratio pozirk-reader / newsboat", f"{ratio:.2f}x", "<= 1.0x", ratio <= 1.0)
    for timer in timers.values():
        timer.restore()


def run(work: Path, args: argparse.Namespace) -> None:
    """Generate the feeds, serve them, and run both parts."""
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  sqlite: {sqlite3.sqlite_version}")
    print(f"feedparser: {feedparser.__version__}  work folder: {work}")
    served = work / "served"
    served.mkdir()
    start = time.perf_counter()
    names = headlines(random.Random(args.seed), args.feeds * args.items)
    files = [f"feed{number:03d}.xml" for number in range(args.feeds)]
    sizes = [
        write_feed(served / file, f"Позірк {number}", number * args.items, args.items, names, args.seed + number)
        for number, file in enumerate(files)
    ]
    size = (sum(feed for feed, _ in sizes), sum(html for _, html in sizes))
    if args.big:
        big_names = headlines(random.Random(args.seed + 1), args.big)
        big_size = write_feed(served / "big.xml", "Позірк: усе навіны", 0, args.big, big_names, args.seed)
    print(f"generated in {time.perf_counter() - start:.1f} s (not counted)", flush=True)
    server, base = start_server(served)
    try:
        bench_many(work, base, files, describe(size, args.feeds * args.items), args.items, args.workers)
        if args.big:
            bench_big(work, base + "big.xml", args.big, big_size, args.repeat, not args.no_newsboat)
    finally:
        server.kill()
        server.join()


def main() -> None:
    """Parse the arguments and run the benchmark in a temporary folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50, help="feeds refreshed together (default 50)")
    parser.add_argument("--items", type=int, default=200, help="items a feed (default 200)")
    parser.add_argument("--big", type=int, default=10_000, help="items of the one huge feed; 0 skips it (10000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the huge feed, median taken (default 1)")
    parser.add_argument("--workers", type=int, default=feeds.DEFAULT_WORKERS, help="refresh threads (default 8)")
    parser.add_argument("--no-newsboat", action="store_true", help="skip the comparison with newsboat")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated feeds (default 1)")
    args = parser.parse_args()
    if args.feeds < 1 or args.items < 2 or args.repeat < 1:
        parser.error("--feeds must be at least 1, --items at least 2, --repeat at least 1")
    with tempfile.TemporaryDirectory(prefix="pozirk-feeds-bench-") as folder:
        run(Path(folder), args)


if __name__ == "__main__":
    main()
    sys.exit(0)

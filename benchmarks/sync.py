"""Benchmark of syncing with a real FreshRSS: a first sync of 50,000 articles, then syncs that transfer what changed.

Run ``python benchmarks/sync.py [--feeds 50] [--items 1000] [--page 250] [--work DIR]``. It needs PHP (as the
sync tests do) and ../shared/servers/freshrss.sh. It generates ``--feeds`` RSS feeds of ``--items`` news-like
items each (about 2 KB of HTML an item, Russian and Belarusian words, a "Гл. таксама" list of links to other
items), serves them from a loopback server, starts FreshRSS (its archiving limits lifted so it keeps every
item), lets it fetch them all, and then measures, through the Google Reader API:

1. the first sync into an empty cache: items, requests and bytes transferred, time, items/s, and the peak
   resident memory of the sync (VmHWM, reset just before it);
2. a second sync with nothing changed on either side;
3. a sync after another machine read 500 and starred 50 items, and a feed of 100 items was subscribed to;
4. pushing 1,000 local changes (marked read here).

Bytes are the answers' bytes as they came over the wire (gzip where the server compresses). It always exits
0: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.feedserver import Route, Site  # noqa: E402
from tests.servers import FRESHRSS_PASSWORD, FRESHRSS_USER, FreshRSS, php_problem  # noqa: E402

from pozirk_reader.core.operations.accounts import add_account  # noqa: E402
from pozirk_reader.core.operations.syncing import SyncReport, sync  # noqa: E402
from pozirk_reader.core.store.accounts import AccountKind  # noqa: E402
from pozirk_reader.core.store.library import Store  # noqa: E402

WORDS = [
    "горад",
    "навіны",
    "рэгіён",
    "падзея",
    "жыхары",
    "школа",
    "дарога",
    "тэатр",
    "фестываль",
    "надвор'е",
    "снег",
    "мост",
    "рака",
    "парк",
    "город",
    "новости",
    "регион",
    "событие",
    "жители",
    "школа",
    "дорога",
    "театр",
    "фестиваль",
    "погода",
    "снег",
    "мост",
    "река",
    "парк",
]
ENV = {"POZIRK_READER_PASSWORD_BENCH": FRESHRSS_PASSWORD}


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def feed(site: str, number: int, items: int, start: int = 0, seed: int = 0) -> bytes:
    """An RSS feed of ``items`` items (numbered from ``start``), about 2 KB of HTML each."""
    rng = random.Random(number * 1_000_003 + start + seed)
    parts = []
    for n in range(start, start + items):
        html = "".join(f"<p>{escape(paragraph(rng, 45))}</p>" for _ in range(4))
        links = "".join(
            f'<li><a href="{site}news/{number}/{rng.randrange(items)}.html">{escape(paragraph(rng, 6))}</a></li>'
            for _ in range(3)
        )
        html += f"<p>Гл. таксама:</p><ul>{links}</ul>"
        day = 1 + n % 28
        parts.append(
            f"<item><guid>{site}news/{number}/{n}.html</guid><link>{site}news/{number}/{n}.html</link>"
            f"<title>{escape(paragraph(rng, 8))} {number}-{n}</title>"
            f"<pubDate>Mon, {day:02d} Dec 2026 {n % 24:02d}:{n % 60:02d}:00 +0000</pubDate>"
            f"<description>{escape(html)}</description></item>"
        )
    channel = f"<title>Стужка {number}</title><link>{site}</link><description>bench</description>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}{"".join(parts)}</channel></rss>'.encode()


def reset_hwm() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def hwm_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def row(name: str, value: str) -> None:
    print(f"{name:<64} {value:>24}")


def measured(store: Store, page: int) -> tuple[SyncReport, float, float, float]:
    """Sync once: the report, wall seconds, peak resident MB, and this process's CPU seconds.

    The loopback feed server in this process is idle by then (FreshRSS fetched the feeds before), so the CPU
    is the reader's own work: the server's is in PHP's process and not counted.
    """
    reset_hwm()
    started, cpu_started = time.perf_counter(), time.process_time()
    (report,) = sync(store, environ=ENV, page_size=page)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if report.error:
        raise SystemExit(f"the sync failed: {report.error}")
    return report, elapsed, hwm_mb(), cpu


def figures(label: str, report: SyncReport, elapsed: float, cpu: float, peak: float | None = None) -> None:
    items = report.added + report.updated
    row(f"{label}: new articles / requests", f"{items:,} / {report.requests:,}")
    row(f"{label}: bytes received", f"{report.received:,} ({report.received / 1e6:.1f} MB)")
    row(f"{label}: state changes pulled / pushed", f"{report.changed_state:,} / {report.pushed:,}")
    rate = f", {items / elapsed:,.0f} items/s" if items else ""
    row(f"{label}: time", f"{elapsed:.2f} s{rate}")
    cpu_rate = f", {items / cpu:,.0f} items per CPU-second" if items and cpu else ""
    row(f"{label}: the reader's own CPU", f"{cpu:.2f} s{cpu_rate}")
    if peak is not None:
        row(f"{label}: peak resident memory (VmHWM)", f"{peak:.0f} MB")


def lift_archiving(server: FreshRSS) -> None:
    """FreshRSS keeps 200 items a feed by default: keep them all."""
    config = server.folder / "fr" / "data" / "users" / FRESHRSS_USER / "config.php"
    code = (
        f'$f = "{config}"; $c = include $f; $c["archiving"]["keep_max"] = false; $c["archiving"]["keep_period"] = false;'
        ' file_put_contents($f, "<?php\\nreturn " . var_export($c, true) . ";\\n");'
    )
    subprocess.run(["php", "-r", code], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--page", type=int, default=250, help="items a page (the sync's default is 250)")
    parser.add_argument("--work", type=Path, help="where FreshRSS and the caches go (default: a temporary folder)")
    args = parser.parse_args()
    problem = php_problem()
    if problem:
        print(f"benchmarks/sync.py: FreshRSS cannot run here: {problem}")
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="pozirk-sync-bench-"))
    site = Site().start()
    server = FreshRSS.start(work / "freshrss")
    try:
        lift_archiving(server)
        started = time.perf_counter()
        for number in range(args.feeds):
            site.routes[f"/feed/{number}.xml"] = Route(feed(site.base, number, args.items))
        opml = "".join(
            f'<outline type="rss" text="f{n}" xmlUrl="{site.url(f"feed/{n}.xml")}"/>' for n in range(args.feeds)
        )
        (work / "all.opml").write_text(f'<?xml version="1.0"?><opml version="2.0"><head/><body>{opml}</body></opml>')
        fr = server.folder / "fr"
        subprocess.run(
            ["php", "cli/import-for-user.php", "--user", FRESHRSS_USER, "--filename", str(work / "all.opml")],
            cwd=fr,
            check=True,
            capture_output=True,
        )
        server.refresh()
        site.routes.clear()  # the feeds' bytes (about 130 MB) are not the sync's memory
        gc.collect()
        print(
            f"FreshRSS at {server.base} fetched {args.feeds} feeds × {args.items} items in {time.perf_counter() - started:.0f} s"
        )

        with Store.open(work / "a" / "library.sqlite3") as a, Store.open(work / "b" / "library.sqlite3") as b:
            for store in (a, b):
                add_account(store, "bench", AccountKind.GREADER, server.greader, FRESHRSS_USER, environ=ENV)
            report, elapsed, peak, cpu = measured(a, args.page)
            figures("first sync", report, elapsed, cpu, peak)
            row("  articles in the cache", f"{a.count():,}")
            on_disk = sum(path.stat().st_size for path in (work / "a").glob("library.sqlite3*"))
            row("  cache on disk (with its WAL)", f"{on_disk / 1e6:.0f} MB")
            report, elapsed, _, cpu = measured(a, args.page)
            figures("second sync, nothing changed", report, elapsed, cpu)

            # another machine reads and stars; a feed gets new items
            sync(b, environ=ENV, page_size=args.page)
            ids = [headline.id for headline in b.headlines(0, 550)]
            for article_id in ids[:500]:
                b.set_read(article_id)
            for article_id in ids[500:550]:
                b.set_starred(article_id)
            sync(b, environ=ENV, page_size=args.page)
            site.routes["/feed/new.xml"] = Route(feed(site.base, args.feeds, 100))
            server.subscribe(site.url("feed/new.xml"))
            report, elapsed, _, cpu = measured(a, args.page)
            figures("after 500 read, 50 starred elsewhere, a new feed of 100", report, elapsed, cpu)

            for headline in a.headlines(0, 1000, unread_only=True):
                a.set_read(headline.id)
            report, elapsed, _, cpu = measured(a, args.page)
            figures("pushing 1,000 changes made here", report, elapsed, cpu)
    finally:
        server.stop()
        site.stop()
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()

"""Benchmark of feeds against newsboat: whole processes, alternated runs, the issue's scenarios and targets.

Setup (Debian/Ubuntu): ``apt-get install newsboat hunspell-ru hunspell-be time`` (newsboat to compare with,
the dictionaries for realistic words, GNU time for exact peak memory), and the reader installed in the
Python that runs this (``pip install -e .``). Then ``python benchmarks/feeds.py`` (about 20 minutes on
2 cores), or ``--quick`` for smaller sizes while iterating (about 2 minutes). Without newsboat every figure
of the reader is still printed, with one line saying the comparison was skipped.

What runs. A child process serves generated feeds (``feedgen.py``: ~2 KB of Cyrillic HTML an item, with
see-also links among items; words from ``vocabulary.py``) on 127.0.0.1 with ETags. Each figure is the
installed console script ``pozirk-reader`` (and ``newsboat``) as a whole process, from spawn to exit, on
its own copy of the state the scenario starts from (copying not timed). The two alternate, the first of a
round being the last of the one before, ``--runs`` rounds (default 3); each figure is the median with
min-max. Scenarios (``--only`` picks some):

- ``big``: first refresh of one 8,000-item feed (``--big N``; 10,000 items are 25 MB, over the 20 MiB
  feed limit), empty cache (the reader's cache holds only the subscription, made by
  ``feeds import --no-refresh``; newsboat starts with no cache.db);
- ``many``: first refresh of 50 feeds x 200 items, empty cache;
- ``new``: the same 50 feeds after both refreshed them twice, now with 10 new items each on top and the
  10 oldest gone (9,500 unchanged);
- ``304``: that steady state, every feed answering 304 (newsboat sends its ETag only from its third
  reload of a feed, so both states are refreshed twice first);
- ``build``: first refresh of 50 x 2,000 items, building a 100,000-article cache (peak memory);
- ``read``: at those 100,000 articles (the seed article imported too): ``list --limit 1``,
  ``search WORD`` (a common and a rare word), ``show ID`` (the seed article), newsboat's
  ``-x print-unread`` for scale, and start-up to the first headline drawn on a 120x40 pseudo-terminal
  (the reader's ``pozirk-reader`` against ``newsboat``), each cold and warm.

Measures: CPU = user + system time of the process and everything it waited for (``os.wait4``); wall =
spawn to exit; peak = the process's peak resident set (``ru_maxrss`` as GNU time reports it; without GNU
time, the largest of the process and of the benchmark's own copy it was forked from, marked so). Warm and
cold: Python, the reader's code and newsboat's binary are always in the OS page cache (every run follows
others); "warm" figures also have the cache file in the page cache (read by a run just before), "cold"
ones have its pages dropped first (``posix_fadvise(DONTNEED)``). newsboat is configured with
``reload-threads`` equal to the reader's 8 concurrent feeds, everything else default. The other load on the
machine during the runs is printed (it is shared): alternation gives both sides the same conditions.

It always exits 0: it is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feedgen import FeedServer, Generator, feed_name  # benchmarks/feedgen.py
from harness import (
    Failed,
    Figure,
    Sample,
    Table,
    alternate,
    compile_package,
    evict,
    figure,
    installed_env,
    measure,
    measure_in_pty,
)
from pozirk_reader.core.limits import MAX_FEED_ENTRIES

SEED_FILE = Path("/work/shared/seed/000_b9dd030877535437.txt")
READER, NEWSBOAT = "pozirk-reader", "newsboat"
GNU_TIME = shutil.which("time") if Path("/usr/bin/time").exists() else None
RARE_RANK = 10_000
"""The rank of the rare word searched for (about one word in 200,000 of the text is one of its forms)."""
THREADS = 8
"""Feeds fetched at once: the reader's default ``concurrent_feeds``; newsboat's ``reload-threads`` is set to it."""


@dataclass(frozen=True)
class Sizes:
    big: int
    feeds: int
    items: int
    new: int
    build_feeds: int
    build_items: int


FULL = Sizes(big=8_000, feeds=50, items=200, new=10, build_feeds=50, build_items=2_000)
QUICK = Sizes(big=2_000, feeds=10, items=100, new=10, build_feeds=10, build_items=500)
SCENARIOS = ("big", "many", "new", "304", "build", "read")


# -- the two programs -----------------------------------------------------------------------------


def private_env(folder: Path) -> dict[str, str]:
    """The environment of a run: home, XDG dirs and the reader's config all inside ``folder``."""
    env = {key: value for key, value in installed_env().items() if not key.startswith(("POZIRK_READER_", "XDG_"))}
    return env | {
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / ".config"),
        "XDG_DATA_HOME": str(folder / ".local/share"),
        "XDG_STATE_HOME": str(folder / ".local/state"),
        "XDG_CACHE_HOME": str(folder / ".cache"),
        "POZIRK_READER_CONFIG": str(folder / "config.toml"),
        "LC_ALL": "C.UTF-8",
        "LANG": "C.UTF-8",
    }


def timed(command: list[str], peak_file: Path) -> list[str]:
    """``command`` under GNU time (which reports the peak resident set of the command alone), where installed."""
    return [GNU_TIME, "-f", "%M", "-o", str(peak_file), "--", *command] if GNU_TIME else command


def run(command: list[str], folder: Path, *, pty: Callable[[str], bool] | None = None) -> Sample:
    """One measured run of ``command`` in ``folder``; the peak from GNU time when it is there."""
    peak_file = folder / "peak.txt"
    peak_file.unlink(missing_ok=True)
    wrapped, env = timed(command, peak_file), private_env(folder)
    if pty is None:
        sample = measure(wrapped, env=env, cwd=folder, log=folder / "run.log")
    else:
        sample = measure_in_pty(wrapped, env=env, cwd=folder, shown=pty)
    if GNU_TIME and peak_file.exists():
        sample.peak_mib = int(peak_file.read_text().split()[-1]) / 1024
    return sample


class Reader:
    """pozirk-reader, the installed console script next to this Python (else on PATH)."""

    name = READER

    def __init__(self) -> None:
        beside = Path(sys.executable).with_name("pozirk-reader")
        found = str(beside) if beside.exists() else shutil.which("pozirk-reader")
        if not found:
            raise SystemExit("pozirk-reader is not installed: `pip install -e .` in the project first")
        self.script = found

    def compile(self) -> None:
        """Write the package's bytecode before any run, as ``pip install`` does, so no run is charged for it."""
        python = Path(self.script).with_name("python")
        compile_package(str(python if python.exists() else sys.executable))

    def command(self, folder: Path, *args: str) -> list[str]:
        return [self.script, "--data-dir", str(folder / "data"), *args]

    def subscribe(self, folder: Path, urls: list[str]) -> None:
        """A cache holding only the subscriptions (``feeds import --no-refresh`` of an OPML file), and a config
        that keeps every entry of a feed as newsboat does (the reader keeps the newest 1,000 by default)."""
        (folder / "config.toml").write_text(f"entries_per_refresh = {MAX_FEED_ENTRIES}\n", encoding="utf-8")
        outlines = "".join(f'<outline type="rss" text="feed {n}" xmlUrl="{url}"/>' for n, url in enumerate(urls))
        opml = folder / "feeds.opml"
        opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>', encoding="utf-8")
        self.call(folder, "feeds", "import", str(opml), "--no-refresh")

    def call(self, folder: Path, *args: str) -> str:
        done = subprocess.run(
            self.command(folder, *args), env=private_env(folder), cwd=folder, capture_output=True, text=True
        )
        if done.returncode:
            raise Failed(f"pozirk-reader {' '.join(args)}: {(done.stderr or done.stdout).strip()[-600:]}")
        return done.stdout

    def refresh(self, folder: Path) -> list[str]:
        return self.command(folder, "refresh")

    def cache_files(self, folder: Path) -> list[Path]:
        base = folder / "data" / "library.sqlite3"
        return [base, Path(f"{base}-wal")]

    def articles(self, folder: Path) -> int:
        with sqlite3.connect(self.cache_files(folder)[0]) as db:
            return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])


class Newsboat:
    """newsboat driven headless as its users script it: ``newsboat -u urls -c cache.db -C config -x reload``."""

    name = NEWSBOAT

    def __init__(self) -> None:
        done = subprocess.run(["newsboat", "--version"], capture_output=True, text=True)
        self.version = " ".join(done.stdout.split()[:2])

    def subscribe(self, folder: Path, urls: list[str]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "urls").write_text("".join(url + "\n" for url in urls))
        (folder / "config").write_text(f"reload-threads {THREADS}\n")

    def base(self) -> list[str]:
        return ["newsboat", "-u", "urls", "-c", "cache.db", "-C", "config"]

    def refresh(self, folder: Path) -> list[str]:
        return [*self.base(), "-x", "reload"]

    def cache_files(self, folder: Path) -> list[Path]:
        return [folder / "cache.db"]

    def articles(self, folder: Path) -> int:
        with sqlite3.connect(folder / "cache.db") as db:
            return int(db.execute("SELECT count(*) FROM rss_item").fetchone()[0])


Side = Reader | Newsboat


# -- the scenarios ------------------------------------------------------------------------------------


class Bench:
    """Generated feeds, the server, the sides, and the printed table."""

    def __init__(self, work: Path, sizes: Sizes, runs: int, seed: int, newsboat: bool) -> None:
        self.work, self.sizes, self.runs, self.seed = work, sizes, runs, seed
        self.table = Table()
        self.sides: list[Side] = [Reader()]
        self.skipped = ""
        if not newsboat:
            self.skipped = "newsboat: comparison skipped (--no-newsboat)"
        elif shutil.which("newsboat") is None:
            self.skipped = "newsboat: not installed, comparison skipped (`apt-get install newsboat` adds it)"
        else:
            self.sides.append(Newsboat())
        self.server: FeedServer | None = None
        self.generator: Generator | None = None

    # - feeds -

    def generate(self) -> None:
        """Write every feed set the sizes need into work/served (kept, and reused while sizes and seed agree)."""
        s = self.sizes
        key = hashlib.sha1(repr((s, self.seed, Path(__file__).with_name("feedgen.py").read_bytes())).encode())
        served, done = self.work / "served", self.work / f"served-{key.hexdigest()[:12]}.ok"
        self.generator = Generator(self.seed)
        print(f"words: {self.generator.describe()}")
        if done.exists():
            print(f"feeds: reusing {served}")
            return
        shutil.rmtree(served, ignore_errors=True)
        start = time.perf_counter()
        g = self.generator
        g.write_feed(served / "big" / feed_name(1000), 1000, range(s.big), (0, s.big), 1)
        span = (0, s.items + s.new)
        for feed in range(s.feeds):
            g.write_feed(served / "many-v1" / feed_name(feed), feed, range(s.new, s.new + s.items), span, s.feeds)
            g.write_feed(served / "many-v2" / feed_name(feed), feed, range(s.items), span, s.feeds)
        for feed in range(2000, 2000 + s.build_feeds):
            g.write_feed(
                served / "build" / feed_name(feed), feed, range(s.build_items), (0, s.build_items), s.build_feeds
            )
        done.touch()
        size = sum(path.stat().st_size for path in served.rglob("*.xml")) / 1e6
        print(f"feeds: generated {size:,.0f} MB in {time.perf_counter() - start:.0f} s (not counted)", flush=True)

    def urls(self, name: str) -> list[str]:
        assert self.server
        s = self.sizes
        if name == "big":
            return [f"{self.server.base}big/{feed_name(1000)}"]
        if name == "build":
            return [f"{self.server.base}build/{feed_name(feed)}" for feed in range(2000, 2000 + s.build_feeds)]
        return [f"{self.server.base}many/{feed_name(feed)}" for feed in range(s.feeds)]

    # - state -

    def folder(self, *parts: str) -> Path:
        return self.work.joinpath(*parts)

    def fresh(self, template: Path, target: Path) -> Path:
        """``target`` made a copy of ``template`` (not timed)."""
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(template, target, symlinks=True)
        return target

    def subscribed(self, name: str, side: Side, state: str = "subscribed") -> Path:
        """A template: ``side`` subscribed to the feeds of ``name``, nothing read."""
        template = self.folder("state", f"{name}-{state}", side.name)
        shutil.rmtree(template, ignore_errors=True)
        template.mkdir(parents=True)
        side.subscribe(template, self.urls(name))
        return template

    def refreshed_twice(self, side: Side) -> Path:
        """A template: ``side`` subscribed to the 50 feeds, refreshed twice on their first version."""
        assert self.server
        self.server.alias("many", "many-v1")
        template = self.subscribed("many", side, "steady")
        for _ in range(2):
            run(side.refresh(template), template)
        return template

    # - measuring -

    def compare(
        self,
        title: str,
        templates: dict[str, Path],
        expected: int | None,
        command: Callable[[Side, Path], list[str]],
        before: Callable[[Side, Path], None] | None = None,
    ) -> dict[str, list[Sample]]:
        """Alternated runs of ``command`` on fresh copies of each side's template; checks the articles cached."""
        assert self.server
        answers: dict[str, list[dict[int, int]]] = {side.name: [] for side in self.sides}

        def runner(side: Side) -> Callable[[int], Sample]:
            def one(_: int) -> Sample:
                folder = self.fresh(templates[side.name], self.folder("runs", side.name))
                if before:
                    before(side, folder)
                self.server.stats()  # type: ignore[union-attr]
                sample = run(command(side, folder), folder)
                answers[side.name].append(self.server.stats())  # type: ignore[union-attr]
                if expected is not None and (count := side.articles(folder)) != expected:
                    self.table.pending.append(f"WARNING: {side.name} cached {count:,} articles, not {expected:,}")
                return sample

            return one

        print(f"\n{title}: {self.runs} alternated rounds…", flush=True)
        samples = alternate(self.runs, {side.name: runner(side) for side in self.sides})
        for name, seen in answers.items():
            statuses = {status: sum(answer.get(status, 0) for answer in seen) // len(seen) for status in (200, 304)}
            self.table.pending.append(f"{name}: HTTP answers a run: {statuses[200]} x 200, {statuses[304]} x 304")
        return samples

    def rows(
        self,
        samples: dict[str, list[Sample]],
        measures: list[tuple[str, str, float | None, bool]],
    ) -> None:
        """Print (measure, label, target, target is a ratio) rows: reader, newsboat, their ratio, verdict."""
        ours = samples[READER]
        theirs = samples.get(NEWSBOAT)
        for measure_name, label, target, is_ratio in measures:
            mine = figure(ours, measure_name)
            other = figure(theirs, measure_name) if theirs else None
            ratio = mine.median / other.median if other and other.median else None
            if target is None:
                goal, ok = "", None
            elif is_ratio:
                goal = f"<= {target:.1f}x newsboat"
                ok = None if ratio is None else ratio <= target
            else:
                unit = mine.unit
                goal, ok = f"< {target:g} {unit}", mine.median < target
            self.table.row(
                label, mine.text(), other.text() if other else "", f"{ratio:.2f}x" if ratio else "", goal, ok
            )
        load = Figure([sample.others for samples_ in samples.values() for sample in samples_], "")
        self.table.note(
            f"other load on the machine meanwhile: {load.median:.2f} cores median (max {max(load.values):.2f})"
        )
        if self.skipped:
            self.table.note(self.skipped)

    def scenario_big(self) -> None:
        s = self.sizes
        templates = {side.name: self.subscribed("big", side) for side in self.sides}
        samples = self.compare("big", templates, s.big, lambda side, folder: side.refresh(folder))
        self.table.heading(f"first refresh, one {s.big:,}-item feed; empty cache (subscribed only)")
        self.rows(
            samples, [("cpu", "CPU", 1.0, True), ("wall", "wall", None, False), ("peak", "peak memory", 1.0, True)]
        )

    def scenario_many(self) -> None:
        s = self.sizes
        assert self.server
        self.server.alias("many", "many-v1")
        templates = {side.name: self.subscribed("many", side) for side in self.sides}
        samples = self.compare("many", templates, s.feeds * s.items, lambda side, folder: side.refresh(folder))
        self.table.heading(f"first refresh, {s.feeds} feeds x {s.items} items; empty cache (subscribed only)")
        self.rows(
            samples, [("cpu", "CPU", 1.0, True), ("wall", "wall", None, False), ("peak", "peak memory", None, False)]
        )

    def steady(self) -> dict[str, Path]:
        if not hasattr(self, "_steady"):
            self._steady = {side.name: self.refreshed_twice(side) for side in self.sides}
        return self._steady

    def scenario_new(self) -> None:
        s = self.sizes
        templates = self.steady()
        assert self.server
        self.server.alias("many", "many-v2")
        total = s.feeds * (s.items + s.new)
        samples = self.compare("new", templates, total, lambda side, folder: side.refresh(folder))
        unchanged = s.feeds * (s.items - s.new)
        self.table.heading(
            f"{s.feeds} feeds with {s.new} new items each ({unchanged:,} unchanged); existing cache file"
            " (steady state: refreshed twice), in the page cache"
        )
        self.rows(
            samples, [("cpu", "CPU", 0.5, True), ("wall", "wall", None, False), ("peak", "peak memory", None, False)]
        )

    def scenario_304(self) -> None:
        s = self.sizes
        templates = self.steady()
        assert self.server
        self.server.alias("many", "many-v1")
        samples = self.compare("304", templates, s.feeds * s.items, lambda side, folder: side.refresh(folder))
        self.table.heading(f"all {s.feeds} feeds answer 304; existing cache file (steady state), in the page cache")
        self.rows(
            samples, [("cpu", "CPU", 0.5, True), ("wall", "wall", None, False), ("peak", "peak memory", None, False)]
        )

    def scenario_build(self) -> None:
        s = self.sizes
        total = s.build_feeds * s.build_items
        templates = {side.name: self.subscribed("build", side) for side in self.sides}
        samples = self.compare("build", templates, total, lambda side, folder: side.refresh(folder))
        for side in self.sides:  # the last run's cache is the one the read commands use
            self.fresh(self.folder("runs", side.name), self.folder("state", "library", side.name))
        self.table.heading(f"building a {total:,}-article cache: first refresh of {s.build_feeds} x {s.build_items:,}")
        limit = 250 if s == FULL else None
        self.rows(
            samples, [("peak", "peak memory", limit, False), ("cpu", "CPU", None, False), ("wall", "wall", None, False)]
        )

    def scenario_read(self) -> None:
        s = self.sizes
        total = s.build_feeds * s.build_items
        library = {side.name: self.folder("state", "library", side.name) for side in self.sides}
        if not all(folder.exists() for folder in library.values()):
            raise SystemExit(
                "the read figures need the cache the build scenario leaves: run it first (--only build,read)"
            )
        reader = self.sides[0]
        assert isinstance(reader, Reader)
        folder = library[READER]
        if not (folder / "seed-imported").exists():
            reader.call(folder, "import", str(SEED_FILE))
            (folder / "seed-imported").touch()
        with sqlite3.connect(reader.cache_files(folder)[0]) as db:
            seed_id = db.execute("SELECT id FROM articles WHERE origin = ?", (str(SEED_FILE),)).fetchone()[0]
            titles = [
                row[0] for row in db.execute("SELECT title FROM articles ORDER BY sort_key DESC, id DESC LIMIT 5")
            ]
        assert self.generator
        vocabulary = self.generator.vocabularies["ru"]
        common = "трамвай"
        rare = vocabulary.word(RARE_RANK)
        commands: list[tuple[str, list[str], float | None]] = [
            ("list --limit 1", ["list", "--limit", "1"], 0.15),
            (f"search {common} (a common word)", ["search", common], 0.15),
            (f"search {rare} (a rare word, rank {RARE_RANK:,})", ["search", rare], 0.15),
            ("show ID (the seed article)", ["show", seed_id], 0.15),
        ]
        self.table.heading(
            f"read commands at {total + 1:,} articles, whole process; cold = the cache file's pages dropped first,"
            " warm = read by the run before"
        )
        for temperature in ("cold", "warm"):
            for label, args, target in commands:
                samples = self.repeat(folder, reader.command(folder, *args), temperature, reader)
                mine = figure(samples, "wall")
                self.table.row(
                    f"{label}, {temperature}: wall", mine.text(), "", "", f"< {target} s", mine.median < target
                )
                self.table.row("  CPU", figure(samples, "cpu").text())
                self.table.row("  peak memory", figure(samples, "peak").text())
            if len(self.sides) > 1:
                side = self.sides[1]
                theirs = library[NEWSBOAT]
                samples = self.repeat(theirs, [*side.base(), "-x", "print-unread"], temperature, side)  # type: ignore[union-attr]
                self.table.row(
                    f"newsboat -x print-unread (for scale), {temperature}: wall", "", figure(samples, "wall").text()
                )
        self.startup(library, titles)
        if self.skipped:
            self.table.note(self.skipped)

    def repeat(
        self, folder: Path, command: list[str], temperature: str, side: Side, pty: Callable[[str], bool] | None = None
    ) -> list[Sample]:
        """``--runs`` runs of a read command on the kept cache, the cache file cold or warm."""
        samples = []
        if temperature == "warm":
            run(command, folder, pty=pty)
        for _ in range(self.runs):
            if temperature == "cold":
                evict(*side.cache_files(folder))
            samples.append(run(command, folder, pty=pty))
        return samples

    def startup(self, library: dict[str, Path], titles: list[str]) -> None:
        """Start-up to the first headline drawn (the reader) or the feed list (newsboat), on a pseudo-terminal."""
        marks = [title[:12] for title in titles]
        reader_drawn = lambda text: any(mark in text for mark in marks)  # noqa: E731
        newsboat_drawn = lambda text: re.search(r"Your feeds.*Позірк \d", text, re.S) is not None  # noqa: E731
        reader = self.sides[0]
        assert isinstance(reader, Reader)
        for temperature in ("cold", "warm"):
            rounds: dict[str, list[Sample]] = {side.name: [] for side in self.sides}
            for round_ in range(self.runs):
                order = self.sides if round_ % 2 == 0 else list(reversed(self.sides))
                for side in order:
                    folder = library[side.name]
                    if isinstance(side, Reader):
                        command, drawn = reader.command(folder), reader_drawn
                    else:
                        command, drawn = side.base(), newsboat_drawn
                    if temperature == "cold":
                        evict(*side.cache_files(folder))
                    else:
                        run(command, folder, pty=drawn)
                    rounds[side.name].append(run(command, folder, pty=drawn))
            self.rows(
                rounds,
                [
                    ("first_frame", f"start-up to the first screen of headlines, {temperature}", None, False),
                    ("cpu", "  CPU of the whole session (start, draw, quit)", None, False),
                    ("peak", "  peak memory", None, False),
                ],
            )

    def run(self, only: list[str]) -> None:
        print(f"cores: {os.cpu_count()}  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"python: {sys.version.split()[0]}  sqlite: {sqlite3.sqlite_version}  reader: {self.sides[0].script}")  # type: ignore[union-attr]
        if len(self.sides) > 1:
            print(f"newsboat: {self.sides[1].version}, reload-threads {THREADS}")  # type: ignore[union-attr]
        print(
            f"peak memory: {'GNU time (%M)' if GNU_TIME else 'ru_maxrss of wait4 (no GNU time: may include the benchmark)'}"
        )
        print(f"sizes: {self.sizes}  rounds: {self.runs}  work folder: {self.work}")
        self.sides[0].compile()  # type: ignore[union-attr]
        self.generate()
        self.server = FeedServer(self.work / "served")
        try:
            for name in only:
                getattr(self, f"scenario_{name}")()
        finally:
            self.server.stop()
        print(f"\n\nALL FIGURES (load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
        print("(each figure: median [min-max] of the runs)")
        print("\n".join(self.table.rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"smaller sizes, for iterating ({QUICK})")
    parser.add_argument("--runs", type=int, default=3, help="alternated rounds a figure (default 3)")
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"scenarios, comma-separated ({','.join(SCENARIOS)})"
    )
    parser.add_argument(
        "--work", type=Path, help="keep feeds and caches here (reused by later runs); default: a temporary folder"
    )
    parser.add_argument("--no-newsboat", action="store_true", help="skip the comparison with newsboat")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generated feeds (default 1)")
    parser.add_argument(
        "--big",
        type=int,
        help="items of the one big feed (default 8,000: 20 MB, under the reader's 20 MiB feed limit; 10,000 is 25 MB, over it)",
    )
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    if args.runs < 1 or any(name not in SCENARIOS for name in only):
        parser.error(f"--runs must be at least 1 and --only names among {', '.join(SCENARIOS)}")
    sizes = QUICK if args.quick else FULL
    if args.big:
        sizes = dataclasses.replace(sizes, big=args.big)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        Bench(args.work.resolve(), sizes, args.runs, args.seed, not args.no_newsboat).run(only)
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="pozirk-feeds-bench-") as folder:
            Bench(Path(folder), sizes, args.runs, args.seed, not args.no_newsboat).run(only)


if __name__ == "__main__":
    main()
    sys.exit(0)

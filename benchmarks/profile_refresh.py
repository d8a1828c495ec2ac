"""Where a first refresh spends its CPU: the installed reader's ``refresh`` of one big feed, profiled.

Run ``python benchmarks/profile_refresh.py [--items 10000] [--profiler py-spy|cprofile] [--work DIR]
[--top 25] [--keep FILE]``. It writes one generated feed of ``--items`` items (``feedgen.py``, as
``feeds.py``'s ``big`` scenario; kept in ``--work`` and reused), serves it from a child process,
subscribes a fresh cache to it with ``pozirk-reader feeds import --no-refresh``, and runs
``pozirk-reader refresh`` as a whole process: once unprofiled (its CPU and peak memory, by ``wait4``, the
scale for the shares), then once profiled. The whole process is profiled, start-up and imports included.

Profilers:

- ``py-spy`` (the default where it is installed: ``pip install py-spy``): samples the stacks of every
  thread that is running (not idle, not waiting for the GIL) ``--rate`` times a second from another
  process. It barely slows the reader, so the shares are those of the real run; a C function's time
  (SQLite, expat, ``re``) is counted where the Python code that called it is. A thread that is ready to
  run but waiting for a core is sampled too, so on a loaded machine the samples add up to more than the
  CPU time: the seconds printed are the shares times the unprofiled CPU.
- ``cprofile``: cProfile in the main thread and in every thread started after (the fetching and parsing
  pool), each timed by ``time.thread_time`` (CPU time, so a thread waiting for the GIL is not charged),
  merged. It gives call counts, but its timer is a system call at every call and return, so code
  that makes many small calls (the stemmer, feedparser's dictionaries) is inflated several times over:
  the profiled CPU it prints beside the unprofiled one says by how much.

It prints the CPU by area (each function's own samples or time; frames of the standard library and C
functions are charged to the nearest caller that has an area), the cumulative share of the refresh's
main steps, and the functions with the most own time. ``--keep FILE`` keeps the raw profile (py-spy's
collapsed stacks, or a pstats file for ``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import os
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feedgen import FeedServer, Generator, feed_name  # benchmarks/feedgen.py
from harness import Sample, measure  # benchmarks/harness.py

DRIVER = r"""
import cProfile, sys, threading, time
profiles = []
def start(*_):
    sys.setprofile(None)
    profile = cProfile.Profile(time.thread_time)
    profiles.append(profile)
    profile.enable()
threading.setprofile(start)
main = cProfile.Profile(time.thread_time)
out, sys.argv = sys.argv[1], ["pozirk-reader", *sys.argv[2:]]
main.enable()
status = 1
try:
    from pozirk_reader.cli import main as cli_main
    status = cli_main()
finally:
    main.disable()
    threading.setprofile(None)
    import pstats
    stats = pstats.Stats(main)
    for profile in profiles:
        stats.add(profile)
    stats.dump_stats(out)
sys.exit(status)
"""

AREAS: list[tuple[str, str]] = [
    ("feedparser/", "feedparser (Python)"),
    ("sgmllib", "feedparser (Python)"),
    ("xml/sax", "feedparser's SAX glue (Python)"),
    ("pozirk_reader/core/web/html_tokens.py", "HTML to text (tokeniser)"),
    ("pozirk_reader/core/web/html_text.py", "HTML to text"),
    ("html/parser.py", "HTML to text (HTMLParser)"),
    ("pozirk_reader/core/web/feed_format.py", "entry conversion (feed_format)"),
    ("pozirk_reader/core/web/feed_entry.py", "entry conversion (feed_entry)"),
    ("pozirk_reader/core/web/xml_decoding.py", "decoding (xml_decoding)"),
    ("pozirk_reader/core/web/xmlsafety.py", "decoding (xml_decoding)"),
    ("pozirk_reader/core/web/urls.py", "URL rules"),
    ("urllib/parse.py", "URL rules"),
    ("pozirk_reader/core/article/", "article model and hygiene"),
    ("pozirk_reader/core/search/stemming.py", "stemming"),
    ("pozirk_reader/core/store/search_index.py", "search index"),
    ("pozirk_reader/core/store/links.py", "link resolution"),
    ("pozirk_reader/core/store/inline_links.py", "link resolution"),
    ("pozirk_reader/core/store/identity.py", "identity of entries"),
    ("pozirk_reader/core/store/", "store (rows, transactions)"),
    ("pozirk_reader/core/operations/", "refresh orchestration"),
    ("pozirk_reader/core/web/fetch.py", "HTTP (httpx, httpcore, h11)"),
    ("pozirk_reader/cli", "command line (cli)"),
    ("httpx/", "HTTP (httpx, httpcore, h11)"),
    ("httpcore/", "HTTP (httpx, httpcore, h11)"),
    ("h11/", "HTTP (httpx, httpcore, h11)"),
    ("<frozen importlib", "start-up: imports"),
    ("<frozen zipimport", "start-up: imports"),
    ("concurrent/futures", "thread pool"),
    ("threading.py", "thread pool"),
    ("datetime", "dates"),
    ("email/", "dates"),
    ("_strptime", "dates"),
]
STEPS = [
    ("refresh (the whole use case)", "pozirk_reader/core/operations/feeds.py", "refresh"),
    ("fetch_document (HTTP)", "pozirk_reader/core/operations/feeds.py", "fetch_document"),
    ("parse_feed (bytes to entries)", "pozirk_reader/core/web/feed_format.py", "parse_feed"),
    ("  feedparser.parse", "feedparser/api.py", "parse"),
    ("  html_to_text", "pozirk_reader/core/web/html_text.py", "html_to_text"),
    ("  read_entry (one entry's conversion)", "pozirk_reader/core/web/feed_entry.py", "read_entry"),
    ("_ingest (writing a feed)", "pozirk_reader/core/operations/feeds.py", "_ingest"),
    ("  identify_entries", "pozirk_reader/core/store/writing.py", "identify_entries"),
    ("  save_article", "pozirk_reader/core/store/writing.py", "save_article"),
    ("    index_article (stems, FTS5)", "pozirk_reader/core/store/search_index.py", "index_article"),
    ("  resolve_links", "pozirk_reader/core/store/writing.py", "resolve_links"),
    ("stem_russian + stem_belarusian", "pozirk_reader/core/search/stemming.py", "stem_"),
]


def area(function: tuple[str, int, str]) -> str | None:
    """The area of a Python function by its file; None for a C function (charged to its callers)."""
    filename, _, name = function
    if filename == "~":
        return None
    for pattern, label in AREAS:
        if pattern in filename:
            return label
    if name == "<module>":
        return "start-up: imports"
    return "other Python (" + Path(filename).name + ")"


def by_area(stats: pstats.Stats) -> dict[str, float]:
    """Own time by area; a C function's own time split among its callers' areas, by what each call cost."""
    table: dict[tuple[str, int, str], tuple[int, int, float, float, dict]] = stats.stats  # type: ignore[attr-defined]
    totals: dict[str, float] = defaultdict(float)

    def owner(function: tuple[str, int, str], seen: frozenset[tuple[str, int, str]]) -> dict[str, float]:
        """Shares of areas a C function's time goes to (walking up through C callers)."""
        label = area(function)
        if label is not None:
            return {label: 1.0}
        callers = table.get(function, (0, 0, 0.0, 0.0, {}))[4]
        weights = {caller: value[2] for caller, value in callers.items() if caller not in seen}
        whole = sum(weights.values())
        if not whole:
            name = function[2]
            return {"start-up: imports" if "marshal" in name or "builtins.exec" in name else f"C: {name}": 1.0}
        shares: dict[str, float] = defaultdict(float)
        for caller, weight in weights.items():
            for label_, share in owner(caller, seen | {function}).items():
                shares[label_] += share * weight / whole
        return shares

    for function, (_, _, own, _, _) in table.items():
        name = function[2]
        for label, share in owner(function, frozenset()).items():
            if function[0] == "~" and "pyexpat" in name:
                label = "XML parsing (expat, C)"
            elif function[0] == "~" and "sqlite3" in name:
                label = f"SQLite (C), called from: {label}"
            totals[label] += own * share
    return dict(totals)


def step_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    table = stats.stats  # type: ignore[attr-defined]
    found = []
    for label, file_part, name in STEPS:
        total = sum(
            value[3]
            for (filename, _, function), value in table.items()
            if file_part in filename and (function == name or (name.endswith("_") and function.startswith(name)))
        )
        found.append((label, total))
    return found


STDLIB = str(Path(os.__file__).parent)
FRAME = re.compile(r"^(?P<name>.*) \((?P<file>[^()]*)\)$")


def spy_frames(stack: str) -> list[tuple[str, str]]:
    """The (file, function) frames of one collapsed py-spy stack, outermost first."""
    frames = []
    for part in stack.split(";"):
        found = FRAME.match(part)
        frames.append((found["file"], found["name"]) if found else ("?", part))
    return frames


def spy_area(frames: list[tuple[str, str]]) -> str:
    """The area of a sample: imports if it is inside one; else the innermost frame with an area, the standard
    library's other modules (``re``, ``copy``…) charged to their callers."""
    if any(name == "_find_and_load" for _, name in frames):
        return "start-up: imports"
    for filename, name in reversed(frames):
        for pattern, label in AREAS:
            if pattern in filename:
                return label
        if name == "<module>":
            return "start-up: imports"
        if not filename.startswith(STDLIB) and "site-packages" not in filename:
            return f"other Python ({Path(filename).name})"
    return f"other ({Path(frames[-1][0]).name})"


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/src/", STDLIB + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def spy_report(raw: Path, top: int, cpu: float) -> None:
    """Areas, steps and the functions with the most own samples, from py-spy's collapsed stacks."""
    samples: list[tuple[list[tuple[str, str]], int]] = []
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            samples.append((spy_frames(stack), int(count)))
    total = sum(count for _, count in samples)
    if not total:
        raise SystemExit(f"py-spy recorded no samples in {raw}")
    scale = cpu / total
    print(f"\n{total:,} samples of running threads; one sample ~ {scale * 1000:.1f} ms of the unprofiled CPU\n")
    areas: dict[str, int] = defaultdict(int)
    own: dict[str, int] = defaultdict(int)
    for frames, count in samples:
        areas[spy_area(frames)] += count
        filename, name = frames[-1]
        own[f"{name} ({_short(filename)})"] += count
    _table("area (own samples; standard library and C charged to the caller)", areas, total, scale)
    steps = {}
    for label, file_part, wanted in STEPS:
        steps[label] = sum(
            count
            for frames, count in samples
            if any(
                file_part in filename
                and (name.rpartition(".")[2] == wanted or (wanted.endswith("_") and name.startswith(wanted)))
                for filename, name in frames
            )
        )
    _table("step (samples with it on the stack, all threads)", steps, total, scale, keep_order=True)
    ranked = dict(sorted(own.items(), key=lambda pair: -pair[1])[:top])
    _table(f"the {top} functions with the most own samples (C calls inside them included)", ranked, total, scale)


def _table(title: str, values: dict[str, int] | dict[str, float], total: float, scale: float, keep_order=False):
    print(f"\n{title:<84} {'~s':>6} {'share':>6}\n{'-' * 98}")
    items = list(values.items()) if keep_order else sorted(values.items(), key=lambda pair: -pair[1])
    for label, value in items:
        if keep_order or value >= 0.005 * total:
            print(f"{label[:84]:<84} {value * scale:>6.2f} {value / total:>6.1%}")


def cprofile_report(out: Path, top: int, cpu: float) -> None:
    """Areas, steps and the functions with the most own time, from the merged pstats file."""
    stats = pstats.Stats(str(out))
    total = sum(value[2] for value in stats.stats.values())  # type: ignore[attr-defined]
    print(f"\nCPU profiled, all threads: {total:.2f} s against {cpu:.2f} s unprofiled ({total / cpu:.1f}x)")
    _table("area (own time; C calls charged to their Python callers)", by_area(stats), total, 1.0)
    _table("step (cumulative time, all threads)", dict(step_times(stats)), total, 1.0, keep_order=True)
    print(f"\nthe {top} functions with the most own time:")
    stats.sort_stats("tottime").print_stats(top)


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


def run(work: Path, items: int, top: int, keep: Path | None, profiler: str, rate: int) -> None:
    beside = Path(sys.executable).with_name("pozirk-reader")
    if not beside.exists():
        raise SystemExit("run this with the Python whose environment has pozirk-reader installed (pip install -e .)")
    served = work / "served"
    feed = served / "big" / feed_name(1000)
    marker = work / f"profile-feed-{items}.ok"
    if not marker.exists():
        start = time.perf_counter()
        Generator(1).write_feed(feed, 1000, range(items), (0, items), 1)
        marker.touch()
        print(f"generated {feed.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.0f} s (not counted)")
    from feeds import Reader, private_env  # benchmarks/feeds.py

    reader = Reader()
    template, folder = work / "profile-subscribed", work / "profile-run"
    print(f"cores: {os.cpu_count()}  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    server = FeedServer(served)
    try:
        shutil.rmtree(template, ignore_errors=True)
        template.mkdir()
        reader.subscribe(template, [f"{server.base}big/{feed_name(1000)}"])

        def fresh() -> Path:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(template, folder)
            return folder

        command = reader.refresh(fresh())
        plain: Sample = measure(command, env=private_env(folder), cwd=folder, log=folder / "run.log")
        print(
            f"unprofiled `pozirk-reader refresh` of one {items:,}-item feed: CPU {plain.cpu:.2f} s (user "
            f"{plain.user:.2f} + system {plain.system:.2f}), wall {plain.wall:.2f} s, peak {plain.peak_mib:.0f} MiB"
            f" (ru_maxrss), other load {plain.others:.2f} cores"
        )
        fresh()
        if profiler == "py-spy":
            spy = py_spy()
            if not spy:
                raise SystemExit("py-spy is not installed (`pip install py-spy`), or use --profiler cprofile")
            out = keep or folder / "refresh.collapsed"
            profiled = [spy, "record", "-r", str(rate), "-f", "raw", "--nolineno", "--full-filenames", "-o", str(out)]
            profiled += ["--", *command]
        else:
            out = keep or folder / "refresh.pstats"
            profiled = [sys.executable, "-c", DRIVER, str(out), *command[1:]]
        start = time.perf_counter()
        done = subprocess.run(profiled, env=private_env(folder), cwd=folder, capture_output=True, text=True)
        wall = time.perf_counter() - start
    finally:
        server.stop()
    if done.returncode:
        raise SystemExit(f"the profiled refresh failed: {(done.stderr or done.stdout)[-2000:]}")
    print(f"profiled with {profiler}: {wall:.1f} s wall;", plain.output.strip().splitlines()[-1])
    if profiler == "py-spy":
        spy_report(out, top, plain.cpu)
    else:
        cprofile_report(out, top, plain.cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000, help="items of the feed (default 10000)")
    parser.add_argument(
        "--profiler",
        choices=("py-spy", "cprofile"),
        default="py-spy" if py_spy() else "cprofile",
        help="sampling py-spy (default where installed) or cProfile (call counts, inflated times)",
    )
    parser.add_argument("--rate", type=int, default=250, help="py-spy's samples a second (default 250)")
    parser.add_argument("--top", type=int, default=25, help="functions listed by own time (default 25)")
    parser.add_argument("--work", type=Path, help="keep the generated feed here (reused); default: a temporary folder")
    parser.add_argument("--keep", type=Path, help="write the raw profile here (collapsed stacks or pstats)")
    args = parser.parse_args()
    options = (args.items, args.top, args.keep, args.profiler, args.rate)
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        run(args.work.resolve(), *options)
    else:
        with tempfile.TemporaryDirectory(prefix="pozirk-profile-") as folder:
            run(Path(folder), *options)


if __name__ == "__main__":
    main()

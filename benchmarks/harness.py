"""Whole-process measurements for the benchmarks: one child process timed, sides alternated, figures printed.

:func:`measure` starts a command and reaps it with ``os.wait4``, which gives that child's own resource
usage: its CPU time (user + system, summed over all its threads and over any children it waited for) and
its peak resident set (``ru_maxrss``: the largest of the process and its reaped children, not their sum).
Wall time is from just before the spawn to the reaping. The machine is shared, so each sample also says
how busy the machine was meanwhile with work that was neither the child nor this process (``others``, in
cores, from ``/proc/stat``). :func:`measure_in_pty` runs a terminal program on a pseudo-terminal of 120x40
and stamps the moment a given text is first drawn (escape sequences stripped), then types its quit key.

:func:`alternate` runs the sides of a comparison in turn, swapping who goes first every round, so drift in
the machine's load falls on both alike; :func:`evict` drops a file's pages from the OS page cache (for
"cold" figures).
"""

from __future__ import annotations

import os
import re
import select
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def installed_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) without ``PYTHONDONTWRITEBYTECODE``: a child keeps Python's
    bytecode cache, as an installed package has it (else each run compiles the sources again, ~40 ms)."""
    env = dict(os.environ if base is None else base)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_package(python: str) -> None:
    """Write pozirk_reader's bytecode with ``python`` before any run, as ``pip install`` does."""
    code = "import compileall, pathlib, pozirk_reader as p; compileall.compile_dir(pathlib.Path(p.__file__).parent, quiet=1)"
    subprocess.run([python, "-c", code], check=True, env=installed_env())


CSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[P^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_]|\x1b."
)


class Failed(RuntimeError):
    """A measured command exited with an error, timed out or never drew what was awaited."""


@dataclass
class Sample:
    """One run of a command: seconds, MiB, and the machine's other load in cores."""

    wall: float
    user: float
    system: float
    peak_mib: float
    others: float
    first_frame: float | None = None
    output: str = ""

    @property
    def cpu(self) -> float:
        return self.user + self.system


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores; not idle, not waiting for I/O)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICKS


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def _finish(process: subprocess.Popen[bytes], start: float, busy: float, own: float, timeout: float) -> Sample:
    """Reap ``process`` (killing it after ``timeout`` s); its sample."""
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    others = (_busy_seconds() - busy) - (usage.ru_utime + usage.ru_stime) - (_own_cpu() - own)
    return Sample(wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024, max(0.0, others / wall))


def measure(
    command: Sequence[str], *, env: dict[str, str], cwd: Path, log: Path, timeout: float = 1800, check: bool = True
) -> Sample:
    """Run ``command`` to its end (standard output and error to ``log``, no standard input); its sample."""
    with open(log, "wb") as out:
        busy, own, start = _busy_seconds(), _own_cpu(), time.perf_counter()
        process = subprocess.Popen(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        sample = _finish(process, start, busy, own, timeout)
    sample.output = log.read_text(errors="replace")
    if check and process.returncode != 0:
        raise Failed(f"{' '.join(command)} exited with {process.returncode}: {sample.output.strip()[-600:]}")
    return sample


def measure_in_pty(
    command: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    shown: Callable[[str], bool],
    quit_keys: bytes = b"q",
    timeout: float = 120,
) -> Sample:
    """Run a terminal program on a 120x40 pseudo-terminal; ``first_frame`` is when ``shown(screen text)`` first
    holds (the text drawn so far, escape sequences removed), then ``quit_keys`` are typed and it is reaped."""
    import fcntl
    import struct
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    busy, own, start = _busy_seconds(), _own_cpu(), time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdin=slave, stdout=slave, stderr=slave, start_new_session=True
    )
    os.close(slave)
    text, first, sent, deadline = "", None, False, start + timeout
    decoder = __import__("codecs").getincrementaldecoder("utf-8")("replace")
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            if time.perf_counter() > deadline:
                process.kill()
                break
            if not ready:
                if sent and first is not None and time.perf_counter() - first > 30:
                    process.kill()
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            if first is None:
                text += decoder.decode(chunk)
                if shown(CSI.sub("", text)):
                    first = time.perf_counter() - start
            if first is not None and not sent:
                os.write(master, quit_keys)
                sent = True
    finally:
        sample = _finish(process, start, busy, own, 30)
        os.close(master)
    sample.first_frame, sample.output = first, CSI.sub("", text)[-2000:]
    if first is None:
        raise Failed(f"{' '.join(command)}: never drew what was awaited; it showed: {sample.output[-600:]!r}")
    return sample


def alternate(runs: int, sides: dict[str, Callable[[int], Sample]]) -> dict[str, list[Sample]]:
    """``runs`` rounds of every side; the first side of a round is the last of the round before."""
    names = list(sides)
    samples: dict[str, list[Sample]] = {name: [] for name in names}
    for round_ in range(runs):
        for name in names if round_ % 2 == 0 else reversed(names):
            samples[name].append(sides[name](round_))
    return samples


def evict(*paths: Path) -> None:
    """Drop the files' pages from the OS page cache (written back first), so the next read is from the disk."""
    for path in paths:
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


@dataclass
class Figure:
    """Values of one measure over runs: the median with min-max."""

    values: list[float]
    unit: str = "s"

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def text(self) -> str:
        digits = 0 if self.unit == "MiB" else (3 if self.median < 1 else 2)
        if self.unit == "ms":
            digits = 1
        low, high = min(self.values), max(self.values)
        return f"{self.median:.{digits}f} [{low:.{digits}f}-{high:.{digits}f}] {self.unit}"


def figure(samples: list[Sample], measure_name: str) -> Figure:
    """The ``cpu``, ``wall``, ``peak`` or ``first_frame`` figure of ``samples``."""
    if measure_name == "peak":
        return Figure([sample.peak_mib for sample in samples], "MiB")
    if measure_name == "first_frame":
        return Figure([sample.first_frame or 0.0 for sample in samples])
    return Figure([getattr(sample, measure_name) for sample in samples])


@dataclass
class Table:
    """The figures of a run, printed as they come and again all together at the end."""

    rows: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    width: int = 46

    def heading(self, text: str) -> None:
        line = f"\n{text}\n{self.columns()}\n{'':-<{self.width + 98}}"
        self.rows.append(line)
        print(line, flush=True)
        for note in self.pending:
            self.note(note)
        self.pending.clear()

    def note(self, text: str) -> None:
        self.rows.append(f"  {text}")
        print(f"  {text}", flush=True)

    def row(self, name: str, ours: str, theirs: str = "", ratio: str = "", target: str = "", ok: bool | None = None):
        verdict = "" if ok is None else ("PASS" if ok else "FAIL")
        line = self.line(name, ours, theirs, ratio, target, verdict)
        self.rows.append(line)
        print(line, flush=True)

    def line(self, name: str, ours: str, theirs: str, ratio: str, target: str, verdict: str) -> str:
        return f"{name:<{self.width}} {ours:>25} {theirs:>25} {ratio:>6}  {target:<17} {verdict}".rstrip()

    def columns(self) -> str:
        return self.line("figure", "pozirk-reader", "newsboat", "ratio", "target", "")

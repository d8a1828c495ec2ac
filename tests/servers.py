"""Real news servers on 127.0.0.1 for the sync tests: FreshRSS (PHP, ../shared/servers/freshrss.sh) and coldsweat
(a Fever server from PyPI, in a virtual environment of its own), each fetching feeds from a loopback feed server.

Nothing here sleeps for a fixed time: waiting is polling for a condition with a deadline.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from tests.feedserver import Route, Site

PROJECT = Path(__file__).resolve().parent.parent
FRESHRSS_SCRIPT = PROJECT.parent / "shared" / "servers" / "freshrss.sh"
FRESHRSS_USER = "reader"
FRESHRSS_PASSWORD = "apipassword1"
COLDSWEAT = "coldsweat==0.10.2"
COLDSWEAT_USER = "reader@example.com"
COLDSWEAT_PASSWORD = "apipassword12"
COLDSWEAT_VENV_ENV = "POZIRK_COLDSWEAT_VENV"
"""A virtual environment with coldsweat already installed (CI builds one); else the tests make one and keep it."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Poll ``condition`` until it holds; fail saying ``what`` did not happen by the deadline."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen in {timeout:g} s")
        time.sleep(0.02)


def answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def php_problem() -> str | None:
    """Why FreshRSS cannot run here, or ``None``."""
    if not FRESHRSS_SCRIPT.is_file():
        return f"{FRESHRSS_SCRIPT} is absent (../shared is not beside this checkout)"
    if shutil.which("php") is None:
        return "PHP is not installed (apt-get install -y php-cli php-sqlite3 php-curl php-xml php-mbstring ...)"
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, check=False).stdout.lower()
    if "pdo_sqlite" not in modules:
        return "PHP has no pdo_sqlite (apt-get install -y php-sqlite3)"
    return None


def rss(title: str, site: str, entries: Iterable[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed: each entry is (guid, title, paragraph); its link is ``site + guid``."""
    items = "".join(
        f"<item><guid>{site}{guid}</guid><link>{site}{guid}</link><title>{escape(headline)}</title>"
        f"<pubDate>Mon, 0{1 + number % 9} Dec 2025 10:00:00 +0000</pubDate>"
        f"<description>{escape('<p>' + text + '</p>')}</description></item>"
        for number, (guid, headline, text) in enumerate(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>{site}</link><description>test</description>{items}</channel></rss>"
    ).encode()


class Feeds:
    """A loopback feed server the news servers fetch from; :meth:`publish` adds a feed of made-up entries."""

    def __init__(self) -> None:
        self.site = Site().start()

    def publish(self, name: str, count: int, words: str = "Навіны") -> str:
        """Serve ``/feeds/NAME.xml`` with ``count`` entries; returns its URL."""
        entries = [(f"{name}/{n}", f"{words} {name} {n}", f"{words}: тэкст {n} стужкі {name}.") for n in range(count)]
        self.site.routes[f"/feeds/{name}.xml"] = Route(rss(f"Стужка {name}", self.site.url(f"news/{name}/"), entries))
        return self.site.url(f"feeds/{name}.xml")

    def stop(self) -> None:
        self.site.stop()


@dataclass
class FreshRSS:
    """A FreshRSS server started by ../shared/servers/freshrss.sh."""

    folder: Path
    port: int
    base: str

    @property
    def greader(self) -> str:
        return f"{self.base}/api/greader.php"

    @property
    def fever(self) -> str:
        return f"{self.base}/api/fever.php"

    @classmethod
    def start(cls, folder: Path, attempts: int = 10) -> FreshRSS:
        """Start on a free port (another, if the one found was taken meanwhile).

        It is tried again when it fails at once: the script's check for PHP (`php -m | grep -q` under
        `pipefail`) sometimes fails when grep has found its line and php, still writing, gets SIGPIPE.
        """
        problem = ""
        for attempt in range(attempts):
            where = folder / str(attempt)
            port = free_port()
            done = subprocess.run(
                ["bash", str(FRESHRSS_SCRIPT), "start", str(where), str(port)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode == 0:
                return cls(where, port, done.stdout.strip().splitlines()[-1])
            problem = done.stderr.strip()
            subprocess.run(["bash", str(FRESHRSS_SCRIPT), "stop", str(where)], check=False)
        raise RuntimeError(f"FreshRSS did not start: {problem}")

    def subscribe(self, feed_url: str) -> None:
        """Subscribe the user to a feed and fetch it now (server side)."""
        subprocess.run(["bash", str(FRESHRSS_SCRIPT), "subscribe", str(self.folder), feed_url], check=True)

    def refresh(self) -> None:
        subprocess.run(["bash", str(FRESHRSS_SCRIPT), "refresh", str(self.folder)], check=True)

    def stop_server(self) -> None:
        """Stop serving (the data stays); the port then refuses connections."""
        subprocess.run(["bash", str(FRESHRSS_SCRIPT), "stop", str(self.folder)], check=True)
        wait_for(lambda: not answers(self.port), "FreshRSS stopping")

    def start_server(self) -> None:
        """Serve again on the same port, from the same data (as the script serves it)."""
        log = (self.folder / "server.log").open("ab")
        process = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{self.port}", "-t", "p/"],
            cwd=self.folder / "fr",
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        (self.folder / "pid").write_text(str(process.pid))
        wait_for(lambda: answers(self.port), "FreshRSS answering again")

    def stop(self) -> None:
        subprocess.run(["bash", str(FRESHRSS_SCRIPT), "stop", str(self.folder)], check=False)


@dataclass
class Coldsweat:
    """A coldsweat server (Flask) with one user, run from its own virtual environment."""

    venv: Path
    instance: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def fever(self) -> str:
        return f"http://127.0.0.1:{self.port}/fever/"

    @staticmethod
    def environment(venv: Path) -> Path:
        """A virtual environment with coldsweat: ``venv`` as it is if it has it, else made there now."""
        command = venv / "bin" / "coldsweat"
        if command.exists():
            return venv
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        done = subprocess.run([*pip, COLDSWEAT], capture_output=True, text=True, check=False, timeout=600)
        if done.returncode != 0 or not command.exists():
            shutil.rmtree(venv, ignore_errors=True)
            lines = (done.stderr or done.stdout).strip().splitlines()
            raise RuntimeError(f"pip could not install {COLDSWEAT}: {lines[-1] if lines else done.returncode}")
        return venv

    @classmethod
    def start(cls, venv: Path, folder: Path) -> Coldsweat:
        instance = folder / "instance"
        instance.mkdir(parents=True)
        env = cls._env(instance)
        cls._run(venv, env, "setup", COLDSWEAT_USER, "-p", COLDSWEAT_PASSWORD)
        port = free_port()
        log = (folder / "server.log").open("ab")
        process = subprocess.Popen(
            [str(venv / "bin" / "coldsweat"), "run", "-h", "127.0.0.1", "-p", str(port)],
            env=env,
            cwd=folder,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        server = cls(venv, instance, port, process)
        try:
            wait_for(lambda: answers(port) or process.poll() is not None, "coldsweat answering")
        except TimeoutError:
            server.stop()
            raise
        if process.poll() is not None:
            raise RuntimeError(f"coldsweat ended at once (see {folder / 'server.log'})")
        return server

    @staticmethod
    def _env(instance: Path) -> dict[str, str]:
        # without a config.toml in its instance folder, coldsweat reads Flask's FLASK_* variables
        database = f"sqlite:///{instance / 'coldsweat.db'}"
        return {**os.environ, "FLASK_DATABASE_URL": database, "FLASK_SECRET_KEY": "tests only"}

    @staticmethod
    def _run(venv: Path, env: dict[str, str], *args: str) -> None:
        subprocess.run([str(venv / "bin" / "coldsweat"), *args], env=env, check=True, capture_output=True, timeout=120)

    def subscribe(self, feed_url: str, folder: Path) -> None:
        """Subscribe the user to a feed and fetch it now (server side)."""
        opml = folder / f"subscribe-{hashlib.md5(feed_url.encode()).hexdigest()[:8]}.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
            f'<outline type="rss" text="feed" title="feed" xmlUrl="{feed_url}"/></body></opml>',
            encoding="utf-8",
        )
        self._run(self.venv, self._env(self.instance), "import", str(opml), COLDSWEAT_USER, "--fetch")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

"""Session-scoped servers (FreshRSS, coldsweat, a feed server they fetch from) and caches standing for machines.

A server is started once for the session; each test publishes feeds of its own (named after the test), so
tests share the server without seeing each other's articles in what they check.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pozirk_reader.core.operations.accounts import add_account
from pozirk_reader.core.operations.syncing import SyncReport, sync
from pozirk_reader.core.store.accounts import AccountKind
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import Headline
from tests.servers import (
    COLDSWEAT,
    COLDSWEAT_PASSWORD,
    COLDSWEAT_USER,
    COLDSWEAT_VENV_ENV,
    FRESHRSS_PASSWORD,
    FRESHRSS_USER,
    Coldsweat,
    Feeds,
    FreshRSS,
    php_problem,
)

ACCOUNT = "home"


@pytest.fixture(scope="session")
def feeds() -> Iterator[Feeds]:
    """The loopback feed server every news server of the session fetches from."""
    server = Feeds()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def freshrss(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshRSS]:
    """A real FreshRSS on 127.0.0.1, for the session; skipped (saying why) where PHP cannot run it."""
    problem = php_problem()
    if problem:
        pytest.skip(f"FreshRSS cannot run here: {problem}")
    server = FreshRSS.start(tmp_path_factory.mktemp("freshrss"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def coldsweat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Coldsweat]:
    """A real coldsweat (Fever API) on 127.0.0.1, in a virtual environment of its own (CI builds one and names it
    in $POZIRK_COLDSWEAT_VENV; else it is made once and kept beside pytest's temporary folders)."""
    named = os.environ.get(COLDSWEAT_VENV_ENV)
    venv = Path(named) if named else tmp_path_factory.getbasetemp().parent / "coldsweat-0.10.2-venv"
    try:
        Coldsweat.environment(venv)
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        pytest.skip(f"{COLDSWEAT} cannot be installed here: {error}")
    folder = tmp_path_factory.mktemp("coldsweat")
    server = Coldsweat.start(venv, folder)
    server.folder = folder  # type: ignore[attr-defined]
    yield server
    server.stop()


@dataclass
class Machine:
    """One machine's reader: a cache of its own with the account added, synced with :meth:`sync`."""

    folder: Path
    store: Store
    environ: dict[str, str] = field(default_factory=dict)

    def sync(self, **options: object) -> SyncReport:
        (report,) = sync(self.store, environ=self.environ, **options)  # type: ignore[arg-type]
        return report

    def headlines(self, prefix: str) -> list[Headline]:
        """This cache's headlines whose title starts with ``prefix``, in title order."""
        found = [h for h in self.store.headlines(0, 100_000) if h.title.startswith(prefix)]
        return sorted(found, key=lambda h: (len(h.title), h.title))

    def state(self, prefix: str) -> dict[str, tuple[bool, bool]]:
        """(read, starred) of each headline starting with ``prefix``, by title."""
        return {h.title: (h.read, h.starred) for h in self.headlines(prefix)}

    def id_of(self, title: str) -> str:
        (found,) = [h.id for h in self.headlines(title) if h.title == title]
        return found


MachineFactory = Callable[[str], Machine]


def make_machines(tmp_path: Path, kind: AccountKind, url: str, user: str, password: str) -> Iterator[MachineFactory]:
    made: list[Machine] = []

    def machine(name: str) -> Machine:
        folder = tmp_path / name
        store = Store.open(folder / "library.sqlite3")
        environ = {f"POZIRK_READER_PASSWORD_{ACCOUNT.upper()}": password}
        add_account(store, ACCOUNT, kind, url, user, environ=environ)
        made.append(Machine(folder, store, environ))
        return made[-1]

    yield machine
    for done in made:
        done.store.close()


@pytest.fixture
def greader_machines(tmp_path: Path, freshrss: FreshRSS) -> Iterator[MachineFactory]:
    """Caches with the FreshRSS account added through its Google Reader API."""
    yield from make_machines(tmp_path, AccountKind.GREADER, freshrss.greader, FRESHRSS_USER, FRESHRSS_PASSWORD)


@pytest.fixture
def fever_machines(tmp_path: Path, coldsweat: Coldsweat) -> Iterator[MachineFactory]:
    """Caches with the coldsweat account added through its Fever API."""
    yield from make_machines(tmp_path, AccountKind.FEVER, coldsweat.fever, COLDSWEAT_USER, COLDSWEAT_PASSWORD)


@pytest.fixture
def feed_name(request: pytest.FixtureRequest) -> str:
    """A feed name of this test's own (its articles' titles start with it)."""
    return re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:60]

"""Two machines and real Fever servers: coldsweat (in its own virtual environment) and FreshRSS's Fever API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.operations.accounts import add_account
from pozirk_reader.core.store.accounts import AccountKind
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import SourceKind
from pozirk_reader.core.sync.http import AuthError
from tests.servers import COLDSWEAT_USER, FRESHRSS_PASSWORD, FRESHRSS_USER, Coldsweat, Feeds, FreshRSS
from tests.sync.conftest import MachineFactory, make_machines


def titles(name: str, count: int) -> list[str]:
    return [f"Навіны {name} {n}" for n in range(count)]


def test_state_goes_both_ways_through_coldsweat(
    fever_machines: MachineFactory, coldsweat: Coldsweat, feeds: Feeds, feed_name: str
) -> None:
    coldsweat.subscribe(feeds.publish(feed_name, 4), coldsweat.folder)  # type: ignore[attr-defined]
    names = titles(feed_name, 4)
    prefix = f"Навіны {feed_name} "
    a, b = fever_machines("a"), fever_machines("b")
    assert a.sync().error is None and b.sync().error is None
    assert list(a.state(prefix)) == names
    a.store.set_read(a.id_of(names[0]))
    a.store.set_starred(a.id_of(names[1]))
    assert a.sync().pushed == 2
    assert b.sync().error is None
    assert b.state(prefix) == {
        names[0]: (True, False),
        names[1]: (False, True),
        names[2]: (False, False),
        names[3]: (False, False),
    }
    b.store.set_starred(b.id_of(names[1]), False)
    b.store.set_read(b.id_of(names[3]))
    assert b.sync().pushed == 2
    assert a.sync().error is None
    assert a.state(prefix) == b.state(prefix)
    assert a.state(prefix)[names[1]] == (False, False)
    again = a.sync()
    assert (again.added, again.updated, again.pushed, again.changed_state) == (0, 0, 0, 0)


def test_a_coldsweat_subscription_appears_and_items_page_by_fifty(
    fever_machines: MachineFactory, coldsweat: Coldsweat, feeds: Feeds, feed_name: str
) -> None:
    a = fever_machines("a")
    a.sync()
    coldsweat.subscribe(feeds.publish(feed_name, 60), coldsweat.folder)  # type: ignore[attr-defined]
    report = a.sync()
    assert report.error is None and report.added == 60
    assert report.requests == 1 + 1 + 3 + 2  # the key checked, the feeds, items (50, 10, none), unread and saved ids
    stored = a.store.get(a.id_of(titles(feed_name, 60)[0]))
    assert stored is not None and stored.source_kind == SourceKind.SUBSCRIPTION
    assert a.sync().added == 0


def test_wrong_credentials_for_coldsweat_give_one_line(coldsweat: Coldsweat, tmp_path: Path) -> None:
    with Store.open(tmp_path / "library.sqlite3") as store, pytest.raises(AuthError) as raised:
        environ = {"POZIRK_READER_PASSWORD_HOME": "not the password"}
        add_account(store, "home", AccountKind.FEVER, coldsweat.fever, COLDSWEAT_USER, environ=environ)
    assert str(raised.value) == "home: the server refused the user name or password"
    with Store.open(tmp_path / "library.sqlite3") as store:
        assert store.accounts.all() == []


@pytest.fixture
def freshrss_fever_machines(tmp_path: Path, freshrss: FreshRSS) -> Iterator[MachineFactory]:
    yield from make_machines(tmp_path, AccountKind.FEVER, freshrss.fever, FRESHRSS_USER, FRESHRSS_PASSWORD)


def test_freshrss_fever_and_google_reader_accounts_agree(
    freshrss_fever_machines: MachineFactory,
    greader_machines: MachineFactory,
    freshrss: FreshRSS,
    feeds: Feeds,
    feed_name: str,
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 3))
    names = titles(feed_name, 3)
    prefix = f"Навіны {feed_name} "
    fever, greader = freshrss_fever_machines("fever"), greader_machines("greader")
    fever.sync(), greader.sync()
    fever.store.set_starred(fever.id_of(names[0]))
    fever.store.set_read(fever.id_of(names[2]))
    assert fever.sync().pushed == 2
    greader.sync()
    assert greader.state(prefix) == {names[0]: (False, True), names[1]: (False, False), names[2]: (True, False)}
    greader.store.set_starred(greader.id_of(names[0]), False)
    greader.sync()
    fever.sync()
    assert fever.state(prefix) == greader.state(prefix)

"""Two machines and a real FreshRSS through its Google Reader API: state both ways, offline changes, new
subscriptions, a server stopped mid-sync, wrong credentials."""

from __future__ import annotations

import pytest

from pozirk_reader.core.operations.accounts import add_account
from pozirk_reader.core.store.accounts import AccountKind
from pozirk_reader.core.store.read_models import SourceKind
from pozirk_reader.core.sync.http import AuthError
from tests.servers import FRESHRSS_USER, Feeds, FreshRSS
from tests.sync.conftest import MachineFactory


def titles(name: str, count: int) -> list[str]:
    return [f"Навіны {name} {n}" for n in range(count)]


def test_read_and_star_on_one_machine_are_seen_on_the_other_and_unstarring_comes_back(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 4))
    first, second, third, fourth = titles(feed_name, 4)
    a, b = greader_machines("a"), greader_machines("b")
    assert a.sync().error is None and b.sync().error is None
    prefix = f"Навіны {feed_name} "
    assert a.state(prefix) == b.state(prefix) == dict.fromkeys([first, second, third, fourth], (False, False))

    a.store.set_read(a.id_of(first))
    a.store.set_starred(a.id_of(second))
    a.store.record_opened(a.id_of(third))
    assert a.store.accounts.named("home").pending == 3  # type: ignore[union-attr]
    report = a.sync()
    assert (report.error, report.pushed, report.pending) == (None, 3, 0)

    assert b.sync().error is None
    assert b.state(prefix) == {
        first: (True, False),
        second: (False, True),
        third: (True, False),
        fourth: (False, False),
    }

    b.store.set_starred(b.id_of(second), False)
    assert b.sync().pushed == 1
    assert a.sync().changed_state == 1
    assert a.state(prefix)[second] == (False, False)
    assert a.state(prefix) == b.state(prefix)


def test_changes_made_offline_and_elsewhere_converge(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 5))
    names = titles(feed_name, 5)
    prefix = f"Навіны {feed_name} "
    a, b = greader_machines("a"), greader_machines("b")
    a.sync(), b.sync()
    # A is offline: its changes wait in its outbox (a sync cannot reach the server); then, while A does not
    # sync, B changes others, and one of A's too
    a.store.set_read(a.id_of(names[0]))
    a.store.set_starred(a.id_of(names[1]))
    a.store.set_read(a.id_of(names[4]))
    freshrss.stop_server()
    try:
        offline = a.sync()
        assert offline.error is not None and "connection refused" in offline.error and offline.pending == 3
    finally:
        freshrss.start_server()
    b.store.set_starred(b.id_of(names[2]))
    b.store.set_read(b.id_of(names[3]))
    b.store.set_starred(b.id_of(names[4]))
    b.store.set_read(b.id_of(names[0]), False)  # the same article as A: the later push wins
    assert b.sync().pushed == 4
    assert a.state(prefix)[names[0]] == (True, False)  # not synced yet: A's own change stands
    report = a.sync()
    assert (report.error, report.pushed) == (None, 3)
    assert b.sync().error is None
    expected = {
        names[0]: (True, False),
        names[1]: (False, True),
        names[2]: (False, True),
        names[3]: (True, False),
        names[4]: (True, True),
    }
    assert a.state(prefix) == b.state(prefix) == expected


def test_a_local_change_not_yet_pushed_wins_over_the_server(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    freshrss.subscribe(feeds.publish(feed_name, 2))
    first, _ = titles(feed_name, 2)
    prefix = f"Навіны {feed_name} "
    a, b = greader_machines("a"), greader_machines("b")
    a.sync(), b.sync()
    b.store.set_starred(b.id_of(first))
    b.sync()
    a.store.set_read(a.id_of(first))
    freshrss.stop_server()  # A cannot push: its change stays in the outbox
    try:
        report = a.sync()
        assert report.error is not None and "connection refused" in report.error
        assert report.pending == 1
        assert a.state(prefix)[first] == (True, False)
    finally:
        freshrss.start_server()
    assert a.sync().error is None
    assert a.state(prefix)[first] == (True, True)  # its own change pushed, B's star pulled


def test_a_subscription_added_on_the_server_appears(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    a = greader_machines("a")
    a.sync()
    url = feeds.publish(feed_name, 3)
    freshrss.subscribe(url)
    report = a.sync()
    assert report.error is None and report.added >= 3
    stored = a.store.get(a.id_of(titles(feed_name, 3)[0]))
    assert stored is not None and stored.source_kind == SourceKind.SUBSCRIPTION
    (source,) = a.store.sources(location=stored.source_location)
    assert report.new_feeds == [source.title] and source.article_count == 3
    assert list(a.state(f"Навіны {feed_name} ")) == titles(feed_name, 3)
    assert a.store.sources(kind=SourceKind.FEED) == []  # the account's feeds are not local feeds to refresh
    again = a.sync()
    assert (again.added, again.updated, again.new_feeds) == (0, 0, [])


def test_the_server_stopped_mid_sync_loses_nothing_and_the_next_sync_completes(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    a = greader_machines("a")
    a.sync()
    freshrss.subscribe(feeds.publish(feed_name, 30))
    names = titles(feed_name, 30)
    prefix = f"Навіны {feed_name} "
    stopped: list[str] = []

    def stop_after_the_first_page(step: object) -> None:
        if getattr(step, "step", "") == "articles" and not stopped:
            stopped.append("yes")
            freshrss.stop_server()

    try:
        report = a.sync(page_size=3, progress=stop_after_the_first_page)
        assert stopped and report.error is not None and "\n" not in report.error
        kept = a.state(prefix)
        assert 3 <= len(kept) <= 9  # the first page is written with its cursor (and what was fetched ahead)
    finally:
        freshrss.start_server()
    report = a.sync(page_size=3)
    assert report.error is None
    assert list(a.state(prefix)) == names
    assert report.added == 30 - len(kept)  # what the first page brought is not fetched again


def test_wrong_credentials_give_one_line(greader_machines: MachineFactory, freshrss: FreshRSS, tmp_path) -> None:
    from pozirk_reader.core.store.library import Store

    with Store.open(tmp_path / "c" / "library.sqlite3") as store, pytest.raises(AuthError) as raised:
        add_account(
            store,
            "home",
            AccountKind.GREADER,
            freshrss.greader,
            FRESHRSS_USER,
            environ={"POZIRK_READER_PASSWORD_HOME": "wrong"},
        )
    assert str(raised.value) == "home: the server refused the user name or password (HTTP 401)"
    assert not (tmp_path / "c" / "tokens" / "home.token").exists()
    # a kept token the server no longer takes, and a wrong password: the sync says so in a line
    a = greader_machines("a")
    token = a.folder / "tokens" / "home.token"
    token.write_text("reader/0000\n")
    token.chmod(0o600)
    a.environ["POZIRK_READER_PASSWORD_HOME"] = "wrong"
    report = a.sync()
    assert report.error == "home: the server refused the user name or password (HTTP 401)"

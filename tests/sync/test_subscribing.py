"""Subscribing and unsubscribing on one machine against a real FreshRSS (Google Reader API): the change waits in
the cache's outbox, a sync pushes it, the server and the other machine then have it; offline it waits."""

from __future__ import annotations

from pathlib import Path

import pytest

from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.operations.accounts import subscribe, unsubscribe
from pozirk_reader.core.store.accounts import Account, AccountKind
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.sync.client import Client
from pozirk_reader.core.sync.connect import client_for
from pozirk_reader.core.sync.http import ServerError
from tests.servers import Feeds, FreshRSS
from tests.sync.conftest import Machine, MachineFactory


def feed_titles(machine: Machine) -> list[str | None]:
    return [feed.title for feed in machine.store.accounts.feeds(machine.store.accounts.named("home").id)]  # type: ignore[union-attr]


def test_subscribing_on_one_machine_reaches_the_server_and_the_other_and_unsubscribing_too(
    greader_machines: MachineFactory, feeds: Feeds, feed_name: str
) -> None:
    a, b = greader_machines("a"), greader_machines("b")
    assert a.sync().error is None and b.sync().error is None
    url = feeds.publish(feed_name, 3)
    prefix = f"Навіны {feed_name} "

    added = subscribe(a.store, "home", url)
    assert (added.feed_url, added.remote_id, added.articles) == (url, None, 0)
    assert a.store.accounts.named("home").pending == 1  # type: ignore[union-attr]
    with pytest.raises(ReaderError, match=r"subscribed to .* already"):
        subscribe(a.store, "home", url)
    report = a.sync()
    assert (report.error, report.pushed, report.pending, report.refused) == (None, 1, 0, [])
    assert report.added == 3 and list(a.state(prefix)) == [f"{prefix}{n}" for n in range(3)]
    (pushed,) = [feed for feed in a.store.accounts.feeds(a.store.accounts.named("home").id) if feed.feed_url == url]  # type: ignore[union-attr]
    assert pushed.source_id == added.source_id and pushed.remote_id and pushed.remote_id.startswith("feed/")
    assert pushed.title == f"Стужка {feed_name}" and pushed.articles == 3
    again = a.sync()
    assert (again.pushed, again.added, again.new_feeds, again.gone_feeds) == (0, 0, [], [])

    report = b.sync()  # through the server
    assert report.error is None and report.new_feeds == [f"Стужка {feed_name}"]
    assert list(b.state(prefix)) == [f"{prefix}{n}" for n in range(3)]

    gone, removed = unsubscribe(b.store, "home", f"Стужка {feed_name}")
    assert (gone.remote_id, removed) == (pushed.remote_id, 3)
    assert b.state(prefix) == {} and b.store.accounts.named("home").pending == 1  # type: ignore[union-attr]
    assert b.sync().pushed == 1
    report = a.sync()
    assert report.error is None and report.gone_feeds == [f"Стужка {feed_name}"]
    assert a.state(prefix) == {} and f"Стужка {feed_name}" not in feed_titles(a)
    assert b.sync().new_feeds == []  # the server has it no more: it does not come back


def test_a_subscription_made_offline_waits_and_is_pushed_when_the_server_is_back(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    a, b = greader_machines("a"), greader_machines("b")
    a.sync(), b.sync()
    url = feeds.publish(feed_name, 2)
    freshrss.stop_server()
    try:
        subscribe(a.store, "home", url, title="Мая стужка")
        report = a.sync()
        assert report.error is not None and "connection refused" in report.error and report.pending == 1
        assert "Мая стужка" in feed_titles(a)
    finally:
        freshrss.start_server()
    report = a.sync()
    assert (report.error, report.pushed, report.added) == (None, 1, 2)
    assert b.sync().new_feeds == ["Мая стужка"]  # the title given here is the server's too


def test_a_subscribe_whose_answer_was_lost_is_not_sent_twice(
    greader_machines: MachineFactory, freshrss: FreshRSS, feeds: Feeds, feed_name: str
) -> None:
    a, b = greader_machines("a"), greader_machines("b")
    a.sync(), b.sync()
    url = feeds.publish(feed_name, 2)
    subscribe(a.store, "home", url)

    def answer_lost(account: Account) -> Client:
        client = client_for(account, a.store.path, {}, a.environ)
        taken = client.subscribe

        def subscribe_then_fail(feed_url: str, title: str | None) -> str:
            taken(feed_url, title)  # the server subscribes; its answer never arrives
            raise ServerError("home: the connection dropped")

        client.subscribe = subscribe_then_fail  # type: ignore[method-assign]
        return client

    report = a.sync(clients=answer_lost)
    assert report.error == "home: the connection dropped" and report.pending == 1
    report = a.sync()  # the server has it already: only the outbox row goes, and the articles come
    assert (report.error, report.pushed, report.refused, report.added) == (None, 1, [], 2)
    assert [feed.feed_url for feed in a.store.accounts.feeds(a.store.accounts.named("home").id)].count(url) == 1  # type: ignore[union-attr]
    assert b.sync().new_feeds == [f"Стужка {feed_name}"]


def test_a_feed_the_server_will_not_take_is_dropped_saying_why_and_unsubscribing_first_sends_nothing(
    greader_machines: MachineFactory, feeds: Feeds, feed_name: str
) -> None:
    a = greader_machines("a")
    a.sync()
    missing = feeds.site.url(f"feeds/{feed_name}-missing.xml")
    subscribe(a.store, "home", missing)
    report = a.sync()
    assert report.error is None and report.pushed == 0 and len(report.refused) == 1
    assert report.refused[0].startswith(f"the server would not subscribe to {missing}")
    assert "1 not subscribed (the server would not subscribe to " in report.line and "\n" not in report.line
    assert all(feed.feed_url != missing for feed in a.store.accounts.feeds(a.store.accounts.named("home").id))  # type: ignore[union-attr]
    assert report.pending == 0

    url = feeds.publish(feed_name, 1)
    subscribe(a.store, "home", url)
    _, removed = unsubscribe(a.store, "home", url)  # never pushed: nothing for the server
    assert removed == 0 and a.store.accounts.named("home").pending == 0  # type: ignore[union-attr]
    report = a.sync()
    assert (report.error, report.pushed, report.new_feeds, report.added) == (None, 0, [], 0)


def test_fever_accounts_cannot_subscribe_and_say_so_in_a_line(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite3") as store:
        with store.syncing() as tx:
            tx.add_account("far", AccountKind.FEVER, "https://rss.example/fever/", "reader", {})
        for call in (
            lambda: subscribe(store, "far", "https://e.example/feed.xml"),
            lambda: unsubscribe(store, "far", "x"),
        ):
            with pytest.raises(ReaderError) as raised:
                call()
            assert "the Fever API cannot" in str(raised.value) and "\n" not in str(raised.value)
        assert store.accounts.named("far").pending == 0  # type: ignore[union-attr]
        with pytest.raises(ReaderError, match="give the feed's http"):
            subscribe(store, "far", "ftp://e.example/feed.xml")
        with pytest.raises(ReaderError, match="no account named 'near'"):
            subscribe(store, "near", "https://e.example/feed.xml")

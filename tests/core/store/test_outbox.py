"""The outbox: written with the change itself, only for an account's articles; the server's state applied
around it (a pending change wins)."""

from __future__ import annotations

from pathlib import Path

from pozirk_reader.core.article.model import Article
from pozirk_reader.core.store.accounts import AccountKind, Field, RemoteArticle, RemoteFeed
from pozirk_reader.core.store.library import Store


def article(article_id: str, title: str) -> Article:
    return Article(id=article_id, title=title, paragraphs=("Тэкст.",), origin=f"https://e.example/{article_id}")


def store_with_an_account(tmp_path: Path) -> tuple[Store, int]:
    store = Store.open(tmp_path / "c.sqlite3")
    with store.syncing() as tx:
        account = tx.add_account("home", AccountKind.GREADER, "https://rss.example", "reader", {})
        source = tx.ensure_subscription(account, "greader:home/", RemoteFeed("feed/1", "Стужка", None))
        assert source is not None
        for item in ("1", "2", "3"):
            tx.save_remote(account, source, RemoteArticle(item, "feed/1", article(f"r{item}", f"Навіна {item}"), "h"))
        local = tx.ensure_source("folder", "/library")  # type: ignore[arg-type]
        tx.save_article(local, article("local", "Мясцовая"), "h")
        tx.resolve_links(["r1", "r2", "r3", "local"])
    return store, account


def outbox(store: Store) -> list[tuple[str, str, int]]:
    return [tuple(row) for row in store._read("SELECT article_id, field, value FROM outbox ORDER BY 1, 2")]  # type: ignore[misc]


def test_changes_to_an_accounts_articles_are_queued_with_them_and_local_ones_never(tmp_path: Path) -> None:
    store, account = store_with_an_account(tmp_path)
    with store:
        assert store.set_read("local") and store.set_starred("local")
        store.record_opened("local")
        assert outbox(store) == []
        store.set_read("r1")
        store.set_starred("r2")
        store.set_starred("r2", False)  # the latest intended value, one row
        store.record_opened("r3")
        store.record_opened("r3")  # already read: nothing more to push
        store.record_opened("r1")
        assert outbox(store) == [("r1", "read", 1), ("r2", "starred", 0), ("r3", "read", 1)]
        assert not store.set_read("no-such-article")
        pending = store.accounts.pending(account)
        assert [(c.item_id, c.field, c.value) for c in pending] == [
            ("1", Field.READ, True),
            ("2", Field.STARRED, False),
            ("3", Field.READ, True),
        ]
        store.set_read("r1", False)  # changed again after the push was read: that row stays
        with store.syncing() as tx:
            assert tx.pushed(pending) == 2
        assert outbox(store) == [("r1", "read", 0)]


def test_the_servers_state_applies_except_where_a_change_is_pending(tmp_path: Path) -> None:
    store, account = store_with_an_account(tmp_path)
    with store:
        store.set_starred("r1")  # pending here: wins over the server's list below
        assert store.stage_remote_ids([["2"], ["3", "3"]]) == 2
        with store.syncing() as tx:
            assert tx.unknown_staged_ids(account, 10) == []
            assert tx.apply_remote_ids(account, Field.STARRED, True) == 2
        states = {h.id: h.starred for h in store.headlines(0, 10)}
        assert states == {"r1": True, "r2": True, "r3": True, "local": False}
        store.stage_remote_ids([["1", "9"]])  # the unread list: 2 and 3 are read on the server
        with store.syncing() as tx:
            assert tx.unknown_staged_ids(account, 10) == ["9"]
            assert tx.apply_remote_ids(account, Field.READ, False) == 2
        assert {h.id: h.read for h in store.headlines(0, 10)} == {"r1": False, "r2": True, "r3": True, "local": False}


def test_removing_an_account_removes_its_articles_and_nothing_else(tmp_path: Path) -> None:
    store, account = store_with_an_account(tmp_path)
    with store:
        store.set_read("r1")
        with store.syncing() as tx:
            assert tx.remove_account(account) == 3
        assert [h.id for h in store.headlines(0, 10)] == ["local"]
        assert outbox(store) == [] and store.accounts.all() == []


def subscription_outbox(store: Store) -> list[tuple[str, int]]:
    return [tuple(row) for row in store._read("SELECT feed, subscribed FROM subscription_outbox ORDER BY 1")]  # type: ignore[misc]


def test_subscribing_and_unsubscribing_are_queued_with_the_source_and_the_latest_one_wins(tmp_path: Path) -> None:
    store, account = store_with_an_account(tmp_path)
    prefix = "greader:home/"
    url = "https://e.example/feed.xml"
    with store:
        with store.syncing() as tx:
            tx.ensure_subscription(account, prefix, RemoteFeed("feed/1", "Стужка", "https://e.example/1.xml"))
            new = tx.queue_subscribe(account, prefix, url, "Новая")
        assert subscription_outbox(store) == [(url, 1)]
        feeds = {feed.feed_url: feed for feed in store.accounts.feeds(account)}
        assert feeds[url].source_id == new and feeds[url].remote_id is None and feeds[url].title == "Новая"
        assert store.accounts.subscriptions(account) == {"feed/1": feeds["https://e.example/1.xml"].source_id}
        with store.syncing() as tx:  # the server does not list it yet: it stays
            assert tx.drop_subscriptions(account, ["feed/1"]) == []
            assert tx.queue_unsubscribe(feeds["https://e.example/1.xml"].source_id) == 3
        assert store.get("r1") is None and store.accounts.named("home").pending == 2  # type: ignore[union-attr]
        assert subscription_outbox(store) == [("feed/1", 0), (url, 1)]
        with store.syncing() as tx:  # the server still lists feed/1: unsubscribed here wins
            assert tx.ensure_subscription(account, prefix, RemoteFeed("feed/1", "Стужка", None)) is None
            again = tx.queue_subscribe(account, prefix, "https://e.example/1.xml", None)  # taken back: nothing to push
        assert subscription_outbox(store) == [(url, 1)]
        assert store.accounts.subscriptions(account) == {"feed/1": again}

        (change,) = store.accounts.pending_subscriptions(account)
        with store.syncing() as tx:
            tx.subscription_pushed(account, prefix, change, "feed/9")
            assert tx.ensure_subscription(account, prefix, RemoteFeed("feed/9", "Новая", url)) == new
        assert subscription_outbox(store) == [] and store.accounts.subscriptions(account) == {
            "feed/1": again,
            "feed/9": new,
        }
        (source,) = [s for s in store.sources() if s.location == f"{prefix}feed/9"]
        assert source.title == "Новая"

        with store.syncing() as tx:  # subscribed and unsubscribed before a push: the server hears nothing
            made = tx.queue_subscribe(account, prefix, "https://e.example/2.xml", None)
            assert tx.queue_unsubscribe(made) == 0
            refused = tx.queue_subscribe(account, prefix, "https://e.example/3.xml", None)
        (change,) = store.accounts.pending_subscriptions(account)
        with store.syncing() as tx:  # the server will not: the change and its source go
            tx.subscription_refused(account, change)
        assert subscription_outbox(store) == []
        assert refused not in {feed.source_id for feed in store.accounts.feeds(account)}
        with store.syncing() as tx:
            tx.queue_subscribe(account, prefix, "https://e.example/4.xml", None)
            tx.remove_account(account)
        assert subscription_outbox(store) == []


def test_a_bulk_mark_and_its_undo_queue_an_accounts_articles_in_the_same_transaction(tmp_path: Path) -> None:
    store, account = store_with_an_account(tmp_path)
    with store:
        store.set_read("r3")  # read already: the bulk mark changes only r1 and r2
        with store.writing() as tx:
            changed = tx.set_read_many(["r1", "r2", "r3", "local"])
        assert sorted(changed) == ["local", "r1", "r2"]
        assert outbox(store) == [("r1", "read", 1), ("r2", "read", 1), ("r3", "read", 1)]
        with store.writing() as tx:  # the undo: what the mark changed, unread again
            assert sorted(tx.set_read_many(changed, read=False)) == ["local", "r1", "r2"]
        assert outbox(store) == [("r1", "read", 0), ("r2", "read", 0), ("r3", "read", 1)]
        pending = {(c.item_id, c.value) for c in store.accounts.pending(account)}
        assert pending == {("1", False), ("2", False), ("3", True)}


def test_toggling_a_flag_queues_the_value_it_ends_with(tmp_path: Path) -> None:
    store, _ = store_with_an_account(tmp_path)
    with store:
        assert store.toggle_starred("r1") and store.toggle_read("r2") and store.toggle_read("local")
        assert outbox(store) == [("r1", "starred", 1), ("r2", "read", 1)]
        assert store.toggle_starred("r1")  # back: the latest value, one row
        assert outbox(store) == [("r1", "starred", 0), ("r2", "read", 1)]
        assert not store.toggle_read("no-such-article")

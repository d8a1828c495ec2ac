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

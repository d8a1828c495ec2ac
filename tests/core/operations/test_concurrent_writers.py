"""Writers share the cache: a star during a long import, two imports, an import with a refresh and a remove.

Each writer has a connection of its own, as the reader's workers and a second process do. Nothing
here times anything: a write that had to wait longer than the busy timeout fails with a StoreError,
and that is what the old whole-import transaction did to a star.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from pozirk_reader.core.article.files import path_text
from pozirk_reader.core.article.model import stable_id
from pozirk_reader.core.operations import feeds
from pozirk_reader.core.operations.feeds import UNSUBSCRIBED, add_feed, refresh, remove_feed
from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.writing import BATCH_ARTICLES
from tests.feedserver import Site


def make_folder(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"{number:05}.txt").write_text(
            f"Статья номер {number} из {folder.name}\n\nТекст статьи {number}. " + "Слова. " * 40, "utf-8"
        )
    return folder


def in_threads(*work: Callable[[], object]) -> list[object]:
    """Run each callable in a thread of its own, all at once; their results, or the first error raised."""
    results: list[object] = [None] * len(work)
    errors: list[BaseException] = []
    start = threading.Barrier(len(work))

    def run(index: int, job: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = job()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache" / "library.sqlite3"
    Store.open(path).close()
    return path


def test_a_star_pressed_during_a_long_import_is_saved(cache: Path, tmp_path: Path) -> None:
    """The reader stars an article of the first batch while the import is still reading the rest."""
    folder = make_folder(tmp_path / "long", BATCH_ARTICLES * 3)
    first = stable_id(path_text((folder / "00000.txt").resolve()))
    starred: list[bool] = []

    def progress(done: int, _total: int, _file: Path) -> None:
        if done == BATCH_ARTICLES + 1:  # the first batch is written; the import goes on
            with Store.open(cache, check=False) as reader:
                starred.append(reader.set_starred(first, True))

    with Store.open(cache, check=False) as store:
        report = import_path(store, folder, progress=progress)
    assert report.added == BATCH_ARTICLES * 3 and starred == [True]
    with Store.open(cache, check=False) as store:
        stored = store.get(first)
        assert stored is not None and stored.starred


def test_a_star_from_another_thread_during_an_import_is_saved(cache: Path, tmp_path: Path) -> None:
    """Stars while an import writes batch after batch: each waits for a batch at most, none is refused."""
    folder = make_folder(tmp_path / "long", BATCH_ARTICLES * 4)
    ids = [stable_id(path_text((folder / f"{number:05}.txt").resolve())) for number in range(5)]
    first_batch = threading.Event()

    def progress(done: int, _total: int, _file: Path) -> None:
        if done > BATCH_ARTICLES:
            first_batch.set()

    def importing() -> object:
        with Store.open(cache, check=False) as store:
            return import_path(store, folder, progress=progress)

    def starring() -> object:
        assert first_batch.wait(120)
        with Store.open(cache, check=False) as reader:
            return [reader.set_starred(article_id, True) for article_id in ids]

    _, stars = in_threads(importing, starring)
    assert stars == [True] * 5
    with Store.open(cache, check=False) as store:
        assert all(store.get(article_id).starred for article_id in ids)  # type: ignore[union-attr]
        assert store.count() == BATCH_ARTICLES * 4


def test_two_imports_at_once_both_complete(cache: Path, tmp_path: Path) -> None:
    left, right = make_folder(tmp_path / "left", 450), make_folder(tmp_path / "right", 450)

    def importing(folder: Path) -> Callable[[], object]:
        def job() -> object:
            with Store.open(cache, check=False) as store:
                return import_path(store, folder).summary

        return job

    summaries = in_threads(importing(left), importing(right))
    assert summaries == ["450 added, 0 updated, 0 unchanged, 0 failed"] * 2
    with Store.open(cache, check=False) as store:
        assert store.count() == 900


def test_an_import_a_refresh_and_a_remove_at_once_all_complete(cache: Path, tmp_path: Path, site: Site) -> None:
    folder = make_folder(tmp_path / "folder", 450)
    with Store.open(cache, check=False) as store:
        add_feed(store, site.url("atom.xml"), full_text=False)
        add_feed(store, site.url("rss-full.xml"), full_text=False)

    def importing() -> object:
        with Store.open(cache, check=False) as store:
            return import_path(store, folder).added

    def refreshing() -> object:
        with Store.open(cache, check=False) as store:
            return [report.error for report in refresh(store, full_text=False)]

    def removing() -> object:
        with Store.open(cache, check=False) as store:
            return remove_feed(store, site.url("atom.xml"))[1]

    added, errors, removed = in_threads(importing, refreshing, removing)
    assert added == 450 and removed in (0, 5)
    assert all(error is None or UNSUBSCRIBED in error for error in errors)  # type: ignore[union-attr]
    with Store.open(cache, check=False) as store:
        assert [source.location for source in store.sources(kind="feed")] == [site.url("rss-full.xml")]
        assert store.count() == 450 + 6


def test_a_feed_removed_while_it_is_fetched_is_a_line_not_a_foreign_key_error(
    cache: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process unsubscribes after the refresh fetched the feed and before it writes it."""
    with Store.open(cache, check=False) as store:
        add_feed(store, site.url("atom.xml"), full_text=False)
    fetch_document = feeds.fetch_document

    def fetched_then_removed(*args: object, **kwargs: object) -> object:
        document = fetch_document(*args, **kwargs)  # type: ignore[arg-type]
        with Store.open(cache, check=False) as other:
            assert remove_feed(other, "Pozirk sample (Atom)")[1] == 5  # by its title, as feeds list shows it
        return document

    monkeypatch.setattr(feeds, "fetch_document", fetched_then_removed)
    site.routes["/atom.xml"].etag = '"atom.xml-2"'  # changed: a full answer, not 304
    with Store.open(cache, check=False) as store:
        (report,) = refresh(store, full_text=False)
        assert report.line == f"Pozirk sample (Atom): {UNSUBSCRIBED} — showing 0 cached articles"
        assert store.sources(kind="feed") == [] and store.count() == 0

""" "More like this": articles sharing an article's distinctive words, never the article itself or its duplicates."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.operations.searching import similar
from pozirk_reader.core.store.library import Store
from tests.samples import SAMPLES

BREST = "В Бресте открылась новая районная библиотека"
GRODNO = "В Гродно открылась новая районная библиотека"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.sqlite3") as opened:
        import_path(opened, SAMPLES)
        yield opened


def article_id(store: Store, title: str) -> str:
    return next(headline.id for headline in store.headlines(0, 100) if headline.title == title)


def test_library_articles_suggest_each_other(store: Store) -> None:
    brest = article_id(store, BREST)
    suggestions = similar(store, brest)
    assert suggestions[0].title == GRODNO
    assert brest not in {headline.id for headline in suggestions}
    assert similar(store, article_id(store, GRODNO))[0].title == BREST


def test_english_robotics_article_suggests_its_english_neighbours(store: Store) -> None:
    robotics = article_id(store, "Gomel robotics pupils head to national finals")
    found = similar(store, robotics)
    assert found and all(headline.language == "en" for headline in found)


def test_never_the_article_itself_and_at_most_limit(store: Store) -> None:
    for headline in store.headlines(0, 100):
        found = similar(store, headline.id, limit=3)
        assert len(found) <= 3
        assert headline.id not in {other.id for other in found}
        assert len({other.id for other in found}) == len(found)


def test_exact_duplicates_are_left_out(store: Store, tmp_path: Path) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    for name in ("10_brest-district-library.txt", "03_grodno-district-library.txt"):
        shutil.copy(SAMPLES / name, copies / name)
        shutil.copy(SAMPLES / name, copies / ("again-" + name))
    import_path(store, copies)
    brest_ids = {headline.id for headline in store.headlines(0, 100) if headline.title == BREST}
    assert len(brest_ids) == 3
    for brest in brest_ids:
        found = similar(store, brest)
        assert not brest_ids & {headline.id for headline in found}  # neither itself nor its copies
        assert [headline.title for headline in found].count(GRODNO) == 1  # the Grodno copies count once


def test_unknown_article_and_zero_limit(store: Store) -> None:
    assert similar(store, "0000000000000000") == []
    assert similar(store, article_id(store, BREST), limit=0) == []


def test_article_with_nothing_in_common(tmp_path: Path) -> None:
    folder = tmp_path / "lone"
    folder.mkdir()
    (folder / "a.txt").write_text("Абракадабра\n\nКракозябры шмурдяк.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Quantum zebra\n\nXylophones everywhere.\n", encoding="utf-8")
    with Store.open(tmp_path / "c.sqlite3") as store:
        import_path(store, folder)
        for headline in store.headlines(0, 10):
            assert similar(store, headline.id) == []

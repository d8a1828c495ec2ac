"""Resolving "see also" links: every sample variation, no decoy, late resolution and backlinks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.store.library import Store
from tests.samples import SAMPLES, sample_files, sample_links


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store.open(tmp_path / "library.sqlite3") as opened:
        yield opened


def _ids_by_file(store: Store, folder: Path) -> dict[str, str]:
    """Map each sample file name to its article id in the cache."""
    return {Path(h.origin).name: h.id for h in (store.get(x.id).article for x in store.headlines(0, 1000))}


def test_every_sample_link_resolves_to_its_manifest_target(store: Store) -> None:
    import_path(store, SAMPLES)
    ids = _ids_by_file(store, SAMPLES)
    checked = 0
    for name, article_id in ids.items():
        expected = [link for link in sample_links() if link.source == name]
        resolved = store.related(article_id)
        assert len(resolved) == len(expected), name
        for link, got in zip(expected, resolved, strict=True):
            want = ids[link.target] if link.target else None
            assert got.target_id == want, f"{name}: {link.text!r} ({link.variation})"
            checked += 1
    assert checked == len(sample_links())


def test_link_states(store: Store) -> None:
    import_path(store, SAMPLES)
    ids = _ids_by_file(store, SAMPLES)
    states = [link.state for link in store.related(ids["02_warm-week-morning-fog.txt"])]
    assert states == ["cached", "url"]
    assert [link.state for link in store.related(ids["01_minsk-tram-line-extension.txt"])] == ["cached", "missing"]


def test_a_similar_but_different_headline_is_not_matched(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "decoy"
    folder.mkdir()
    (folder / "a.txt").write_text("В Гродно открылась новая районная библиотека\n\nТекст.", "utf-8")
    (folder / "b.txt").write_text(
        "Другое\n\nТекст.\n\nСм. также:\n\nВ Бресте открылась новая районная библиотека", "utf-8"
    )
    import_path(store, folder)
    link = store.related(next(h.id for h in store.headlines() if h.title == "Другое"))[0]
    assert link.target_id is None


def test_links_resolve_when_the_target_arrives_later(store: Store, tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir(), later.mkdir()
    shutil.copy(SAMPLES / "01_minsk-tram-line-extension.txt", first)  # links to 11
    shutil.copy(SAMPLES / "13_khlebny-dvor-rye-bread.txt", first)  # links to 09 with ё written е
    import_path(store, first)
    assert all(link.target_id is None for h in store.headlines() for link in store.related(h.id))
    shutil.copy(SAMPLES / "11_grodno-suburban-bus-timetable.txt", later)
    shutil.copy(SAMPLES / "09_mogilev-chess-tournament.txt", later)
    import_path(store, later)
    titles = {h.id: h.title for h in store.headlines()}
    resolved = {titles[h.id]: [titles.get(link.target_id) for link in store.related(h.id)] for h in store.headlines()}
    assert resolved["В Минске продлят трамвайную линию до Лошицы"][0].startswith("Пригородные автобусы Гродно")
    assert resolved["Кооператив «Хлебный двор» начал печь ржаной хлеб по старым рецептам"][0].startswith("В Могилёве")


def test_late_near_match(store: Store, tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir(), later.mkdir()
    (first / "a.txt").write_text(
        "Ссылается\n\nТекст.\n\nСм. также:\n\n"
        "Из Беларуси депортирован гражданин, находившийся в международном розыске за соучастие",
        "utf-8",
    )
    import_path(store, first)
    (later / "b.txt").write_text(
        "Из Беларуси депортирован гражданин, находившийся в международном розыске за участие\n\nТекст.", "utf-8"
    )
    import_path(store, later)
    source = next(h for h in store.headlines() if h.title == "Ссылается")
    target = next(h for h in store.headlines() if h.title != "Ссылается")
    assert store.related(source.id)[0].target_id == target.id


def test_backlinks(store: Store) -> None:
    import_path(store, SAMPLES)
    ids = _ids_by_file(store, SAMPLES)
    backlinks = {h.id for h in store.backlinks(ids["04_vitebsk-overpass-closure.txt"])}
    assert backlinks == {ids["09_mogilev-chess-tournament.txt"], ids["11_grodno-suburban-bus-timetable.txt"]}
    linked = {link.target for link in sample_links() if link.target}
    for sample in sample_files():
        assert bool(store.backlinks(ids[sample.name])) == (sample.name in linked)


def test_a_link_never_resolves_to_its_own_article(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "self"
    folder.mkdir()
    (folder / "a.txt").write_text("Сам себе\n\nТекст.\n\nСм. также:\n\nСам себе", "utf-8")
    import_path(store, folder)
    headline = store.headlines()[0]
    assert store.related(headline.id)[0].target_id is None
    assert store.backlinks(headline.id) == []

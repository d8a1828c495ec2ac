"""Full-text search: stems, ё/е and case, the query language, filters, hostile queries, the index kept in step."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import snowballstemmer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from snowballstemmer.russian_stemmer import RussianStemmer

from pozirk_reader.core.operations.importing import import_path
from pozirk_reader.core.operations.searching import count, search
from pozirk_reader.core.search import stemming
from pozirk_reader.core.search.filters import SearchFilters
from pozirk_reader.core.search.highlight import highlight_spans, make_snippet
from pozirk_reader.core.search.query import parse_query
from pozirk_reader.core.store import schema
from pozirk_reader.core.store.library import Store
from tests.samples import SAMPLES


def write(folder: Path, name: str, headline: str, *paragraphs: str, dateline: str = "13 мая, Позірк.") -> Path:
    """An article file in the agency's format."""
    folder.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join(paragraphs)
    path = folder / name
    path.write_text(f"Минск 10:00\n\n{headline}\n\n{dateline} {body}\n", encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.sqlite3") as opened:
        yield opened


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    write(folder, "interpol.txt", "Кубраков пожаловался главе Интерпола", "Отношения с Интерполом испортились.")
    write(folder, "tea.txt", "Чай подорожал", "Тёплые напитки в кафе стали дороже. Ёлки тоже.")
    write(
        folder,
        "bakery.txt",
        "Minsk bakery opens its third shop",
        "The bakeries are running well.",
        dateline="14 May, Pozirk.",
    )
    write(folder, "bread.txt", "Хлеб и молоко", "Цены на хлеб выросли, а на молоко упали.")
    write(folder, "trams.txt", "Трамвайная линия в Минске", "Новая трамвайная линия откроется весной.")
    write(
        folder,
        "rinks.txt",
        "На мінскіх катках пачаўся сезон",
        "Каток у Мінску адкрыўся.",
        dateline="15 лістапада, Позірк.",
    )
    return folder


def titles(store: Store, query: str, **kwargs: object) -> set[str]:
    return {hit.headline.title for hit in search(store, query, **kwargs)}  # type: ignore[arg-type]


# -- matching --------------------------------------------------------------------------------------


def test_russian_words_match_across_their_forms(store: Store, library: Path) -> None:
    import_path(store, library)
    for query in ("Интерпол", "интерпола", "ИНТЕРПОЛОМ", "Интерполу"):
        assert titles(store, query) == {"Кубраков пожаловался главе Интерпола"}, query
    assert titles(store, "хлебом") == {"Хлеб и молоко"}
    assert titles(store, "трамвайные линии") == {"Трамвайная линия в Минске"}


def test_english_words_match_across_their_forms(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "bakery") == {"Minsk bakery opens its third shop"}
    assert titles(store, "run") == {"Minsk bakery opens its third shop"}
    assert titles(store, "SHOPS") == {"Minsk bakery opens its third shop"}


def test_yo_and_ye_are_one_letter(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "теплые") == titles(store, "тёплые") == {"Чай подорожал"}
    assert titles(store, "елки") == titles(store, "ЁЛКИ") == {"Чай подорожал"}


def test_belarusian_words_match_by_case_and_ending(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "Мінск") == {"На мінскіх катках пачаўся сезон"}
    assert titles(store, "каток") == {"На мінскіх катках пачаўся сезон"}
    assert titles(store, "мінс*") == {"На мінскіх катках пачаўся сезон"}


def test_words_are_anded(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "хлеб молоко") == {"Хлеб и молоко"}
    assert titles(store, "хлеб интерпол") == set()


def test_phrase_needs_its_words_in_order(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, '"трамвайная линия"') == {"Трамвайная линия в Минске"}
    assert titles(store, '"линия трамвайная"') == set()
    assert titles(store, '"хлеб выросли"') == titles(store, '"цены на хлеба"') == {"Хлеб и молоко"}
    assert titles(store, '"молоко выросли"') == set()  # both words are there, not side by side


def test_prefix(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "интерп*") == {"Кубраков пожаловался главе Интерпола"}
    assert titles(store, "интерпола*") == {"Кубраков пожаловался главе Интерпола"}  # its stem counts too
    assert titles(store, "bak*") == {"Minsk bakery opens its third shop"}
    assert titles(store, "интерп") == set()  # without the star, a word


def test_or_and_exclude(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "хлеб OR чай") == {"Хлеб и молоко", "Чай подорожал"}
    assert titles(store, "хлеб or чай") == set()  # lower-case "or" is a word
    assert titles(store, "хлеб OR чай -молоко") == {"Чай подорожал"}
    assert titles(store, 'хлеб OR чай -"цены на хлеб"') == {"Чай подорожал"}
    every = titles(store, "", limit=100)
    assert titles(store, "-хлеб", limit=100) == every - {"Хлеб и молоко"}


def test_headline_ranks_above_body(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "rank"
    write(folder, "a.txt", "Новости дня", "Говорили про вокзал и про погоду, и снова про погоду.")
    write(folder, "b.txt", "Вокзал закроют на ремонт", "Работы продлятся месяц.")
    import_path(store, folder)
    hits = search(store, "вокзал")
    assert [hit.headline.title for hit in hits] == ["Вокзал закроют на ремонт", "Новости дня"]
    assert hits[0].score > hits[1].score > 0


def test_hit_has_highlights_and_snippet(store: Store, library: Path) -> None:
    import_path(store, library)
    (hit,) = search(store, "интерполом")
    title = hit.headline.title
    assert [title[start:end] for start, end in hit.title_spans] == ["Интерпола"]
    assert "Интерполом" in hit.snippet
    assert [hit.snippet[start:end] for start, end in hit.snippet_spans] == ["Интерполом"]


def test_highlight_spans() -> None:
    text = "Отношения с Интерполом; ИНТЕРПОЛ и интерпола. Трамвайная линия, линия трамвайная."
    found = [text[start:end] for start, end in highlight_spans(text, "интерпол")]
    assert found == ["Интерполом", "ИНТЕРПОЛ", "интерпола"]
    found = [text[start:end] for start, end in highlight_spans(text, '"трамвайная линия" -интерпол')]
    assert found == ["Трамвайная линия"]
    assert highlight_spans(text, "") == [] == highlight_spans(text, "-интерпол")
    assert highlight_spans("Ёлка и ель", "елка") == [(0, 4)]
    assert highlight_spans("İstanbul Интерпол", "интерпол") == [(9, 17)]  # a letter that lower-cases longer


def test_snippet_is_one_line_around_the_first_match() -> None:
    body = "Первый абзац без нужного слова.\n" + "слово " * 40 + "\nА вот и Интерпол в середине. " + "хвост " * 40
    snippet = make_snippet(body, "интерпол")
    assert "\n" not in snippet
    assert "Интерпол" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 170
    assert make_snippet("Коротко.", "нет") == "Коротко."


# -- filters ---------------------------------------------------------------------------------------


def test_filters_with_and_without_words(store: Store, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write(first, "a.txt", "Вокзал в мае", "Текст.", dateline="13 мая 2024, Позірк.")
    write(first, "b.txt", "Вокзал в июне", "Текст.", dateline="13 июня 2024, Позірк.")
    write(second, "c.txt", "Вокзал в июле", "Текст.", dateline="13 июля 2024, Позірк.")
    write(second, "d.txt", "Театр в июле", "Текст.", dateline="14 июля 2024, Позірк.")
    import_path(store, first)
    import_path(store, second)
    ids = {headline.title: headline.id for headline in store.headlines(0, 10)}
    store.set_read(ids["Вокзал в мае"])
    store.set_starred(ids["Вокзал в июле"])
    source_two = next(source.id for source in store.sources() if source.location.endswith("two"))

    assert titles(store, "вокзал", filters=SearchFilters(unread_only=True)) == {"Вокзал в июне", "Вокзал в июле"}
    assert titles(store, "вокзал", filters=SearchFilters(starred_only=True)) == {"Вокзал в июле"}
    assert titles(store, "вокзал", filters=SearchFilters(source_id=source_two)) == {"Вокзал в июле"}
    june = SearchFilters(since=date(2024, 6, 13), until=date(2024, 7, 13))
    assert titles(store, "вокзал", filters=june) == {"Вокзал в июне", "Вокзал в июле"}
    assert count(store, "вокзал", june) == 2
    # no words: the filtered list, newest first
    listed = search(store, "", filters=SearchFilters(source_id=source_two))
    assert [hit.headline.title for hit in listed] == ["Театр в июле", "Вокзал в июле"]
    assert [hit.headline.title for hit in search(store, "  ", filters=SearchFilters(until=date(2024, 5, 13)))] == [
        "Вокзал в мае"
    ]
    assert count(store, "", SearchFilters(unread_only=True)) == 3


@pytest.mark.parametrize("filtered_first", [True, False])
def test_filters_applied_first_or_after_the_index(
    store: Store, library: Path, monkeypatch: pytest.MonkeyPatch, filtered_first: bool
) -> None:
    from pozirk_reader.core.store import search_index

    import_path(store, library)
    monkeypatch.setattr(search_index, "FILTERED", 5000 if filtered_first else 0)
    ids = {headline.title: headline.id for headline in store.headlines(0, 10)}
    store.set_starred(ids["Хлеб и молоко"])
    store.set_starred(ids["Чай подорожал"])
    starred = SearchFilters(starred_only=True)
    assert titles(store, "хлеб OR чай OR интерпол", filters=starred) == {"Хлеб и молоко", "Чай подорожал"}
    assert titles(store, "хле* OR интерп*", filters=starred) == {"Хлеб и молоко"}
    assert titles(store, "-хлеб", filters=starred) == {"Чай подорожал"}
    assert count(store, "хлеб OR чай OR интерпол", starred) == 2
    newest_first = [headline.title for headline in store.headlines(0, 10) if headline.starred]
    assert [hit.headline.title for hit in search(store, "", filters=starred)] == newest_first


def test_paging_past_the_ranked_candidates(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pozirk_reader.core import limits

    folder = tmp_path / "many"
    for index in range(12):
        write(folder, f"{index:02d}.txt", f"Вокзал номер {index}", "Вокзал. " * (index + 1))
    import_path(store, folder)
    monkeypatch.setattr(limits, "SEARCH_CANDIDATES", 5)
    pages = [search(store, "вокзал", limit=4, offset=offset) for offset in (0, 4, 8, 12)]
    found = [hit.headline.title for page in pages for hit in page]
    assert len(found) == len(set(found)) == 12
    assert [len(page) for page in pages] == [4, 4, 4, 0]
    assert all(hit.score > 0 for hit in pages[0]) and pages[2][-1].score == 0
    assert count(store, "вокзал") == 12


# -- hostile queries -------------------------------------------------------------------------------

HOSTILE = [
    '"',
    '"""',
    "-",
    "- -",
    "*",
    "**",
    "a*b*",
    "NEAR(",
    "NEAR(a b, 2)",
    "title:",
    "title: хлеб",
    "body:хлеб",
    "{title body}: хлеб",
    "^хлеб",
    "хлеб AND",
    "OR",
    "OR OR хлеб",
    "хлеб OR",
    "NOT хлеб",
    "AND NOT OR",
    "(",
    ")",
    "((хлеб)",
    "хлеб + молоко",
    '"хлеб',
    'хлеб"молоко"',
    "\x00\x1b[31m\x9b",
    "\u202eхлеб",
    "'; DROP TABLE articles; --",
    "хлеб" * 500,
    " ".join(["хлеб"] * 200),
    "x" * 5000,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_are_plain_words(store: Store, library: Path, query: str) -> None:
    import_path(store, library)
    hits = search(store, query)
    assert isinstance(hits, list)
    count(store, query)
    assert store.count() == 6


def test_stray_syntax_is_ignored_around_words(store: Store, library: Path) -> None:
    import_path(store, library)
    for query in ('"хлеб', ":хлеб", "хлеб AND", "((хлеб)", "^хлеб", "(хлеб", "хлеб OR"):
        assert titles(store, query) == {"Хлеб и молоко"}, query


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_string_is_answered(sample_store: Store, query: str) -> None:
    hits = search(sample_store, query, limit=5)
    assert len(hits) <= 5
    assert count(sample_store, query) >= len(hits)
    for hit in hits:
        assert all(0 <= start < end <= len(hit.headline.title) for start, end in hit.title_spans)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.lists(
        st.sampled_from(['"', "-", "*", "OR", "AND", "NOT", "(", ")", ":", "^", "NEAR", "хлеб", "Минск", "x", " "]),
        max_size=12,
    ).map("".join)
)
def test_any_mix_of_syntax_is_answered(sample_store: Store, query: str) -> None:
    assert isinstance(search(sample_store, query), list)
    assert parse_query(query).match_expression() is None or count(sample_store, query) >= 0


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(tmp_path_factory.mktemp("samples") / "c.sqlite3") as opened:
        import_path(opened, SAMPLES)
        yield opened


# -- the index in step with the articles -----------------------------------------------------------


def test_edited_file_is_indexed_again(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "edit"
    file = write(folder, "a.txt", "Вокзал закроют", "Ремонт вокзала начнётся весной.")
    import_path(store, folder)
    assert titles(store, "весной") == {"Вокзал закроют"}
    write(folder, "a.txt", "Аэропорт закроют", "Ремонт аэропорта начнётся осенью.")
    os.utime(file, (1_800_000_000, 1_800_000_000))
    assert import_path(store, folder).updated == 1
    assert titles(store, "весной") == titles(store, "вокзал") == set()
    assert titles(store, "осенью") == titles(store, "аэропорт") == {"Аэропорт закроют"}
    assert count(store, "закроют") == 1


def test_deleted_article_leaves_the_index(store: Store, library: Path) -> None:
    import_path(store, library)
    assert titles(store, "хлеб") == {"Хлеб и молоко"}
    with store._transaction() as db:  # as another tool on the store's connection would
        db.execute("DELETE FROM articles WHERE title = 'Хлеб и молоко'")
    assert titles(store, "хлеб") == set()
    assert count(store, "молоко") == 0
    # the freed rowid is used again by a new article: only its own words find it
    write(library.parent / "more", "new.txt", "Сыр подорожал", "Сыр стал дороже.")
    import_path(store, library.parent / "more")
    assert titles(store, "хлеб") == set()
    assert titles(store, "сыр") == {"Сыр подорожал"}
    integrity(store)


def test_unchanged_reimport_and_state_changes_keep_the_index(store: Store, library: Path) -> None:
    import_path(store, library)
    before = {hit.headline.id for hit in search(store, "хлеб OR чай OR интерпол")}
    for headline in store.headlines(0, 10):
        store.set_read(headline.id)
        store.set_starred(headline.id)
    import_path(store, library)
    assert {hit.headline.id for hit in search(store, "хлеб OR чай OR интерпол")} == before
    integrity(store)


def integrity(store: Store) -> None:
    """FTS5's own check of a contentless index: its doclists are consistent with each other."""
    with store._transaction() as db:
        db.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 0)")


def test_version_2_cache_is_indexed_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(path, isolation_level=None)
    schema.migrate(connection, 2)
    connection.execute("INSERT INTO sources (id, kind, location, added_at) VALUES (1, 'folder', '/library', 0)")
    for number, (title, body) in enumerate([("Старая статья про Интерпол", "Абзац."), ("Другая", "Про хлеб.")]):
        connection.execute(
            "INSERT INTO articles (id, source_id, origin, title, title_key, title_rkey, language, body,"
            " content_hash, sort_key, first_seen, updated_at) VALUES (?, 1, ?, ?, '', '', 'ru', ?, 'h',"
            " '2024-05-13T10:00', 0, 0)",
            (f"a{number}", f"/library/{number}.txt", title, body),
        )
    connection.close()
    with Store.open(path) as store:
        assert schema.schema_version(store._db) == schema.SCHEMA_VERSION
        assert titles(store, "интерполом") == {"Старая статья про Интерпол"}
        assert titles(store, "хлеба") == {"Другая"}
        integrity(store)


def test_index_built_with_other_stems_is_rebuilt(tmp_path: Path, library: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Store.open(path) as store:
        import_path(store, library)
        store.set_meta("search_index", "an older stemmer")
        with store._transaction() as db:
            db.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
        assert titles(store, "хлеб") == set()
    with Store.open(path) as store:
        assert store.get_meta("search_index") == stemming.STEMMER_VERSION
        assert titles(store, "хлеб") == {"Хлеб и молоко"}
        with store.writing() as tx:
            assert tx.rebuild_search_index() == 6
        assert titles(store, "хлеб") == {"Хлеб и молоко"}


def test_other_programs_can_still_write_the_cache(tmp_path: Path, library: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Store.open(path) as store:
        import_path(store, library)
    connection = sqlite3.connect(path)  # no pozirk functions registered: the schema must not need them
    connection.execute("UPDATE articles SET read = 1")
    connection.commit()
    connection.close()


# -- stemming --------------------------------------------------------------------------------------

_RUSSIAN = snowballstemmer.stemmer("russian")
_SUFFIXES = sorted(
    {among.s for name, table in vars(RussianStemmer).items() if name.startswith("a_") for among in table}
)


@settings(max_examples=3000, deadline=None)
@given(
    start=st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўx1", max_size=6),
    endings=st.lists(st.sampled_from(_SUFFIXES), max_size=3),
)
def test_russian_stemmer_is_snowballs(start: str, endings: list[str]) -> None:
    word = start + "".join(endings)
    assert stemming.russian_stem(word) == _RUSSIAN.stemWord(word)


def test_russian_stemmer_on_real_words() -> None:
    text = " ".join(path.read_text(encoding="utf-8", errors="ignore") for path in sorted(SAMPLES.glob("*.txt")))
    words = {word.lower() for word in stemming.WORD.findall(text)}
    assert len(words) > 500
    assert [word for word in words if stemming.russian_stem(word) != _RUSSIAN.stemWord(word)] == []


def test_index_text() -> None:
    assert stemming.index_text("Главе ИНТЕРПОЛА, с Интерполом!", "ru") == "глав интерпол с интерпол"
    assert stemming.index_text("Тёплые ёлки", "und") == stemming.index_text("теплые елки", "ru")
    assert stemming.index_text("Bakeries running", "ru") == "bakeri run"
    assert stemming.index_text("У Гомелі, у Гомель", "be") == "у гомел у гомел"
    assert stemming.index_text("сям'я", "be") == stemming.index_text("Сям’я", "be") == stemming.index_text("сямя", "be")
    assert stemming.index_text("", "ru") == ""


def test_sample_library_is_found_in_each_language(sample_store: Store) -> None:
    assert titles(sample_store, "библиотеки") == {
        "В Гродно открылась новая районная библиотека",
        "В Бресте открылась новая районная библиотека",
    }
    assert titles(sample_store, "Піну") >= {"У Пінску адкрылі новы пешаходны мост праз Піну"}
    assert titles(sample_store, "pupil") == {"Gomel robotics pupils head to national finals"}
    assert titles(sample_store, "Могилев") >= {"В Могилёве стартовал открытый шахматный турнир для любителей"}


def test_windows_1251_article_is_searchable(sample_store: Store) -> None:
    assert "В Витебске на месяц закроют путепровод на Московском проспекте" in titles(sample_store, "путепровода")

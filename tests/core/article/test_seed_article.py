"""The reference article from the agency, parsed part by part."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pozirk_reader.core.article.plaintext import parse_bytes, parse_file

LAST_RELATED = (
    "Интерпол выдал красные карточки на арест двух подозреваемых по делу о принудительной посадке самолета в Минске"
)


def test_headline(seed_path: Path) -> None:
    article = parse_file(seed_path)
    assert article.title.startswith("Кубраков пожаловался главе Интерпола")
    assert article.title.endswith("тормозится“")


def test_place_time_source_date_and_credit(seed_path: Path) -> None:
    article = parse_bytes(seed_path.read_bytes(), origin="seed", modified=datetime(2024, 6, 1))
    assert article.place_time == "Минск 22:16"
    assert (article.place, article.time) == ("Минск", "22:16")
    assert article.source_name == "Pozirk"
    assert article.date == date(2024, 5, 13)
    assert article.photo_credit == "пресс-служба МВД"
    assert article.language == "ru"
    assert article.encoding == "utf-8"


def test_body_has_eleven_paragraphs_without_the_dateline(seed_path: Path) -> None:
    article = parse_file(seed_path)
    assert len(article.paragraphs) == 11
    assert article.paragraphs[0].startswith("Отношения с Интерполом")
    assert not any("Позірк." in paragraph for paragraph in article.paragraphs[:1])
    assert article.paragraphs[-1].startswith("При этом Минск продолжает")


def test_exactly_three_related_headlines(seed_path: Path) -> None:
    article = parse_file(seed_path)
    titles = [link.title for link in article.related]
    assert len(titles) == 3
    assert titles[0].startswith("Из Беларуси депортирован гражданин Шри-Ланки")
    assert titles[1] == "Беларусь по запросу Интерпола выдала Австрии обвиняемого в кражах"
    assert titles[2] == LAST_RELATED
    assert all(link.url is None for link in article.related)


def test_footer_and_related_block_are_not_body(seed_path: Path) -> None:
    article = parse_file(seed_path)
    body = article.body
    assert "ПОДЕЛИТЬСЯ" not in body
    assert "См. также" not in body
    assert LAST_RELATED not in body
    assert "\u00a0" not in body + "".join(link.title for link in article.related)


def test_id_is_stable_and_comes_from_the_path(seed_path: Path) -> None:
    assert parse_file(seed_path).id == parse_file(seed_path).id
    assert parse_file(seed_path).origin == str(seed_path.resolve())
    other = parse_bytes(seed_path.read_bytes(), origin="/elsewhere/copy.txt")
    assert other.id != parse_file(seed_path).id

"""The plain-text format in Russian, Belarusian and English, its encodings and its broken files."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from pozirk_reader.core.article.datelines import infer_date, match_dateline
from pozirk_reader.core.article.plaintext import parse_bytes, parse_file, parse_text
from pozirk_reader.core.errors import (
    ArticleError,
    BinaryFileError,
    EmptyFileError,
    FileTooLargeError,
    UnknownEncodingError,
)
from pozirk_reader.core.limits import MAX_FILE_BYTES

RUSSIAN = """Гомель 09:05

Трамвайную линию продлят до нового микрорайона

Фото: архив редакции

2 октября, Позірк. Городской транспортный департамент сообщил, что работы начнутся весной.

Новая ветка будет длиной около трёх километров.

См. также:

Автобусы изменят расписание на выходных

ПОДЕЛИТЬСЯ:"""

BELARUSIAN = """Гродна 14:30

У Гродне адкрылася новая бібліятэка

Фота: архіў рэдакцыі

13 траўня, Позірк. Новая бібліятэка адкрылася ў цэнтры горада і працуе кожны дзень.

Чытачы могуць узяць кнігі на беларускай, рускай і англійскай мовах.

Гл. таксама:

Фестываль народнай музыкі пройдзе ў жніўні

ПАДЗЯЛІЦЦА:"""

ENGLISH = """Brest 18:40

River levels fall after a week of rain

Photo: editorial archive

13 May, Pozirk. Water levels on the river have fallen by half a metre since Monday, the local service said.

Boat trips will resume on Saturday.

See also:

Road repairs close the bridge for two nights https://example.org/news/42

SHARE:"""


@pytest.mark.parametrize(
    ("text", "language", "credit", "related"),
    [
        (RUSSIAN, "ru", "архив редакции", "Автобусы изменят расписание на выходных"),
        (BELARUSIAN, "be", "архіў рэдакцыі", "Фестываль народнай музыкі пройдзе ў жніўні"),
        (ENGLISH, "en", "editorial archive", "Road repairs close the bridge for two nights"),
    ],
)
def test_each_language_gives_every_part(text: str, language: str, credit: str, related: str) -> None:
    article = parse_text(text, origin="x.txt", modified=datetime(2025, 12, 1))
    assert article.language == language
    assert article.photo_credit == credit
    assert article.source_name == "Pozirk"
    assert article.place_time is not None and article.time is not None
    assert [link.title for link in article.related] == [related]
    assert len(article.paragraphs) == 2
    assert not article.paragraphs[0][0].isdigit()
    assert all(marker not in article.body for marker in ("ПОДЕЛИТЬСЯ", "ПАДЗЯЛІЦЦА", "SHARE", "также", "таксама"))


def test_related_link_with_a_url() -> None:
    article = parse_text(ENGLISH, origin="x.txt")
    assert article.related[0].url == "https://example.org/news/42"


def test_belarusian_dateline_month_and_source() -> None:
    article = parse_text(BELARUSIAN, origin="x.txt", modified=datetime(2025, 5, 20))
    assert article.date == date(2025, 5, 13)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (datetime(2025, 5, 13, 23, 0), date(2025, 5, 13)),
        (datetime(2025, 5, 12), date(2024, 5, 13)),
        (datetime(2025, 1, 2), date(2024, 5, 13)),
        (date(2026, 12, 31), date(2026, 5, 13)),
    ],
)
def test_year_is_the_latest_not_after_the_file_time(reference: datetime, expected: date) -> None:
    assert infer_date(13, 5, reference) == expected


def test_29_february_goes_back_to_a_leap_year() -> None:
    assert infer_date(29, 2, date(2026, 3, 1)) == date(2024, 2, 29)


def test_year_inferred_from_the_file_modification_time(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(RUSSIAN, encoding="utf-8")
    mtime = datetime(2023, 3, 1).timestamp()
    os.utime(path, (mtime, mtime))
    assert parse_file(path).date == date(2022, 10, 2)


def test_prose_is_not_taken_for_a_dateline() -> None:
    assert match_dateline("5 мая, в Минске прошла встреча. Её итоги") is None
    assert match_dateline("13 мартобря, Позірк. Текст") is None
    assert match_dateline("31 июня, Позірк. Текст") is None
    found = match_dateline("13 May 2021, Pozirk. Text")
    assert found is not None and (found.year, found.month, found.source) == (2021, 5, "Pozirk")


def test_only_a_headline_and_text_is_an_article() -> None:
    article = parse_text("Заголовок\n\nПервый абзац.\n\nВторой абзац.", origin="x.txt")
    assert article.title == "Заголовок"
    assert article.paragraphs == ("Первый абзац.", "Второй абзац.")
    assert (article.place_time, article.photo_credit, article.date, article.related) == (None, None, None, ())


def test_a_file_without_blank_lines_takes_each_line_as_a_paragraph() -> None:
    article = parse_text("Минск 10:00\nЗаголовок\nФото: автор\nАбзац один.\nАбзац два.", origin="x")
    assert (article.place_time, article.title, article.photo_credit) == ("Минск 10:00", "Заголовок", "автор")
    assert article.paragraphs == ("Абзац один.", "Абзац два.")


def test_a_wrapped_paragraph_is_joined() -> None:
    article = parse_text("Заголовок\n\nПервая строка\nвторая строка.\n\nЕщё.", origin="x")
    assert article.paragraphs == ("Первая строка вторая строка.", "Ещё.")


def test_a_headline_ending_in_a_time_is_still_a_headline() -> None:
    article = parse_text("Собрание назначено на 12:00\n\nТекст.", origin="x")
    assert article.place_time is None
    assert article.title == "Собрание назначено на 12:00"


def test_crlf_bom_nbsp_trailing_spaces_and_no_final_newline() -> None:
    text = RUSSIAN.replace("\n", "\r\n").replace("Трамвайную линию", "Трамвайную\u00a0линию  ") + "   "
    article = parse_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), origin="x.txt")
    assert article.title == "Трамвайную линию продлят до нового микрорайона"
    assert article.place_time == "Гомель 09:05"
    assert [link.title for link in article.related] == ["Автобусы изменят расписание на выходных"]
    assert "\r" not in article.body and "\u00a0" not in article.body


def test_control_and_escape_characters_are_removed() -> None:
    article = parse_text("Заго\x1b[31mловок\x07\n\nТекст\x9b2J и \u202eещё.", origin="x")
    assert article.title == "Заго[31mловок"
    assert "\x1b" not in article.body and "\x9b" not in article.body and "\u202e" not in article.body


@pytest.mark.parametrize(("encoding", "label"), [("cp1251", "windows-1251"), ("koi8_r", "koi8-r")])
def test_cyrillic_single_byte_encodings_are_detected(tmp_path: Path, encoding: str, label: str) -> None:
    path = tmp_path / "a.txt"
    # KOI8-R has no "і": the agency's name is spelt "Позирк" there.
    path.write_bytes(RUSSIAN.replace("Позірк", "Позирк").encode(encoding))
    article = parse_file(path)
    assert article.encoding == label
    assert article.source_name == "Pozirk"
    assert article.title == "Трамвайную линию продлят до нового микрорайона"
    assert article.paragraphs[1] == "Новая ветка будет длиной около трёх километров."


def test_belarusian_in_windows_1251() -> None:
    article = parse_bytes(BELARUSIAN.encode("cp1251"), origin="x.txt")
    assert article.encoding == "windows-1251"
    assert article.title == "У Гродне адкрылася новая бібліятэка"


def test_utf8_is_recorded() -> None:
    assert parse_bytes(RUSSIAN.encode(), origin="x").encoding == "utf-8"


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  ", b"\xef\xbb\xbf"])
def test_empty_file_is_refused_by_name(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyFileError, match=r"empty\.txt"):
        parse_file(path)


def test_binary_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(BinaryFileError, match=r"photo\.txt: the file is binary"):
        parse_file(path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(FileTooLargeError, match=r"huge\.txt: .*over the 4,194,304-byte limit"):
        parse_file(path)


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([0x98, 0x98, 0xFF, 0xFE, 0x81, 0x98] * 50))
    with pytest.raises(UnknownEncodingError, match=r"noise\.txt"):
        parse_file(path)


def test_missing_file_and_folder_are_article_errors(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match=r"missing\.txt"):
        parse_file(tmp_path / "missing.txt")
    with pytest.raises(ArticleError, match="not a regular file"):
        parse_file(tmp_path)


def test_text_before_the_footer_and_url_after_it() -> None:
    article = parse_text(RUSSIAN + "\n\nURL: https://example.org/a/1", origin="x")
    assert article.url == "https://example.org/a/1"
    assert "URL" not in article.body

"""Feed bytes read by the rules of XML and HTTP: a BOM, the HTTP charset, the XML declaration, then detection."""

from __future__ import annotations

import pytest

from pozirk_reader.core.web.feed_format import parse_feed
from pozirk_reader.core.web.xml_decoding import decode_xml, head_text, reads_as_text, web_codec
from pozirk_reader.core.web.xmlsafety import UnsafeXmlError

URL = "https://feeds.example/feed.xml"
PORTUGUESE = "Simulações de ação: não há solução à vista, très élevé"
RUSSIAN = "Как пережить новогоднюю ночь: единственное, что сегодня можно сказать"


def rss(title: str, declaration: str = "") -> str:
    item = f"<item><guid>1</guid><title>{title}</title></item>"
    return f"{declaration}<rss version='2.0'><channel><title>Canal</title>{item}</channel></rss>"


def title_of(data: bytes, charset: str | None = None) -> str:
    return parse_feed(data, URL, charset).entries[0].article.title


@pytest.mark.parametrize(
    ("codec", "label"),
    [
        ("utf-16", "utf-16"),  # with a BOM
        ("utf-16-le", "utf-16le"),  # without one: told by the declaration's "<?" and named by it
        ("utf-16-be", "utf-16be"),
        ("utf-32", "utf-32"),
        ("utf-32-le", "utf-32"),
        ("utf-32-be", "utf-32be"),
        ("utf-8-sig", "utf-8"),
    ],
)
def test_utf16_and_utf32_with_or_without_a_bom_are_read(codec: str, label: str) -> None:
    data = rss(RUSSIAN, f"<?xml version='1.0' encoding='{label}'?>").encode(codec)
    feed = parse_feed(data, URL)
    assert feed.entries[0].article.title == RUSSIAN and feed.warning is None


def test_undeclared_latin1_stays_latin_and_the_guess_is_a_warning() -> None:
    feed = parse_feed(rss(PORTUGUESE).encode("cp1252"), URL)
    assert feed.entries[0].article.title == PORTUGUESE
    assert feed.encoding == "windows-1252"
    assert feed.warning == "the encoding was guessed: windows-1252 (no charset declared)"


def test_a_declared_western_charset_is_never_replaced_by_a_cyrillic_guess() -> None:
    data = rss(PORTUGUESE, "<?xml version='1.0' encoding='iso-8859-1'?>").encode("latin-1")
    feed = parse_feed(data, URL)
    assert feed.entries[0].article.title == PORTUGUESE and feed.warning is None


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_undeclared_cyrillic_is_detected_when_it_reads_as_cyrillic(codec: str) -> None:
    feed = parse_feed(rss(RUSSIAN).encode(codec), URL)
    assert feed.entries[0].article.title == RUSSIAN and feed.warning and "guessed" in feed.warning


@pytest.mark.parametrize(
    ("text", "codec"),
    [("שלום עולם, זהו מבחן של קידוד עברית", "cp1255"), ("日本語のテキストです。記事投稿が反映されない", "shift_jis")],
    ids=["hebrew", "shift-jis"],
)
def test_undeclared_hebrew_and_shift_jis_do_not_become_cyrillic(text: str, codec: str) -> None:
    assert title_of(rss(text).encode(codec)) == text


def test_the_http_charset_comes_before_the_xml_declaration() -> None:
    data = rss(RUSSIAN, "<?xml version='1.0' encoding='iso-8859-1'?>").encode("cp1251")
    assert title_of(data, "windows-1251") == RUSSIAN


def test_a_feed_declared_utf8_that_is_not_is_read_as_what_it_is() -> None:
    feed = parse_feed(rss(PORTUGUESE, "<?xml version='1.0' encoding='utf-8'?>").encode("latin-1"), URL)
    assert feed.entries[0].article.title == PORTUGUESE
    assert feed.warning and "declared utf-8, which the bytes are not" in feed.warning


def test_utf8_declared_single_byte_is_read_as_utf8_with_a_warning() -> None:
    decoded = decode_xml(rss(RUSSIAN, "<?xml version='1.0' encoding='windows-1252'?>").encode())
    assert RUSSIAN in decoded.text
    assert decoded.guess == "utf-8 (declared windows-1252, but the bytes are UTF-8)"


def test_mostly_utf8_keeps_its_utf8_and_reads_a_stray_byte_as_windows_1252() -> None:
    data = rss("Valid: ЀЁЂЃ").encode().replace(b"Valid", b"Espa\xf1a")
    decoded = decode_xml(data)
    assert "España: ЀЁЂЃ" in decoded.text
    assert decoded.guess == "utf-8, 1 stray bytes read as windows-1252 (no charset declared)"


def test_reads_as_text_tells_latin_from_cyrillic_read_as_each_other() -> None:
    assert reads_as_text(PORTUGUESE) and reads_as_text(RUSSIAN)
    assert not reads_as_text(PORTUGUESE.encode("cp1252").decode("cp1251"))  # "Simulaзхes"
    assert not reads_as_text(RUSSIAN.encode("cp1251").decode("cp1252"))  # "Êàê ïåðåæèòü"


@pytest.mark.parametrize(
    ("label", "codec"),
    [("ISO-8859-1", "cp1252"), ("us-ascii", "cp1252"), ("Shift_JIS", "cp932"), ("KOI8-R", "koi8_r"), ("bogus", None)],
)
def test_labels_are_read_as_browsers_read_them(label: str, codec: str | None) -> None:
    assert web_codec(label) == codec


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-32", "utf-32-be"])
def test_the_head_of_a_document_is_read_in_any_unicode_form(codec: str) -> None:
    assert head_text("<?xml version='1.0'?><rss/>".encode(codec)).startswith("<?xml version='1.0'?><rss/>")


def test_entity_declarations_are_refused_in_utf32_too() -> None:
    doc = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><rss><channel/></rss>'
    with pytest.raises(UnsafeXmlError):
        parse_feed(doc.encode("utf-32"), URL)

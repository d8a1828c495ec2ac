"""Article pages as full text: the sample pages, feed autodiscovery, page metadata, and hostile pages."""

from __future__ import annotations

import html as html_module
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pozirk_reader.core.article.model import RelatedLink
from pozirk_reader.core.errors import ArticleError, ReaderError
from pozirk_reader.core.limits import MAX_HTML_CHARS
from pozirk_reader.core.web import page_extract as fulltext
from pozirk_reader.core.web.page_extract import NoArticleTextError, PageText, extract_page, find_feed_links
from tests.samples import SAMPLES

FEEDS = SAMPLES / "feeds"
PAGES = [2301, 2302, 2303, 2304, 2305]
URL = "https://pozirk.example/news/{}.html"
MINSK = timezone(timedelta(hours=3))
FORBIDDEN = (
    {chr(code) for code in range(0x20)}
    | {chr(code) for code in range(0x7F, 0xA0)}
    | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
PLACE_TIMES = {
    2301: "Минск 09:10",
    2302: "Гродно 14:00",
    2303: "Брест 18:30",
    2304: "Витебск 07:45",
    2305: "Могилёв 17:00",
}
NOT_ARTICLE_TEXT = (  # never anywhere in the text
    *("Самое читаемое", "cookie", "Подробнее", "Главная", "Беларуская версия", "О проекте", "Политика"),
    *("Поиск по сайту", "Pozirk sample", "©", "Поделиться", "Скопировать ссылку", "См. также", "Читайте также"),
    "Фото:",
)
MENU_WORDS = (
    "Новости",
    "Транспорт",
    "Погода",
    "Культура",
    "English",
    "Контакты",
    "Реклама",
    "Найти",
    "Принять",
    "Печать",
)


def page(number: int) -> str:
    """The HTML of a sample page."""
    return (FEEDS / "pages" / f"{number}.html").read_text("utf-8")


def body_paragraphs(number: int) -> list[str]:
    """The sample page's body paragraphs as written: its ``<p>`` elements with no attributes and no markup inside."""
    article = page(number).split("<article", 1)[1].split("</article>", 1)[0]
    return [html_module.unescape(text) for text in re.findall(r"<p>([^<]+)</p>", article)]


def see_also(number: int) -> list[RelatedLink]:
    """The see-also links FEEDS.md lists for a page: link text and absolute URL, in order."""
    row = re.compile(r"^\| \d+ \| (\d{4}) \| [^|]+ \| `([^`]+)` \| `[^`]+` \| `([^`]+)` \|", re.MULTILINE)
    table = (FEEDS / "FEEDS.md").read_text("utf-8")
    return [RelatedLink(title, url) for source, title, url in row.findall(table) if source == str(number)]


def assert_clean(result: PageText) -> None:
    """No control, C1 or bidi character in any text; every URL absolute http(s)."""
    texts = [*result.paragraphs, *(link.title for link in result.related)]
    texts += [text for text in (result.title, result.place_time, result.photo_credit) if text is not None]
    for text in texts:
        assert text.strip() and text == text.strip(), repr(text)
        assert not set(text) & FORBIDDEN, repr(text)
    urls = [link.url for link in result.related if link.url] + list(result.feed_urls)
    urls += [result.canonical_url] if result.canonical_url else []
    for url in urls:
        assert url.startswith(("http://", "https://")), url
        assert not set(url) & FORBIDDEN and " " not in url, url


def article_page(inner: str, head: str = "", lang: str = "ru") -> str:
    """A page like the samples' around ``inner`` (the article's HTML), with the usual furniture outside it."""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Заголовок — сайт</title>{head}</head>'
        '<body><header><nav><a href="/">Главная</a> <a href="/news/">Новости</a></nav></header>'
        f"<main><article>{inner}</article>"
        '<aside><h2>Самое читаемое</h2><ol><li><a href="/news/1.html">Другая новость</a></li></ol></aside></main>'
        '<footer><p>© 2026 Сайт. <a href="/cookies.html">Подробнее</a></p></footer></body></html>'
    )


BODY = "".join(
    f"<p>{sentence} Городские службы подготовили подробный план работ и обещают закончить их до конца года.</p>"
    for sentence in ("В Минске открыли новый сквер.", "Жители просили об этом давно.", "Деревья посадят весной.")
)


# The sample pages


@pytest.mark.parametrize("number", PAGES)
def test_sample_page_title_body_and_see_also(number: int) -> None:
    result = extract_page(page(number), URL.format(number))
    title = re.search(r"<h1>([^<]+)</h1>", page(number))
    assert title is not None
    assert result.title == title[1]
    assert list(result.paragraphs) == body_paragraphs(number)
    assert len(result.paragraphs) == 5
    assert list(result.related) == see_also(number)
    assert result.related  # FEEDS.md lists two to four for each page
    assert_clean(result)


@pytest.mark.parametrize("number", PAGES)
def test_sample_page_keeps_no_furniture_see_also_or_share_text(number: int) -> None:
    result = extract_page(page(number), URL.format(number))
    text = "\n".join(result.paragraphs)
    for furniture in NOT_ARTICLE_TEXT:
        assert furniture.casefold() not in text.casefold(), furniture
    assert not set(result.paragraphs) & set(MENU_WORDS)
    for link in result.related:
        assert link.title not in text
    assert result.title not in text  # the headline is the title, not a paragraph


@pytest.mark.parametrize("number", PAGES)
def test_sample_page_metadata(number: int) -> None:
    result = extract_page(page(number), URL.format(number))
    assert result.language == "ru"
    assert result.canonical_url == URL.format(number)
    assert result.feed_urls == ("https://pozirk.example/rss-summaries.xml",)
    assert result.published is not None
    assert result.published.utcoffset() == timedelta(hours=3)
    meta = re.search(r'article:published_time" content="([^"]+)"', page(number))
    assert meta is not None
    assert result.published == datetime.fromisoformat(meta[1])


@pytest.mark.parametrize("number", PAGES)
def test_sample_page_dateline_and_photo_credit_are_not_body_text(number: int) -> None:
    result = extract_page(page(number), URL.format(number))
    assert result.place_time == PLACE_TIMES[number]
    assert result.photo_credit == "архив редакции"
    assert not any(paragraph.startswith(("·", "Фото")) for paragraph in result.paragraphs)
    assert result.paragraphs[0] == body_paragraphs(number)[0]


def test_the_sample_page_2301_in_full() -> None:
    result = extract_page(page(2301), URL.format(2301))
    assert result.title == "В Минске на проспекте Победителей появятся три новые остановки электробусов"
    assert result.paragraphs[0].startswith("Городское управление транспорта сообщило")
    assert result.paragraphs[-1].endswith("высказались почти три четверти участников.")
    assert result.published == datetime(2026, 11, 1, 9, 10, tzinfo=MINSK)
    assert result.related == (
        RelatedLink("В Бресте запустили ночной автобусный маршрут до вокзала", "https://pozirk.example/news/2101.html"),
        RelatedLink(
            "В Минске продлят трамвайную линию до Лошицы",
            "https://pozirk.example/archive/minsk-tram-line-extension.html",
        ),
        RelatedLink(
            "В Витебске на месяц закроют путепровод на Московском проспекте",
            "https://pozirk.example/archive/vitebsk-overpass-closure.html",
        ),
    )


def test_read_also_paragraphs_of_2302_are_links_not_text() -> None:
    result = extract_page(page(2302), URL.format(2302))
    assert [link.url for link in result.related] == [
        "https://pozirk.example/news/2103.html",
        "https://pozirk.example/archive/grodno-district-library.html",
    ]
    assert not any("также" in paragraph for paragraph in result.paragraphs)


def test_document_relative_see_also_link_of_2303_resolves_on_the_page_url() -> None:
    result = extract_page(page(2303), URL.format(2303))
    assert result.related[0] == RelatedLink(
        "В Минске на проспекте Победителей появятся три новые остановки электробусов",
        "https://pozirk.example/news/2301.html",
    )


# Falling back to the HTML reader


@pytest.mark.parametrize("number", PAGES)
def test_without_trafilatura_the_article_element_gives_the_same_text(
    number: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fulltext, "MAX_EXTRACT_ELEMENTS", 0)  # every page is "too large" for trafilatura
    result = extract_page(page(number), URL.format(number))
    # The HTML reader keeps images as their alt text, as it does for feed entries.
    assert [text for text in result.paragraphs if not text.startswith("[")] == body_paragraphs(number)
    assert list(result.related) == see_also(number)
    assert (result.place_time, result.photo_credit) == (PLACE_TIMES[number], "архив редакции")
    text = "\n".join(result.paragraphs)
    assert not any(furniture.casefold() in text.casefold() for furniture in NOT_ARTICLE_TEXT)
    assert not set(result.paragraphs) & set(MENU_WORDS)


def test_a_failing_trafilatura_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    result = extract_page(page(2304), URL.format(2304))
    assert [text for text in result.paragraphs if not text.startswith("[")] == body_paragraphs(2304)


def test_a_page_with_nothing_found_by_trafilatura_uses_the_html_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    html = article_page("<h1>Короткая новость</h1><p>Всего одна строка.</p>")
    result = extract_page(html, "https://pozirk.example/news/7.html")
    assert result.title == "Короткая новость"
    assert result.paragraphs == ("Всего одна строка.",)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html></html>",
        "<html><head><title>Пусто</title><script>var x = 'текст';</script></head><body></body></html>",
        article_page("<h1>Только заголовок</h1>"),
        "\x00\x1b",
    ],
)
def test_a_page_without_text_is_a_one_line_error(html: str) -> None:
    with pytest.raises(NoArticleTextError) as raised:
        extract_page(html, "https://pozirk.example/news/8.html")
    message = str(raised.value)
    assert message == "https://pozirk.example/news/8.html: no article text found on the page"
    assert isinstance(raised.value, ArticleError) and isinstance(raised.value, ReaderError)


# Text structure


def test_headings_lists_and_quotes_keep_their_structure() -> None:
    inner = (
        "<h1>В Минске открыли новый сквер</h1>"
        + BODY
        + "<h2>Что там будет</h2><ul><li>скамейки с подогревом;</li><li>детская площадка;</li></ul>"
        + "<ol><li>Первый этап — весной.</li><li>Второй этап — летом.</li></ol>"
        + "<blockquote><p>Мы давно ждали этот сквер, теперь здесь можно гулять с детьми.</p></blockquote>"
        + "<p>— рассказала жительница соседнего дома.</p>"
    )
    result = extract_page(article_page(inner), "https://pozirk.example/news/10.html")
    assert result.title == "В Минске открыли новый сквер"
    assert result.paragraphs[3:] == (
        "Что там будет",
        "• скамейки с подогревом;",
        "• детская площадка;",
        "1. Первый этап — весной.",
        "2. Второй этап — летом.",
        "> Мы давно ждали этот сквер, теперь здесь можно гулять с детьми.",
        "— рассказала жительница соседнего дома.",
    )


def test_belarusian_see_also_heading_and_english_page() -> None:
    inner = (
        "<h1>У Віцебску адкрыўся кірмаш</h1>"
        + "<p>Кірмаш рамёстваў працуе на плошчы кожны дзень да канца месяца, паведамілі арганізатары.</p>"
        + "<p>Майстры з усёй вобласці прывезлі посуд, вышыванкі і драўляныя цацкі для дзяцей.</p>"
        + "<p>У выхадныя на кірмашы пройдуць майстар-класы па ганчарстве і ткацтве.</p>"
        + '<h4>Гл. таксама</h4><p><a href="/news/2105.html">У Магілёве прайшоў фестываль</a></p>'
        + '<p><a href="https://pozirk.example/archive/minsk-ice-rinks.html">На мінскіх катках</a></p>'
    )
    result = extract_page(article_page(inner, lang="be-BY"), "https://pozirk.example/news/2102.html")
    assert result.language == "be"
    assert result.related == (
        RelatedLink("У Магілёве прайшоў фестываль", "https://pozirk.example/news/2105.html"),
        RelatedLink("На мінскіх катках", "https://pozirk.example/archive/minsk-ice-rinks.html"),
    )
    assert len(result.paragraphs) == 3
    assert not any("таксама" in text or "Магілёве" in text for text in result.paragraphs)


def test_a_run_in_dateline_stays_at_the_start_of_the_first_paragraph() -> None:
    inner = "<h1>Встреча прошла в столице</h1><p>13 мая, Позірк. Отношения с соседями обсудили на встрече.</p>" + BODY
    result = extract_page(article_page(inner), "https://pozirk.example/news/11.html")
    assert result.paragraphs[0] == "13 мая, Позірк. Отношения с соседями обсудили на встрече."
    assert result.place_time is None


def test_a_time_inside_body_text_is_not_a_dateline() -> None:
    long_text = "Собрание началось в <time datetime='2026-05-13T10:00'>10:00</time> и шло три часа. " * 3
    inner = f"<h1>Собрание жильцов</h1><p>{long_text}</p>" + BODY
    result = extract_page(article_page(inner), "https://pozirk.example/news/12.html")
    assert result.paragraphs[0].startswith("Собрание началось в 10:00")
    assert result.place_time is None
    assert result.published == datetime(2026, 5, 13, 10, 0)


# Metadata


@pytest.mark.parametrize(
    ("attribute", "language"),
    [
        ('lang="ru"', "ru"),
        ('lang="ru-RU"', "ru"),
        ('lang="RU_ru"', "ru"),
        ('lang="be"', "be"),
        ('lang="be-tarask"', "be"),
        ('lang="bel"', "be"),
        ('lang="en-GB"', "en"),
        ('lang="uk"', None),
        ('lang=""', None),
        ("", None),
    ],
)
def test_language_from_html_lang(attribute: str, language: str | None) -> None:
    html = f"<!DOCTYPE html><html {attribute}><body><article><h1>Т</h1>{BODY}</article></body></html>"
    assert extract_page(html, "https://pozirk.example/news/1.html").language == language


@pytest.mark.parametrize(
    ("href", "canonical"),
    [
        ("https://pozirk.example/news/5.html", "https://pozirk.example/news/5.html"),
        ("/news/5.html?x=1", "https://pozirk.example/news/5.html?x=1"),
        ("5.html", "https://pozirk.example/news/5.html"),
        ("http://pozirk.example/a b", "http://pozirk.example/a%20b"),
        ("javascript:alert(1)", None),
        ("file:///etc/passwd", None),
        ("data:text/html,x", None),
        ("", None),
    ],
)
def test_canonical_url_is_absolute_http(href: str, canonical: str | None) -> None:
    html = article_page(f"<h1>Т</h1>{BODY}", head=f'<link rel="canonical" href="{href}">')
    assert extract_page(html, "https://pozirk.example/news/4.html").canonical_url == canonical


@pytest.mark.parametrize(
    ("head", "inner", "published"),
    [
        ('<meta property="article:published_time" content="2026-11-01T09:10:00+03:00">', "", datetime(2026, 11, 1, 9, 10, tzinfo=MINSK)),
        ('<meta name="article:published_time" content="2026-11-01T06:10:00Z">', "", datetime(2026, 11, 1, 6, 10, tzinfo=UTC)),
        ('<meta itemprop="datePublished" content="2026-11-02">', "", datetime(2026, 11, 2)),
        ("", '<p class="d"><time datetime="2026-11-03T08:00:00+03:00">3 ноября</time></p>', datetime(2026, 11, 3, 8, 0, tzinfo=MINSK)),
        ('<meta property="article:published_time" content="not a date">', "", None),
        ("", '<time datetime="yesterday">вчера</time>', None),
        ("", "", None),
    ],
)  # fmt: skip
def test_published_from_meta_or_time(head: str, inner: str, published: datetime | None) -> None:
    html = article_page(f"<h1>Т</h1>{inner}{BODY}", head=head)
    assert extract_page(html, "https://pozirk.example/news/3.html").published == published


def test_title_falls_back_to_og_title_then_title_element() -> None:
    no_h1 = article_page(BODY, head='<meta property="og:title" content="Из og:title">')
    assert extract_page(no_h1, "https://pozirk.example/news/2.html").title == "Из og:title"
    neither = article_page(BODY)
    assert extract_page(neither, "https://pozirk.example/news/2.html").title == "Заголовок — сайт"


def test_the_article_with_the_most_text_is_read_for_see_also_links() -> None:
    teaser = '<article><p>Тизер. <strong>См. также:</strong></p><ul><li><a href="/x.html">Чужая</a></li></ul></article>'
    main = f'<article><h1>Главная статья</h1>{BODY}<p><strong>См. также:</strong></p><ul><li><a href="/y.html">Своя</a></li></ul></article>'
    html = f"<html lang='ru'><body>{teaser}{main}</body></html>"
    result = extract_page(html, "https://pozirk.example/news/1.html")
    assert result.related == (RelatedLink("Своя", "https://pozirk.example/y.html"),)
    assert result.title == "Главная статья"


def test_base_href_resolves_links() -> None:
    inner = f'<h1>Т</h1>{BODY}<p>См. также: <a href="2.html">Вторая новость</a></p>'
    html = article_page(inner, head='<base href="https://mirror.example/news/">')
    result = extract_page(html, "https://pozirk.example/news/1.html")
    assert result.related == (RelatedLink("Вторая новость", "https://mirror.example/news/2.html"),)


# Feed autodiscovery


def test_feed_links_of_the_sample_front_page() -> None:
    html = (FEEDS / "page-with-feed-link.html").read_text("utf-8")
    assert find_feed_links(html, "https://pozirk.example/") == [
        "https://pozirk.example/rss-full.xml",
        "https://pozirk.example/atom.xml",
    ]
    assert find_feed_links(html, "https://pozirk.example/feeds/index.html") == [
        "https://pozirk.example/feeds/rss-full.xml",
        "https://pozirk.example/feeds/atom.xml",
    ]


@pytest.mark.parametrize("number", PAGES)
def test_feed_link_of_the_sample_pages_goes_up_a_level(number: int) -> None:
    assert find_feed_links(page(number), URL.format(number)) == ["https://pozirk.example/rss-summaries.xml"]


def test_feed_links_rules() -> None:
    head = (
        '<link rel="ALTERNATE feed" type="Application/RSS+XML; charset=utf-8" href="/one.xml">'
        '<link rel="alternate" href="/no-type.xml">'
        '<link rel="alternate" type="text/html" href="/page.html">'
        '<link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">'
        '<link rel="alternate" type="application/atom+xml" href="javascript:alert(1)">'
        '<link rel="alternate" type="application/atom+xml" href="file:///etc/passwd">'
        '<link rel="alternate" type="application/atom+xml" href="data:application/xml,x">'
        '<link rel="alternate" type="application/atom+xml" href="">'
        '<link rel="alternate" type="application/atom+xml">'
        '<link rel="alternate" type="application/atom+xml" href="  https://feeds.example/two.atom\n">'
        '<link rel="alternate" type="application/rss+xml" href="/one.xml">'
    )
    html = f"<html><head>{head}</head><body><link rel=alternate type=application/rss+xml href=three.rss></body></html>"
    assert find_feed_links(html, "https://pozirk.example/dir/page.html") == [
        "https://pozirk.example/one.xml",
        "https://feeds.example/two.atom",
        "https://pozirk.example/dir/three.rss",
    ]


@pytest.mark.parametrize("html", ["", "plain text", "<link rel=alternate", "\x00", "<html>" * 10_000])
def test_feed_links_of_junk_are_none(html: str) -> None:
    assert find_feed_links(html, "https://pozirk.example/") == []


def test_page_text_carries_the_feed_links() -> None:
    head = '<link rel="alternate" type="application/atom+xml" href="/atom.xml">'
    result = extract_page(article_page(f"<h1>Т</h1>{BODY}", head=head), "https://pozirk.example/news/1.html")
    assert result.feed_urls == ("https://pozirk.example/atom.xml",)


# Hostile pages


def test_scripts_styles_and_templates_never_show() -> None:
    inner = (
        "<h1>Новость</h1><script>document.write('SCRIPT-TEXT')</script><style>p { color: red } STYLE-TEXT</style>"
        + BODY
        + "<noscript>NOSCRIPT-TEXT</noscript><template><p>TEMPLATE-TEXT</p></template>"
        + "<iframe>IFRAME-TEXT</iframe><svg><text>SVG-TEXT</text></svg>"
    )
    head = "<script>var HEAD_SCRIPT = 1;</script><style>HEAD-STYLE</style>"
    for threshold in (fulltext.MAX_EXTRACT_ELEMENTS, 0):  # trafilatura, then the fallback
        fulltext.MAX_EXTRACT_ELEMENTS = threshold
        try:
            result = extract_page(article_page(inner, head=head), "https://pozirk.example/news/1.html")
        finally:
            fulltext.MAX_EXTRACT_ELEMENTS = 25_000
        text = "\n".join(result.paragraphs)
        assert re.search(r"SCRIPT|STYLE|NOSCRIPT|TEMPLATE|IFRAME|SVG|color: red", text) is None, text
        assert len(result.paragraphs) == 3


def test_markup_like_text_stays_literal() -> None:
    inner = (
        "<h1>Теги &lt;b&gt; в заголовке</h1>"
        + BODY
        + "<p>Пишут &lt;script&gt;alert(1)&lt;/script&gt; и [bold]rich[/] и [@click=app.quit]x[/] как текст.</p>"
    )
    result = extract_page(article_page(inner), "https://pozirk.example/news/1.html")
    assert result.title == "Теги <b> в заголовке"
    assert result.paragraphs[-1] == "Пишут <script>alert(1)</script> и [bold]rich[/] и [@click=app.quit]x[/] как текст."


def test_escape_sequences_and_bidi_never_survive() -> None:
    inner = (
        "<h1>Красный\x1b[31m заголовок&#27;[0m</h1>"
        '<p class="dateline"><time datetime="2026-05-13T10:00:00+03:00">13 мая, 10:00</time> · Мі\x1bнск</p>'
        "<figure><figcaption>Фото: \u202eредакция&#x1b;</figcaption></figure>"
        + BODY
        + "<p>Текст \x1b[2J с \x9b31m и &#x9b;и &#155; и \u202e и \u2066 и &#x202e; и &#0; конец.</p>"
        + '<p><strong>См. также:</strong></p><ul><li><a href="/a.html">Ссылка\x1b]0;title\x07</a></li></ul>'
    )
    result = extract_page(article_page(inner), "https://pozirk.example/news/1.html")
    assert_clean(result)
    assert "\x1b" not in repr(result) and "\\x1b" not in repr(result)
    assert result.place_time == "Мінск 10:00"
    assert result.related == (RelatedLink("Ссылка]0;title", "https://pozirk.example/a.html"),)


def test_javascript_and_other_schemes_are_never_kept_as_links() -> None:
    inner = (
        "<h1>Т</h1>"
        + BODY
        + "<p><strong>См. также:</strong></p><ul>"
        + '<li><a href="javascript:alert(1)">Скрипт</a></li><li><a href=" JaVaScRiPt:alert(2)">Скрипт 2</a></li>'
        + '<li><a href="java&#x09;script:alert(3)">Скрипт 3</a></li><li><a href="java\tscript:alert(4)">Скрипт 4</a></li>'
        + '<li><a href="data:text/html,x">Данные</a></li><li><a href="file:///etc/passwd">Файл</a></li>'
        + '<li><a href="vbscript:x">VB</a></li><li><a href="/ok.html">Можно</a></li></ul>'
    )
    result = extract_page(article_page(inner), "https://pozirk.example/news/1.html")
    assert [link.url for link in result.related] == [None] * 7 + ["https://pozirk.example/ok.html"]
    assert [link.title for link in result.related][:3] == ["Скрипт", "Скрипт 2", "Скрипт 3"]
    assert "javascript" not in repr(result).lower()


def test_see_also_urls_are_kept_as_written_not_percent_encoded() -> None:
    inner = (
        f"<h1>Т</h1>{BODY}<p><strong>Гл. таксама:</strong></p><ul>"
        '<li><a href="/навіны/1.html?q=а б">Кірыліца</a></li><li><a href="https://link.invalid/0">Падобная</a></li>'
        '<li><a href="/%D0%B0.html">Ужо закадаваная</a></li></ul>'
    )
    result = extract_page(article_page(inner, lang="be"), "https://pozirk.example/news/1.html")
    assert result.related == (
        RelatedLink("Кірыліца", "https://pozirk.example/навіны/1.html?q=а%20б"),
        RelatedLink("Падобная", "https://link.invalid/0"),
        RelatedLink("Ужо закадаваная", "https://pozirk.example/%D0%B0.html"),
    )


def test_input_past_the_cap_is_cut_not_refused() -> None:
    html = article_page(f"<h1>Т</h1>{BODY}" + "<p>" + "слова " * (MAX_HTML_CHARS // 6) + "</p>")
    assert len(html) > MAX_HTML_CHARS
    result = extract_page(html, "https://pozirk.example/news/1.html")
    assert result.paragraphs[0].startswith("В Минске открыли новый сквер.")


LEAD = "<html><body><article><h1>Заголовок</h1><p>" + "Начало статьи. " * 20 + "</p>"
HOSTILE = {
    "deep nesting": LEAD + "<div>" * 200_000 + "внутри" + "</div>" * 200_000,
    "unclosed tags": LEAD + "<div>" * 150_000 + "<b>" * 150_000,
    "huge attribute": LEAD + "<p title='" + "a" * 1_900_000 + "'>x</p>",
    "unfinished tags": LEAD + "<a " * 600_000,
    "unfinished comments": LEAD + "<!--" * 450_000,
    "many paragraphs": LEAD + "<p>абзац текста</p>" * 90_000,
    "many nested blocks": LEAD + ("<div>" * 10 + "слово текста здесь" + "</div>" * 10) * 9_000,
    "just under the element cap": LEAD + "<p><span>слово</span> <b>текста</b> здесь</p>" * 8_000 + " " * 700_000,
    "many see-also links": LEAD + "<p>См. также:</p><ul>" + "<li><a href='/n.html'>Ссылка</a></li>" * 50_000,
    "many articles": "<html><body>" + "<article><p>короткий текст</p></article>" * 45_000,
    "many times": LEAD + "<p><time datetime='2026-01-01'>1 января</time> · Минск</p>" * 30_000,
    "angle brackets": LEAD + "<" * 1_900_000,
    "character references": LEAD + "&#27;&#x202e;&lt;&#99999999999999;" * 60_000,
    "many feed links": "<html><head>"
    + "".join(f"<link rel=alternate type=application/rss+xml href=/f{n}.xml>" for n in range(40_000))
    + "</head><body><p>текст</p></body></html>",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_pages_finish_quickly(name: str) -> None:
    html = HOSTILE[name]
    assert 1_000_000 <= len(html) <= 2 * MAX_HTML_CHARS
    extract_page("<html><body><p>Разогрев: trafilatura загружается один раз.</p></body></html>", "https://e.example/")
    started = time.perf_counter()
    try:
        result = extract_page(html, "https://pozirk.example/news/1.html")
    except NoArticleTextError:
        result = None
    assert time.perf_counter() - started < 15  # about 1.5 s at most here; generous against slow machines
    if result is not None:
        assert_clean(result)
        assert len(result.paragraphs) <= 10_000 and len(result.feed_urls) <= fulltext.MAX_FEED_LINKS


FRAGMENTS = [
    *("<p>", "</p>", "<div>", "</div>", "<br>", "<ul>", "</ul>", "<li>", "<blockquote>", "</blockquote>", "<h1>"),
    *("</h1>", "<h2>", "<b>", "</b>", "<strong>", "</strong>", "<article>", "</article>", "<main>", "<time>"),
    *("<time datetime='2026-05-13T10:00:00+03:00'>", "</time>", "<figcaption>", "Фото: ", "<a href='/x'>", "</a>"),
    *('<a href="javascript:alert(1)">', "<a href='https://e.com/\x1b'>", "<img alt='Фото\x1b[2J'>", "<script>"),
    *("</script>", "<style>", "</style>", "<link rel=alternate type=application/rss+xml href='f.xml'>", "<!--"),
    *("-->", "<![CDATA[", "]]>", "<", ">", "'", '"', "&amp;", "&lt;", "&#27;", "&#x9b;", "&#x202e;", "&#0;", "&#"),
    *("\x00", "\x1b", "\x9b", "\u202e", "\r\n", "\n", " ", "См. также:", "Гл. таксама", "Читайте также: "),
    *("Поделиться:", "слова и словы, ", "Минск", "[bold]x[/]", "<html lang='be'>", "<link rel=canonical href=c>"),
]
random_html = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=50).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_html)
def test_any_page_gives_clean_text_or_the_one_error(html: str) -> None:
    try:
        result = extract_page(html, "https://pozirk.example/news/1.html")
    except NoArticleTextError as error:
        assert "\n" not in str(error)
        return
    assert_clean(result)
    assert result.paragraphs
    assert result.language in (None, "ru", "be", "en")
    assert all(url.startswith("https://pozirk.example/") for url in result.feed_urls)


@settings(max_examples=200, deadline=None)
@given(random_html)
def test_any_page_gives_http_feed_links(html: str) -> None:
    links = find_feed_links(html, "https://pozirk.example/dir/")
    assert links == list(dict.fromkeys(links))
    assert all(url.startswith("https://pozirk.example/") and not set(url) & FORBIDDEN for url in links)


def test_importing_the_module_loads_neither_trafilatura_nor_lxml() -> None:
    code = (
        "import sys, pozirk_reader.core.web.page_extract\n"
        "heavy = ('trafilatura', 'lxml', 'textual', 'feedparser', 'httpx', 'htmldate', 'justext')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

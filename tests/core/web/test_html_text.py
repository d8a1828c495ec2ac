"""HTML entries and pages as text: blocks, lists, quotes, see-also links, and hostile markup in three languages."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.article.model import RelatedLink
from pozirk_reader.core.limits import MAX_HTML_CHARS, MAX_PARAGRAPHS, MAX_RELATED
from pozirk_reader.core.web.html_text import MAX_QUOTE_DEPTH, HtmlText, html_to_text

BASE = "https://pozirk.online/news/2024/05/13/article.html"
FORBIDDEN = (
    {chr(code) for code in range(0x20) if chr(code) != "\n"}
    | {chr(code) for code in range(0x7F, 0xA0)}
    | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def paragraphs(html: str, base_url: str | None = None) -> list[str]:
    """The paragraphs of ``html`` as a list, for short assertions."""
    return list(html_to_text(html, base_url).paragraphs)


def assert_clean(result: HtmlText, newlines_allowed: bool = False) -> None:
    """No control, C1 or bidi character anywhere; newlines only where ``<pre>`` allows them; no blank paragraph."""
    assert isinstance(result, HtmlText)
    for text in [*result.paragraphs, *(link.title for link in result.related)]:
        assert text.strip(), f"blank text in {result!r}"
        assert not set(text) & FORBIDDEN, repr(text)
        if not newlines_allowed:
            assert "\n" not in text and text == text.strip(), repr(text)
    for link in result.related:
        assert "\n" not in link.title
        assert link.url is None or (link.url.startswith(("http://", "https://")) and not set(link.url) & FORBIDDEN)
        assert link.url is None or " " not in link.url


# Blocks and inline text


def test_paragraphs_from_p_and_div_in_russian() -> None:
    html = "<div><p>Минск, 13 мая. Отношения <b>с соседями</b> обсудили.</p><div>Встреча прошла в столице.</div></div>"
    assert paragraphs(html) == ["Минск, 13 мая. Отношения с соседями обсудили.", "Встреча прошла в столице."]


def test_inline_text_is_joined_and_white_space_folded() -> None:
    html = "<p>The   council\n met\ton <em>Tues</em>day,&nbsp;&nbsp;then <a href='/x'>adjourned</a> .</p>\n\n<p> </p>"
    assert paragraphs(html) == ["The council met on Tuesday, then adjourned ."]


def test_single_br_is_a_space_and_two_end_a_paragraph_in_belarusian() -> None:
    html = "Новая бібліятэка<br>адкрылася ў цэнтры.<br><br>Чытачы могуць<br/>узяць кнігі.<br />\n<br>Яшчэ"
    assert paragraphs(html) == ["Новая бібліятэка адкрылася ў цэнтры.", "Чытачы могуць узяць кнігі.", "Яшчэ"]


def test_headings_are_their_own_paragraphs() -> None:
    html = "<h1>Трамвайную линию продлят</h1>Текст.<h2>Details</h2><p>More.</p><h6>Мелко</h6>"
    assert paragraphs(html) == ["Трамвайную линию продлят", "Текст.", "Details", "More.", "Мелко"]


def test_unordered_and_ordered_lists() -> None:
    html = (
        "<p>Вынікі:</p><ul><li>першы</li><li>другі <b>пункт</b></li></ul>"
        "<ol><li>Open</li><li>Close<li>Reopen</ol><ol start='7'><li>сёмы</li><li>восьмы</li></ol>"
    )
    expected = ["Вынікі:", "• першы", "• другі пункт", "1. Open", "2. Close", "3. Reopen", "7. сёмы", "8. восьмы"]
    assert paragraphs(html) == expected


def test_nested_lists_and_list_items_with_paragraphs() -> None:
    html = "<ol><li>Один<ul><li>вложенный</li></ul></li><li><p>Два</p><p>продолжение</p></li></ol>"
    assert paragraphs(html) == ["1. Один", "• вложенный", "2. Два", "продолжение"]


def test_blockquotes_are_marked() -> None:
    html = "<p>He said:</p><blockquote><p>We will build it.</p><p>Soon.</p><blockquote>Цитата</blockquote></blockquote>"
    assert paragraphs(html) == ["He said:", "> We will build it.", "> Soon.", "> > Цитата"]


def test_blockquote_marks_stop_at_the_cap() -> None:
    result = paragraphs("<blockquote>" * 50 + "глыбока")
    assert result == ["> " * MAX_QUOTE_DEPTH + "глыбока"]


def test_pre_keeps_its_line_breaks_and_nothing_else_does() -> None:
    html = "<p>Code:\nbelow</p><pre>\ndef f():\n    return 1\n\nf()\n</pre><p>Конец</p>"
    assert paragraphs(html) == ["Code: below", "def f():\n    return 1\n\nf()", "Конец"]


def test_pre_inside_a_blockquote_marks_every_line() -> None:
    assert paragraphs("<blockquote><pre>a\nb<br>c</pre></blockquote>") == ["> a\n> b\n> c"]


def test_table_rows_are_paragraphs() -> None:
    assert paragraphs("<table><tr><td>Минск</td><td>22</td></tr><tr><th>Гродна</th><td>18</td></tr></table>") == [
        "Минск 22",
        "Гродна 18",
    ]


def test_images_become_their_alt_text() -> None:
    html = (
        '<p>Мост <img src="a.jpg" alt="Фото: мост через Пину"> открыт.</p><img src="b.jpg"><figure><img src=c alt="">'
    )
    html += "<figcaption>Фота: архіў</figcaption></figure><p><img alt='  Photo:\n the   bridge '></p>"
    assert paragraphs(html) == ["Мост [Фото: мост через Пину] открыт.", "Фота: архіў", "[Photo: the bridge]"]


@pytest.mark.parametrize(
    "element", ["script", "style", "noscript", "template", "iframe", "object", "svg", "math", "head", "form"]
)
def test_invisible_elements_are_dropped_with_their_content(element: str) -> None:
    html = f"<p>До</p><{element}><p>скрыта</p> <b>тоже</b><br></{element}><p>После</p>"
    assert paragraphs(html) == ["До", "После"]
    if element not in ("script", "style"):  # raw text: there "<script>" is not a tag, and the first end tag ends it
        inner = "svg" if element == "iframe" else "iframe"  # an unclosed dropped element inside
        html = f"<p>До</p><{element}>1<{element}>2<{inner}>3</{element}>4</{element}>5"
        assert paragraphs(html) == ["До", "5"]


def test_scripts_and_styles_with_markup_inside_are_dropped() -> None:
    html = "<style>p { color: red }</style><script>if (a < b) document.write('</p><p>x');</script><p>Text</p>"
    html += "<embed src='x.swf'><p>More</p><head><title>Title</title></head><body><p>Body</p></body>"
    assert paragraphs(html) == ["Text", "More", "Body"]


def test_an_unclosed_head_ends_at_body() -> None:
    assert paragraphs("<html><head><title>Загаловак<meta charset=utf-8><body><p>Тэкст</p>") == ["Тэкст"]


def test_entities_are_decoded_exactly_once() -> None:
    html = "<p>&amp;lt;b&amp;gt; &lt;i&gt; &amp;amp; &#x410;&#1041; &amp;#27; caf&eacute; a&nbsp;b</p>"
    assert paragraphs(html) == ["&lt;b&gt; <i> &amp; АБ &#27; café a b"]


def test_entities_in_attributes_are_decoded_exactly_once() -> None:
    html = '<p><img alt="&amp;lt;b&amp;gt; &quot;x&quot;"></p><h3>See also</h3><a href="/a?x=1&amp;y=2">T &amp;lt;</a>'
    result = html_to_text(html, BASE)
    assert result.paragraphs == ('[&lt;b&gt; "x"]',)
    assert result.related == (RelatedLink("T &lt;", "https://pozirk.online/a?x=1&y=2"),)


def test_markup_like_text_is_left_literally() -> None:
    html = "<p>[bold]x[/] and [@click=app.quit]y[/] and [link=https://e.com]z[/link] {tag} $var \\[n]</p>"
    assert paragraphs(html) == [
        "[bold]x[/] and [@click=app.quit]y[/] and [link=https://e.com]z[/link] {tag} $var \\[n]"
    ]


def test_links_in_the_body_are_plain_text() -> None:
    result = html_to_text('<p>Read <a href="https://e.com/a">the report</a> and <a>this</a>.</p>', BASE)
    assert result == HtmlText(("Read the report and this.",), ())


def test_link_only_paragraphs_without_a_marker_stay_in_the_body() -> None:
    result = html_to_text('<p><a href="/a">Первая</a></p><ul><li><a href="/b">Вторая</a></li></ul>', BASE)
    assert result == HtmlText(("Первая", "• Вторая"), ())


# "See also"

MARKERS = [
    ("ru", "См. также"),
    ("ru", "Смотрите также:"),
    ("ru", "Читайте также"),
    ("be", "Гл. таксама:"),
    ("be", "Глядзіце таксама"),
    ("be", "Чытайце таксама:"),
    ("en", "See also"),
    ("en", "READ ALSO:"),
    ("en", "related"),
]
BODY = {
    "ru": "Городской транспортный департамент сообщил, что работы начнутся весной.",
    "be": "Новая бібліятэка адкрылася ў цэнтры горада і працуе кожны дзень.",
    "en": "The city transport department said the work would begin in spring.",
}
TITLES = {
    "ru": ("Автобусы изменят расписание", "Мост через Пину откроют летом"),
    "be": ("Фестываль народнай музыкі пройдзе ў жніўні", "У Гродне адкрылася бібліятэка"),
    "en": ("Buses change their timetable", "The bridge opens in summer"),
}
SHAPES = {
    "heading and list": '<h3>{m}</h3><ul><li><a href="/a/1">{t1}</a></li><li><a href="https://e.by/2">{t2}</a></li></ul>',
    "paragraphs": '<p><strong>{m}</strong></p><p><a href="/a/1">{t1}</a></p><p><a href="https://e.by/2">{t2}</a></p>',
    "inline": '<p>{m} <a href="/a/1">{t1}</a></p><p><a href="https://e.by/2">{t2}</a></p>',
    "bold and breaks": '<div><b>{m}</b><br><a href="/a/1">{t1}</a><br>\n<a href="https://e.by/2">{t2}</a></div>',
    "inline list": '<p>{bare}: <a href="/a/1">{t1}</a>; <a href="https://e.by/2">{t2}</a>.</p>',
}


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("language", "marker"), MARKERS)
def test_see_also_becomes_related(language: str, marker: str, shape: str) -> None:
    first, second = TITLES[language]
    html = (
        f"<p>{BODY[language]}</p>"
        + SHAPES[shape].format(m=marker, bare=marker.rstrip(":"), t1=first, t2=second)
        + "<p>Фініш</p>"
    )
    result = html_to_text(html, BASE)
    assert result.related == (
        RelatedLink(first, "https://pozirk.online/a/1"),
        RelatedLink(second, "https://e.by/2"),
    )
    assert result.paragraphs == (BODY[language], "Фініш")


def test_see_also_after_text_in_the_same_paragraph_keeps_the_text() -> None:
    result = html_to_text('<p>Работы начнутся весной. <b>Читайте также:</b> <a href="/x">Мост</a></p>', BASE)
    assert result == HtmlText(("Работы начнутся весной.",), (RelatedLink("Мост", "https://pozirk.online/x"),))


def test_a_marker_without_links_after_it_stays_in_the_body() -> None:
    html = "<p>Тэкст.</p><h3>Гл. таксама</h3><p>Гэта не спасылка.</p><p>We saw <b>related</b></p><p>issues.</p>"
    assert html_to_text(html) == HtmlText(
        ("Тэкст.", "Гл. таксама", "Гэта не спасылка.", "We saw related", "issues."), ()
    )
    assert html_to_text("<p>Текст</p><p>См. также:</p>") == HtmlText(("Текст", "См. также:"), ())


def test_a_longer_phrase_is_not_a_marker() -> None:
    html = '<h3>Related articles from our archive</h3><p><a href="/a">Первая</a></p>'
    assert html_to_text(html, BASE) == HtmlText(("Related articles from our archive", "Первая"), ())


def test_see_also_stops_at_the_first_block_that_is_not_links() -> None:
    html = '<h3>See also</h3><ul><li><a href="/a">A</a> (12.05.2024)</li><li><a href="/b">B</a> — Позірк</li></ul>'
    html += "<p>Text goes on.</p>"
    result = html_to_text(html, BASE)
    assert result.related == (RelatedLink("A", "https://pozirk.online/a"),)
    assert result.paragraphs == ("• B — Позірк", "Text goes on.")


def test_see_also_links_keep_their_words_not_their_images() -> None:
    html = '<h4>Читайте также</h4><ul><li><a href="/a"><img alt="Миниатюра"></a> <a href="/a">Заголовок</a></li>'
    html += '<li><a href="/b"><img src=x alt="photo"> Второй  <em>заголовок</em></a></li></ul>'
    result = html_to_text(html, BASE)
    assert result.related == (
        RelatedLink("Заголовок", "https://pozirk.online/a"),
        RelatedLink("Второй заголовок", "https://pozirk.online/b"),
    )
    assert result.paragraphs == ()


def test_repeated_see_also_links_are_kept_once() -> None:
    html = '<h3>Related</h3><p><a href="/a">One</a> <a href="/a">One again</a> <a href="#top">Top</a> <a href>Plain</a></p>'
    html += '<p><a href="">Plain again</a></p>'
    result = html_to_text(html, "https://e.com/news/")
    assert result.related == (
        RelatedLink("One", "https://e.com/a"),
        RelatedLink("Top", "https://e.com/news/#top"),
        RelatedLink("Plain", "https://e.com/news/"),
    )


def test_relative_urls_are_made_absolute() -> None:
    html = '<h3>See also</h3><ul><li><a href="../../06/01/next.html">Next</a></li><li><a href="//cdn.e.com/x">CDN</a>'
    html += '</li><li><a href=" /root?q=a b ">Root</a></li><li><a href="HTTPS://E.COM/Up">Up</a></li></ul>'
    assert html_to_text(html, BASE).related == (
        RelatedLink("Next", "https://pozirk.online/news/2024/06/01/next.html"),
        RelatedLink("CDN", "https://cdn.e.com/x"),
        RelatedLink("Root", "https://pozirk.online/root?q=a%20b"),
        RelatedLink("Up", "https://E.COM/Up"),
    )


def test_relative_urls_without_a_base_have_no_url() -> None:
    html = '<h3>See also</h3><p><a href="/a">A</a></p><p><a href="https://e.com/b">B</a></p>'
    assert html_to_text(html).related == (RelatedLink("A", None), RelatedLink("B", "https://e.com/b"))


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JaVa\tScRiPt:alert(document.cookie)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "mailto:news@pozirk.online",
        "vbscript:msgbox(1)",
        "ftp://e.com/x",
        "https://e.com/\x1b[2J",
        "https://e.com/\u202eevil",
        "http://[::1",
        "https://e.com/" + "x" * 5000,
    ],
)
def test_only_http_urls_are_kept(href: str) -> None:
    html = f'<p>Тело</p><h3>Читайте также</h3><ul><li><a href="{href}">Заголовок</a></li></ul>'
    assert html_to_text(html, BASE) == HtmlText(("Тело",), (RelatedLink("Заголовок", None),))


def test_an_unsafe_base_url_gives_no_urls() -> None:
    html = '<h3>See also</h3><p><a href="x">X</a></p>'
    assert html_to_text(html, "javascript:alert(1)//").related == (RelatedLink("X", None),)


def test_see_also_links_are_capped() -> None:
    links = "".join(f'<li><a href="/n/{index}">Новость {index}</a></li>' for index in range(MAX_RELATED + 50))
    result = html_to_text(f"<h3>См. также</h3><ul>{links}</ul>", BASE)
    assert len(result.related) == MAX_RELATED
    assert result.related[-1] == RelatedLink(f"Новость {MAX_RELATED - 1}", f"https://pozirk.online/n/{MAX_RELATED - 1}")


# Escape sequences and hostile input


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a&#27;[2Jb</p>", ["a[2Jb"]),
        ("<p>\x1b[31mчырвоны\x1b[0m</p>", ["[31mчырвоны[0m"]),
        ("<p>\x9b2J &#x9b; \x85x</p>", ["2J › x"]),
        ("<p>\u202eevil\u202c &#x202E;name&#8238; \u2066iso\u2069</p>", ["evil name iso"]),
        ("<p>n\x00u&#0;l\x07l\x7f</p>", ["nu\ufffdll"]),
        ("<p>\x1b]8;;https://evil\x07click\x1b]8;;\x07</p>", ["]8;;https://evilclick]8;;"]),
        ("<p>a\r\nb\u2028c\x0cd</p>", ["a b c d"]),
    ],
)
def test_escape_sequences_never_come_out(html: str, expected: list[str]) -> None:
    result = html_to_text(html)
    assert list(result.paragraphs) == expected
    assert_clean(result)


def test_escape_sequences_in_alt_text_and_related_titles_never_come_out() -> None:
    html = '<p><img alt="x&#27;[2Jy\u202e"></p><h3>See also</h3><a href="/a">\x1b[31mRed&#x1b;[0m&#x9b;</a>'
    result = html_to_text(html, BASE)
    assert result == HtmlText(("[x[2Jy]",), (RelatedLink("[31mRed[0m›", "https://pozirk.online/a"),))
    assert_clean(result)


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 5000 + "глыбока" + "</div>" * 5000,
        "<b><i><a href='/x'><span>" * 3000 + "deep",
        "<ul><li>" * 3000 + "пункт",
        "<blockquote><ol><li><pre>" * 2000 + "x",
        "<p>unclosed <b>bold <i>italic <a href='/x'>link",
        "</p></div></li></ul></ol></blockquote></pre></a></b></html></body></svg></script>text",
        "<p>&bogus; &amp &#xZZ; &#99999999999; &#x110000; &#-1; &; &#; &#x;</p>",
        "&#" + "9" * 5000 + "; and &#" + "0" * 5000 + "65; and &#x" + "f" * 5000 + ";",
        "<![CDATA[x<y]]>after <![if !IE]>ie<![endif]> <![foo[bar]]> <!DOCTYPE html [ <!x [ ]> <?xml version='1.0'?>",
        "<!-- comment --> <!-- unclosed comment <p>never shown",
        "<p>text</p><a href='unterminated>more text</a>",
        "<p>x</p><img alt='" + "a" * 1_000_000 + "'><p>y</p>",
        "<p title=" + '"' * 10_000 + ">q</p>",
        "<<<<>>>> </ > <> <a <b <c> & < > <= => </>",
        "<p>\x00<\x00p\x00>\x00</\x00p>\x00</p>",
        "<svg><foreignObject><p>inside</p></foreignObject></svg><math><mi>x</mi>",
        "<script>" + "</scr" * 1000,
        "",
        "   \n\t ",
    ],
)
def test_hostile_markup_never_raises(html: str) -> None:
    assert_clean(html_to_text(html, BASE), newlines_allowed="<pre" in html)


def test_hostile_markup_keeps_what_it_can() -> None:
    assert paragraphs("<div>" * 5000 + "глыбока") == ["глыбока"]
    assert paragraphs("<p>unclosed <b>bold <i>italic <a href='/x'>link") == ["unclosed bold italic link"]
    assert paragraphs("<![CDATA[x>y]]>after <![if !IE]>ie<![endif]>") == ["y]]>after ie"]  # as browsers read it
    assert paragraphs("<p>text</p><!-- unclosed comment <p>never shown") == ["text"]
    assert paragraphs("<p>text</p><p>cut <a href='x") == ["text", "cut"]
    assert paragraphs("a &#" + "0" * 5000 + "65; b &#" + "9" * 5000 + ";") == ["a A b \ufffd"]
    assert paragraphs("<p>x</p><img alt='" + "a" * 1_000_000 + "'>")[1] == "[" + "a" * 1_000_000 + "]"


def test_a_megabyte_of_text_is_one_paragraph() -> None:
    text = "Слова і словы, words and слова. " * 33_000
    result = paragraphs(f"<p>{text}</p>")
    assert result == [text.strip()]


def test_input_is_cut_at_the_cap() -> None:
    html = "<p>" + "x" * (MAX_HTML_CHARS - 3) + "</p><p>past the cap</p>"
    result = paragraphs(html)
    assert result == ["x" * (MAX_HTML_CHARS - 3)]


def test_paragraphs_are_capped() -> None:
    result = paragraphs("<p>абзац</p>" * (MAX_PARAGRAPHS + 100))
    assert len(result) == MAX_PARAGRAPHS


@pytest.mark.parametrize("piece", ["<a", "<a\n", "<a x='", "<!--", "</a", "<?", "<!", "x<y", "<b>x", "<![", "<a b=c "])
def test_unfinished_markup_takes_linear_time(piece: str) -> None:
    html = "<p>Начало</p>" + piece * (400_000 // len(piece))
    started = time.perf_counter()
    result = html_to_text(html)
    assert time.perf_counter() - started < 5  # the quadratic close() took minutes on this
    assert result.paragraphs[0] == "Начало"


def test_the_module_does_not_load_the_ui() -> None:
    code = (
        "import sys, pozirk_reader.core.web.html_text; print(sorted(m for m in sys.modules if m.startswith('textual')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# Properties

FRAGMENTS = [
    *("<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<ul>", "</ul>", "<ol start=3>", "</ol>", "<li>", "</li>"),
    *("<blockquote>", "</blockquote>", "<pre>", "</pre>", "<h2>", "</h2>", "<b>", "</b>", "<strong>", "</strong>"),
    *("<a href='/x'>", '<a href="javascript:alert(1)">', "<a href='https://e.com/\x1b'>", "<a>", "</a>"),
    *("<img alt='Фото\x1b[2J'>", "<img>", "<script>", "</script>", "<style>", "</style>", "<svg>", "</svg>"),
    *("<head>", "<body>", "<table><tr><td>", "</td>", "<!--", "-->", "<![CDATA[", "]]>", "<?pi ", ">", "<", "'"),
    *('"', "=", "&amp;", "&lt;", "&#27;", "&#x9b;", "&#x202e;", "&#0;", "&#", "&bogus;", "&nbsp;", "\x00", "\x1b"),
    *("\x9b", "\u202e", "\u2066", "\r\n", "\n", "\t", " ", "См. также:", "Гл. таксама", "See also", "Related:"),
    *("Читайте также: ", "слова", "словы", "words", "[bold]x[/]", "[@click=app.quit]y[/]"),
]
random_html = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join)
base_urls = st.one_of(st.none(), st.sampled_from([BASE, "http://e.com", "javascript:x", ""]), st.text(max_size=20))


@settings(max_examples=300)
@given(st.text())
def test_any_text_gives_clean_paragraphs(text: str) -> None:
    result = html_to_text(text)
    assert_clean(result, newlines_allowed="<pre" in text.lower())


@settings(max_examples=400)
@given(random_html, base_urls)
def test_any_html_gives_clean_paragraphs_and_links(html: str, base_url: str | None) -> None:
    result = html_to_text(html, base_url)
    assert_clean(result, newlines_allowed="<pre" in html.lower())
    assert len(result.related) <= MAX_RELATED

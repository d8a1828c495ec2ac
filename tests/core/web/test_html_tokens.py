"""Markup to parser calls: the fast tokeniser makes exactly the calls HTMLParser would, and nothing raises."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.web.html_tokens import parse_html


class Recorder(HTMLParser):
    """Keeps every call it is given (text runs joined, as their split depends on how the input was fed)."""

    made = 0

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        Recorder.made += 1
        self.calls: list[tuple[object, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("startend", tag, tuple(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.calls and self.calls[-1][0] == "data":
            self.calls[-1] = ("data", str(self.calls[-1][1]) + data)
        else:
            self.calls.append(("data", data))


def by_html_parser(html: str) -> list[tuple[object, ...]]:
    parser = Recorder()
    parser.feed(html)
    parser.close()
    return parser.calls


@pytest.mark.parametrize(
    "html",
    [
        "<p>Минск, <b>13 мая</b>.</p>",
        "<P CLASS=lead Id='x' data-a=\"1 &amp; 2\">Text &lt;b&gt; caf&eacute;</P>",
        "<a href=/news/1.html>one</a><br/><img alt='Фото' src=x.jpg /><hr>",
        "<ul>\n<li>a\n<li>b</ul>\t",
    ],
)
def test_well_formed_markup_takes_the_fast_path_with_the_calls_htmlparser_makes(html: str) -> None:
    Recorder.made = 0
    calls = parse_html(html, Recorder).calls
    assert Recorder.made == 1  # one parser: the tokeniser read it all
    assert calls == by_html_parser(html)


@pytest.mark.parametrize(
    "html",
    ["<p>a<!-- note -->b</p>", "<script>if (a < b) x()</script><p>t</p>", "<p a=b=c>x</p>", "<!DOCTYPE html><p>x"],
)
def test_other_markup_goes_to_htmlparser_itself(html: str) -> None:
    Recorder.made = 0
    calls = parse_html(html, Recorder).calls
    assert Recorder.made == 2  # the fast path gave up, and a fresh parser read it
    assert calls == by_html_parser(html)


def test_what_makes_htmlparser_raise_is_rewritten_first() -> None:
    calls = parse_html("<![CDATA[x]]>after &#" + "9" * 500 + "; end", Recorder).calls
    assert calls == [("data", "after \ufffd end")]  # "<![" read as browsers do: a bogus comment up to ">"


@settings(max_examples=300)
@given(st.text(alphabet="<>/=\"' abp&#;!-\n", max_size=40))
def test_any_markup_is_read_without_raising(html: str) -> None:
    assert isinstance(parse_html(html, Recorder), Recorder)

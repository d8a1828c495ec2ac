"""The structure of an entry's text (``structure=True``): kinds of paragraph, list levels, footnotes, inline links."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pozirk_reader.core.article.model import BlockKind, RelatedLink
from pozirk_reader.core.limits import MAX_INLINE_LINKS, MAX_LIST_DEPTH
from pozirk_reader.core.web.html_text import HtmlText, html_to_text

BASE = "https://blog.example/post"
HTML = """<h2>Setting up</h2>
<p>Read <a href="/docs">the docs</a> and <a href="https://other.example/x">this report</a>, then
<a href="/docs">the docs</a> again. MacBook Pros.<sup id="fnref1"><a href="#fn1">1</a></sup> On the 19<sup>th</sup>.</p>
<pre><code>def main():
\tif ready:
\t\treturn  1
</code></pre>
<ul><li>Top<ul><li>Second <b>level</b><ol><li>Third</li></ol></li></ul></li><li>Back to top</li></ul>
<p>See also:</p><ul><li><a href="/related">A related post</a></li></ul>"""
"""A blog post with a heading, links in its text, a footnote mark, code, nested lists and a see-also list."""


def structured(html: str = HTML) -> HtmlText:
    return html_to_text(html, BASE, structure=True)


def test_preformatted_text_keeps_its_lines_and_indentation_with_tabs_expanded() -> None:
    text = structured()
    code = text.paragraphs[text.kinds.index(BlockKind.PREFORMATTED)]
    assert code == "def main():\n        if ready:\n                return  1"


def test_nested_lists_are_indented_by_level() -> None:
    assert [p for p in structured().paragraphs if p.lstrip().startswith(("•", "◦", "1."))] == [
        "• Top",
        "  ◦ Second level",
        "    1. Third",
        "• Back to top",
    ]


def test_list_indentation_stops_at_the_cap() -> None:
    deepest = structured("<ul><li>" * (MAX_LIST_DEPTH + 5) + "deep").paragraphs[-1]
    assert deepest.lstrip() in ("• deep", "◦ deep", "▪ deep")  # the bullets go round
    assert len(deepest) - len(deepest.lstrip()) == 2 * MAX_LIST_DEPTH


def test_headings_are_marked_with_their_level() -> None:
    text = structured("<h1>One</h1><p>Text</p><h4>Four</h4><pre>code</pre>")
    assert list(zip(text.paragraphs, text.kinds, strict=True)) == [
        ("One", BlockKind.HEADING_1),
        ("Text", BlockKind.TEXT),
        ("Four", BlockKind.HEADING_4),
        ("code", BlockKind.PREFORMATTED),
    ]
    assert [kind.heading_level for kind in text.kinds] == [1, 0, 4, 0]


def test_footnote_references_are_set_apart_and_links_in_the_text_numbered() -> None:
    text = structured()
    assert text.paragraphs[1] == (
        "Read the docs [1] and this report [2], then the docs [1] again. MacBook Pros.¹ On the 19th."
    )
    assert text.links == (
        RelatedLink("the docs", "https://blog.example/docs"),
        RelatedLink("this report", "https://other.example/x"),
    )
    assert text.related == (RelatedLink("A related post", "https://blog.example/related"),)  # not in the text


@pytest.mark.parametrize(
    ("sup", "shown"),
    [("2", "x²"), ("(3)", "x⁽³⁾"), ("er", "xer"), ("note a", "x^note a"), ("a long remark", "x (a long remark)")],
)
def test_superscripts_read_as_text(sup: str, shown: str) -> None:
    assert structured(f"<p>x<sup>{sup}</sup></p>").paragraphs == (shown,)


def test_links_that_go_nowhere_on_the_web_get_no_number() -> None:
    text = structured(
        "<p><a href='#top'>Top</a>, <a href='javascript:x()'>run</a>, <a href='mailto:a@b.c'>mail</a>.</p>"
    )
    assert (text.paragraphs, text.links) == (("Top, run, mail.",), ())


def test_links_in_the_text_are_capped() -> None:
    html = "<p>" + " ".join(f"<a href='/n/{n}'>n{n}</a>" for n in range(MAX_INLINE_LINKS + 10)) + "</p>"
    text = structured(html)
    assert len(text.links) == MAX_INLINE_LINKS
    last = MAX_INLINE_LINKS - 1
    assert f" n{last} [{MAX_INLINE_LINKS}] n{last + 1} n{last + 2} " in text.paragraphs[0]  # the rest: text only


def test_without_structure_the_text_is_as_before() -> None:
    plain = html_to_text(HTML, BASE)
    assert plain.kinds == () and plain.links == ()
    assert "Read the docs and this report, then the docs again. MacBook Pros.1 On the 19th." in plain.paragraphs
    assert "• Second level" in plain.paragraphs  # one level, one bullet


FRAGMENTS = ["<p>", "</p>", "<pre>", "</pre>", "<h2>", "</h2>", "<ul>", "<ol>", "<li>", "</ul>", "<sup>", "</sup>"]
FRAGMENTS += ["<a href='/x'>", "<a href='#f'>", "<a href='javascript:x'>", "</a>", "\t", "\n", "\x1b[2J", "слова", "1"]


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map("".join))
def test_any_html_gives_one_kind_a_paragraph_clean_text_and_web_links(html: str) -> None:
    text = structured(html)
    assert len(text.kinds) == len(text.paragraphs)
    for paragraph, kind in zip(text.paragraphs, text.kinds, strict=True):
        assert paragraph.strip() and "\x1b" not in paragraph and "\t" not in paragraph
        assert "\n" not in paragraph or kind is BlockKind.PREFORMATTED
    assert all(link.url and link.url.startswith(("http://", "https://")) for link in text.links)

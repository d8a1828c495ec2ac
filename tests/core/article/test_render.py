"""Articles as plain text, Markdown and JSON: headings, preformatted text and the links in the text."""

from __future__ import annotations

import json
from html import escape

from markdown_it import MarkdownIt

from pozirk_reader.core.article.model import Article, BlockKind, RelatedLink, block_string
from pozirk_reader.core.article.render import to_json, to_markdown, to_plain
from pozirk_reader.core.web.html_text import html_to_text

CODE = "def main():\n        if ready:\n                return  1"
POST = Article(
    "p1",
    "Post",
    ("Setting up", "Read the docs [1] and this report [2].", CODE, "Details"),
    "en",
    source_name="Blog",
    blocks=block_string([BlockKind.HEADING_2, BlockKind.TEXT, BlockKind.PREFORMATTED, BlockKind.HEADING_3]),
    related=(RelatedLink("A related post", "https://blog.example/related"),),
    links=(
        RelatedLink("the docs", "https://blog.example/docs"),
        RelatedLink("this report", "https://other.example/x"),
    ),
)


def test_plain_text_underlines_headings_keeps_code_lines_and_lists_the_links() -> None:
    plain = to_plain(POST)
    assert "\nSetting up\n──────────\n\nRead the docs [1]" in plain
    assert "\nDetails\n\nSee also:" in plain  # level 3: set apart, not underlined
    assert f"\n{CODE}\n" in plain
    assert plain.endswith(
        "See also:\n  1. A related post <https://blog.example/related>\n\n"
        "Links in the text:\n  [1] the docs <https://blog.example/docs>\n  [2] this report <https://other.example/x>\n"
    )


def test_markdown_has_headings_one_level_under_the_headline_and_code_fenced() -> None:
    markdown = to_markdown(POST)
    assert "\n## Setting up\n" not in markdown and "\n### Setting up\n" in markdown and "\n#### Details\n" in markdown
    assert f"\n```\n{CODE}\n```\n" in markdown  # as written: nothing in a code block is escaped
    assert markdown.endswith(
        "## Links in the text\n\n1. [the docs](<https://blog.example/docs>)\n2. [this report](<https://other.example/x>)\n"
    )


def test_a_code_fence_is_longer_than_any_run_of_backticks_in_the_code() -> None:
    article = Article("c", "Code", ("``` not the end ````",), "en", blocks=block_string([BlockKind.PREFORMATTED]))
    assert "\n`````\n``` not the end ````\n`````\n" in to_markdown(article)


def test_json_gives_each_paragraph_its_kind_and_the_links() -> None:
    data = json.loads(to_json(POST))
    assert data["blocks"] == ["2", "p", "c", "3"]
    assert data["links"][1] == {"title": "this report", "url": "https://other.example/x"}


def test_markdown_escapes_only_what_would_be_markup() -> None:
    """The daily-reading issue, defect 9: "северо\\-западный", "\\+2 °C" where nothing needed escaping."""
    text = "Ветер северо-западный, +2 °C (до +5), 100% #1! *звёзды* [1] <b> &amp; snake_case"
    markdown = to_markdown(
        Article("w", "Погода: +2 °C", (text, "+2 °C — ночью", "---", "# нет", "- нет", "3) нет"), "ru")
    )
    assert "# Погода: +2 °C\n" in markdown
    assert (
        "\nВетер северо-западный, +2 °C (до +5), 100% #1! \\*звёзды\\* \\[1\\] \\<b> \\&amp; snake\\_case\n" in markdown
    )
    assert "\n+2 °C — ночью\n" in markdown
    html = MarkdownIt("commonmark").render(markdown)
    assert f"<p>{escape(text, quote=False)}</p>" in html  # read back as the same words: nothing became markup
    for line in ("---", "# нет", "- нет", "3) нет"):
        assert f"<p>{escape(line)}</p>" in html


def test_markdown_keeps_lists_nested_and_quotes_from_a_feeds_html() -> None:
    html = (
        "<p>Planned:</p><ul><li>a tram line<ul><li>five stops</li></ul></li><li>a bridge</li></ul>"
        "<ol><li>first</li><li>second</li></ol><blockquote><p>Said one.</p><p>Said two.</p></blockquote><p>After.</p>"
    )
    converted = html_to_text(html, structure=True)
    markdown = to_markdown(
        Article("f", "Plans", converted.paragraphs, "en", blocks=block_string(list(converted.kinds)))
    )
    assert (
        "- a tram line\n    - five stops\n- a bridge\n1. first\n2. second\n\n> Said one.\n>\n> Said two.\n" in markdown
    )
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "<ul>\n<li>a tram line\n<ul>\n<li>five stops</li>\n</ul>\n</li>\n<li>a bridge</li>\n</ul>" in rendered
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in rendered
    assert "<blockquote>\n<p>Said one.</p>\n<p>Said two.</p>\n</blockquote>\n<p>After.</p>" in rendered

"""The structure of an article kept in the cache: paragraph kinds, line breaks inside one, the links in its text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pozirk_reader.core.article.model import Article, BlockKind, RelatedLink, block_string, stable_id
from pozirk_reader.core.operations.searching import search
from pozirk_reader.core.store.library import Store
from pozirk_reader.core.store.read_models import LinkState, SourceKind

CODE = "def main():\n        return 1\n\n    # done"
POST = Article(
    stable_id("https://blog.example/post"),
    "Post",
    ("Setting up", "Read the docs [1] or elsewhere [2].", CODE),
    "en",
    origin="https://blog.example/post",
    url="https://blog.example/post",
    blocks=block_string([BlockKind.HEADING_2, BlockKind.TEXT, BlockKind.PREFORMATTED]),
    links=(RelatedLink("the docs", "https://blog.example/docs"), RelatedLink("elsewhere", "https://away.example/")),
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.sqlite3") as opened:
        yield opened


def save(store: Store, *articles: Article) -> None:
    with store.writing() as tx:
        source = tx.ensure_source(SourceKind.FEED, "https://blog.example/feed")
        for article in articles:
            tx.save_article(source, article, article.title + str(len(article.links)))
        tx.resolve_links([article.id for article in articles])


def test_kinds_line_breaks_and_links_in_the_text_come_back_as_saved(store: Store) -> None:
    save(store, POST)
    stored = store.get(POST.id)
    assert stored is not None
    assert stored.article.paragraphs == POST.paragraphs  # the code is one paragraph, its lines and blank line kept
    assert [stored.article.kind(i) for i in range(3)] == [BlockKind.HEADING_2, BlockKind.TEXT, BlockKind.PREFORMATTED]
    assert stored.article.links == POST.links


def test_plain_articles_keep_no_kinds(store: Store) -> None:
    plain = Article(stable_id("/a.txt"), "A", ("One.", "Two."), "en", origin="/a.txt")
    save(store, plain)
    stored = store.get(plain.id)
    assert stored is not None and stored.article.blocks == "" and stored.article.links == ()
    assert stored.article.kind(1) is BlockKind.TEXT


def test_links_in_the_text_resolve_by_url_when_read_so_a_page_cached_later_follows(store: Store) -> None:
    save(store, POST)
    opened = store.open_article(POST.id)
    assert opened is not None
    assert [(link.position, link.title, link.state) for link in opened.inline] == [
        (0, "the docs", LinkState.URL),
        (1, "elsewhere", LinkState.URL),
    ]
    docs = Article(stable_id("https://blog.example/docs"), "The docs", ("All of it.",), "en",
                   origin="https://blog.example/docs", url="https://blog.example/docs")  # fmt: skip
    save(store, docs)
    opened = store.open_article(POST.id)
    assert opened is not None
    assert [(link.state, link.target_id, link.target_title) for link in opened.inline] == [
        (LinkState.CACHED, docs.id, "The docs"),
        (LinkState.URL, None, None),
    ]
    assert store.backlinks(docs.id) == []  # a link in the text is no "see also" link


def test_an_update_replaces_the_links_in_the_text(store: Store) -> None:
    save(store, POST)
    save(store, Article(POST.id, "Post", ("Now without links.",), "en", origin=POST.origin, url=POST.url))
    stored = store.get(POST.id)
    assert stored is not None
    assert (stored.article.paragraphs, stored.article.blocks, stored.article.links) == (("Now without links.",), "", ())
    assert store.inline_links(POST.id) == []


def test_search_finds_the_words_of_preformatted_lines_and_snippets_show_no_line_separator(store: Store) -> None:
    save(store, POST)
    (hit,) = search(store, "done")
    assert hit.headline.id == POST.id and "\u2028" not in hit.snippet and "# done" in hit.snippet

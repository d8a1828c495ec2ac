"""A server's item as an article of the cache: its HTML read as any feed entry's, its id from the account's.

An article's id is derived from the account's key and the server's item id, so the same item is the same
article on every machine; its text is read by :func:`~pozirk_reader.core.web.html_text.html_to_text`, the one
defence against hostile HTML, and its "see also" links resolve across every source of the cache.
"""

from __future__ import annotations

from pozirk_reader.core.article.hygiene import clean_text, fold_spaces, shorten
from pozirk_reader.core.article.language import detect_language
from pozirk_reader.core.article.model import Article, BlockKind, ContentKind, block_string, stable_id
from pozirk_reader.core.limits import MAX_URL_CHARS, MAX_WEB_TITLE_CHARS
from pozirk_reader.core.store.accounts import RemoteArticle
from pozirk_reader.core.sync.client import RemoteItem
from pozirk_reader.core.web.feed_entry import content_hash
from pozirk_reader.core.web.html_text import html_to_text
from pozirk_reader.core.web.urls import is_http_url


def article_id(account_key: str, item_id: str) -> str:
    """The cache's id of the account's item ``item_id``."""
    return stable_id(f"{account_key}\n{item_id}")


def to_article(account_key: str, item: RemoteItem, feed_title: str | None) -> RemoteArticle | None:
    """``item`` as an article of the cache (``None`` if it has neither title nor text)."""
    url = item.url.strip() if item.url and is_http_url(item.url.strip()) and len(item.url) <= MAX_URL_CHARS else None
    text = html_to_text(item.html, url, structure=True)
    tidied = [(_tidy(p, kind), kind) for p, kind in zip(text.paragraphs, text.kinds, strict=True)]
    paragraphs = [p for p, _ in tidied if p]
    kinds = [kind for p, kind in tidied if p]
    title = fold_spaces(clean_text(item.title).replace("\n", " "))[:MAX_WEB_TITLE_CHARS]
    if not title and not paragraphs:
        return None
    title = title or shorten(" ".join(paragraphs[0].split()), 120)
    published = item.published
    article = Article(
        id=article_id(account_key, item.item_id),
        title=title,
        paragraphs=tuple(paragraphs),
        language=detect_language(title, paragraphs),
        source_name=feed_title or item.feed_title,
        date=published.date() if published else None,
        place_time=published.strftime("%H:%M") if published else None,
        related=text.related,
        origin=url or f"{account_key}#{item.item_id}",
        url=url,
        encoding="utf-8",
        content=ContentKind.FULL,
        blocks=block_string(kinds),
        links=text.links,
    )
    return RemoteArticle(item.item_id, item.feed_id, article, content_hash(article), item.read, item.starred)


def _tidy(paragraph: str, kind: BlockKind) -> str:
    """A paragraph cleaned as a feed entry's is: preformatted text as it is, a list item's indentation kept."""
    if kind is BlockKind.PREFORMATTED:
        return clean_text(paragraph).strip("\n")
    folded = fold_spaces(clean_text(paragraph))
    if folded and paragraph.startswith(" "):
        return " " * (len(paragraph) - len(paragraph.lstrip(" "))) + folded
    return folded

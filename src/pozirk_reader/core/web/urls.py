"""URL rules shared by fetching, feeds, pages and OPML: only http(s) URLs are ever followed."""

from __future__ import annotations

from urllib.parse import quote_plus, urlsplit

HTTP_SCHEMES = ("http", "https")
"""The only schemes the reader fetches, follows or subscribes to."""


def is_http_url(text: str) -> bool:
    """Whether ``text`` is a URL whose scheme is http or https (in any case); malformed text is not."""
    try:
        return urlsplit(text).scheme in HTTP_SCHEMES
    except ValueError:
        return False


def search_url(template: str, query: str) -> str:
    """``template`` with ``{query}`` replaced by ``query``, URL-quoted (spaces as ``+``)."""
    return template.replace("{query}", quote_plus(" ".join(query.split())))

"""The one URL rule: only http(s) URLs are fetched, followed or subscribed to."""

from __future__ import annotations

import pytest

from pozirk_reader.core.web.urls import is_http_url


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://pozirk.online/news/1", True),
        ("http://127.0.0.1:8080/feed.xml", True),
        ("HTTPS://POZIRK.ONLINE/", True),
        ("feed://pozirk.online/rss", False),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("/home/reader/feed.xml", False),
        ("pozirk.online/rss", False),
        ("C:\\feeds\\a.xml", False),
        ("http://[x", False),  # malformed: not an error, not a URL
        ("", False),
    ],
)
def test_is_http_url(text: str, expected: bool) -> None:
    assert is_http_url(text) is expected

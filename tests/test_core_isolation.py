"""The core works without the UI: importing it never loads Textual, nor the feed libraries until they are used."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "pozirk_reader.core.article.model",
    "pozirk_reader.core.article.plaintext",
    "pozirk_reader.core.article.render",
    "pozirk_reader.core.store.library",
    "pozirk_reader.core.operations.importing",
    "pozirk_reader.core.store.links",
    "pozirk_reader.core.web.html_text",
    "pozirk_reader.core.web.fetch",
    "pozirk_reader.core.web.feed_format",
    "pozirk_reader.core.operations.feeds",
    "pozirk_reader.core.operations.pages",
    "pozirk_reader.core.web.page_extract",
    "pozirk_reader.core.web.opml",
    "pozirk_reader.cli.commands",
]


def test_core_imports_without_textual() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE_MODULES!r}: __import__(name)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'feedparser', 'httpx', 'trafilatura', 'lxml'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

"""The core works without the UI: importing it never loads Textual, nor the feed libraries until they are used."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "pozirk_reader.core.model",
    "pozirk_reader.core.textformat",
    "pozirk_reader.core.export",
    "pozirk_reader.core.store",
    "pozirk_reader.core.importer",
    "pozirk_reader.core.links",
    "pozirk_reader.core.htmltext",
    "pozirk_reader.core.fetch",
    "pozirk_reader.core.feedparse",
    "pozirk_reader.core.feeds",
    "pozirk_reader.core.pages",
    "pozirk_reader.core.fulltext",
    "pozirk_reader.core.opml",
    "pozirk_reader.cli",
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

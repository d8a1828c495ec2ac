"""Write docs/screenshot.svg: the reader on the sample library after following a "see also" link.

Run from the project folder: ``python docs/make_screenshot.py``.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.ui.helpers import follow_first_link_of_oldest, imported_cache, make_app, settle  # noqa: E402


async def main() -> None:
    """Open the reader, follow link 1 of the oldest article, and save the screen as SVG."""
    with tempfile.TemporaryDirectory() as folder:
        cache, _ = imported_cache(Path(folder))
        app = make_app(cache)
        async with app.run_test(size=(120, 36)) as pilot:
            await follow_first_link_of_oldest(pilot)
            await settle(pilot)
            app.save_screenshot(filename="screenshot.svg", path=str(PROJECT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())

"""Limits a user may meet: how much the reader reads, keeps and ranks, in one place.

Each is a bound against hostile or runaway input, set far above what real articles and feeds need;
what happens past it is said beside it. Tuning constants that change only speed stay in their modules.
"""

from __future__ import annotations

# -- article files ---------------------------------------------------------------------------------

MAX_FILE_BYTES = 4 * 1024 * 1024
"""Article files larger than this (4 MiB, hundreds of times a long article) are refused."""

MAX_HEADLINE_CHARS = 300
"""A first paragraph longer than this is body text, not a headline: a shortened copy of it heads the article."""

# -- the web -------------------------------------------------------------------------------------

MAX_FEED_BYTES = 20 * 1024 * 1024
"""A feed, a local feed file or an article page larger than this (20 MiB of decoded body; a feed of
5,000 full articles is about 12 MB) is refused with one line, and the feed keeps its cached articles.
The cap holds while reading: a gzip bomb or an endless answer stops at it."""

FEED_MEMORY_FACTOR = 20
"""Parsing a feed takes up to about this many times its size in memory (feedparser's objects: a 19 MiB
feed of 147,000 short items peaked at 435 MB, one of 9,700 long items at 213 MB): each fetch at once is
given this many times :data:`MAX_FEED_BYTES` of the memory available (400 MiB)."""

MAX_SERVER_ANSWER_BYTES = 64 * 1024 * 1024
"""A news server's answer (a sync's page of items or ids) larger than this is refused."""

MAX_FEED_ENTRIES = 20_000
"""The most entries ``entries_per_refresh`` may ask to read from one feed."""

DEFAULT_FEED_ENTRIES = 1000
"""Entries read from a feed at each refresh (``entries_per_refresh``): its newest this many by date
(in the feed's own order where undated); the rest are dropped with a warning."""

MAX_KEPT_PER_FEED = 1_000_000
"""The most ``max_articles_per_feed`` may be (0, the default, keeps every article)."""

FULL_TEXT_PER_FEED = 50
"""Article pages fetched for one feed in one refresh; the rest wait for the next one."""

MAX_OPML_BYTES = 10 * 1024 * 1024
"""OPML files larger than this (tens of thousands of feeds) are refused."""

MAX_OPML_TITLE_CHARS = 300
"""A feed title in an OPML file is cut to this many characters."""

MAX_WEB_TITLE_CHARS = 1000
"""A headline from a feed entry or a web page is cut to this many characters."""

MAX_URL_CHARS = 4096
"""A longer URL is not kept (a link keeps its title), and a longer feed URL is refused."""

MAX_HTML_CHARS = 2_000_000
"""HTML past this many characters (hundreds of long articles) is cut off before it is read."""

MAX_PARAGRAPHS = 10_000
"""Blocks of text kept from one HTML document; the rest of a longer one is dropped."""

MAX_RELATED = 100
""""See also" links kept from one HTML document."""

MAX_INLINE_LINKS = 500
"""Links in the text kept (and numbered) from one HTML document; the rest stay text without a number."""

MAX_LIST_DEPTH = 8
"""Lists nested deeper than this are indented no further."""

# -- search --------------------------------------------------------------------------------------

MAX_QUERY_TERMS = 16
"""Query items beyond this many are ignored (a pasted page of text must not make a huge expression)."""

MAX_PHRASE_WORDS = 16
"""Words of a quoted phrase beyond this many are ignored."""

SEARCH_CANDIDATES = 2000
"""A query matching more articles ranks only the newest this many (by rowid), then lists the rest newest first."""

# -- reading -------------------------------------------------------------------------------------

MAX_HISTORY = 500
"""Articles kept in the back/forward history; older entries fall off its back."""

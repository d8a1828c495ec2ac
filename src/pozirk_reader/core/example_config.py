"""The commented example config file: ``pozirk-reader config --example`` prints it, the README shows it.

Tests check that the two agree, that it parses to valid settings (the defaults), and that it names
every setting of :data:`pozirk_reader.core.config.KEYS`.
"""

from __future__ import annotations

EXAMPLE = """\
# pozirk-reader's config file: config.toml in the user config directory
# (`pozirk-reader config path` says where), or the file $POZIRK_READER_CONFIG names.
# The reader reads it at start and never writes it. Every setting is optional;
# the values below are the defaults, except where a line is commented out.

# The colour theme (the palette, ctrl+p, lists them: "nord", "gruvbox", ...).
# A theme picked in the palette is remembered in the cache until this line changes.
# theme = "nord"

# The command `o` opens an article's web address with: %u is the address (else it is
# added at the end). It runs with the reader suspended, never through a shell. Without
# it, $BROWSER, else the system's browser.
# browser = "w3m %u"

# Seconds an article must stay on screen under the cursor to count as read;
# 0: only when opened (Enter, a followed link).
read_after_seconds = 1.5

# Lines a headline takes in the list: "one", "two", or "auto" (one line when the list
# is wide enough).
headline_rows = "auto"

# Refresh every feed, and sync the accounts, every N minutes while the reader is open;
# 0: only with `r` (and `S`; accounts also sync at start).
refresh_minutes = 0

# Fetch the full text of feed entries that carry only a summary, from their pages.
full_text = true

# Feeds fetched at once, from 1 to 32 (fewer when memory is short).
concurrent_feeds = 8

# Entries read from a feed at each refresh: its newest N, from 1 to 20,000.
entries_per_refresh = 1000

# Articles kept per feed, like newsboat's max-items: after a refresh the oldest beyond
# the newest N go, never a starred one nor one still in the feed; 0 keeps them all.
max_articles_per_feed = 0

# Keys: binding id = keys, comma-separated. The ids are in the help screen (?).
[keymap]
# "reader.back" = "backspace,h"
# "reader.toggle_star" = "x"

# Accounts on news servers (`pozirk-reader accounts add NAME URL --user USER`) read
# their password, when they need it, from $POZIRK_READER_PASSWORD_<NAME>, or as a table
# [accounts.NAME] says. The password is never written here, in the cache or in the log.
# [accounts.home]
# password_command = "pass show freshrss"
# password_env = "FRESHRSS_PASSWORD"
"""
"""A commented example: the README shows the same text, and it parses to valid settings."""

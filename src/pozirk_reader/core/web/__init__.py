"""The web: HTTP fetching, the feed format, HTML to text, article pages, OPML, URL rules."""

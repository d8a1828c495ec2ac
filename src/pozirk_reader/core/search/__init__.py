"""Search: the query language, stemming, highlights and "more like this"."""

"""pozirk-reader: a terminal reader for news agency articles."""

__version__ = "0.1.0"

"""The article: its model, the plain-text format and its parts, text hygiene, decoding, rendering."""
